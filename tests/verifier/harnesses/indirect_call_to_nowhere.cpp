// A call through a pointer that an input makes up: no function of the module is at that
// address, so the verifier cannot follow it and says so.
#include <clockwork/verify.h>

#include <stdint.h>

CW_HARNESS {
    const uintptr_t address = cw_nondet<uintptr_t>();
    reinterpret_cast<void (*)()>(address)();
    cw_assert(true, "returns");
}
