#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/owned_context.hpp>
#include <clockwork/verifier/verify.hpp>

#include <llvm/Support/MemoryBuffer.h>

#include <z3++.h>

#include <algorithm>
#include <chrono>

namespace clockwork::verifier {

std::string z3_version() {
    unsigned major = 0, minor = 0, build = 0, revision = 0;
    Z3_get_version(&major, &minor, &build, &revision);
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

llvm::Expected<HarnessReport> verify_harness(const std::string& harness,
                                             const VerifyOptions& options) {
    if (auto error = require_memory_model(options.target)) {
        return std::move(error);
    }
    HarnessReport report;
    report.harness = harness;
    auto bytes = llvm::MemoryBuffer::getFile(harness);
    if (!bytes) {
        return llvm::createStringError(bytes.getError(),
                                       harness + ": error: cannot read the harness");
    }
    report.harness_sha256 = sha256_hex((*bytes)->getBuffer());

    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> sources{harness};
    sources.insert(sources.end(), options.allocator_sources.begin(),
                   options.allocator_sources.end());
    auto program = compile_and_link(options.clang, options.target, sources, options.include_dirs);
    if (!program) {
        return program.takeError();
    }
    report.ir_sha256 = program->ir_sha256;
    report.flags = program->flags;
    auto bounds = read_loop_bounds(sources, options.include_dirs, options.target);
    if (!bounds) {
        return bounds.takeError();
    }

    OwnedContext context(options.leave_contexts_to_exit); // outlives every term below
    z3::context& z3 = context.get();
    auto encoding = encode(z3, *program->module, options.entry, *bounds);
    if (!encoding) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       harness + ": " + llvm::toString(encoding.takeError()));
    }
    report.encode_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.scope_blocks = encoding->scope_blocks;
    try {
        report.properties = check_properties(z3, *encoding, options.check);
    } catch (const z3::exception& e) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       harness + ": error: Z3: " + std::string(e.msg()));
    }
    // Every harness has no-undefined-arithmetic-or-control; one that asserts nothing of its own
    // checks nothing the author meant.
    const bool asserts = std::any_of(
        report.properties.begin(), report.properties.end(), [](const PropertyResult& result) {
            return result.property != kNoUndefinedBehaviour &&
                   result.property != kNoUnsupportedInstruction &&
                   !llvm::StringRef(result.property).starts_with("loop-bound ");
        });
    if (!asserts) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       harness + ": error: the harness asserts nothing; note: "
                                                 "call cw_assert(condition, \"name\")");
    }
    return report;
}

} // namespace clockwork::verifier
