// The C++ interface and the pmr adapter of an installed Clockwork: a std::pmr::vector whose
// storage comes from a heap. Exits 0 when the heap served it.
#include <clockwork/heap.hpp>
#include <clockwork/heap_resource.hpp>

#include <memory_resource>
#include <vector>

namespace {

constexpr size_t kArenaSize = clockwork::worst_case_arena_size(4096, 1024, 16);
alignas(CW_HEAP_ALIGNMENT) unsigned char arena[kArenaSize];

} // namespace

int main() {
    clockwork::Heap heap;
    if (heap.init(arena, sizeof arena) != clockwork::Status::ok) {
        return 1;
    }
    clockwork::pmr::HeapResource resource(heap);
    {
        std::pmr::vector<int> numbers(&resource);
        for (int i = 0; i < 100; ++i) {
            numbers.push_back(i);
        }
        if (heap.diagnostics().allocated < 100 * sizeof(int) || numbers[99] != 99) {
            return 2;
        }
    }
    return heap.diagnostics().allocated == 0 && heap.invariants_hold() ? 0 : 3;
}
