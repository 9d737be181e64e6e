#include <clockwork/verifier/compile.hpp>
#include <clockwork/verifier/loop_proofs.hpp>
#include <clockwork/verifier/query.hpp>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Analysis/AssumptionCache.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

namespace clockwork::verifier {
namespace {

// Wide enough that a count of up to 64 bits plus one, and any CW_LOOP_BOUND, never wrap.
constexpr unsigned kComparisonBits = 128;

using Clock = std::chrono::steady_clock;

std::string text_of(const llvm::SCEV* scev) {
    std::string text;
    llvm::raw_string_ostream stream(text);
    scev->print(stream);
    return text;
}

std::string kind_name(llvm::SCEVTypes kind) {
    switch (kind) {
    case llvm::scVScale:
        return "vscale";
    case llvm::scCouldNotCompute:
        return "could-not-compute";
    default:
        return "kind " + std::to_string(static_cast<int>(kind));
    }
}

std::string describe_value(const llvm::Value& value) {
    if (const auto* argument = llvm::dyn_cast<llvm::Argument>(&value)) {
        return "argument #" + std::to_string(argument->getArgNo()) + " of " +
               argument->getParent()->getName().str();
    }
    std::string text;
    llvm::raw_string_ostream stream(text);
    value.printAsOperand(stream, /*PrintType=*/false);
    if (const auto* instruction = llvm::dyn_cast<llvm::Instruction>(&value)) {
        stream << " (" << instruction->getOpcodeName();
        if (const llvm::DILocation* at = instruction->getDebugLoc().get()) {
            stream << " at " << llvm::sys::path::filename(at->getFilename()) << ':'
                   << at->getLine();
        }
        stream << ')';
    }
    return text;
}

// SCEV expressions as Z3 bit-vectors of their own width, with SCEV's wrapping arithmetic.
// Every SCEVUnknown (argument, loaded value, call result) and every recurrence of an
// enclosing loop is a free constant: the proof holds for each of its values.
class ScevTerms {
  public:
    struct Free {
        z3::expr term;
        std::string name;
        const llvm::Value* value; // null for a recurrence of an enclosing loop
    };

    ScevTerms(z3::context& z3, llvm::ScalarEvolution& se) : z3_(z3), se_(se) {}

    // Empty with `unsupported` set when an expression has a kind this translation lacks.
    std::optional<z3::expr> term(const llvm::SCEV* scev) {
        if (auto found = terms_.find(scev); found != terms_.end()) {
            return found->second;
        }
        std::optional<z3::expr> made = make(scev);
        if (made) {
            terms_.emplace(scev, *made);
        }
        return made;
    }

    const std::vector<Free>& free() const { return free_; }
    const std::string& unsupported() const { return unsupported_; }

  private:
    unsigned width(const llvm::SCEV* scev) const {
        return static_cast<unsigned>(se_.getTypeSizeInBits(scev->getType()));
    }

    z3::expr fit(const z3::expr& e, unsigned bits) {
        const unsigned have = e.get_sort().bv_size();
        return have == bits ? e : have < bits ? z3::zext(e, bits - have) : e.extract(bits - 1, 0);
    }

    z3::expr fresh(const llvm::SCEV* scev, std::string name, const llvm::Value* value) {
        z3::expr e = z3_.bv_const(("scev" + std::to_string(free_.size())).c_str(), width(scev));
        free_.push_back({e, std::move(name), value});
        return e;
    }

    std::optional<z3::expr> fold(const llvm::SCEVNAryExpr& nary,
                                 z3::expr (*combine)(const z3::expr&, const z3::expr&)) {
        std::optional<z3::expr> result;
        for (const llvm::SCEV* operand : nary.operands()) {
            std::optional<z3::expr> e = term(operand);
            if (!e) {
                return std::nullopt;
            }
            *e = fit(*e, width(&nary));
            result = result ? combine(*result, *e) : *e;
        }
        return result;
    }

    std::optional<z3::expr> make(const llvm::SCEV* scev) {
        const unsigned bits = width(scev);
        switch (scev->getSCEVType()) {
        case llvm::scConstant: {
            const llvm::APInt& value = llvm::cast<llvm::SCEVConstant>(scev)->getAPInt();
            return z3_.bv_val(llvm::toString(value, 10, /*Signed=*/false).c_str(), bits);
        }
        case llvm::scTruncate:
        case llvm::scZeroExtend:
        case llvm::scSignExtend:
        case llvm::scPtrToInt: {
            const llvm::SCEV* operand = llvm::cast<llvm::SCEVCastExpr>(scev)->getOperand(0);
            std::optional<z3::expr> e = term(operand);
            if (!e) {
                return std::nullopt;
            }
            const unsigned from = e->get_sort().bv_size();
            if (scev->getSCEVType() == llvm::scSignExtend && from < bits) {
                return z3::sext(*e, bits - from);
            }
            return fit(*e, bits);
        }
        case llvm::scAddExpr:
            return fold(*llvm::cast<llvm::SCEVNAryExpr>(scev),
                        [](const z3::expr& a, const z3::expr& b) { return a + b; });
        case llvm::scMulExpr:
            return fold(*llvm::cast<llvm::SCEVNAryExpr>(scev),
                        [](const z3::expr& a, const z3::expr& b) { return a * b; });
        case llvm::scUMaxExpr:
            return fold(
                *llvm::cast<llvm::SCEVNAryExpr>(scev),
                [](const z3::expr& a, const z3::expr& b) { return z3::ite(z3::uge(a, b), a, b); });
        case llvm::scSMaxExpr:
            return fold(*llvm::cast<llvm::SCEVNAryExpr>(scev),
                        [](const z3::expr& a, const z3::expr& b) { return z3::ite(a >= b, a, b); });
        // umin_seq differs from umin only in which operand's poison reaches the result; as a
        // value it is the minimum.
        case llvm::scUMinExpr:
        case llvm::scSequentialUMinExpr:
            return fold(
                *llvm::cast<llvm::SCEVNAryExpr>(scev),
                [](const z3::expr& a, const z3::expr& b) { return z3::ite(z3::ule(a, b), a, b); });
        case llvm::scSMinExpr:
            return fold(*llvm::cast<llvm::SCEVNAryExpr>(scev),
                        [](const z3::expr& a, const z3::expr& b) { return z3::ite(a <= b, a, b); });
        case llvm::scUDivExpr: {
            const auto* division = llvm::cast<llvm::SCEVUDivExpr>(scev);
            std::optional<z3::expr> lhs = term(division->getLHS());
            std::optional<z3::expr> rhs = term(division->getRHS());
            if (!lhs || !rhs) {
                return std::nullopt;
            }
            return z3::udiv(fit(*lhs, bits), fit(*rhs, bits));
        }
        case llvm::scAddRecExpr:
            // Loop-invariant in the loop whose count this is, so it recurs over an enclosing
            // loop: at any one entry it has one value, any value.
            return fresh(scev, "the value of " + text_of(scev) + " at the loop's entry", nullptr);
        case llvm::scUnknown: {
            const llvm::Value* value = llvm::cast<llvm::SCEVUnknown>(scev)->getValue();
            return fresh(scev, describe_value(*value), value);
        }
        case llvm::scVScale:
        case llvm::scCouldNotCompute:
            break;
        }
        if (unsupported_.empty()) {
            unsupported_ = "ScalarEvolution expression of " + kind_name(scev->getSCEVType()) +
                           " (" + text_of(scev) + ") has no translation to Z3";
        }
        return std::nullopt;
    }

    z3::context& z3_;
    llvm::ScalarEvolution& se_;
    std::map<const llvm::SCEV*, z3::expr> terms_;
    std::vector<Free> free_;
    std::string unsupported_;
};

// A branch condition as a Z3 Boolean over SCEV terms; empty when any part of it is not an
// integer comparison, a constant or a Boolean connective of those.
std::optional<z3::expr> condition_term(const llvm::Value* value, ScevTerms& terms,
                                       llvm::ScalarEvolution& se, z3::context& z3) {
    if (const auto* constant = llvm::dyn_cast<llvm::ConstantInt>(value)) {
        return z3.bool_val(constant->isOne());
    }
    if (const auto* compare = llvm::dyn_cast<llvm::ICmpInst>(value)) {
        if (!se.isSCEVable(compare->getOperand(0)->getType())) {
            return std::nullopt;
        }
        std::optional<z3::expr> a = terms.term(se.getSCEV(compare->getOperand(0)));
        std::optional<z3::expr> b = terms.term(se.getSCEV(compare->getOperand(1)));
        if (!a || !b || a->get_sort().bv_size() != b->get_sort().bv_size()) {
            return std::nullopt;
        }
        switch (compare->getPredicate()) {
        case llvm::CmpInst::ICMP_EQ:
            return *a == *b;
        case llvm::CmpInst::ICMP_NE:
            return *a != *b;
        case llvm::CmpInst::ICMP_ULT:
            return z3::ult(*a, *b);
        case llvm::CmpInst::ICMP_ULE:
            return z3::ule(*a, *b);
        case llvm::CmpInst::ICMP_UGT:
            return z3::ugt(*a, *b);
        case llvm::CmpInst::ICMP_UGE:
            return z3::uge(*a, *b);
        case llvm::CmpInst::ICMP_SLT:
            return *a < *b;
        case llvm::CmpInst::ICMP_SLE:
            return *a <= *b;
        case llvm::CmpInst::ICMP_SGT:
            return *a > *b;
        case llvm::CmpInst::ICMP_SGE:
            return *a >= *b;
        default:
            return std::nullopt;
        }
    }
    const auto* instruction = llvm::dyn_cast<llvm::Instruction>(value);
    if (instruction == nullptr || !instruction->getType()->isIntegerTy(1)) {
        return std::nullopt;
    }
    auto operand = [&](unsigned i) {
        return condition_term(instruction->getOperand(i), terms, se, z3);
    };
    std::optional<z3::expr> a = operand(0);
    if (!a) {
        return std::nullopt;
    }
    if (llvm::isa<llvm::SelectInst>(instruction)) {
        std::optional<z3::expr> b = operand(1);
        std::optional<z3::expr> c = operand(2);
        return b && c ? std::optional<z3::expr>(z3::ite(*a, *b, *c)) : std::nullopt;
    }
    if (instruction->getNumOperands() != 2) {
        return std::nullopt;
    }
    std::optional<z3::expr> b = operand(1);
    if (!b) {
        return std::nullopt;
    }
    switch (instruction->getOpcode()) {
    case llvm::Instruction::And:
        return *a && *b;
    case llvm::Instruction::Or:
        return *a || *b;
    case llvm::Instruction::Xor:
        return *a != *b;
    default:
        return std::nullopt;
    }
}

// What holds when the loop is entered: the branch conditions along the chain of blocks that
// each have one predecessor, walked back from the loop's one predecessor outside it. Only that
// chain is used, so no block between a condition and the loop runs twice and every value keeps
// the value it was tested with. `complete` says that the chain starts at the function's entry,
// every condition on it was translated and every instruction on it passes control on: then any
// input values that satisfy `holds` do enter the loop.
struct EntryCondition {
    std::vector<z3::expr> holds;
    bool complete = false;
};

EntryCondition entry_condition(const llvm::Loop& loop, ScevTerms& terms, llvm::ScalarEvolution& se,
                               z3::context& z3) {
    EntryCondition entry;
    bool complete = true;
    const llvm::BasicBlock* block = loop.getHeader();
    const llvm::BasicBlock* before = loop.getLoopPredecessor();
    std::set<const llvm::BasicBlock*> seen{block};
    while (before != nullptr && seen.insert(before).second) {
        const auto* branch = llvm::dyn_cast<llvm::BranchInst>(before->getTerminator());
        if (branch == nullptr) {
            complete = false;
        } else if (branch->isConditional() && branch->getSuccessor(0) != branch->getSuccessor(1)) {
            std::optional<z3::expr> condition =
                condition_term(branch->getCondition(), terms, se, z3);
            if (condition) {
                entry.holds.push_back(branch->getSuccessor(0) == block ? *condition : !*condition);
            } else {
                complete = false;
            }
        }
        for (const llvm::Instruction& instruction : *before) {
            complete = complete && llvm::isGuaranteedToTransferExecutionToSuccessor(&instruction);
        }
        block = before;
        before = block->getUniquePredecessor();
    }
    entry.complete = complete && before == nullptr && block->isEntryBlock();
    return entry;
}

uint64_t numeral(const z3::model& model, const z3::expr& e) {
    uint64_t value = 0;
    return model.eval(e, true).is_numeral_u64(value) ? value : 0;
}

// No call in the loop may stop it early (abort, a call that never returns): then the exact
// count is the number of runs.
bool runs_to_its_exits(const llvm::Loop& loop) {
    for (const llvm::BasicBlock* block : loop.blocks()) {
        for (const llvm::Instruction& instruction : *block) {
            if (!llvm::isGuaranteedToTransferExecutionToSuccessor(&instruction)) {
                return false;
            }
        }
    }
    return true;
}

struct LoopVerdict {
    LoopInstance instance;
    std::optional<reports::Counterexample> counterexample;
};

LoopVerdict prove_loop(const llvm::Loop& loop, const llvm::Function& function,
                       const std::string& annotation_file, unsigned header_line, uint64_t bound,
                       llvm::ScalarEvolution& se, const CheckOptions& options) {
    LoopVerdict verdict;
    LoopInstance& instance = verdict.instance;
    instance.function = function.getName().str();
    instance.header_line = header_line;
    const llvm::SCEV* taken = se.getSymbolicMaxBackedgeTakenCount(&loop);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(taken)) {
        instance.reason =
            "ScalarEvolution computes no bound on the loop's back edges in " + instance.function;
        return verdict;
    }
    const llvm::SCEV* guarded = se.applyLoopGuards(taken, &loop);
    // How the analyzer counts the bound (docs/annotations.md), as the encoder unrolls it: with
    // the exit test at the latch, or exits besides the header, every header entry may run the
    // body, so runs = back edges + 1; when only the header leaves, its last entry only leaves.
    const bool leaves_only_at_header =
        loop.getExitingBlock() == loop.getHeader() && loop.getLoopLatch() != loop.getHeader();
    instance.count = (leaves_only_at_header ? "" : "1 + ") + text_of(guarded);

    z3::context z3;
    ScevTerms terms(z3, se);
    const std::optional<z3::expr> back_edges = terms.term(guarded);
    if (!back_edges) {
        instance.reason = terms.unsupported() + " in " + instance.function;
        return verdict;
    }
    const unsigned bits = back_edges->get_sort().bv_size();
    if (bits >= kComparisonBits) {
        instance.reason = "a count of " + std::to_string(bits) + " bits in " + instance.function;
        return verdict;
    }
    const z3::expr runs = z3::zext(*back_edges, kComparisonBits - bits) +
                          z3.bv_val(leaves_only_at_header ? 0 : 1, kComparisonBits);
    const z3::expr limit = z3.bv_val(std::to_string(bound).c_str(), kComparisonBits);
    const EntryCondition entry = entry_condition(loop, terms, se, z3);

    z3::solver solver = make_query_solver(z3);
    z3::params params(z3);
    set_query_limits(params, options.timeout_ms);
    solver.set(params);
    for (const z3::expr& condition : entry.holds) {
        solver.add(condition);
    }
    solver.add(z3::ugt(runs, limit));
    const TimedCheckScope timed;
    const z3::check_result result = solver.check();
    if (result == z3::unsat) {
        instance.status = reports::ProofStatus::proven;
        return verdict;
    }
    if (result == z3::unknown) {
        instance.reason = "Z3: " + solver.reason_unknown() + " in " + instance.function;
        return verdict;
    }
    const z3::model model = solver.get_model();
    std::string values;
    bool only_arguments = true;
    for (const ScevTerms::Free& free : terms.free()) {
        values += (values.empty() ? "" : ", ") + free.name + " = " +
                  std::to_string(numeral(model, free.term));
        only_arguments =
            only_arguments && free.value != nullptr && llvm::isa<llvm::Argument>(free.value);
    }
    const std::string reached =
        "runs " + std::to_string(numeral(model, runs)) + " > " + std::to_string(bound) + " times";
    // Refuted only when the values are a call that really runs the loop that often: why not,
    // otherwise, is the reason's last part.
    const bool exact = se.getBackedgeTakenCount(&loop) == taken;
    std::string doubt;
    if (!exact) {
        doubt = "the count is only an upper bound";
    } else if (!only_arguments) {
        doubt = "the count depends on values the function reads, and nothing here decides "
                "whether a reachable state holds these";
    } else if (function.hasLocalLinkage()) {
        doubt = "the function is internal, and its callers may never pass these arguments";
    } else if (!entry.complete) {
        doubt = "not every branch on the way to the loop is known";
    } else if (!runs_to_its_exits(loop)) {
        doubt = "something in the loop (a call that may not return) can stop it early";
    }
    if (doubt.empty()) {
        instance.status = reports::ProofStatus::refuted;
        reports::Counterexample example;
        std::string call;
        for (const llvm::Argument& argument : function.args()) {
            std::string value = "any";
            for (const ScevTerms::Free& free : terms.free()) {
                if (free.value == &argument) {
                    value = std::to_string(numeral(model, free.term));
                    example.inputs[free.name] = value;
                }
            }
            call += (call.empty() ? "" : ", ") + value;
        }
        example.replay = instance.function + "(" + call + ") " + reached;
        example.path.push_back({llvm::sys::path::filename(annotation_file).str(), header_line});
        verdict.counterexample = std::move(example);
        instance.reason = "the loop in " + instance.function + " " + reached + " when " + values;
        return verdict;
    }
    instance.reason = "in " + instance.function + " the loop with ScalarEvolution's count " +
                      instance.count + " " + reached + (values.empty() ? "" : " when " + values) +
                      "; not a counterexample: " + doubt;
    return verdict;
}

std::string resolved(const std::string& file) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(file, real)) {
        return file;
    }
    return std::string(real);
}

} // namespace

std::string loop_bound_property(const std::string& annotation_file, unsigned annotation_line,
                                uint64_t bound) {
    return "loop-bound " + resolved(annotation_file) + ":" + std::to_string(annotation_line) +
           " <= " + std::to_string(bound);
}

std::vector<LoopBoundProof> prove_loop_bounds(const llvm::Module& module,
                                              llvm::ArrayRef<LoopBoundFact> facts,
                                              const CheckOptions& options) {
    std::map<const LoopBoundFact*, LoopBoundProof> proofs;
    llvm::TargetLibraryInfoImpl library_info{llvm::Triple(module.getTargetTriple())};
    for (const llvm::Function& constant_function : module) {
        if (constant_function.isDeclaration()) {
            continue;
        }
        // The analyses read the function only; their interfaces take it mutable.
        llvm::Function& function = const_cast<llvm::Function&>(constant_function);
        llvm::DominatorTree dominators(function);
        llvm::LoopInfo loops(dominators);
        llvm::AssumptionCache assumptions(function);
        llvm::TargetLibraryInfo library(library_info, &function);
        llvm::ScalarEvolution se(function, library, assumptions, dominators, loops);
        for (const llvm::Loop* loop : loops.getLoopsInPreorder()) {
            unsigned header_line = 0;
            const LoopBoundFact* fact = fact_of_loop(*loop, loops, facts, header_line);
            if (fact == nullptr) {
                continue;
            }
            const auto start = Clock::now();
            LoopVerdict verdict =
                prove_loop(*loop, function, fact->file, header_line, fact->bound, se, options);
            LoopBoundProof& proof = proofs[fact];
            proof.seconds += std::chrono::duration<double>(Clock::now() - start).count();
            if (verdict.counterexample && !proof.counterexample) {
                proof.counterexample = std::move(verdict.counterexample);
            }
            proof.loops.push_back(std::move(verdict.instance));
        }
    }

    std::vector<LoopBoundProof> result;
    for (auto& [fact, proof] : proofs) {
        proof.property = loop_bound_property(fact->file, fact->bound_line, fact->bound);
        proof.where = {llvm::sys::path::filename(fact->file).str(), fact->bound_line};
        proof.bound = fact->bound;
        const bool refuted = std::any_of(proof.loops.begin(), proof.loops.end(), [](const auto& l) {
            return l.status == reports::ProofStatus::refuted;
        });
        const bool proven = std::all_of(proof.loops.begin(), proof.loops.end(), [](const auto& l) {
            return l.status == reports::ProofStatus::proven;
        });
        proof.status = refuted  ? reports::ProofStatus::refuted
                       : proven ? reports::ProofStatus::proven
                                : reports::ProofStatus::unknown;
        // A refuted bound names the runs that refute it; an unknown one, every run not proven.
        for (const LoopInstance& instance : proof.loops) {
            if (refuted ? instance.status == reports::ProofStatus::refuted
                        : instance.status != reports::ProofStatus::proven) {
                proof.reason += (proof.reason.empty() ? "" : "; ") + instance.reason;
            }
        }
        result.push_back(std::move(proof));
    }
    std::sort(result.begin(), result.end(), [](const LoopBoundProof& a, const LoopBoundProof& b) {
        return std::tie(a.where.file, a.where.line, a.property) <
               std::tie(b.where.file, b.where.line, b.property);
    });
    return result;
}

llvm::Expected<LoopProofReport> prove_allocator_loop_bounds(const VerifyOptions& options) {
    auto program = compile_and_link(options.clang, options.target, options.allocator_sources,
                                    options.include_dirs);
    if (!program) {
        return program.takeError();
    }
    auto facts = read_loop_bounds(options.allocator_sources, options.include_dirs, options.target);
    if (!facts) {
        return facts.takeError();
    }
    LoopProofReport report;
    report.ir_sha256 = program->ir_sha256;
    report.flags = program->flags;
    try {
        report.proofs = prove_loop_bounds(*program->module, *facts, options.check);
    } catch (const z3::exception& e) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: Z3: " + std::string(e.msg()));
    }
    return report;
}

} // namespace clockwork::verifier
