/* The protocol between the Timer1 firmware (targets/avr/firmware) and its host runner
 * (targets/runner, avr_timer1.hpp): one mailbox in SRAM at the firmware's symbol
 * cw_timer1_mailbox, and GPIOR0, whose every write the host watches.
 *
 * The firmware writes GPIOR0 = CW_TIMER1_READY once, after measuring the timer-read overhead
 * (mailbox cycles) and initialising its heap (status and result: cw_heap_init's status and the
 * heap handle). Then, for each operation: GPIOR0 = CW_TIMER1_REQUEST, during which write the
 * host puts op and argument into the mailbox; the firmware runs the call and writes result,
 * cycles (Timer1 ticks at clk/1 minus the overhead) and status (CW_TIMER1_OVERFLOW or 0), then
 * GPIOR0 = CW_TIMER1_REPORT. CW_TIMER1_STOP ends the program with SLEEP, interrupts off.
 *
 * AVR lays structures out without padding; the host reads the bytes at the offsets below. */
#ifndef CLOCKWORK_AVR_FIRMWARE_TIMER1_MAILBOX_H
#define CLOCKWORK_AVR_FIRMWARE_TIMER1_MAILBOX_H

#include <stdint.h>

/* GPIOR0, as an I/O address (IN/OUT) and as a data-space address (0x20 above it). */
#define CW_TIMER1_GPIOR0_IO 0x1E
#define CW_TIMER1_GPIOR0_DATA 0x3E

enum cw_timer1_signal { CW_TIMER1_READY = 1, CW_TIMER1_REQUEST = 2, CW_TIMER1_REPORT = 3 };

enum cw_timer1_op { CW_TIMER1_STOP = 0, CW_TIMER1_ALLOCATE = 1, CW_TIMER1_FREE = 2 };

/* Set in status when TOV1 was set by the time the firmware read TIFR1 after the region: the
 * call reached the end of the 16-bit count at clk/1 (65536 cycles from the timer's reset at
 * the region's start, less the few dozen cycles from the region's end to that read). A flagged
 * count may be wrapped and is never reported; an unflagged one is exact. */
#define CW_TIMER1_OVERFLOW 0x01

typedef struct cw_timer1_mailbox {
    uint8_t op;        /* enum cw_timer1_op */
    uint8_t status;    /* CW_TIMER1_OVERFLOW, or a cw_status after READY */
    uint16_t argument; /* allocate: n; free: the pointer */
    uint16_t result;   /* allocate: the pointer; free: its cw_status */
    uint16_t cycles;   /* the call's Timer1 ticks minus the timer-read overhead */
} cw_timer1_mailbox;

/* The heap's arena: the firmware's object cw_timer1_arena, of this many bytes. */
#define CW_TIMER1_ARENA_SYMBOL "cw_timer1_arena"
#define CW_TIMER1_ARENA_BYTES 6144

#define CW_TIMER1_MAILBOX_SYMBOL "cw_timer1_shared_mailbox"
#define CW_TIMER1_MAILBOX_OP 0
#define CW_TIMER1_MAILBOX_STATUS 1
#define CW_TIMER1_MAILBOX_ARGUMENT 2
#define CW_TIMER1_MAILBOX_RESULT 4
#define CW_TIMER1_MAILBOX_CYCLES 6
#define CW_TIMER1_MAILBOX_SIZE 8

#endif
