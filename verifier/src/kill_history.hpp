// Which harness killed the mutants decided so far, by where each mutant sits. Mutants of one
// inlined copy of a helper mostly die in the same harness, and that harness is rarely the
// cheapest one: trying it first saves encoding the mutant in harnesses that let it live.
#pragma once

#include <clockwork/verifier/mutants.hpp>

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace clockwork::verifier {

class KillHistory {
  public:
    void record_kill(const Mutant& mutant, size_t harness);

    // `cheapest_first` reordered: harnesses that killed mutants of the same inlined copy come
    // first, then those that killed mutants of the same source function in the same IR
    // function, each by how many; ties keep their order in `cheapest_first`. The verdict does
    // not depend on the order, only which harness is tried first (and so named as the killer).
    std::vector<size_t> order_for(const Mutant& mutant,
                                  const std::vector<size_t>& cheapest_first) const;

  private:
    using Kills = std::map<size_t, unsigned>; // harness -> mutants it killed
    mutable std::mutex lock_;                 // workers on several threads share one history
    std::map<std::string, Kills> by_copy_;
    std::map<std::string, Kills> by_function_;
};

} // namespace clockwork::verifier
