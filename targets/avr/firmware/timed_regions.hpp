// The timed calls of the Timer1 firmware (timed_regions.cpp). Each leaves the Timer1 ticks of
// its region in GPIOR2:GPIOR1 and TOV1 set when the timer overflowed inside it.
#pragma once

#include <clockwork/cw_alloc.h>

extern "C" {
void* cw_timer1_allocate(cw_heap* heap, size_t n);
cw_status cw_timer1_free(cw_heap* heap, void* p);
// The region with no call in it: its ticks are the timer-read overhead.
void cw_timer1_empty();
}
