#include "kill_history.hpp"

#include <algorithm>

namespace clockwork::verifier {
namespace {

std::string function_key(const Mutant& mutant) {
    return mutant.function + '\n' + mutant.source_function;
}

// The inlined-at chain tells the copies of one helper apart; the mutated line does not, since
// neighbouring lines of one copy run under the same inputs.
std::string copy_key(const Mutant& mutant) {
    std::string key = function_key(mutant);
    for (const SourceLine& call : mutant.inlined_at) {
        key += '\n' + call.file + ':' + std::to_string(call.line);
    }
    return key;
}

unsigned kills_of(const std::map<std::string, std::map<size_t, unsigned>>& table,
                  const std::string& key, size_t harness) {
    const auto row = table.find(key);
    if (row == table.end()) {
        return 0;
    }
    const auto count = row->second.find(harness);
    return count == row->second.end() ? 0 : count->second;
}

} // namespace

void KillHistory::record_kill(const Mutant& mutant, size_t harness) {
    std::lock_guard<std::mutex> guard(lock_);
    ++by_copy_[copy_key(mutant)][harness];
    ++by_function_[function_key(mutant)][harness];
}

std::vector<size_t> KillHistory::order_for(const Mutant& mutant,
                                           const std::vector<size_t>& cheapest_first) const {
    const std::string copy = copy_key(mutant);
    const std::string function = function_key(mutant);
    struct Rank {
        unsigned copy_kills;
        unsigned function_kills;
        size_t place; // in cheapest_first
        size_t harness;
    };
    std::vector<Rank> ranked;
    {
        std::lock_guard<std::mutex> guard(lock_);
        for (size_t place = 0; place < cheapest_first.size(); ++place) {
            const size_t harness = cheapest_first[place];
            ranked.push_back({kills_of(by_copy_, copy, harness),
                              kills_of(by_function_, function, harness), place, harness});
        }
    }
    std::sort(ranked.begin(), ranked.end(), [](const Rank& a, const Rank& b) {
        if (a.copy_kills != b.copy_kills) {
            return a.copy_kills > b.copy_kills;
        }
        if (a.function_kills != b.function_kills) {
            return a.function_kills > b.function_kills;
        }
        return a.place < b.place;
    });
    std::vector<size_t> order;
    for (const Rank& rank : ranked) {
        order.push_back(rank.harness);
    }
    return order;
}

} // namespace clockwork::verifier
