// The Timer1 firmware's reset and main loop (protocol: timer1_mailbox.h). Timer1 runs at clk/1
// in normal mode with its interrupts masked; global interrupts stay off throughout.
#include "timed_regions.hpp"

#include <clockwork/avr_firmware/timer1_mailbox.h>
#include <clockwork/cw_alloc.h>

#include <stdint.h>

extern "C" {
// Written by the host while the firmware writes GPIOR0; hence volatile.
volatile cw_timer1_mailbox cw_timer1_shared_mailbox;
// Most of the 8 KiB SRAM: the firmware's own stack needs a few dozen bytes, the heap's calls
// about as many again.
alignas(CW_HEAP_ALIGNMENT) uint8_t cw_timer1_arena[CW_TIMER1_ARENA_BYTES];
extern uint8_t __cw_data_start[];
extern uint8_t __cw_data_end[];
extern const uint8_t __cw_data_load[]; // a flash address (firmware.ld)
extern uint8_t __cw_bss_start[];
extern uint8_t __cw_bss_end[];
[[noreturn]] void cw_timer1_start();
}

namespace {

// ATmega2560 datasheet, "Register Summary": data-space addresses.
constexpr uintptr_t kTifr1 = 0x36;
constexpr uintptr_t kGpior0 = 0x3e;
constexpr uintptr_t kGpior1 = 0x4a;
constexpr uintptr_t kGpior2 = 0x4b;
constexpr uintptr_t kTimsk1 = 0x6f;
constexpr uintptr_t kTccr1a = 0x80;
constexpr uintptr_t kTccr1b = 0x81;
constexpr uint8_t kClockDivideBy1 = 0x01; // CS12:0 = 001
constexpr uint8_t kTov1 = 0x01;

static_assert(kGpior0 == CW_TIMER1_GPIOR0_DATA);
static_assert(__builtin_offsetof(cw_timer1_mailbox, op) == CW_TIMER1_MAILBOX_OP);
static_assert(__builtin_offsetof(cw_timer1_mailbox, status) == CW_TIMER1_MAILBOX_STATUS);
static_assert(__builtin_offsetof(cw_timer1_mailbox, argument) == CW_TIMER1_MAILBOX_ARGUMENT);
static_assert(__builtin_offsetof(cw_timer1_mailbox, result) == CW_TIMER1_MAILBOX_RESULT);
static_assert(__builtin_offsetof(cw_timer1_mailbox, cycles) == CW_TIMER1_MAILBOX_CYCLES);
static_assert(sizeof(cw_timer1_mailbox) == CW_TIMER1_MAILBOX_SIZE);

volatile uint8_t& io(uintptr_t address) {
    return *reinterpret_cast<volatile uint8_t*>(address);
}

uint16_t region_ticks() {
    return static_cast<uint16_t>(io(kGpior1) | io(kGpior2) << 8);
}

void signal(cw_timer1_signal what) {
    io(kGpior0) = static_cast<uint8_t>(what);
}

} // namespace

// SP is RAMEND after reset (datasheet, "Stack Pointer"); it is set anyway, so that a jump to 0
// restarts cleanly. r1 is the compilers' zero register; SREG = 0 keeps interrupts off.
extern "C" [[gnu::naked, gnu::section(".vectors")]] void cw_timer1_reset() {
    asm volatile("clr r1\n\t"
                 "out 0x3f, r1\n\t"
                 "ldi r28, 0xff\n\t"
                 "ldi r29, 0x21\n\t"
                 "out 0x3e, r29\n\t"
                 "out 0x3d, r28\n\t"
                 "jmp cw_timer1_start\n\t");
}

extern "C" void cw_timer1_start() {
    auto flash = reinterpret_cast<uintptr_t>(__cw_data_load);
    for (volatile uint8_t* p = __cw_data_start; p != __cw_data_end; ++p, ++flash) {
        uint8_t byte = 0;
        asm volatile("lpm %0, Z" : "=r"(byte) : "z"(flash));
        *p = byte;
    }
    for (volatile uint8_t* p = __cw_bss_start; p != __cw_bss_end; ++p) {
        *p = 0;
    }
    io(kTimsk1) = 0;
    io(kTccr1a) = 0;
    io(kTccr1b) = kClockDivideBy1;

    cw_timer1_empty();
    const uint16_t overhead = region_ticks();
    cw_heap* heap = nullptr;
    const cw_status status = cw_heap_init(cw_timer1_arena, sizeof cw_timer1_arena, nullptr, &heap);
    volatile cw_timer1_mailbox& box = cw_timer1_shared_mailbox;
    box.status = static_cast<uint8_t>(status);
    box.result = static_cast<uint16_t>(reinterpret_cast<uintptr_t>(heap));
    box.cycles = overhead;
    signal(CW_TIMER1_READY);

    while (status == CW_OK) {
        signal(CW_TIMER1_REQUEST);
        const uint8_t op = box.op;
        const uint16_t argument = box.argument;
        uint16_t result = 0;
        if (op == CW_TIMER1_ALLOCATE) {
            result = static_cast<uint16_t>(
                reinterpret_cast<uintptr_t>(cw_timer1_allocate(heap, argument)));
        } else if (op == CW_TIMER1_FREE) {
            result = static_cast<uint16_t>(
                cw_timer1_free(heap, reinterpret_cast<void*>(uintptr_t{argument})));
        } else {
            break;
        }
        const uint16_t ticks = region_ticks();
        box.status = (io(kTifr1) & kTov1) != 0 ? CW_TIMER1_OVERFLOW : 0;
        box.result = result;
        box.cycles = static_cast<uint16_t>(ticks - overhead);
        signal(CW_TIMER1_REPORT);
    }
    // SLEEP with interrupts off never wakes: simavr ends the run there.
    asm volatile("cli\n\tsleep\n\t");
    for (;;) {
    }
}
