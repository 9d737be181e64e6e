// clockwork::global_new of an installed Clockwork: linking it is all it takes for global
// operator new to allocate from a Clockwork heap. Exits 0 when it does.
#include <clockwork/global_heap.hpp>

#include <memory>

namespace {

// Where the allocation escapes to: a new/delete pair whose memory nobody sees may be elided by
// the optimizer, and would then never reach the heap.
long* volatile escaped = nullptr;

} // namespace

int main() {
    const size_t before = clockwork::global_heap().diagnostics().allocated;
    auto values = std::make_unique<long[]>(64);
    escaped = values.get();
    const size_t during = clockwork::global_heap().diagnostics().allocated;
    values.reset();
    const size_t after = clockwork::global_heap().diagnostics().allocated;
    return during >= before + 64 * sizeof(long) && after == before ? 0 : 1;
}
