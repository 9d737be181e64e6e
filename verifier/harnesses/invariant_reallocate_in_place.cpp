// Property 3 for reallocate (reallocate_step.h), the requests answered with the block itself:
// size 0 (the block freed), above the largest request (refused), and any the block already
// holds (shrunk in place, its tail given back or merged with a free next block).
#include <clockwork/reallocate_step.h>

CW_HARNESS {
    check_reallocate_step<Requests::kept_in_place>();
}
