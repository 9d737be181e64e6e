#include <clockwork/workloads/worst_case_search.hpp>

#include <algorithm>
#include <random>

namespace clockwork::workloads {

namespace {

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

class Mutator {
  public:
    explicit Mutator(const SearchOptions& options) : options_(options), random_(options.seed) {}

    uint64_t below(uint64_t n) { return n == 0 ? 0 : random_() % n; }

    std::vector<uint8_t> fresh(size_t records) {
        std::vector<uint8_t> input(records * options_.record_bytes);
        for (uint8_t& byte : input) {
            byte = static_cast<uint8_t>(random_());
        }
        return input;
    }

    std::vector<uint8_t> fresh() {
        return fresh(
            std::clamp(options_.initial_records, options_.min_records, options_.max_records));
    }

    std::vector<uint8_t> fresh_any_length() {
        return fresh(options_.min_records + below(options_.max_records - options_.min_records + 1));
    }

    // Whole records, within [min_records, max_records], padded with zeros.
    std::vector<uint8_t> fitted(std::vector<uint8_t> input) const {
        const size_t r = options_.record_bytes;
        const size_t records =
            std::clamp((input.size() + r - 1) / r, options_.min_records, options_.max_records);
        input.resize(records * r, 0);
        return input;
    }

    // AFL's havoc stage: a few stacked mutations, each of which either changes bytes in place
    // (a bit, a byte, a small step, a boundary value) or moves whole records.
    std::vector<uint8_t> mutate(const std::vector<uint8_t>& parent,
                                const std::vector<std::vector<uint8_t>>& corpus) {
        std::vector<uint8_t> child = parent;
        const unsigned stacked = 1 + static_cast<unsigned>(below(4));
        for (unsigned k = 0; k < stacked; ++k) {
            mutate_once(child, corpus);
        }
        return child;
    }

  private:
    size_t records(const std::vector<uint8_t>& input) const {
        return input.size() / options_.record_bytes;
    }

    void mutate_once(std::vector<uint8_t>& input, const std::vector<std::vector<uint8_t>>& corpus) {
        static constexpr uint8_t kBoundaries[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
        const size_t r = options_.record_bytes;
        const size_t n = records(input);
        const bool can_grow = n < options_.max_records;
        const bool can_shrink = n > options_.min_records;
        switch (below(10)) {
        case 0:
            input[below(input.size())] ^= static_cast<uint8_t>(1u << below(8));
            return;
        case 1:
            input[below(input.size())] = static_cast<uint8_t>(random_());
            return;
        case 2: {
            uint8_t& byte = input[below(input.size())];
            const auto step = static_cast<uint8_t>(1 + below(16));
            byte = below(2) == 0 ? static_cast<uint8_t>(byte + step)
                                 : static_cast<uint8_t>(byte - step);
            return;
        }
        case 3:
            input[below(input.size())] = kBoundaries[below(std::size(kBoundaries))];
            return;
        case 4: {
            const size_t at = below(n) * r;
            for (size_t k = 0; k < r; ++k) {
                input[at + k] = static_cast<uint8_t>(random_());
            }
            return;
        }
        case 5:
            if (can_grow) {
                const std::vector<uint8_t> record = fresh(1);
                input.insert(input.begin() + static_cast<long>(below(n + 1) * r), record.begin(),
                             record.end());
            }
            return;
        case 6:
            if (can_shrink) {
                const auto at = input.begin() + static_cast<long>(below(n) * r);
                input.erase(at, at + static_cast<long>(r));
            }
            return;
        case 7:
            if (can_grow) {
                const size_t from = below(n) * r;
                const std::vector<uint8_t> record(input.begin() + static_cast<long>(from),
                                                  input.begin() + static_cast<long>(from + r));
                input.insert(input.begin() + static_cast<long>(below(n + 1) * r), record.begin(),
                             record.end());
            }
            return;
        case 8: {
            // Splice: this input's head with another kept input's tail.
            const std::vector<uint8_t>& other = corpus[below(corpus.size())];
            const size_t head = below(n + 1) * r;
            const size_t tail = below(records(other) + 1) * r;
            std::vector<uint8_t> spliced(input.begin(), input.begin() + static_cast<long>(head));
            spliced.insert(spliced.end(), other.begin() + static_cast<long>(tail), other.end());
            input = fitted(std::move(spliced));
            return;
        }
        default: {
            const size_t a = below(n) * r;
            const size_t b = below(n) * r;
            std::swap_ranges(input.begin() + static_cast<long>(a),
                             input.begin() + static_cast<long>(a + r),
                             input.begin() + static_cast<long>(b));
            return;
        }
        }
    }

    const SearchOptions& options_;
    std::mt19937_64 random_;
};

} // namespace

llvm::Expected<SearchResult> search_worst_case(const SearchOptions& options, Evaluate evaluate) {
    if (options.record_bytes == 0 || options.min_records == 0 ||
        options.min_records > options.max_records) {
        return error("the search needs records of at least one byte and 1 <= min_records <= "
                     "max_records");
    }
    if (options.executions == 0) {
        return error("the search needs a budget of at least one execution");
    }
    Mutator mutator(options);
    SearchResult result;
    std::vector<std::vector<uint8_t>> corpus;
    std::vector<uint64_t> feature_maxima;
    size_t best = 0;
    // The byte sweep in progress: input[position] takes input[position] + step, step 1 .. 255.
    struct Sweep {
        std::vector<uint8_t> input;
        size_t position = 0;
        unsigned step = 1;
    };
    std::optional<Sweep> sweep;

    // Runs one input; keeps it when it raises the cost or a feature. True: stop.
    auto run = [&](std::vector<uint8_t> input) -> llvm::Expected<bool> {
        auto evaluation = evaluate(input);
        if (!evaluation) {
            return evaluation.takeError();
        }
        ++result.executions;
        bool keep = corpus.empty();
        if (feature_maxima.size() < evaluation->features.size()) {
            feature_maxima.resize(evaluation->features.size(), 0);
            keep = true;
        }
        for (size_t k = 0; k < evaluation->features.size(); ++k) {
            if (evaluation->features[k] > feature_maxima[k]) {
                feature_maxima[k] = evaluation->features[k];
                keep = true;
            }
        }
        const bool better = evaluation->cost > result.best_cost || result.executions == 1;
        if (better) {
            result.best_cost = evaluation->cost;
            result.best_input = input;
            result.executions_to_best = result.executions;
            // AFL's deterministic stage, widened to every value of every byte, on each new best
            // that is short enough for it to take at most a quarter of the budget left: one
            // comparison the cost shows progress on is then found in at most 255 executions per
            // byte, where havoc needs about 256 tries for each time it picks that byte.
            const uint64_t left = options.executions - result.executions;
            if (options.strategy == SearchStrategy::guided && input.size() * 255 <= left / 4) {
                sweep = Sweep{input, 0, 1};
            }
        }
        if ((keep || better) && options.strategy == SearchStrategy::guided) {
            corpus.push_back(std::move(input));
            if (better) {
                best = corpus.size() - 1;
            }
        }
        if (options.progress && options.progress_interval != 0 &&
            result.executions % options.progress_interval == 0) {
            options.progress({result.executions, result.best_cost, corpus.size()});
        }
        result.goal_reached = options.goal && result.best_cost >= *options.goal;
        return result.goal_reached || result.executions >= options.executions;
    };

    std::vector<std::vector<uint8_t>> initial;
    for (const std::vector<uint8_t>& input : options.initial_inputs) {
        initial.push_back(mutator.fitted(input));
    }
    if (initial.empty()) {
        initial.push_back(mutator.fresh());
    }
    for (std::vector<uint8_t>& input : initial) {
        auto stop = run(std::move(input));
        if (!stop) {
            return stop.takeError();
        }
        if (*stop) {
            result.corpus_size = corpus.size();
            return result;
        }
    }
    for (;;) {
        std::vector<uint8_t> input;
        if (options.strategy == SearchStrategy::random) {
            input = mutator.fresh_any_length();
        } else if (sweep) {
            input = sweep->input;
            input[sweep->position] = static_cast<uint8_t>(input[sweep->position] + sweep->step);
            if (++sweep->step == 256) {
                sweep->step = 1;
                if (++sweep->position == sweep->input.size()) {
                    sweep.reset();
                }
            }
        } else {
            // Half the time the best input so far, else any kept one: depth on the most
            // promising input, breadth on the ones that reached other maxima.
            const std::vector<uint8_t>& parent =
                mutator.below(2) == 0 ? corpus[best] : corpus[mutator.below(corpus.size())];
            input = mutator.mutate(parent, corpus);
        }
        auto stop = run(std::move(input));
        if (!stop) {
            return stop.takeError();
        }
        if (*stop) {
            break;
        }
    }
    result.corpus_size = corpus.size();
    return result;
}

} // namespace clockwork::workloads
