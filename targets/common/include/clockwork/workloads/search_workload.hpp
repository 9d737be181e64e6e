// The `search` workload (DESIGN.md, targets/common): the worst-case search
// (worst_case_search.hpp) over heap operation sequences, maximising the measured cost of one
// heap function. Each execution runs one sequence on a fresh heap; its cost is the highest
// cost of that function in the sequence. The best sequence, cut after the call that reached
// it, is the Witness.
//
// A search input is a list of 3-byte records, one operation each: byte 0 chooses the kind,
// bytes 1-2 (little-endian, v) its operand.
//   byte0 % 8 in 0-1: allocate 1 + v % 64          (small requests, where classes are dense)
//                2-3: allocate 1 + v % (arena / 2)
//                4-6: free the (v % live)-th live block
//                  7: reallocate the ((byte0 / 8) % live)-th live block to 1 + v % (arena / 2)
// where the live blocks are those allocated and not yet freed, in the session's order (a freed
// block's place goes to the last). A free or reallocate with no live block, or of a block whose
// allocation failed, does nothing and is left out of the witness.
#pragma once

#include <clockwork/runner/machine.hpp>
#include <clockwork/workloads/heap_session.hpp>
#include <clockwork/workloads/random_workload.hpp>
#include <clockwork/workloads/worst_case_search.hpp>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace clockwork::workloads {

struct SearchWorkload {
    // The arena the other workloads use: on 64-bit targets a smaller one would put the whole
    // arena's class in the lowest bitmap word, with the small requests, and hide the
    // allocation path that searches the summary word.
    HeapSetup heap;
    std::string function = "cw_heap_allocate";              // or cw_heap_free, cw_heap_reallocate
    reports::Metric metric = reports::Metric::instructions; // cycles: avr only
    // Seed, budget of executions, optional goal (the analyzer's bound), progress. Its record
    // layout is the workload's (3 bytes, 1 .. max_records operations).
    SearchOptions search;
};

struct HeapSearchResult {
    // One measurement of `function` over every execution, and the best sequence's witness.
    WorkloadResult workload;
    SearchResult search;
};

// The operations a search input decodes to on a heap of arena_bytes, as a witness writes them
// (without init).
std::vector<HeapOperation> decode_search_input(llvm::ArrayRef<uint8_t> input, uint64_t arena_bytes);

// Errors: an unknown function, cycles on a target without them, the heap refused the arena, a
// call failed on the core.
llvm::Expected<HeapSearchResult> run_search(runner::Machine& machine,
                                            const SearchWorkload& workload);

} // namespace clockwork::workloads
