// The states property 3 starts from are assumed, not built (symbolic_heap.h): a proof covers
// every real heap only if every real heap satisfies what is assumed. These tests run the
// assumption's own code natively on heaps of the harnesses' region size reached by random
// operations, next to the heap's own cw_heap_invariants_hold.
#include <clockwork/symbolic_heap.h>

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

using namespace symbolic_heap;

// Every witness the verifier may choose: what the harness assumes holds for all of them.
testing::AssertionResult admitted(const cw_heap* h) {
    const Layout l = read_layout(h, h->first);
    if (!lists_locally_sound(h, h->first, l)) {
        return testing::AssertionFailure() << "lists_locally_sound is false";
    }
    // Every class, every bitmap word (each with some class), and the first spare bit.
    const unsigned spare = kClassCount;
    for (unsigned c = 0; c < kClassCount; ++c) {
        const unsigned w = c % kBitmapWords;
        const Verdict v = heap_is_well_formed(h, h->first, Witnesses{c, w, spare}, l);
        if (!v.all()) {
            return testing::AssertionFailure()
                   << "heap_is_well_formed is false for class " << c << ", word " << w << ": tiles "
                   << v.tiles << " apart " << v.apart << " listed " << v.listed << " lists_sound "
                   << v.lists_sound << " bitmaps " << v.bitmaps << " statistics " << v.statistics;
        }
    }
    return testing::AssertionSuccess();
}

cw_heap* init_region_heap() {
    cw_heap_options options = cw_heap_default_options();
    options.validate = 0;
    cw_heap* h = nullptr;
    EXPECT_EQ(cw_heap_init(arena, sizeof arena, &options, &h), CW_OK);
    EXPECT_EQ(h->capacity, kRegion);
    return h;
}

TEST(SymbolicHeap, EveryHeapReachedByRandomOperationsIsAdmitted) {
    std::mt19937 random(20261201);
    unsigned states = 0;
    unsigned with_two_free = 0;
    for (unsigned run = 0; run < 200; ++run) {
        cw_heap* h = init_region_heap();
        ASSERT_TRUE(admitted(h));
        std::vector<void*> live;
        for (unsigned step = 0; step < 40; ++step) {
            const unsigned choice = random() % 3;
            const size_t n = 1 + random() % (kRegion - kHeader);
            if (choice == 0 || live.empty()) {
                if (void* p = cw_heap_allocate(h, n)) {
                    live.push_back(p);
                }
            } else {
                const size_t i = random() % live.size();
                if (choice == 1) {
                    ASSERT_EQ(cw_heap_free(h, live[i]), CW_OK);
                    live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
                } else {
                    cw_status status = CW_OK;
                    if (void* q = cw_heap_reallocate(h, live[i], n, &status)) {
                        live[i] = q;
                    }
                    ASSERT_EQ(status, CW_OK);
                }
            }
            ASSERT_TRUE(cw_heap_invariants_hold(h));
            ASSERT_TRUE(admitted(h)) << "run " << run << ", step " << step;
            ++states;
            with_two_free += h->free_blocks >= 2 ? 1u : 0u;
        }
    }
    // The runs reach the states that make K = 4 the scope: two free blocks at once.
    EXPECT_GT(with_two_free, 0u);
    EXPECT_EQ(states, 200u * 40u);
}

TEST(SymbolicHeap, BrokenHeapsAreNotAdmitted) {
    {
        cw_heap* h = init_region_heap();
        h->nonempty[0] ^= 1; // a bit for a list that is empty
        EXPECT_FALSE(admitted(h));
    }
    {
        cw_heap* h = init_region_heap();
        void* a = cw_heap_allocate(h, 1);
        ASSERT_NE(a, nullptr);
        Block* b = block_of_payload(a);
        b->prev_phys = b; // a wrong physical link
        EXPECT_FALSE(admitted(h));
    }
    {
        cw_heap* h = init_region_heap();
        void* a = cw_heap_allocate(h, 1);
        void* b = cw_heap_allocate(h, 1);
        ASSERT_NE(b, nullptr);
        ASSERT_EQ(cw_heap_free(h, a), CW_OK);
        // The free block's list link points at the bin of another class.
        Block* freed = block_of_payload(a);
        freed->links.next = &h->bins[kLiveClasses - 1];
        EXPECT_FALSE(admitted(h));
    }
}

} // namespace
