// Floating point is outside the encoding: the verifier must stop with an error that names
// the instruction and its line, not report a proof.
#include <clockwork/verify.h>

CW_HARNESS {
    const float scaled = static_cast<float>(cw_nondet<uint32_t>()) / 3.0f;
    cw_assert(scaled != 7.5f, "float-is-not-seven-and-a-half");
}
