// A heap on a runner, driven by the operations a Witness records: the one place that turns
// "allocate 24", "free #3", "reallocate #0 200", "allocate_aligned 40 64" into calls of the
// shipped ELF. The adversarial and search workloads run their sequences through it, and
// replay_witness runs a stored witness again.
//
// Operation language (one operation per string):
//   init <arena bytes> [validate]   first operation only: a fresh heap on this arena
//   allocate <n>                    cw_heap_allocate; the block is #k, k counting allocating
//   allocate_aligned <n> <a>        operations (allocate, allocate_aligned) from 0, failed ones
//                                   included (as the random workload counts them)
//   free #<k>                       cw_heap_free of live block k
//   reallocate #<k> <n>             cw_heap_reallocate of live block k; it stays #k (n == 0
//                                   frees it; a failed call leaves it where it was)
// A witness without an init operation runs on the default heap (HeapSetup{}), as the random
// workload's witnesses were recorded.
#pragma once

#include <clockwork/reports/evidence.hpp>
#include <clockwork/runner/machine.hpp>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clockwork::workloads {

struct HeapSetup {
    uint64_t arena_bytes = 65536; // clipped to the runner's scratch memory
    bool validate = false;
};

struct HeapOperation {
    enum class Kind { allocate, allocate_aligned, free, reallocate };
    Kind kind = Kind::allocate;
    uint64_t block = 0;     // #k of free and reallocate
    uint64_t size = 0;      // n of allocate, allocate_aligned, reallocate
    uint64_t alignment = 0; // of allocate_aligned
};

// "allocate 24" etc.; errors name the operation and what is wrong with it.
llvm::Expected<HeapOperation> parse_operation(llvm::StringRef text);
std::string to_string(const HeapOperation& operation);
// "init 8192", "init 8192 validate".
std::string init_operation(const HeapSetup& setup);
// The C function an operation calls.
llvm::StringRef function_of(HeapOperation::Kind kind);

class HeapSession {
  public:
    // A fresh heap (cw_heap_init) in the machine's scratch memory. Errors: the heap refused the
    // arena, or the call failed on the core.
    static llvm::Expected<HeapSession> start(runner::Machine& machine, const HeapSetup& setup);

    // Runs one operation and returns its call. Errors: a block that is not live, a call that
    // failed on the core (fault, budget).
    llvm::Expected<runner::CallResult> apply(const HeapOperation& operation);

    // Live blocks in the order they became live (a block freed leaves its place to the last).
    const std::vector<uint64_t>& live_blocks() const { return live_order_; }
    // The id the next allocating operation gets.
    uint64_t next_block() const { return next_block_; }
    uint64_t arena_bytes() const { return arena_bytes_; }

  private:
    HeapSession(runner::Machine& machine, uint64_t heap, uint64_t arena_bytes)
        : machine_(&machine), heap_(heap), arena_bytes_(arena_bytes) {}
    void forget(uint64_t block);

    runner::Machine* machine_;
    uint64_t heap_;
    uint64_t arena_bytes_;
    uint64_t next_block_ = 0;
    std::map<uint64_t, uint64_t> address_; // live block -> payload address
    std::vector<uint64_t> live_order_;
};

// What replaying a witness measured: the last operation's call, the one the witness reached.
struct Replay {
    std::string function;
    runner::CallCost cost;
};

// Runs witness.operations on a fresh heap (its init operation, else HeapSetup{}) and returns
// the cost of the last one. Errors: no operations, an operation that does not parse or names a
// block that is not live (both with its index), a call that failed on the core.
llvm::Expected<Replay> replay_witness(runner::Machine& machine, const reports::Witness& witness);

} // namespace clockwork::workloads
