// A stand-in "allocator" for mutation testing, small enough that every mutant of its -O2 IR is
// known by hand (tiny_alloc_mutants.cpp says which property kills which).
#include <stdint.h>

extern "C" {

uint32_t tiny_add_one(uint32_t x) {
    return x + 1;
}

void tiny_clear(uint32_t* flag) {
    *flag = 0;
}

void tiny_record(uint32_t* log, uint32_t value) {
    *log = value;
}

void tiny_reset(uint32_t* log) {
    *log = 7;
}
}
