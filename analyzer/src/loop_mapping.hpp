// Machine loops to source loops, through the DWARF line table: a machine loop takes the bound of
// the source loop that holds most of its own instructions (ties: the innermost).
#pragma once

#include <clockwork/analyzer/binary/program.hpp>
#include <clockwork/analyzer/cfg/loops.hpp>
#include <clockwork/analyzer/source/flow_facts.hpp>
#include <clockwork/reports/evidence.hpp>

#include <string>
#include <vector>

namespace clockwork::analyzer {

struct MappedLoop {
    const cfg::MachineLoop* loop = nullptr;
    const cfg::Block* header = nullptr;
    reports::LoopBound bound;
    // What the IPET constraint allows per entry of the loop: sum(counted edges) <= this *
    // sum(entry edges). The counted edges are the back edges, or, when count_body_entries, the
    // edges from the header into the body (see map_loops).
    uint64_t back_edges_per_entry = 0;
    bool count_body_entries = false;
    std::string provenance_text;        // "CW_LOOP_BOUND annotation at heap.cpp:316"
    reports::SourceLocation annotation; // of the bound; empty for a derived one
};

llvm::Expected<std::vector<MappedLoop>> map_loops(const binary::Program& program,
                                                  const source::FlowFacts& facts,
                                                  const cfg::FunctionGraph& function,
                                                  const cfg::LoopForest& forest);

} // namespace clockwork::analyzer
