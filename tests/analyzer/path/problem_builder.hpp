// Small CFGs written by hand: blocks with costs, edges, and natural loops whose entry and back
// edges are read off the edges, as the CFG stage computes them.
#pragma once

#include <clockwork/analyzer/path/ipet.hpp>

#include <gtest/gtest.h>

#include <llvm/Support/Error.h>

#include <algorithm>
#include <string>
#include <vector>

namespace clockwork::analyzer::path::testing {

class ProblemBuilder {
  public:
    explicit ProblemBuilder(std::vector<uint64_t> costs) {
        problem_.graph.node_cost = std::move(costs);
    }

    uint32_t edge(uint32_t from, uint32_t to, uint64_t cost = 0) {
        problem_.graph.edges.push_back({from, to, cost});
        return static_cast<uint32_t>(problem_.graph.edges.size() - 1);
    }

    ProblemBuilder& exits(std::vector<uint32_t> blocks) {
        problem_.graph.exits = std::move(blocks);
        return *this;
    }

    // Entry edges: every edge into the header from outside the body; counted edges: every edge
    // from the body to the header.
    ProblemBuilder& natural_loop(uint32_t header, std::vector<uint32_t> body,
                                 uint64_t max_per_entry, std::string description = "") {
        LoopConstraint loop;
        loop.header = header;
        loop.body = body;
        loop.max_per_entry = max_per_entry;
        loop.description = std::move(description);
        const auto inside = [&](uint32_t block) {
            return std::find(body.begin(), body.end(), block) != body.end();
        };
        for (size_t i = 0; i < problem_.graph.edges.size(); ++i) {
            const Edge& edge = problem_.graph.edges[i];
            if (edge.to != header)
                continue;
            (inside(edge.from) ? loop.counted_edges : loop.entry_edges)
                .push_back(static_cast<uint32_t>(i));
        }
        problem_.loops.push_back(std::move(loop));
        return *this;
    }

    Problem& problem() { return problem_; }

  private:
    Problem problem_;
};

inline std::string error_text(llvm::Error error) {
    return error ? llvm::toString(std::move(error)) : std::string("success");
}

template <typename T>
std::string error_text(llvm::Expected<T> value) {
    return value ? std::string("success") : llvm::toString(value.takeError());
}

// 0 (1) -> header 1 (2) -> 2 (3) -> {3 (8) | 4 (5)} -> latch 5 (1) -> 1; 1 -> exit 6 (4).
// Edges: 0:0->1 1:1->2 2:2->3 3:2->4 4:3->5 5:4->5 6:5->1 7:1->6. Ten back edges per entry:
// the header runs 11 times, the body 10 times through the arm of 8.
// 1 + 11*2 + 10*(3 + 8 + 1) + 4 = 147.
inline clockwork::analyzer::path::Problem loop_with_diamond_body() {
    ProblemBuilder b({1, 2, 3, 8, 5, 1, 4});
    b.edge(0, 1);
    b.edge(1, 2);
    b.edge(2, 3);
    b.edge(2, 4);
    b.edge(3, 5);
    b.edge(4, 5);
    b.edge(5, 1);
    b.edge(1, 6);
    b.exits({6});
    b.natural_loop(1, {1, 2, 3, 4, 5}, 10, "loop at heap.cpp:312 (header 0x1a4)");
    return b.problem();
}

} // namespace clockwork::analyzer::path::testing
