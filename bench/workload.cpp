#include "workload.hpp"

#include <cerrno>
#include <cstdlib>

namespace clockwork::bench {

uint32_t draw_size(Rng& rng) {
    uint64_t roll = rng.below(100);
    for (const SizeBand& band : kSizeBands) {
        if (roll < band.percent) {
            return band.min + static_cast<uint32_t>(rng.below(band.max - band.min + 1u));
        }
        roll -= band.percent;
    }
    return kSizeBands[0].min; // unreachable while the shares add up to 100
}

std::string describe_sizes() {
    std::string text;
    for (const SizeBand& band : kSizeBands) {
        if (!text.empty()) {
            text += ", ";
        }
        text += std::to_string(band.percent) + "% " + std::to_string(band.min) + "-" +
                std::to_string(band.max) + " B";
    }
    return text;
}

Trace make_trace(uint64_t seed, size_t live, size_t ops) {
    Trace trace;
    trace.seed = seed;
    Rng rng(seed);
    trace.fill.resize(live);
    size_t live_bytes = 0;
    for (uint32_t& size : trace.fill) {
        size = draw_size(rng);
        live_bytes += size;
    }
    trace.peak_live_bytes = live_bytes;
    std::vector<uint32_t> current = trace.fill;
    trace.ops.resize(ops);
    for (Op& op : trace.ops) {
        op.slot = static_cast<uint32_t>(rng.below(live));
        op.size = draw_size(rng);
        live_bytes = live_bytes - current[op.slot] + op.size;
        current[op.slot] = op.size;
        if (live_bytes > trace.peak_live_bytes) {
            trace.peak_live_bytes = live_bytes;
        }
    }
    return trace;
}

bool parse_u64(const char* text, uint64_t* out) {
    if (text == nullptr || *text == '\0' || *text == '-') {
        return false;
    }
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *out = value;
    return true;
}

} // namespace clockwork::bench
