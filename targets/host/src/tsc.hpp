// Time-stamp-counter reads (Intel SDM vol. 2B, RDTSC and RDTSCP; vol. 3B 18.17). LFENCE before
// RDTSC waits for earlier instructions to complete; LFENCE after keeps later ones from starting
// before the read. RDTSCP waits for earlier instructions itself.
#pragma once

#include <cstdint>

namespace clockwork::host::detail {

inline uint64_t tsc_begin() {
    uint32_t lo = 0;
    uint32_t hi = 0;
    asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t{hi} << 32) | lo;
}

inline uint64_t tsc_end_rdtscp() {
    uint32_t lo = 0;
    uint32_t hi = 0;
    uint32_t aux = 0;
    asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return (uint64_t{hi} << 32) | lo;
}

// CPUID.01H:EDX.TSC[bit 4] and CPUID.80000001H:EDX.RDTSCP[bit 27].
bool has_tsc();
bool has_rdtscp();

} // namespace clockwork::host::detail
