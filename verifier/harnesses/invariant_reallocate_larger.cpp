// Property 3 for reallocate (reallocate_step.h), the requests larger than the block: grown into
// a free next block, moved (a new block, the payload copied, the old block freed), or refused
// when no free block is large enough.
#include <clockwork/reallocate_step.h>

CW_HARNESS {
    check_reallocate_step<Requests::larger_than_the_block>();
}
