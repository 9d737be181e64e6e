#include "size_command.hpp"

#include "exit_codes.hpp"

#include <clockwork/heap_geometry.hpp>

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace clockwork::cli {
namespace {

struct SizeOptions {
    unsigned long long max_live = 0;
    unsigned long long max_request = 0;
    unsigned long long min_request = 1;
    unsigned spacing = 8;
    std::string target = "x86-64";
    bool validate = false;
    bool json = false;
};

// Pointer width and the default CW_HEAP_MAX_ARENA_LOG2 of each target (cw_alloc.h).
struct TargetShape {
    unsigned pointer_size;
    unsigned max_arena_log2;
};

const std::map<std::string, TargetShape>& target_shapes() {
    static const std::map<std::string, TargetShape> shapes = {
        {"cortex-m4", {4, 24}}, {"rv32imc", {4, 24}}, {"avr", {2, 15}}, {"x86-64", {8, 40}}};
    return shapes;
}

int run_size(const SizeOptions& o) {
    const auto shape = target_shapes().find(o.target);
    if (shape == target_shapes().end()) {
        return usage_error("size", "unknown target '" + o.target + "'",
                           "use one of cortex-m4, rv32imc, avr, x86-64");
    }
    if (o.spacing == 0 || (o.spacing & (o.spacing - 1)) != 0 || o.spacing > 32) {
        return usage_error("size",
                           "--spacing " + std::to_string(o.spacing) +
                               " is not a power of two from 1 to 32",
                           "give the size classes per power of two: 1 (half-fit) .. 8 (default)");
    }
    if (o.min_request == 0 || o.min_request > o.max_request) {
        return usage_error("size", "--min-request must be between 1 and --max-request", "");
    }
    if (o.max_live < o.max_request) {
        return usage_error("size", "--max-live is smaller than --max-request",
                           "max-live bounds the sum of all live requests, so it is at least the "
                           "largest one");
    }
    const HeapGeometry geometry{shape->second.pointer_size, floor_log2(o.spacing),
                                shape->second.max_arena_log2};
    const unsigned long long arena =
        geometry.worst_case_arena_size(o.max_live, o.max_request, o.min_request, o.validate);
    if (arena == ~0ull) {
        return usage_error("size",
                           "no arena of at most 2^" + std::to_string(geometry.max_arena_log2) +
                               " bytes is fragmentation-proof for these limits on " + o.target,
                           "raise --min-request, lower --max-live or --max-request, or build the "
                           "heap with a larger CW_HEAP_MAX_ARENA_LOG2");
    }
    const unsigned long long live_blocks = o.max_live / o.min_request;
    const unsigned long long largest_block = geometry.block_size(o.max_request);
    if (o.json) {
        const nlohmann::json out = {
            {"target", o.target},
            {"spacing", o.spacing},
            {"max_live", o.max_live},
            {"max_request", o.max_request},
            {"min_request", o.min_request},
            {"validate", o.validate},
            {"live_blocks_at_most", live_blocks},
            {"block_for_max_request", largest_block},
            {"control_bytes", geometry.control_size()},
            {"arena_bytes", arena},
            {"bound", "best-fit family: used + (live_blocks + 1) * (block_for_max_request - "
                      "alignment); docs/arena-sizing.md"}};
        std::cout << out.dump(2) << '\n';
        return kExitPass;
    }
    std::cout << "worst-case arena for " << o.target << ", " << o.spacing
              << " size classes per power of two" << (o.validate ? ", validation on" : "") << "\n"
              << "  live requests add up to at most " << o.max_live << " bytes, each "
              << o.min_request << ".." << o.max_request << " bytes\n"
              << "  at most " << live_blocks << " live blocks; the largest request takes a "
              << largest_block << "-byte block\n"
              << "  heap control structure " << geometry.control_size() << " bytes\n"
              << "arena bytes: " << arena << "\n"
              << "No sequence within these limits fails for lack of a large enough free block in "
                 "an arena of this size (proof: docs/arena-sizing.md).\n";
    return kExitPass;
}

const CLI::Validator& positive_bytes() {
    static const CLI::Validator validator(
        [](std::string& text) -> std::string {
            if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
                text.find_first_not_of('0') == std::string::npos) {
                return "'" + text + "' is not a positive whole number of bytes";
            }
            return {};
        },
        "BYTES");
    return validator;
}

} // namespace

std::function<int()> add_size_command(CLI::App& app) {
    auto options = std::make_shared<SizeOptions>();
    CLI::App* size = app.add_subcommand(
        "size", "Arena size that no allocation sequence can exhaust by fragmentation");
    size->add_option("--max-live", options->max_live, "Largest sum of live request sizes, in bytes")
        ->required()
        ->check(positive_bytes());
    size->add_option("--max-request", options->max_request, "Largest single request, in bytes")
        ->required()
        ->check(positive_bytes());
    size->add_option("--min-request", options->min_request,
                     "Smallest single request, in bytes (default 1)")
        ->check(positive_bytes());
    size->add_option("--spacing", options->spacing,
                     "Size classes per power of two: 1 (half-fit) to 32; 8 is the default build")
        ->capture_default_str();
    size->add_option("--target", options->target, "cortex-m4 | rv32imc | avr | x86-64")
        ->capture_default_str();
    size->add_flag("--validate", options->validate,
                   "Heap built with pointer validation (adds the block-start map)");
    size->add_flag("--json", options->json, "Print JSON instead of text");
    return [size, options]() { return size->parsed() ? run_size(*options) : -1; };
}

} // namespace clockwork::cli
