// Symbolic execution of LLVM IR into Z3 terms.
//
// State merging, not path forking: every block is executed once per loop iteration and call,
// with the disjunction of its incoming path conditions as its guard, memory merged with ite and
// phis resolved per incoming edge. SSA makes this cheap: a value is defined once per execution
// of its block, so only memory, guards and phis ever need merging. The heap's hot paths are
// chains of diamonds (class search, split or not, merge left/right); forking would double the
// paths at each diamond, merging keeps the terms linear in the code size. Loops are the
// exception to "once": a loop is executed iteration by iteration, and an incremental solver
// stops the unrolling as soon as the next iteration is infeasible, so a loop whose trip count
// is small in the harness's scope costs its trip count, not its CW_LOOP_BOUND.
//
// Memory is one array from 32-bit addresses to bytes, little-endian as on the encoding target.
// Globals and allocas get concrete, disjoint addresses, so most addresses in a harness are
// numerals; loads at numeral addresses are resolved through the store chain right here, which
// keeps branch conditions numerals and lets dead branches drop out before the solver sees them.
//
// Values follow LLVM's wrapping arithmetic, but the poison and undefined-behaviour conditions
// of the instructions that have them (nsw/nuw/exact/disjoint/nneg flags, shifts past the
// width, division by zero, zero-poison counts, !range and range, reaching unreachable) become
// sites of the property no-undefined-arithmetic-or-control, each under the guard of its block:
// Clang optimised the shipped code assuming none of them holds, so a proof about an execution in
// which one does is a proof about code that does not exist.
#include <clockwork/verifier/encoding.hpp>
#include <clockwork/verifier/intervals.hpp>
#include <clockwork/verifier/mutants.hpp>
#include <clockwork/verifier/query.hpp>

#include "literal_fold.hpp"

#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/bit.h>
#include <llvm/Analysis/AliasAnalysis.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/LoopIterator.h>
#include <llvm/Analysis/MemoryLocation.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Analysis/TypeBasedAliasAnalysis.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/ConstantRange.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/GetElementPtrTypeIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Operator.h>
#include <llvm/Support/Path.h>
#include <llvm/TargetParser/Triple.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace clockwork::verifier {
namespace {

constexpr unsigned kAddressBits = 32;
// Globals and allocas live in separate, far-apart regions; neither ever wraps.
constexpr uint64_t kGlobalBase = 0x10000000;
constexpr uint64_t kStackBase = 0x70000000;
constexpr uint64_t kFunctionBase = 0x00001000;
// A zero-initialised global larger than this is left unconstrained instead of written byte by
// byte: an over-approximation (any initial contents), so proofs stay sound, and arenas of
// megabytes stay cheap.
constexpr uint64_t kLargestZeroFill = 4096;
constexpr unsigned kMaxCallDepth = 64;
constexpr uint64_t kLargestMemoryIntrinsic = 1u << 16;
// Limits of the encoder's quick checks (solver work, query.hpp). An unknown answer keeps what it
// asked about (a loop iteration, a call, a run of stores a read may hit, an address read at
// each of its values), so the limits trade formula size for encoding time and never soundness.
constexpr unsigned kFeasibilityMs = 2000;
// A read at a symbolic address first asks for its values, one query each (load()); with more
// than a few, it asks once per run of stores whether it may hit it. A run kept that the address
// in fact misses makes every later query larger; an answer that takes long only makes the
// encoding slower. Counted in solver work (not the clock, which once made these
// answers vary with the load), 4 s is where the whole set is quickest: `clockwork verify
// --jobs 2` took 67 s at 500 ms, 52 s at 2 s, 37 to 44 s at 4 s and 46 s at 8 s; alone, with
// --jobs 1, aligned_pointer_bounds.cpp took 32, 28, 20 and 18 s at 150 ms, 500 ms, 2 s and 4 s.
constexpr unsigned kRunCheckMs = 4000;
// Each query for one more value of a read's address (few_values()). An unknown answer reads the
// address the general way, and a symbolic heap's step then grows out of reach: at 1 s,
// invariant_reallocate_larger.cpp took 167 s instead of 39 s. `clockwork verify --jobs 2` took
// 63 to 71 s at 4 s, 60 and 63 s at 8 s, 61 s at 16 s (while every value query still evaluated
// every assumption in every remembered model).
constexpr unsigned kValuesCheckMs = 8000;

// The harness API's inline wrappers (verify.h) are not where a harness reads an input or
// asserts: their callers are.
const llvm::DILocation* caller_location(const llvm::DebugLoc& loc) {
    const llvm::DILocation* at = loc.get();
    while (at->getInlinedAt() != nullptr &&
           llvm::sys::path::filename(at->getFilename()) == "verify.h") {
        at = at->getInlinedAt();
    }
    return at;
}

SourceLine line_of(const llvm::DebugLoc& loc) {
    if (!loc) {
        return {};
    }
    const llvm::DILocation* at = caller_location(loc);
    return {llvm::sys::path::filename(at->getFilename()).str(), at->getLine()};
}

const llvm::Instruction* first_located(const llvm::BasicBlock& block) {
    for (const llvm::Instruction& instruction : block) {
        if (instruction.getDebugLoc() && instruction.getDebugLoc().getLine() != 0) {
            return &instruction;
        }
    }
    return nullptr;
}

// The instruction's line, or its block's first line when it has none of its own.
SourceLine located_line(const llvm::Instruction& instruction) {
    const SourceLine line = line_of(instruction.getDebugLoc());
    if (line.line != 0) {
        return line;
    }
    const llvm::Instruction* located = first_located(*instruction.getParent());
    return located != nullptr ? line_of(located->getDebugLoc()) : line;
}

std::string where_text(const llvm::Instruction& instruction) {
    const SourceLine line = located_line(instruction);
    if (line.line == 0) {
        return "function " + instruction.getFunction()->getName().str() + " (no debug line)";
    }
    return line.file + ":" + std::to_string(line.line);
}

llvm::Error unsupported(const llvm::Instruction& instruction, const std::string& what) {
    std::string text;
    llvm::raw_string_ostream stream(text);
    instruction.print(stream);
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   where_text(instruction) + ": error: unsupported " + what + " '" +
                                       instruction.getOpcodeName() + "' in " +
                                       instruction.getFunction()->getName().str() + ":" + text +
                                       "; note: the encoder handles integer and pointer "
                                       "code, and calls through pointers only to functions of "
                                       "the module");
}

// The ranges of a !range node: a value must lie in one of them. Pairwise, not their hull,
// which would admit the gaps between them.
std::vector<llvm::ConstantRange> ranges_of(const llvm::MDNode& node) {
    std::vector<llvm::ConstantRange> ranges;
    for (unsigned i = 0; i + 1 < node.getNumOperands(); i += 2) {
        const auto* low = llvm::mdconst::dyn_extract<llvm::ConstantInt>(node.getOperand(i));
        const auto* high = llvm::mdconst::dyn_extract<llvm::ConstantInt>(node.getOperand(i + 1));
        if (low != nullptr && high != nullptr) {
            ranges.emplace_back(low->getValue(), high->getValue());
        }
    }
    return ranges;
}

struct EdgeState {
    z3::expr guard;
    z3::expr memory;
    std::vector<std::pair<const llvm::PHINode*, z3::expr>> phis;
};

struct FunctionInfo {
    llvm::DominatorTree dominators;
    llvm::LoopInfo loops;
    std::vector<const llvm::BasicBlock*> order; // reverse post-order
    explicit FunctionInfo(llvm::Function& function) : dominators(function), loops(dominators) {
        llvm::ReversePostOrderTraversal<llvm::Function*> rpo(&function);
        for (llvm::BasicBlock* block : rpo) {
            order.push_back(block);
        }
    }
};

struct Frame {
    const llvm::Function* function = nullptr;
    FunctionInfo* info = nullptr;
    std::unordered_map<const llvm::Value*, z3::expr> values;
    std::map<const llvm::BasicBlock*, std::vector<EdgeState>> pending;
    std::map<const llvm::Loop*, std::vector<EdgeState>> back_edges;
    std::vector<std::pair<EdgeState, std::optional<z3::expr>>> returns;
};

// The guard and memory of the block being executed.
struct Cursor {
    z3::expr guard;
    z3::expr memory;
};

bool is_literal(const z3::expr& e) {
    return e.is_numeral() || e.is_true() || e.is_false();
}

z3::expr and_(const z3::expr& a, const z3::expr& b) {
    if (a.is_false() || b.is_true()) {
        return a;
    }
    if (b.is_false() || a.is_true()) {
        return b;
    }
    return a && b;
}

z3::expr or_(const z3::expr& a, const z3::expr& b) {
    if (a.is_true() || b.is_false()) {
        return a;
    }
    if (b.is_true() || a.is_false()) {
        return b;
    }
    return a || b;
}

void conjuncts_of(const z3::expr& e, std::vector<z3::expr>& out) {
    if (e.is_app() && e.decl().decl_kind() == Z3_OP_AND) {
        for (unsigned i = 0; i < e.num_args(); ++i) {
            conjuncts_of(e.arg(i), out);
        }
    } else if (!e.is_true()) {
        out.push_back(e);
    }
}

z3::expr conjunction(const std::vector<z3::expr>& parts, z3::context& z3) {
    z3::expr result = z3.bool_val(true);
    for (const z3::expr& part : parts) {
        result = and_(result, part);
    }
    return result;
}

bool complementary(const z3::expr& a, const z3::expr& b) {
    const auto negates = [](const z3::expr& x, const z3::expr& y) {
        return x.is_app() && x.decl().decl_kind() == Z3_OP_NOT && z3::eq(x.arg(0), y);
    };
    return negates(a, b) || negates(b, a);
}

// The guard of a join: (C and a) or (C and b) is C and (a or b), and C alone when b is not a.
// The two arms of a diamond then join under the guard they forked from, not under a
// disjunction that grows with every diamond before it: after a chain of n diamonds the guard
// stays the guard before the chain, and queries about later code never see the branches.
z3::expr join_guards(const z3::expr& a, const z3::expr& b) {
    if (a.is_true() || b.is_false()) {
        return a;
    }
    if (b.is_true() || a.is_false()) {
        return b;
    }
    std::vector<z3::expr> left;
    std::vector<z3::expr> right;
    conjuncts_of(a, left);
    conjuncts_of(b, right);
    std::vector<z3::expr> common;
    std::vector<z3::expr> only_left;
    std::vector<z3::expr> only_right;
    for (const z3::expr& l : left) {
        const bool shared = std::any_of(right.begin(), right.end(),
                                        [&](const z3::expr& r) { return z3::eq(l, r); });
        (shared ? common : only_left).push_back(l);
    }
    for (const z3::expr& r : right) {
        if (!std::any_of(common.begin(), common.end(),
                         [&](const z3::expr& c) { return z3::eq(c, r); })) {
            only_right.push_back(r);
        }
    }
    z3::context& z3 = a.ctx();
    const z3::expr rest_left = conjunction(only_left, z3);
    const z3::expr rest_right = conjunction(only_right, z3);
    if (!complementary(rest_left, rest_right)) {
        return or_(a, b);
    }
    return conjunction(common, z3);
}

z3::expr ite_(const z3::expr& c, const z3::expr& t, const z3::expr& e) {
    if (c.is_true() || z3::eq(t, e)) {
        return t;
    }
    if (c.is_false()) {
        return e;
    }
    return z3::ite(c, t, e);
}

class Encoder {
  public:
    Encoder(z3::context& z3, const llvm::Module& module, llvm::ArrayRef<LoopBoundFact> bounds)
        : z3_(z3), module_(module), layout_(module.getDataLayout()), bounds_(bounds),
          // Set up for bit-vectors and arrays from the start: without a logic, Z3 chooses its
          // configuration from the assertions of the first check, which come before any
          // assumption. The encoder's quick checks of aligned_pointer_bounds.cpp took 18.5 s of
          // solver time without a logic and 8.0 s with QF_ABV.
          feasibility_(z3, "QF_ABV"),
          memory0_(z3.constant("memory0", z3.array_sort(z3.bv_sort(kAddressBits), z3.bv_sort(32)))),
          result_{z3.bool_val(true), {}, {}, {}, {}, 0, std::nullopt, std::nullopt, {}, {}},
          library_info_(llvm::Triple(module.getTargetTriple())), library_(library_info_),
          aliasing_(library_) {
        aliasing_.addAAResult(type_based_);
    }

    llvm::Expected<Encoding> run(llvm::StringRef entry_name) {
        const llvm::Function* entry = module_.getFunction(entry_name);
        if (entry == nullptr || entry->isDeclaration()) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           "error: the harness defines no function '" +
                                               entry_name.str() +
                                               "'; note: write the harness as CW_HARNESS { ... }");
        }
        if (!entry->arg_empty() || !entry->getReturnType()->isVoidTy()) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           "error: " + entry_name.str() +
                                               " must take no arguments and return void");
        }
        z3::expr memory = memory0_;
        if (auto error = place_globals(memory)) {
            return std::move(error);
        }
        Cursor start{z3_.bool_val(true), memory};
        auto done = call(*entry, {}, start, 0);
        if (!done) {
            return done.takeError();
        }
        result_.final_memory = start.memory;
        result_.returns = start.guard;
        SourceLine harness_line;
        if (const llvm::DISubprogram* program = entry->getSubprogram()) {
            harness_line = {llvm::sys::path::filename(program->getFilename()).str(),
                            program->getLine()};
        }
        result_.assertions.push_back(
            {kNoUndefinedBehaviour, harness_line, z3_.bool_val(true), z3_.bool_val(true), ""});
        // After the harness's own assertions, so that their properties come first.
        std::move(undefined_.begin(), undefined_.end(), std::back_inserter(result_.assertions));
        return std::move(result_);
    }

    // What run() had encoded when it stopped: no final state, and only the assertions and
    // loop obligations met so far, each a finished term about the executions that reach it.
    Encoding prefix() {
        std::move(undefined_.begin(), undefined_.end(), std::back_inserter(result_.assertions));
        undefined_.clear();
        return std::move(result_);
    }

  private:
    // ---- values --------------------------------------------------------------------------

    unsigned bits_of(llvm::Type* type) const {
        if (type->isPointerTy()) {
            return kAddressBits;
        }
        return type->getIntegerBitWidth();
    }

    z3::expr address(uint64_t value) { return z3_.bv_val(value, kAddressBits); }

    z3::expr fold(const z3::expr& e, std::initializer_list<z3::expr> operands) {
        for (const z3::expr& operand : operands) {
            if (!is_literal(operand)) {
                return e;
            }
        }
        if (auto value = evaluate_literal(e)) {
            return *value;
        }
        return e.simplify();
    }

    z3::expr as_bool(const z3::expr& e) {
        return e.is_bool() ? e : fold(e != z3_.bv_val(0, e.get_sort().bv_size()), {e});
    }

    z3::expr as_bv(const z3::expr& e, unsigned bits) {
        if (e.is_bool()) {
            return ite_(e, z3_.bv_val(1, bits), z3_.bv_val(0, bits));
        }
        return e;
    }

    z3::expr resize(const z3::expr& e, unsigned bits, bool sign) {
        const unsigned have = e.get_sort().bv_size();
        if (have == bits) {
            return e;
        }
        if (have > bits) {
            return fold(e.extract(bits - 1, 0), {e});
        }
        return fold(sign ? z3::sext(e, bits - have) : z3::zext(e, bits - have), {e});
    }

    llvm::Expected<z3::expr> constant(const llvm::Constant& c, const llvm::Instruction& user) {
        if (const auto* integer = llvm::dyn_cast<llvm::ConstantInt>(&c)) {
            if (integer->getBitWidth() == 1) {
                return z3_.bool_val(integer->isOne());
            }
            if (integer->getBitWidth() > 64) {
                return unsupported(user, "integer wider than 64 bits in");
            }
            return z3_.bv_val(integer->getZExtValue(), integer->getBitWidth());
        }
        if (llvm::isa<llvm::ConstantPointerNull>(c)) {
            return address(0);
        }
        if (const auto* global = llvm::dyn_cast<llvm::GlobalValue>(&c)) {
            auto found = addresses_.find(global);
            if (found == addresses_.end()) {
                return unsupported(user, "reference to " + global->getName().str() + " in");
            }
            return address(found->second);
        }
        if (llvm::isa<llvm::UndefValue>(c)) {
            // undef and poison: any value, a fresh constant each time it is read.
            const unsigned bits = c.getType()->isIntegerTy(1) ? 0 : bits_of(c.getType());
            const std::string name = "undef" + std::to_string(fresh_++);
            return bits == 0 ? z3_.bool_const(name.c_str()) : z3_.bv_const(name.c_str(), bits);
        }
        if (const auto* expression = llvm::dyn_cast<llvm::ConstantExpr>(&c)) {
            llvm::Instruction* detached =
                const_cast<llvm::ConstantExpr*>(expression)->getAsInstruction();
            Frame scratch;
            Cursor cursor{z3_.bool_val(true), memory0_};
            auto value = pure(*detached, scratch, cursor);
            detached->deleteValue();
            return value;
        }
        return unsupported(user, "constant operand of");
    }

    llvm::Expected<z3::expr> value(const llvm::Value* v, Frame& frame,
                                   const llvm::Instruction& user) {
        if (const auto* c = llvm::dyn_cast<llvm::Constant>(v)) {
            return constant(*c, user);
        }
        auto found = frame.values.find(v);
        if (found == frame.values.end()) {
            return unsupported(user, "operand (not yet defined on this path) of");
        }
        return found->second;
    }

    // ---- memory --------------------------------------------------------------------------

    // Whether the store behind `node` may write what the load being resolved reads, by the
    // IR's TBAA tags: Clang optimised this very code on the same strict-aliasing facts, so a
    // store they separate from the load cannot change it in any execution the IR describes.
    bool may_alias(const z3::expr& node) {
        if (reader_ == nullptr) {
            return true;
        }
        auto origin = store_origin_.find(node.id());
        if (origin == store_origin_.end() || origin->second == nullptr) {
            return true;
        }
        const auto key = std::make_pair(reader_, origin->second);
        auto known = may_alias_.find(key);
        if (known != may_alias_.end()) {
            return known->second;
        }
        const bool result = aliasing_.alias(llvm::MemoryLocation::get(reader_),
                                            llvm::MemoryLocation::get(origin->second)) !=
                            llvm::AliasResult::NoAlias;
        may_alias_.emplace(key, result);
        return result;
    }

    static bool is_numeral_store(const z3::expr& node) {
        return node.is_app() && node.decl().decl_kind() == Z3_OP_STORE &&
               node.arg(1).is_numeral() && node.arg(2).is_numeral();
    }

    // The memory below the chain of numeral stores (numeral address, numeral word) that starts
    // at `top`; `top` itself when the chain is too short to be worth a closer look.
    static z3::expr below_numeral_stores(const z3::expr& top) {
        constexpr size_t kShortestRun = 8;
        z3::expr node = top;
        size_t length = 0;
        while (is_numeral_store(node)) {
            node = node.arg(0);
            ++length;
        }
        return length >= kShortestRun ? node : top;
    }

    // Whether `count` words of a progression are cheaper as one case, a product of the index
    // and `slope`, than as `count` cases. The solver bit-blasts a product by a numeral into an
    // adder per bit set (or, negated, per bit set in its negation, plus one): a power of two is
    // a shift and costs nothing, while any two neighbouring words are a progression whose slope
    // has some 16 bits set, and the heap's control words read at a symbolic bin made hundreds
    // of such products.
    static bool worth_a_product(uint64_t slope, uint64_t count) {
        const uint64_t mask = (uint64_t{1} << kAddressBits) - 1;
        const unsigned adders =
            std::min(llvm::popcount(slope & mask), 1 + llvm::popcount((0 - slope) & mask));
        return adders <= 1 || count > adders;
    }

    // The word at the symbolic index `at` in the numeral stores from `top` down to `bottom`,
    // over `below`, the word at `at` in `bottom`. A store per ite is what the solver would
    // split on, and an init loop writes hundreds (the heap's bins, each linked to itself). Their
    // words usually follow the address: the stores split into arithmetic progressions of
    // indices (stride 1, 2 or 4) whose words are an affine function of the index, and each
    // progression becomes one case: `at` in it, then a * at + b. The newest store to an index
    // wins, and a store the read cannot reach (may_hit, may_alias) is left out, as below.
    z3::expr read_numeral_stores(const z3::expr& top, const z3::expr& bottom, const z3::expr& at,
                                 const z3::expr& below) {
        std::map<uint64_t, uint64_t> words; // index -> newest word
        const Interval range = intervals_.of(at);
        for (z3::expr node = top; !z3::eq(node, bottom); node = node.arg(0)) {
            const uint64_t where = node.arg(1).get_numeral_uint64();
            if (where < range.low || where > range.high || !may_hit(where) || !may_alias(node)) {
                continue;
            }
            words.emplace(where, node.arg(2).get_numeral_uint64());
        }
        const uint64_t mask = (uint64_t{1} << kAddressBits) - 1;
        std::unordered_set<uint64_t> taken;
        z3::expr result = below;
        for (const auto& [low, low_word] : words) {
            if (taken.count(low) != 0) {
                continue;
            }
            // The longest progression from `low` over the indices not yet taken.
            uint64_t best_stride = 1, best_count = 1, best_slope = 0;
            for (uint64_t stride : {1u, 2u, 4u}) {
                auto next = words.find(low + stride);
                if (next == words.end() || taken.count(low + stride) != 0) {
                    continue;
                }
                // a * stride = difference (mod 2^32), with a the smallest that fits.
                const uint64_t difference = (next->second - low_word) & mask;
                if (difference % stride != 0) {
                    continue;
                }
                const uint64_t slope = difference / stride;
                uint64_t count = 2;
                for (;; ++count) {
                    const uint64_t index = low + count * stride;
                    auto found = words.find(index);
                    if (found == words.end() || taken.count(index) != 0 ||
                        found->second != ((low_word + slope * count * stride) & mask)) {
                        break;
                    }
                }
                if (count > best_count && worth_a_product(slope, count)) {
                    best_stride = stride;
                    best_count = count;
                    best_slope = slope;
                }
            }
            for (uint64_t k = 0; k < best_count; ++k) {
                taken.insert(low + k * best_stride);
            }
            if (best_count == 1) {
                result = ite_(at == address(low), address(low_word), result);
                continue;
            }
            // at - low <= (count - 1) * stride, unsigned, and a multiple of the stride.
            const z3::expr offset = at - address(low);
            z3::expr inside = z3::ule(offset, address((best_count - 1) * best_stride));
            if (best_stride > 1) {
                inside = inside && (offset & address(best_stride - 1)) == address(0);
            }
            const uint64_t intercept = (low_word - best_slope * low) & mask;
            result = ite_(inside, address(best_slope) * at + address(intercept), result);
        }
        return result;
    }

    // The first node below `node` that is not a store of a numeral address other than `at`.
    // It stops early at a memory an earlier read at `at` was resolved in.
    z3::expr past_other_numeral_stores(z3::expr node, uint64_t at, const llvm::MDNode* tag) const {
        uint64_t where = 0;
        while (node.is_app() && node.decl().decl_kind() == Z3_OP_STORE &&
               node.arg(1).is_numeral_u64(where) && where != at) {
            node = node.arg(0);
            if (numeral_reads_.count(NumeralRead{node.id(), at, tag}) != 0) {
                break;
            }
        }
        return node;
    }

    // The byte at `at`, looked up through the stores and merges above the initial memory, as
    // a bit-vector term: the solver then never needs the theory of arrays beyond reads of the
    // initial memory, and a read at a numeral address skips every store to another numeral
    // address right here. Memoised per node: merged memories share their common history.
    z3::expr resolve_word(const z3::expr& memory, const z3::expr& at,
                          std::optional<uint64_t> numeral,
                          std::unordered_map<unsigned, z3::expr>& memo) {
        const llvm::MDNode* tag = reader_tag();
        std::vector<z3::expr> stack{memory};
        // Iterative post-order: store chains are thousands deep.
        while (!stack.empty()) {
            const z3::expr node = stack.back();
            if (memo.count(node.id()) != 0) {
                stack.pop_back();
                continue;
            }
            if (numeral) {
                // A memory an earlier read at this address was resolved in: the walk down the
                // chain stops there, so a read costs the stores since, not the whole chain.
                auto known = numeral_reads_.find(NumeralRead{node.id(), *numeral, tag});
                if (known != numeral_reads_.end()) {
                    memo.emplace(node.id(), known->second.word);
                    stack.pop_back();
                    continue;
                }
            }
            if (numeral) {
                // Stores at other numeral addresses change nothing here: a tight walk past
                // them, which leaves the memo to the nodes where the word is decided.
                const z3::expr past = past_other_numeral_stores(node, *numeral, tag);
                if (!z3::eq(past, node)) {
                    auto below = memo.find(past.id());
                    if (below == memo.end()) {
                        stack.push_back(past);
                    } else {
                        memo.emplace(node.id(), below->second);
                        stack.pop_back();
                    }
                    continue;
                }
            }
            const Z3_decl_kind kind = node.is_app() ? node.decl().decl_kind() : Z3_OP_UNINTERPRETED;
            if (kind == Z3_OP_STORE) {
                const z3::expr index = node.arg(1);
                uint64_t where = 0;
                const bool index_numeral = index.is_numeral_u64(where);
                if (!numeral && index_numeral) {
                    // A run of numeral stores (an init loop's) read at a symbolic address.
                    const z3::expr bottom = below_numeral_stores(node);
                    if (!z3::eq(bottom, node)) {
                        auto below = memo.find(bottom.id());
                        if (below == memo.end()) {
                            stack.push_back(bottom);
                            continue;
                        }
                        memo.emplace(node.id(),
                                     read_numeral_stores(node, bottom, at, below->second));
                        stack.pop_back();
                        continue;
                    }
                }
                const bool both_numerals = numeral && index_numeral;
                if ((both_numerals && where == *numeral) || z3::eq(index, at)) {
                    memo.emplace(node.id(), node.arg(2));
                    stack.pop_back();
                    continue;
                }
                // Also skipped: a store whose address range misses the read's (intervals.hpp),
                // such as a bin at a symbolic class and a local on the stack.
                const bool unreachable = (!numeral && index_numeral && !may_hit(where)) ||
                                         (!both_numerals && !intervals_.may_equal(index, at));
                auto below = memo.find(node.arg(0).id());
                if (below == memo.end()) {
                    stack.push_back(node.arg(0));
                    continue;
                }
                memo.emplace(node.id(), both_numerals || unreachable || !may_alias(node)
                                            ? below->second
                                            : ite_(fold(index == at, {index, at}), node.arg(2),
                                                   below->second));
                stack.pop_back();
                continue;
            }
            if (kind == Z3_OP_ITE) {
                auto then_value = memo.find(node.arg(1).id());
                auto else_value = memo.find(node.arg(2).id());
                if (then_value == memo.end()) {
                    stack.push_back(node.arg(1));
                    continue;
                }
                if (else_value == memo.end()) {
                    stack.push_back(node.arg(2));
                    continue;
                }
                memo.emplace(node.id(), ite_(node.arg(0), then_value->second, else_value->second));
                stack.pop_back();
                continue;
            }
            memo.emplace(node.id(), z3::select(node, at));
            stack.pop_back();
        }
        const z3::expr word = memo.at(memory.id());
        if (numeral) {
            numeral_reads_.emplace(NumeralRead{memory.id(), *numeral, tag},
                                   ResolvedWord{memory, word});
        }
        return word;
    }

    // What may_alias() separates stores by: the TBAA tag of the load being resolved (none for
    // a read that is no load, which TBAA treats as aliasing every store, as for an untagged
    // load).
    const llvm::MDNode* reader_tag() const {
        return reader_ == nullptr ? nullptr : reader_->getMetadata(llvm::LLVMContext::MD_tbaa);
    }

    // Memory holds 32-bit words, indexed by address / 4. The heap reads and writes aligned
    // words almost only, so each such access is one array read or write; a chain of byte
    // stores would be four times longer, and every read at a symbolic address costs the
    // solver one case per store in the chain.
    z3::expr word_index(const z3::expr& at) { return fold(z3::lshr(at, address(2)), {at}); }

    // Whether a store at word `where` lies in a run the read being resolved may reach.
    bool may_hit(uint64_t where) const {
        for (const auto& [low, high] : reachable_runs_) {
            if (where >= low && where <= high) {
                return true;
            }
        }
        return false;
    }

    // The runs of numeral store indices below `memory` that `index` can fall in where the read
    // happens: a run is kept unless the solver shows the index outside it (unknown keeps it).
    std::vector<std::pair<uint64_t, uint64_t>>
    reachable_runs(const z3::expr& memory, const z3::expr& index, const z3::expr& guard) {
        std::vector<uint64_t> numerals;
        std::unordered_set<unsigned> seen;
        std::vector<z3::expr> stack{memory};
        while (!stack.empty()) {
            const z3::expr node = stack.back();
            stack.pop_back();
            if (!seen.insert(node.id()).second || !node.is_app()) {
                continue;
            }
            const Z3_decl_kind kind = node.decl().decl_kind();
            if (kind == Z3_OP_STORE) {
                uint64_t where = 0;
                if (node.arg(1).is_numeral_u64(where)) {
                    numerals.push_back(where);
                }
                stack.push_back(node.arg(0));
            } else if (kind == Z3_OP_ITE) {
                stack.push_back(node.arg(1));
                stack.push_back(node.arg(2));
            }
        }
        std::sort(numerals.begin(), numerals.end());
        numerals.erase(std::unique(numerals.begin(), numerals.end()), numerals.end());
        constexpr uint64_t kRunGap = 16; // words: nearby stores share one check
        std::vector<std::pair<uint64_t, uint64_t>> runs;
        for (uint64_t where : numerals) {
            if (!runs.empty() && where - runs.back().second <= kRunGap) {
                runs.back().second = where;
            } else {
                runs.emplace_back(where, where);
            }
        }
        std::vector<std::pair<uint64_t, uint64_t>> reachable;
        const Interval range = intervals_.of(index);
        for (const auto& [low, high] : runs) {
            if (high < range.low || low > range.high) { // outside the index's range: no query
                continue;
            }
            const z3::expr inside = z3::uge(index, address(low)) && z3::ule(index, address(high));
            auto answer = feasible(and_(guard, inside), kRunCheckMs);
            if (!answer) {
                llvm::consumeError(answer.takeError());
                reachable.emplace_back(low, high);
            } else if (*answer != z3::unsat) {
                reachable.emplace_back(low, high);
            }
        }
        return reachable;
    }

    // The values of `at` where `guard` holds, as few_values() finds them. A field's address is
    // its object's plus a numeral: the object's values are found once for all its fields.
    std::optional<std::vector<uint64_t>> few_addresses(const z3::expr& at, const z3::expr& guard) {
        z3::expr base = at;
        uint64_t offset = 0;
        if (at.is_app() && at.decl().decl_kind() == Z3_OP_BADD && at.num_args() == 2) {
            for (unsigned i = 0; i < 2; ++i) {
                if (at.arg(i).is_numeral_u64(offset)) {
                    base = at.arg(1 - i);
                    break;
                }
            }
        }
        auto values = few_values(base, guard);
        if (values && offset != 0) {
            const uint64_t mask = (uint64_t{1} << kAddressBits) - 1;
            for (uint64_t& value : *values) {
                value = (value + offset) & mask;
            }
            std::sort(values->begin(), values->end());
        }
        return values;
    }

    // Every value `index` can take where `guard` holds, when there are at most kFewValues and
    // the solver says so within its limits; nothing otherwise. Values outside the guard are no
    // loss: a value is only ever used where the block that computed it runs.
    std::optional<std::vector<uint64_t>> few_values(const z3::expr& index, const z3::expr& guard) {
        constexpr size_t kFewValues = 8;
        const auto key = std::make_pair(index.id(), guard.id());
        auto known = few_values_.find(key);
        if (known != few_values_.end() && known->second.assumptions == assumption_terms_.size()) {
            return known->second.values;
        }
        // Too many values somewhere usually means too many everywhere (an index the harness
        // leaves free, such as a witness class): asked once, not at every read.
        if (many_values_.count(index.id()) != 0) {
            return std::nullopt;
        }
        // One value where a weaker guard holds (this guard's conjunct) is the only one here too.
        for (std::vector<z3::expr> stack{guard}; !stack.empty();) {
            const z3::expr e = stack.back();
            stack.pop_back();
            if (!e.is_app() || e.decl().decl_kind() != Z3_OP_AND) {
                continue;
            }
            for (unsigned i = 0; i < e.num_args(); ++i) {
                auto weaker = few_values_.find(std::make_pair(index.id(), e.arg(i).id()));
                if (weaker != few_values_.end() && weaker->second.values &&
                    weaker->second.values->size() == 1) {
                    return weaker->second.values;
                }
                stack.push_back(e.arg(i));
            }
        }
        std::optional<std::vector<uint64_t>> found = std::vector<uint64_t>{};
        z3::expr excluded = guard;
        // The values of the models at hand first: one query then shows there are no others.
        drop_models_past_the_assumptions();
        for (KnownModel& known : models_) {
            uint64_t value = 0;
            if (known.model.eval(guard, true).is_true() &&
                known.model.eval(index, true).is_numeral_u64(value) &&
                std::find(found->begin(), found->end(), value) == found->end() &&
                found->size() < kFewValues) {
                found->push_back(value);
                excluded = and_(excluded, index != address(value));
            }
        }
        while (true) {
            auto answer = feasible(excluded, kValuesCheckMs);
            if (!answer) {
                llvm::consumeError(answer.takeError());
                found.reset();
                break;
            }
            if (*answer == z3::unsat) {
                break;
            }
            std::optional<uint64_t> value;
            if (*answer == z3::sat) {
                value = value_in_a_known_model(index, excluded);
            }
            if (!value || found->size() == kFewValues) {
                found.reset();
                break;
            }
            found->push_back(*value);
            excluded = and_(excluded, index != address(*value));
        }
        if (found) {
            std::sort(found->begin(), found->end());
        } else {
            many_values_.insert(index.id());
        }
        few_values_.insert_or_assign(key, FewValues{found, assumption_terms_.size()});
        cached_guards_.push_back(index);
        cached_guards_.push_back(guard);
        return found;
    }

    // The value of `x` in a remembered model that satisfies every assumption and `guard`.
    std::optional<uint64_t> value_in_a_known_model(const z3::expr& x, const z3::expr& guard) {
        drop_models_past_the_assumptions();
        for (KnownModel& known : models_) {
            uint64_t value = 0;
            if (known.model.eval(guard, true).is_true() &&
                known.model.eval(x, true).is_numeral_u64(value)) {
                return value;
            }
        }
        return std::nullopt;
    }

    z3::expr load_word(const z3::expr& memory, const z3::expr& index) {
        uint64_t numeral = 0;
        if (!index.is_numeral_u64(numeral)) {
            if (!read_guard_) {
                return z3::select(memory, index);
            }
            // A case per store the address can reach: stores at numeral addresses come in
            // runs (the control structure, a sentinel, a local array), and one quick check
            // per run usually shows the address stays out of it, which drops the whole run.
            // Left to the array theory, every store is a case the solver splits on.
            reachable_runs_ = reachable_runs(memory, index, *read_guard_);
            std::unordered_map<unsigned, z3::expr> memo;
            z3::expr word = resolve_word(memory, index, std::nullopt, memo);
            reachable_runs_.clear();
            return word;
        }
        std::unordered_map<unsigned, z3::expr> memo;
        return resolve_word(memory, index, numeral, memo);
    }

    z3::expr load_byte(const z3::expr& memory, const z3::expr& at) {
        const z3::expr word = load_word(memory, word_index(at));
        const z3::expr shift =
            fold(z3::zext((at & address(3)).extract(1, 0), 30) * address(8), {at});
        uint64_t s = 0;
        if (shift.is_numeral_u64(s)) {
            return fold(word.extract(static_cast<unsigned>(s) + 7, static_cast<unsigned>(s)),
                        {word});
        }
        return z3::lshr(word, shift).extract(7, 0);
    }

    z3::expr store_byte(const z3::expr& memory, const z3::expr& at, const z3::expr& byte) {
        const z3::expr index = word_index(at);
        const z3::expr word = load_word(memory, index);
        const z3::expr shift =
            fold(z3::zext((at & address(3)).extract(1, 0), 30) * address(8), {at});
        const z3::expr mask = fold(z3::shl(address(0xff), shift), {shift});
        const z3::expr placed = fold(z3::shl(z3::zext(byte, 24), shift), {byte, shift});
        z3::expr merged = (word & ~mask) | placed;
        // At a numeral address the mask is a numeral: once all four bytes are written the
        // old word's bits are masked away and the simplifier drops it.
        if (mask.is_numeral()) {
            merged = merged.simplify();
        }
        return z3::store(memory, index, merged);
    }

    static bool aligned_words(unsigned bytes, uint64_t align) {
        return (bytes == 4 || bytes == 8) && align >= 4;
    }

    z3::expr load(const z3::expr& memory, const z3::expr& at, unsigned bytes, uint64_t align) {
        // An address with a few values where the read happens: each is read at its numeral,
        // which walks the store chain without a case per symbolic store it can tell apart, and
        // the value is a choice among those reads.
        if (!at.is_numeral() && read_guard_) {
            if (auto values = few_addresses(at, *read_guard_)) {
                if (values->empty()) { // the read never happens
                    return z3_.bv_val(0, 8 * bytes);
                }
                z3::expr bits = load(memory, address(values->back()), bytes, align);
                for (size_t i = values->size() - 1; i-- > 0;) {
                    bits = ite_(at == address((*values)[i]),
                                load(memory, address((*values)[i]), bytes, align), bits);
                }
                return bits;
            }
        }
        if (aligned_words(bytes, align)) {
            const z3::expr index = word_index(at);
            const z3::expr low = load_word(memory, index);
            if (bytes == 4) {
                return low;
            }
            const z3::expr high = load_word(memory, fold(index + address(1), {index}));
            return fold(z3::concat(high, low), {high, low});
        }
        z3::expr result = load_byte(memory, at);
        for (unsigned i = 1; i < bytes; ++i) {
            const z3::expr byte = load_byte(memory, fold(at + address(i), {at}));
            result = fold(z3::concat(byte, result), {byte, result});
        }
        return result;
    }

    z3::expr store(const z3::expr& memory, const z3::expr& at, const z3::expr& bits, unsigned bytes,
                   uint64_t align) {
        if (aligned_words(bytes, align)) {
            const z3::expr index = word_index(at);
            if (bytes == 4) {
                return z3::store(memory, index, bits);
            }
            const z3::expr low = z3::store(memory, index, fold(bits.extract(31, 0), {bits}));
            return z3::store(low, fold(index + address(1), {index}),
                             fold(bits.extract(63, 32), {bits}));
        }
        z3::expr result = memory;
        for (unsigned i = 0; i < bytes; ++i) {
            result = store_byte(result, fold(at + address(i), {at}),
                                fold(bits.extract(8 * i + 7, 8 * i), {bits}));
        }
        return result;
    }

    // Writes a global's initializer at `at`.
    llvm::Error initialise(const llvm::Constant& c, uint64_t at,
                           std::map<uint64_t, z3::expr>& memory,
                           const llvm::GlobalVariable& global) {
        llvm::Type* type = c.getType();
        if (c.isNullValue() || llvm::isa<llvm::UndefValue>(c)) {
            if (llvm::isa<llvm::UndefValue>(c)) {
                return llvm::Error::success();
            }
            const uint64_t size = layout_.getTypeAllocSize(type);
            for (uint64_t i = 0; i < size; ++i) {
                memory.insert_or_assign(at + i, z3_.bv_val(0, 8));
            }
            return llvm::Error::success();
        }
        if (type->isIntegerTy() || type->isPointerTy()) {
            z3::expr bits = address(0);
            if (const auto* integer = llvm::dyn_cast<llvm::ConstantInt>(&c)) {
                bits = z3_.bv_val(integer->getZExtValue(), integer->getBitWidth());
            } else if (const auto* target = llvm::dyn_cast<llvm::GlobalValue>(&c)) {
                bits = address(addresses_.at(target));
            } else if (const auto* expression = llvm::dyn_cast<llvm::ConstantExpr>(&c)) {
                llvm::Instruction* detached =
                    const_cast<llvm::ConstantExpr*>(expression)->getAsInstruction();
                Frame scratch;
                Cursor cursor{z3_.bool_val(true), memory0_};
                auto folded = pure(*detached, scratch, cursor);
                detached->deleteValue();
                if (!folded) {
                    return folded.takeError();
                }
                bits = folded->simplify();
            } else {
                return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                               "error: unsupported initializer of global " +
                                                   global.getName().str());
            }
            const unsigned width = bits.get_sort().bv_size();
            const unsigned bytes = static_cast<unsigned>(layout_.getTypeStoreSize(type));
            const z3::expr whole = width < 8 * bytes ? z3::zext(bits, 8 * bytes - width) : bits;
            for (unsigned i = 0; i < bytes; ++i) {
                memory.insert_or_assign(at + i, whole.extract(8 * i + 7, 8 * i).simplify());
            }
            return llvm::Error::success();
        }
        if (const auto* data = llvm::dyn_cast<llvm::ConstantDataSequential>(&c)) {
            const uint64_t stride = layout_.getTypeAllocSize(data->getElementType());
            for (unsigned i = 0; i < data->getNumElements(); ++i) {
                if (auto error = initialise(*data->getElementAsConstant(i), at + i * stride, memory,
                                            global)) {
                    return error;
                }
            }
            return llvm::Error::success();
        }
        if (auto* structure = llvm::dyn_cast<llvm::StructType>(type)) {
            const llvm::StructLayout* fields = layout_.getStructLayout(structure);
            for (unsigned i = 0; i < c.getNumOperands(); ++i) {
                if (auto error = initialise(*llvm::cast<llvm::Constant>(c.getOperand(i)),
                                            at + fields->getElementOffset(i), memory, global)) {
                    return error;
                }
            }
            return llvm::Error::success();
        }
        if (const auto* array = llvm::dyn_cast<llvm::ArrayType>(type)) {
            const uint64_t stride = layout_.getTypeAllocSize(array->getElementType());
            for (unsigned i = 0; i < c.getNumOperands(); ++i) {
                if (auto error = initialise(*llvm::cast<llvm::Constant>(c.getOperand(i)),
                                            at + i * stride, memory, global)) {
                    return error;
                }
            }
            return llvm::Error::success();
        }
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "error: unsupported initializer of global " +
                                           global.getName().str());
    }

    llvm::Error place_globals(z3::expr& memory) {
        uint64_t next = kGlobalBase;
        for (const llvm::GlobalVariable& global : module_.globals()) {
            const uint64_t size =
                std::max<uint64_t>(1, layout_.getTypeAllocSize(global.getValueType()));
            const uint64_t align =
                std::max<uint64_t>(16, global.getAlign() ? global.getAlign()->value() : 1);
            next = (next + align - 1) / align * align;
            addresses_[&global] = next;
            next += size;
        }
        std::map<uint64_t, z3::expr> bytes;
        uint64_t function_at = kFunctionBase;
        for (const llvm::Function& function : module_.functions()) {
            addresses_[&function] = function_at;
            function_at += 16;
        }
        for (const llvm::GlobalVariable& global : module_.globals()) {
            if (global.getName() == "cw_scope_blocks" && global.hasInitializer()) {
                if (const auto* k = llvm::dyn_cast<llvm::ConstantInt>(global.getInitializer())) {
                    result_.scope_blocks = static_cast<unsigned>(k->getZExtValue());
                }
            }
            if (!global.hasInitializer() || global.isInterposable()) {
                continue;
            }
            const llvm::Constant& init = *global.getInitializer();
            if (init.isNullValue() && layout_.getTypeAllocSize(init.getType()) > kLargestZeroFill) {
                continue;
            }
            if (auto error = initialise(init, addresses_.at(&global), bytes, global)) {
                return error;
            }
        }
        // Whole words where all four bytes are known; the rest byte by byte.
        for (auto it = bytes.begin(); it != bytes.end();) {
            const uint64_t word = it->first & ~uint64_t{3};
            std::optional<z3::expr> parts[4];
            for (; it != bytes.end() && (it->first & ~uint64_t{3}) == word; ++it) {
                parts[it->first - word].emplace(it->second);
            }
            if (parts[0] && parts[1] && parts[2] && parts[3]) {
                memory = z3::store(
                    memory, address(word / 4),
                    z3::concat(z3::concat(*parts[3], *parts[2]), z3::concat(*parts[1], *parts[0]))
                        .simplify());
                continue;
            }
            for (unsigned i = 0; i < 4; ++i) {
                if (parts[i]) {
                    memory = store_byte(memory, address(word + i), *parts[i]);
                }
            }
        }
        return llvm::Error::success();
    }

    // ---- undefined behaviour -----------------------------------------------------------------

    // A constant of any width, as a bit-vector of that width.
    z3::expr bv_of(const llvm::APInt& value) {
        const std::string digits = llvm::toString(value, 10, /*Signed=*/false);
        return z3_.bv_val(digits.c_str(), value.getBitWidth());
    }

    // Whether `ok` holds for every value `x` can take, when x is a numeral or a small tree of
    // ite over numerals (a merged phi, a count intrinsic): a condition that fails for none of
    // them folds away here instead of becoming a site the solver has to refute.
    static bool holds_for_every_value(const z3::expr& x, const std::function<bool(uint64_t)>& ok) {
        constexpr size_t kLargestTree = 128;
        std::vector<z3::expr> stack{x};
        std::unordered_set<unsigned> seen;
        while (!stack.empty()) {
            const z3::expr node = stack.back();
            stack.pop_back();
            if (!seen.insert(node.id()).second) {
                continue;
            }
            if (seen.size() > kLargestTree) {
                return false;
            }
            uint64_t v = 0;
            if (node.is_numeral_u64(v)) {
                if (!ok(v)) {
                    return false;
                }
                continue;
            }
            if (!node.is_app() || node.decl().decl_kind() != Z3_OP_ITE) {
                return false;
            }
            stack.push_back(node.arg(1));
            stack.push_back(node.arg(2));
        }
        return true;
    }

    // A site of no-undefined-arithmetic-or-control: `condition` must not hold where the instruction
    // runs. Conservative: a flag's promise broken on a reachable path counts even if the poison it
    // makes is never used.
    void undefined_if(const llvm::Instruction& instruction, const Cursor& cursor,
                      const z3::expr& condition, const std::string& what) {
        // A constant expression evaluated on its own: its operands are the addresses this
        // encoding gave the globals, not the linker's, so its flags say nothing of the binary.
        if (instruction.getParent() == nullptr || cursor.guard.is_false() || condition.is_false()) {
            return;
        }
        const SourceLine where = located_line(instruction);
        undefined_.push_back({kNoUndefinedBehaviour, where, cursor.guard,
                              fold(!condition, {condition}),
                              what + " at " + where_text(instruction)});
        // In the counterexample's path where it happens, and only in a model where it does.
        result_.trace.push_back({where, and_(cursor.guard, condition)});
    }

    // The value lies in none of `ranges` (!range, or a range attribute): it is poison.
    void outside_ranges(const llvm::Instruction& instruction, const Cursor& cursor,
                        const z3::expr& x, llvm::ArrayRef<llvm::ConstantRange> ranges,
                        const std::string& what) {
        if (x.is_bool() || ranges.empty()) {
            return;
        }
        const unsigned bits = x.get_sort().bv_size();
        const auto inside = [&](uint64_t v) {
            return std::any_of(ranges.begin(), ranges.end(), [&](const llvm::ConstantRange& r) {
                return r.getBitWidth() == bits && r.contains(llvm::APInt(bits, v));
            });
        };
        if (holds_for_every_value(x, inside)) {
            return;
        }
        z3::expr in = z3_.bool_val(false);
        for (const llvm::ConstantRange& range : ranges) {
            if (range.isFullSet()) {
                return;
            }
            if (range.getBitWidth() != bits || range.isEmptySet()) {
                continue;
            }
            // [low, high) with wrap-around: x - low < high - low, modulo 2^bits.
            const z3::expr low = bv_of(range.getLower());
            const z3::expr span = bv_of(range.getUpper() - range.getLower());
            in = or_(in, fold(z3::ult(x - low, span), {x}));
        }
        undefined_if(instruction, cursor, fold(!in, {in}), what);
    }

    // LangRef's conditions for a binary operator: division by zero and INT_MIN / -1 are
    // undefined behaviour; a shift by the width or more, and each flag whose promise the
    // operands break, make poison. Only the flags the instruction carries cost a condition.
    void check_binary(const llvm::BinaryOperator& op, const z3::expr& x, const z3::expr& y,
                      const z3::expr& result, const Cursor& cursor) {
        const unsigned bits = x.get_sort().bv_size();
        const std::string name = op.getOpcodeName();
        const z3::expr zero = z3_.bv_val(0, bits);
        const auto negative = [&](const z3::expr& v) { return v < zero; };
        const auto nuw = [&] { return op.hasNoUnsignedWrap(); };
        const auto nsw = [&] { return op.hasNoSignedWrap(); };
        const auto exact = [&] { return op.isExact(); };
        switch (op.getOpcode()) {
        case llvm::Instruction::Add:
            if (nuw()) {
                undefined_if(op, cursor, fold(z3::ult(result, x), {x, y}), "add nuw overflows");
            }
            if (nsw()) {
                undefined_if(op, cursor, fold(negative((result ^ x) & (result ^ y)), {x, y}),
                             "add nsw overflows");
            }
            return;
        case llvm::Instruction::Sub:
            if (nuw()) {
                undefined_if(op, cursor, fold(z3::ult(x, y), {x, y}), "sub nuw overflows");
            }
            if (nsw()) {
                undefined_if(op, cursor, fold(negative((x ^ y) & (x ^ result)), {x, y}),
                             "sub nsw overflows");
            }
            return;
        case llvm::Instruction::Mul:
            if (nuw()) {
                undefined_if(op, cursor, fold(!z3::bvmul_no_overflow(x, y, false), {x, y}),
                             "mul nuw overflows");
            }
            if (nsw()) {
                undefined_if(
                    op, cursor,
                    fold(!(z3::bvmul_no_overflow(x, y, true) && z3::bvmul_no_underflow(x, y)),
                         {x, y}),
                    "mul nsw overflows");
            }
            return;
        case llvm::Instruction::Shl:
        case llvm::Instruction::LShr:
        case llvm::Instruction::AShr: {
            if (!holds_for_every_value(y, [&](uint64_t v) { return v < bits; })) {
                undefined_if(op, cursor, fold(z3::uge(y, z3_.bv_val(bits, bits)), {y}),
                             name + " by " + std::to_string(bits) + " or more");
            }
            if (op.getOpcode() == llvm::Instruction::Shl) {
                if (nuw()) {
                    undefined_if(op, cursor, fold(z3::lshr(result, y) != x, {x, y}),
                                 "shl nuw overflows");
                }
                if (nsw()) {
                    undefined_if(op, cursor, fold(z3::ashr(result, y) != x, {x, y}),
                                 "shl nsw overflows");
                }
            } else if (exact()) {
                undefined_if(op, cursor, fold(z3::shl(result, y) != x, {x, y}),
                             name + " exact shifts out a set bit");
            }
            return;
        }
        case llvm::Instruction::UDiv:
        case llvm::Instruction::URem:
        case llvm::Instruction::SDiv:
        case llvm::Instruction::SRem: {
            if (!holds_for_every_value(y, [](uint64_t v) { return v != 0; })) {
                undefined_if(op, cursor, fold(y == zero, {y}), name + " by zero");
            }
            const bool is_signed = op.getOpcode() == llvm::Instruction::SDiv ||
                                   op.getOpcode() == llvm::Instruction::SRem;
            // Any width: loop passes may widen 64-bit arithmetic past 64 bits.
            const llvm::APInt int_min = llvm::APInt::getSignedMinValue(bits);
            const llvm::APInt minus_one = llvm::APInt::getAllOnes(bits);
            if (is_signed && !holds_for_every_value(y, [&](uint64_t v) {
                    return bits > 64 || v != minus_one.getZExtValue();
                })) {
                undefined_if(op, cursor, fold(x == bv_of(int_min) && y == bv_of(minus_one), {x, y}),
                             name + " overflows (INT_MIN / -1)");
            }
            const bool division = op.getOpcode() == llvm::Instruction::UDiv ||
                                  op.getOpcode() == llvm::Instruction::SDiv;
            if (division && exact()) {
                const z3::expr rest = is_signed ? z3::srem(x, y) : z3::urem(x, y);
                undefined_if(op, cursor, fold(rest != zero, {x, y}),
                             name + " exact has a remainder");
            }
            return;
        }
        case llvm::Instruction::Or:
            if (llvm::cast<llvm::PossiblyDisjointInst>(op).isDisjoint()) {
                undefined_if(op, cursor, fold((x & y) != zero, {x, y}),
                             "or disjoint operands share a set bit");
            }
            return;
        default:
            return;
        }
    }

    // ---- instructions ----------------------------------------------------------------------

    // What a mutated instruction computed before the mutation, from the operands it has now.
    // Evaluated on a detached copy, so it adds no undefined-behaviour obligation of its own.
    llvm::Expected<z3::expr> original_value(llvm::Instruction& copy, Frame& frame,
                                            const Cursor& cursor) {
        Cursor scratch = cursor;
        auto value = pure(copy, frame, scratch);
        copy.deleteValue();
        return value;
    }

    // Instructions whose result depends only on their operands (and, for loads, memory).
    llvm::Expected<z3::expr> pure(const llvm::Instruction& instruction, Frame& frame,
                                  Cursor& cursor) {
        auto operand = [&](unsigned i) {
            return value(instruction.getOperand(i), frame, instruction);
        };
        if (const auto* binary = llvm::dyn_cast<llvm::BinaryOperator>(&instruction)) {
            auto a = operand(0);
            if (!a) {
                return a.takeError();
            }
            auto b = operand(1);
            if (!b) {
                return b.takeError();
            }
            const z3::expr& x = *a;
            const z3::expr& y = *b;
            if (x.is_bool()) {
                switch (binary->getOpcode()) {
                case llvm::Instruction::And:
                    return fold(x && y, {x, y});
                case llvm::Instruction::Or:
                    if (llvm::cast<llvm::PossiblyDisjointInst>(binary)->isDisjoint()) {
                        undefined_if(instruction, cursor, fold(x && y, {x, y}),
                                     "or disjoint operands share a set bit");
                    }
                    return fold(x || y, {x, y});
                case llvm::Instruction::Xor:
                    return fold(x != y, {x, y});
                default:
                    return unsupported(instruction, "i1 arithmetic");
                }
            }
            std::optional<z3::expr> result;
            switch (binary->getOpcode()) {
            case llvm::Instruction::Add:
                result = fold(x + y, {x, y});
                break;
            case llvm::Instruction::Sub:
                result = fold(x - y, {x, y});
                break;
            case llvm::Instruction::Mul:
                result = fold(x * y, {x, y});
                break;
            case llvm::Instruction::UDiv:
                result = fold(z3::udiv(x, y), {x, y});
                break;
            case llvm::Instruction::SDiv:
                result = fold(x / y, {x, y});
                break;
            case llvm::Instruction::URem:
                result = fold(z3::urem(x, y), {x, y});
                break;
            case llvm::Instruction::SRem:
                result = fold(z3::srem(x, y), {x, y});
                break;
            case llvm::Instruction::Shl:
                result = fold(z3::shl(x, y), {x, y});
                break;
            case llvm::Instruction::LShr:
                result = fold(z3::lshr(x, y), {x, y});
                break;
            case llvm::Instruction::AShr:
                result = fold(z3::ashr(x, y), {x, y});
                break;
            case llvm::Instruction::And:
                result = fold(x & y, {x, y});
                break;
            case llvm::Instruction::Or:
                result = fold(x | y, {x, y});
                break;
            case llvm::Instruction::Xor:
                result = fold(x ^ y, {x, y});
                break;
            default:
                return unsupported(instruction, "instruction");
            }
            check_binary(*binary, x, y, *result, cursor);
            return *result;
        }
        if (const auto* compare = llvm::dyn_cast<llvm::ICmpInst>(&instruction)) {
            auto a = operand(0);
            if (!a) {
                return a.takeError();
            }
            auto b = operand(1);
            if (!b) {
                return b.takeError();
            }
            const z3::expr& x = *a;
            const z3::expr& y = *b;
            switch (compare->getPredicate()) {
            case llvm::CmpInst::ICMP_EQ:
                return fold(x == y, {x, y});
            case llvm::CmpInst::ICMP_NE:
                return fold(x != y, {x, y});
            case llvm::CmpInst::ICMP_UGT:
                return fold(z3::ugt(x, y), {x, y});
            case llvm::CmpInst::ICMP_UGE:
                return fold(z3::uge(x, y), {x, y});
            case llvm::CmpInst::ICMP_ULT:
                return fold(z3::ult(x, y), {x, y});
            case llvm::CmpInst::ICMP_ULE:
                return fold(z3::ule(x, y), {x, y});
            case llvm::CmpInst::ICMP_SGT:
                return fold(x > y, {x, y});
            case llvm::CmpInst::ICMP_SGE:
                return fold(x >= y, {x, y});
            case llvm::CmpInst::ICMP_SLT:
                return fold(x < y, {x, y});
            case llvm::CmpInst::ICMP_SLE:
                return fold(x <= y, {x, y});
            default:
                return unsupported(instruction, "comparison");
            }
        }
        if (const auto* cast = llvm::dyn_cast<llvm::CastInst>(&instruction)) {
            auto a = operand(0);
            if (!a) {
                return a.takeError();
            }
            llvm::Type* to = cast->getDestTy();
            if (!(to->isIntegerTy() || to->isPointerTy()) ||
                !(cast->getSrcTy()->isIntegerTy() || cast->getSrcTy()->isPointerTy())) {
                return unsupported(instruction, "cast");
            }
            const bool to_bool = to->isIntegerTy(1);
            switch (cast->getOpcode()) {
            case llvm::Instruction::ZExt:
            case llvm::Instruction::SExt: {
                const bool sign = cast->getOpcode() == llvm::Instruction::SExt;
                if (!sign && cast->hasNonNeg()) {
                    // An i1 that is 1 is negative too.
                    const z3::expr negative =
                        a->is_bool() ? *a : fold(*a < z3_.bv_val(0, a->get_sort().bv_size()), {*a});
                    undefined_if(instruction, cursor, negative, "zext nneg of a negative value");
                }
                if (a->is_bool()) {
                    const unsigned bits = bits_of(to);
                    return ite_(*a, sign ? z3_.bv_val(-1, bits) : z3_.bv_val(1, bits),
                                z3_.bv_val(0, bits));
                }
                return resize(*a, bits_of(to), sign);
            }
            case llvm::Instruction::Trunc:
                if (const auto* trunc = llvm::dyn_cast<llvm::TruncInst>(cast);
                    trunc != nullptr && (trunc->hasNoUnsignedWrap() || trunc->hasNoSignedWrap())) {
                    const unsigned from = a->get_sort().bv_size();
                    const unsigned kept = bits_of(to);
                    const z3::expr low = fold(a->extract(kept - 1, 0), {*a});
                    if (trunc->hasNoUnsignedWrap()) {
                        undefined_if(instruction, cursor,
                                     fold(z3::zext(low, from - kept) != *a, {*a}),
                                     "trunc nuw drops a set bit");
                    }
                    if (trunc->hasNoSignedWrap()) {
                        undefined_if(instruction, cursor,
                                     fold(z3::sext(low, from - kept) != *a, {*a}),
                                     "trunc nsw changes the value");
                    }
                }
                if (to_bool) {
                    return fold(a->extract(0, 0) == z3_.bv_val(1, 1), {*a});
                }
                return resize(*a, bits_of(to), false);
            case llvm::Instruction::PtrToInt:
            case llvm::Instruction::IntToPtr:
                if (to_bool) {
                    return unsupported(instruction, "cast");
                }
                return resize(*a, bits_of(to), false);
            case llvm::Instruction::BitCast:
                return *a;
            default:
                return unsupported(instruction, "cast");
            }
        }
        if (const auto* gep = llvm::dyn_cast<llvm::GEPOperator>(&instruction)) {
            auto base = operand(0);
            if (!base) {
                return base.takeError();
            }
            if (gep->getType()->isVectorTy()) {
                return unsupported(instruction, "vector address");
            }
            z3::expr at = *base;
            uint64_t offset = 0;
            unsigned index = 1;
            for (auto it = llvm::gep_type_begin(gep); it != llvm::gep_type_end(gep);
                 ++it, ++index) {
                const llvm::Value* position = gep->getOperand(index);
                if (llvm::StructType* structure = it.getStructTypeOrNull()) {
                    const auto field = static_cast<unsigned>(
                        llvm::cast<llvm::ConstantInt>(position)->getZExtValue());
                    offset += layout_.getStructLayout(structure)->getElementOffset(field);
                    continue;
                }
                const uint64_t stride = it.getSequentialElementStride(layout_);
                if (const auto* c = llvm::dyn_cast<llvm::ConstantInt>(position)) {
                    offset += static_cast<uint64_t>(c->getSExtValue()) * stride;
                    continue;
                }
                auto i = value(position, frame, instruction);
                if (!i) {
                    return i.takeError();
                }
                const z3::expr scaled = resize(*i, kAddressBits, true) * address(stride);
                at = fold(at + scaled, {at, *i});
            }
            if (offset != 0) {
                at = fold(at + address(offset & 0xffffffffu), {at});
            }
            return at;
        }
        if (const auto* select = llvm::dyn_cast<llvm::SelectInst>(&instruction)) {
            auto c = operand(0);
            if (!c) {
                return c.takeError();
            }
            auto t = operand(1);
            if (!t) {
                return t.takeError();
            }
            auto e = operand(2);
            if (!e) {
                return e.takeError();
            }
            if (select->getCondition()->getType()->isVectorTy()) {
                return unsupported(instruction, "vector select");
            }
            return ite_(as_bool(*c), *t, *e);
        }
        if (llvm::isa<llvm::FreezeInst>(instruction)) {
            return operand(0);
        }
        if (const auto* read = llvm::dyn_cast<llvm::LoadInst>(&instruction)) {
            llvm::Type* type = read->getType();
            if (!(type->isIntegerTy() || type->isPointerTy())) {
                return unsupported(instruction, "load of a non-scalar type in");
            }
            auto at = operand(0);
            if (!at) {
                return at.takeError();
            }
            const unsigned bytes = static_cast<unsigned>(layout_.getTypeStoreSize(type));
            reader_ = read;
            read_guard_ = cursor.guard;
            z3::expr bits = load(cursor.memory, *at, bytes, read->getAlign().value());
            read_guard_.reset();
            reader_ = nullptr;
            if (type->isIntegerTy(1)) {
                return fold(bits.extract(0, 0) == z3_.bv_val(1, 1), {bits});
            }
            const z3::expr loaded = bits.get_sort().bv_size() == bits_of(type)
                                        ? bits
                                        : resize(bits, bits_of(type), false);
            if (const llvm::MDNode* range = read->getMetadata(llvm::LLVMContext::MD_range)) {
                outside_ranges(instruction, cursor, loaded, ranges_of(*range),
                               "load outside its !range");
            }
            return loaded;
        }
        return unsupported(instruction, "instruction");
    }

    llvm::Error write(const llvm::Instruction& instruction, Frame& frame, Cursor& cursor) {
        const auto& store_instruction = llvm::cast<llvm::StoreInst>(instruction);
        llvm::Type* type = store_instruction.getValueOperand()->getType();
        if (!(type->isIntegerTy() || type->isPointerTy())) {
            return unsupported(instruction, "store of a non-scalar type in");
        }
        auto v = value(store_instruction.getValueOperand(), frame, instruction);
        if (!v) {
            return v.takeError();
        }
        auto at = value(store_instruction.getPointerOperand(), frame, instruction);
        if (!at) {
            return at.takeError();
        }
        const unsigned bytes = static_cast<unsigned>(layout_.getTypeStoreSize(type));
        z3::expr bits = as_bv(*v, 8 * bytes);
        if (bits.get_sort().bv_size() < 8 * bytes) {
            bits = z3::zext(bits, 8 * bytes - bits.get_sort().bv_size());
        }
        cursor.memory =
            store(cursor.memory, *at, bits, bytes, store_instruction.getAlign().value());
        // Hash-consing can give two stores one term: then neither tag speaks for it.
        auto [origin, fresh] = store_origin_.emplace(cursor.memory.id(), &instruction);
        if (!fresh && origin->second != &instruction) {
            origin->second = nullptr;
        }
        return llvm::Error::success();
    }

    // ---- calls ---------------------------------------------------------------------------

    llvm::Expected<uint64_t> constant_length(const llvm::Value* length, Frame& frame,
                                             const llvm::Instruction& instruction) {
        auto n = value(length, frame, instruction);
        if (!n) {
            return n.takeError();
        }
        uint64_t bytes = 0;
        if (!n->simplify().is_numeral_u64(bytes) || bytes > kLargestMemoryIntrinsic) {
            return unsupported(instruction, "memory intrinsic with a symbolic or huge length in");
        }
        return bytes;
    }

    z3::expr count_leading_zeros(const z3::expr& x) {
        const unsigned bits = x.get_sort().bv_size();
        z3::expr result = z3_.bv_val(bits, bits);
        for (unsigned i = 0; i < bits; ++i) {
            result = ite_(fold(x.extract(i, i) == z3_.bv_val(1, 1), {x}),
                          z3_.bv_val(bits - 1 - i, bits), result);
        }
        return result;
    }

    z3::expr count_trailing_zeros(const z3::expr& x) {
        const unsigned bits = x.get_sort().bv_size();
        z3::expr result = z3_.bv_val(bits, bits);
        for (unsigned i = bits; i-- > 0;) {
            result =
                ite_(fold(x.extract(i, i) == z3_.bv_val(1, 1), {x}), z3_.bv_val(i, bits), result);
        }
        return result;
    }

    z3::expr population_count(const z3::expr& x) {
        const unsigned bits = x.get_sort().bv_size();
        z3::expr result = z3_.bv_val(0, bits);
        for (unsigned i = 0; i < bits; ++i) {
            result = result + z3::zext(x.extract(i, i), bits - 1);
        }
        return fold(result, {x});
    }

    llvm::Error intrinsic(const llvm::IntrinsicInst& call, Frame& frame, Cursor& cursor) {
        auto argument = [&](unsigned i) { return value(call.getArgOperand(i), frame, call); };
        switch (call.getIntrinsicID()) {
        case llvm::Intrinsic::dbg_declare:
        case llvm::Intrinsic::dbg_value:
        case llvm::Intrinsic::dbg_label:
        case llvm::Intrinsic::lifetime_start:
        case llvm::Intrinsic::lifetime_end:
        case llvm::Intrinsic::experimental_noalias_scope_decl:
        case llvm::Intrinsic::donothing:
            return llvm::Error::success();
        // A compiler-derived fact, not a harness assumption: not assumed, which only adds
        // behaviours, but checked, since a false one is undefined behaviour. Its operand
        // bundles (alignment, dereferenceability) are not.
        case llvm::Intrinsic::assume: {
            auto condition = argument(0);
            if (!condition) {
                return condition.takeError();
            }
            undefined_if(call, cursor, fold(!as_bool(*condition), {*condition}),
                         "llvm.assume of a false condition");
            return llvm::Error::success();
        }
        case llvm::Intrinsic::expect: {
            auto x = argument(0);
            if (!x) {
                return x.takeError();
            }
            frame.values.insert_or_assign(&call, *x);
            return llvm::Error::success();
        }
        case llvm::Intrinsic::ctlz:
        case llvm::Intrinsic::cttz:
        case llvm::Intrinsic::ctpop: {
            auto x = argument(0);
            if (!x) {
                return x.takeError();
            }
            const z3::expr result =
                call.getIntrinsicID() == llvm::Intrinsic::ctlz   ? count_leading_zeros(*x)
                : call.getIntrinsicID() == llvm::Intrinsic::cttz ? count_trailing_zeros(*x)
                                                                 : population_count(*x);
            if (call.getIntrinsicID() != llvm::Intrinsic::ctpop) {
                const auto* zero_is_poison =
                    llvm::dyn_cast<llvm::ConstantInt>(call.getArgOperand(1));
                if (zero_is_poison == nullptr || !zero_is_poison->isZero()) {
                    if (!holds_for_every_value(*x, [](uint64_t v) { return v != 0; })) {
                        undefined_if(call, cursor,
                                     fold(*x == z3_.bv_val(0, x->get_sort().bv_size()), {*x}),
                                     "llvm." +
                                         std::string(call.getIntrinsicID() == llvm::Intrinsic::ctlz
                                                         ? "ctlz"
                                                         : "cttz") +
                                         " of zero (is_zero_poison)");
                    }
                }
            }
            frame.values.insert_or_assign(&call, fold(result, {*x}));
            return llvm::Error::success();
        }
        case llvm::Intrinsic::umin:
        case llvm::Intrinsic::umax:
        case llvm::Intrinsic::smin:
        case llvm::Intrinsic::smax: {
            auto a = argument(0);
            if (!a) {
                return a.takeError();
            }
            auto b = argument(1);
            if (!b) {
                return b.takeError();
            }
            const llvm::Intrinsic::ID id = call.getIntrinsicID();
            const z3::expr a_first = id == llvm::Intrinsic::umin   ? z3::ult(*a, *b)
                                     : id == llvm::Intrinsic::umax ? z3::ugt(*a, *b)
                                     : id == llvm::Intrinsic::smin ? *a < *b
                                                                   : *a > *b;
            frame.values.insert_or_assign(&call, ite_(fold(a_first, {*a, *b}), *a, *b));
            return llvm::Error::success();
        }
        case llvm::Intrinsic::memset: {
            auto to = argument(0);
            if (!to) {
                return to.takeError();
            }
            auto byte = argument(1);
            if (!byte) {
                return byte.takeError();
            }
            auto length = constant_length(call.getArgOperand(2), frame, call);
            if (!length) {
                return length.takeError();
            }
            for (uint64_t i = 0; i < *length; ++i) {
                cursor.memory = store_byte(cursor.memory, fold(*to + address(i), {*to}), *byte);
            }
            return llvm::Error::success();
        }
        case llvm::Intrinsic::memcpy:
        case llvm::Intrinsic::memmove: {
            auto to = argument(0);
            if (!to) {
                return to.takeError();
            }
            auto from = argument(1);
            if (!from) {
                return from.takeError();
            }
            auto length = constant_length(call.getArgOperand(2), frame, call);
            if (!length) {
                return length.takeError();
            }
            uint64_t to_at = 0;
            uint64_t from_at = 0;
            if (*length % 4 == 0 && to->is_numeral_u64(to_at) && from->is_numeral_u64(from_at) &&
                to_at % 4 == 0 && from_at % 4 == 0) {
                std::vector<z3::expr> words;
                for (uint64_t i = 0; i < *length / 4; ++i) {
                    words.push_back(load_word(cursor.memory, address(from_at / 4 + i)));
                }
                for (uint64_t i = 0; i < *length / 4; ++i) {
                    cursor.memory = z3::store(cursor.memory, address(to_at / 4 + i), words[i]);
                }
                return llvm::Error::success();
            }
            // All reads before any write: memmove's overlap, and memcpy is a special case.
            std::vector<z3::expr> bytes;
            for (uint64_t i = 0; i < *length; ++i) {
                bytes.push_back(load_byte(cursor.memory, fold(*from + address(i), {*from})));
            }
            for (uint64_t i = 0; i < *length; ++i) {
                cursor.memory = store_byte(cursor.memory, fold(*to + address(i), {*to}), bytes[i]);
            }
            return llvm::Error::success();
        }
        default:
            return unsupported(call,
                               "intrinsic " + call.getCalledFunction()->getName().str() + " in");
        }
    }

    // A range attribute on the call or on the callee's return value. The counting intrinsics
    // are encoded with results in [0, width] by construction: a range holding all of those
    // adds nothing.
    void result_in_range(const llvm::CallBase& call, const z3::expr& result, const Cursor& cursor) {
        std::optional<llvm::ConstantRange> range = call.getRange();
        if (!range) {
            return;
        }
        const llvm::Intrinsic::ID id = call.getIntrinsicID();
        if (id == llvm::Intrinsic::ctlz || id == llvm::Intrinsic::cttz ||
            id == llvm::Intrinsic::ctpop) {
            const unsigned bits = range->getBitWidth();
            if (range->contains(
                    llvm::ConstantRange(llvm::APInt(bits, 0), llvm::APInt(bits, bits + 1)))) {
                return;
            }
        }
        outside_ranges(call, cursor, result, {*range},
                       "result of " + call.getCalledFunction()->getName().str() +
                           " outside its range attribute");
    }

    // sat, unsat, or unknown when the quick check runs out of time.
    llvm::Expected<z3::check_result> feasible(const z3::expr& guard,
                                              unsigned timeout_ms = kFeasibilityMs) {
        if (guard.is_true()) {
            return z3::sat;
        }
        if (guard.is_false()) {
            return z3::unsat;
        }
        // A loop whose trip count does not depend on its inputs enters every iteration under
        // the same (hash-consed) guard: ask once. Assumptions only ever grow, so an unsat
        // answer stays true; sat and unknown only ever continue the unrolling.
        auto known = feasibility_cache_.find(guard.id());
        if (known != feasibility_cache_.end() && known->second.second == assumption_terms_.size()) {
            return known->second.first;
        }
        if (satisfied_by_a_known_model(guard)) {
            return z3::sat;
        }
        z3::expr_vector assumptions(z3_);
        assumptions.push_back(guard);
        if (timeout_ms != feasibility_timeout_ms_) {
            // In resource units: with the clock, which pruned paths depended on the load, and
            // so did the encoding the proofs are made on.
            z3::params params(z3_);
            set_query_limits(params, timeout_ms);
            feasibility_.set(params);
            feasibility_timeout_ms_ = timeout_ms;
        }
        const TimedCheckScope timed;
        const z3::check_result result = feasibility_.check(assumptions);
        if (result == z3::sat) {
            remember_model(feasibility_.get_model());
        }
        feasibility_cache_.insert_or_assign(guard.id(),
                                            std::make_pair(result, assumption_terms_.size()));
        cached_guards_.push_back(guard); // keeps the term, and so its id, alive
        return result;
    }

    // A model of an earlier feasibility query that still satisfies every assumption and makes
    // `guard` true shows it reachable without asking the solver: most guards are reachable,
    // and a query over the whole path so far can take the solver seconds to answer.
    bool satisfied_by_a_known_model(const z3::expr& guard) {
        drop_models_past_the_assumptions();
        for (KnownModel& known : models_) {
            if (known.model.eval(guard, true).is_true()) {
                return true;
            }
        }
        return false;
    }

    // Forgets the remembered models that break an assumption made since they were found; each
    // assumption is evaluated once per model.
    void drop_models_past_the_assumptions() {
        for (auto known = models_.begin(); known != models_.end();) {
            bool holds = true;
            for (size_t i = known->assumptions_checked; holds && i < assumption_terms_.size();
                 ++i) {
                holds = known->model.eval(assumption_terms_[i], true).is_true();
            }
            if (!holds) {
                known = models_.erase(known);
                continue;
            }
            known->assumptions_checked = assumption_terms_.size();
            ++known;
        }
    }

    void remember_model(const z3::model& model) {
        // Their values answer most of few_values()'s queries: `clockwork verify --jobs 2` took
        // 59.4 to 60.5 s keeping 8, 56.4 to 60.6 s keeping 16 and 69.6 to 69.9 s keeping 32.
        constexpr size_t kModelsKept = 16;
        if (models_.size() == kModelsKept) {
            models_.erase(models_.begin());
        }
        models_.push_back({model, assumption_terms_.size()});
    }

    llvm::Expected<std::vector<z3::expr>> arguments_of(const llvm::CallBase& call, Frame& frame) {
        std::vector<z3::expr> arguments;
        for (const llvm::Use& use : call.args()) {
            auto a = value(use.get(), frame, call);
            if (!a) {
                return a.takeError();
            }
            arguments.push_back(*a);
        }
        return arguments;
    }

    // A call through a pointer goes to whichever function the pointer holds: each function of
    // the module whose address is taken and whose type fits is a case of its own, under the
    // condition that the pointer holds its address.
    llvm::Expected<bool> indirect_call(const llvm::CallBase& call, Frame& frame, Cursor& cursor,
                                       unsigned depth) {
        auto pointer = value(call.getCalledOperand(), frame, call);
        if (!pointer) {
            return pointer.takeError();
        }
        auto arguments = arguments_of(call, frame);
        if (!arguments) {
            return arguments.takeError();
        }
        z3::expr unmatched = cursor.guard;
        z3::expr returned_guard = z3_.bool_val(false);
        std::optional<z3::expr> memory;
        std::optional<z3::expr> result;
        for (const llvm::Function& target : module_.functions()) {
            if (target.isDeclaration() || !target.hasAddressTaken() ||
                target.getFunctionType() != call.getFunctionType()) {
                continue;
            }
            const z3::expr address =
                z3_.bv_val(addresses_.at(&target), pointer->get_sort().bv_size());
            z3::expr holds = *pointer == address;
            if (pointer->is_numeral()) {
                holds = holds.simplify();
            }
            unmatched = and_(unmatched, !holds);
            Cursor branch{and_(cursor.guard, holds), cursor.memory};
            if (branch.guard.is_false()) {
                continue;
            }
            if (depth >= kMaxCallDepth) {
                return unsupported(call, "call nested deeper than 64 (recursion?) in");
            }
            auto returned = this->call(target, *arguments, branch, depth + 1);
            if (!returned) {
                return returned.takeError();
            }
            returned_guard = or_(returned_guard, branch.guard);
            memory = memory ? ite_(branch.guard, branch.memory, *memory) : branch.memory;
            if (returned->first) {
                result = result ? ite_(branch.guard, *returned->first, *result) : *returned->first;
            }
        }
        if (pointer->is_numeral()) {
            unmatched = unmatched.simplify();
        }
        // A path on which the pointer holds no function of the module is no call at all when
        // no input reaches it (a lock the harness never set). When the quick check cannot
        // tell, its unreachability becomes an obligation of its own that the checker must
        // prove, and the path ends: a reachable call through such a pointer is then a refuted
        // property naming the call, never a silently dropped path.
        if (!unmatched.is_false()) {
            auto reachable = feasible(unmatched);
            if (!reachable) {
                return reachable.takeError();
            }
            if (*reachable == z3::sat) {
                return unsupported(call, "indirect call to no function of the module");
            }
            if (*reachable == z3::unknown) {
                result_.assertions.push_back({kNoUnsupportedInstruction,
                                              line_of(call.getDebugLoc()), unmatched,
                                              z3_.bool_val(false), ""});
            }
        }
        cursor.guard = returned_guard;
        if (memory) {
            cursor.memory = *memory;
        }
        if (result) {
            frame.values.insert_or_assign(&call, *result);
            result_in_range(call, *result, cursor);
        }
        return !cursor.guard.is_false();
    }

    // Returns false when the rest of the block is unreachable.
    llvm::Expected<bool> call_instruction(const llvm::CallBase& call, Frame& frame, Cursor& cursor,
                                          unsigned depth) {
        if (const auto* intrinsic_call = llvm::dyn_cast<llvm::IntrinsicInst>(&call)) {
            if (auto error = intrinsic(*intrinsic_call, frame, cursor)) {
                return std::move(error);
            }
            auto result = frame.values.find(&call);
            if (result != frame.values.end()) {
                result_in_range(call, result->second, cursor);
            }
            return true;
        }
        const llvm::Function* callee = call.getCalledFunction();
        if (llvm::isa<llvm::InvokeInst>(call) || llvm::isa<llvm::CallBrInst>(call)) {
            return unsupported(call, "invoke or callbr");
        }
        if (callee == nullptr) {
            return indirect_call(call, frame, cursor, depth);
        }
        const llvm::StringRef name = callee->getName();
        auto arguments = arguments_of(call, frame);
        if (!arguments) {
            return arguments.takeError();
        }
        if (name == "cw_assume") {
            const z3::expr condition = as_bool(arguments->at(0));
            const z3::expr constraint = z3::implies(cursor.guard, condition);
            result_.assumptions = and_(result_.assumptions, constraint);
            feasibility_.add(constraint);
            assumption_terms_.push_back(constraint);
            cursor.guard = and_(cursor.guard, condition);
            return true;
        }
        if (name == "cw_assert") {
            llvm::StringRef property;
            if (!llvm::getConstantStringInfo(call.getArgOperand(1), property)) {
                return unsupported(call, "cw_assert without a string literal name in");
            }
            result_.assertions.push_back({property.str(), line_of(call.getDebugLoc()), cursor.guard,
                                          as_bool(arguments->at(0)), ""});
            // Paths in counterexamples end at the assertion, not at the block that holds it.
            result_.trace.push_back({line_of(call.getDebugLoc()), cursor.guard});
            return true;
        }
        if (name.starts_with("cw_nondet_u")) {
            const unsigned bits = bits_of(call.getType());
            const auto index = static_cast<unsigned>(result_.inputs.size());
            const z3::expr input = z3_.bv_const(("nondet" + std::to_string(index)).c_str(), bits);
            result_.inputs.push_back(
                {index, line_of(call.getDebugLoc()), bits, input, cursor.guard});
            frame.values.insert_or_assign(&call, input);
            return true;
        }
        if (callee->isDeclaration()) {
            return unsupported(call, "call to the undefined function " + name.str() + " in");
        }
        if (depth >= kMaxCallDepth) {
            return unsupported(call, "call nested deeper than 64 (recursion?) in");
        }
        auto returned = this->call(*callee, *arguments, cursor, depth + 1);
        if (!returned) {
            return returned.takeError();
        }
        if (returned->first) {
            frame.values.insert_or_assign(&call, *returned->first);
            result_in_range(call, *returned->first, cursor);
        }
        return !cursor.guard.is_false();
    }

    // Executes `function` from `cursor`; on return, cursor is the state after the call.
    llvm::Expected<std::pair<std::optional<z3::expr>, bool>>
    call(const llvm::Function& function, const std::vector<z3::expr>& arguments, Cursor& cursor,
         unsigned depth) {
        Frame frame;
        frame.function = &function;
        auto& info = functions_[&function];
        if (!info) {
            info = std::make_unique<FunctionInfo>(const_cast<llvm::Function&>(function));
        }
        frame.info = info.get();
        unsigned i = 0;
        for (const llvm::Argument& argument : function.args()) {
            frame.values.insert_or_assign(&argument, arguments.at(i++));
        }
        frame.pending[&function.getEntryBlock()].push_back({cursor.guard, cursor.memory, {}});
        const llvm::LoopInfo& loops = frame.info->loops;
        for (const llvm::BasicBlock* block : frame.info->order) {
            const llvm::Loop* loop = loops.getLoopFor(block);
            if (loop == nullptr) {
                if (auto error = execute_block(*block, frame, depth)) {
                    return std::move(error);
                }
                continue;
            }
            const llvm::Loop* outermost = loop->getOutermostLoop();
            if (outermost->getHeader() == block) {
                if (auto error = execute_loop(*outermost, frame, depth)) {
                    return std::move(error);
                }
            }
        }
        // The merged return: the guard under which the call returns, and its value.
        std::optional<z3::expr> result;
        z3::expr guard = z3_.bool_val(false);
        std::optional<z3::expr> memory;
        for (auto& [state, returned] : frame.returns) {
            guard = or_(guard, state.guard);
            memory = memory ? ite_(state.guard, state.memory, *memory) : state.memory;
            if (returned) {
                result = result ? ite_(state.guard, *returned, *result) : *returned;
            }
        }
        cursor.guard = guard;
        if (memory) {
            cursor.memory = *memory;
        }
        return std::make_pair(result, true);
    }

    // ---- control flow ------------------------------------------------------------------------

    EdgeState merge(std::vector<EdgeState>& states) {
        EdgeState merged = states.front();
        for (size_t i = 1; i < states.size(); ++i) {
            const EdgeState& state = states[i];
            merged.memory = ite_(state.guard, state.memory, merged.memory);
            for (size_t p = 0; p < merged.phis.size(); ++p) {
                merged.phis[p].second =
                    ite_(state.guard, state.phis.at(p).second, merged.phis[p].second);
            }
            merged.guard = join_guards(merged.guard, state.guard);
        }
        return merged;
    }

    llvm::Error edge(const llvm::BasicBlock& from, const llvm::BasicBlock& to,
                     const z3::expr& guard, Frame& frame, const Cursor& cursor) {
        if (guard.is_false()) {
            return llvm::Error::success();
        }
        EdgeState state{guard, cursor.memory, {}};
        for (const llvm::PHINode& phi : to.phis()) {
            auto incoming = value(phi.getIncomingValueForBlock(&from), frame, phi);
            if (!incoming) {
                return incoming.takeError();
            }
            state.phis.emplace_back(&phi, *incoming);
        }
        const llvm::Loop* loop = frame.info->loops.getLoopFor(&to);
        if (loop != nullptr && loop->getHeader() == &to && loop->contains(&from)) {
            frame.back_edges[loop].push_back(std::move(state));
        } else {
            frame.pending[&to].push_back(std::move(state));
        }
        return llvm::Error::success();
    }

    llvm::Error execute_block(const llvm::BasicBlock& block, Frame& frame, unsigned depth) {
        auto found = frame.pending.find(&block);
        if (found == frame.pending.end() || found->second.empty()) {
            return llvm::Error::success();
        }
        std::vector<EdgeState> incoming = std::move(found->second);
        frame.pending.erase(found);
        EdgeState entry = merge(incoming);
        if (entry.guard.is_false()) {
            return llvm::Error::success();
        }
        for (auto& [phi, v] : entry.phis) {
            frame.values.insert_or_assign(phi, v);
        }
        Cursor cursor{entry.guard, entry.memory};
        if (const llvm::Instruction* located = first_located(block)) {
            result_.trace.push_back({line_of(located->getDebugLoc()), cursor.guard});
        }
        result_.executed.emplace_back(&block, cursor.guard);
        for (const llvm::Instruction& instruction : block) {
            if (llvm::isa<llvm::PHINode>(instruction)) {
                continue;
            }
            switch (instruction.getOpcode()) {
            case llvm::Instruction::Alloca: {
                const auto& alloca = llvm::cast<llvm::AllocaInst>(instruction);
                const auto* count = llvm::dyn_cast<llvm::ConstantInt>(alloca.getArraySize());
                if (count == nullptr) {
                    return unsupported(instruction, "variable-size alloca");
                }
                const uint64_t align = std::max<uint64_t>(16, alloca.getAlign().value());
                stack_ = (stack_ + align - 1) / align * align;
                frame.values.insert_or_assign(&instruction, address(stack_));
                stack_ += std::max<uint64_t>(
                    1, layout_.getTypeAllocSize(alloca.getAllocatedType()) * count->getZExtValue());
                continue;
            }
            case llvm::Instruction::Store:
                if (auto error = write(instruction, frame, cursor)) {
                    return error;
                }
                continue;
            case llvm::Instruction::Call: {
                auto go_on =
                    call_instruction(llvm::cast<llvm::CallBase>(instruction), frame, cursor, depth);
                if (!go_on) {
                    return go_on.takeError();
                }
                if (!*go_on) {
                    return llvm::Error::success();
                }
                continue;
            }
            case llvm::Instruction::Br: {
                const auto& branch = llvm::cast<llvm::BranchInst>(instruction);
                if (branch.isUnconditional()) {
                    return edge(block, *branch.getSuccessor(0), cursor.guard, frame, cursor);
                }
                auto c = value(branch.getCondition(), frame, instruction);
                if (!c) {
                    return c.takeError();
                }
                const z3::expr taken = as_bool(*c);
                if (auto error = edge(block, *branch.getSuccessor(0), and_(cursor.guard, taken),
                                      frame, cursor)) {
                    return error;
                }
                return edge(block, *branch.getSuccessor(1),
                            and_(cursor.guard, fold(!taken, {taken})), frame, cursor);
            }
            case llvm::Instruction::Switch: {
                const auto& choice = llvm::cast<llvm::SwitchInst>(instruction);
                auto c = value(choice.getCondition(), frame, instruction);
                if (!c) {
                    return c.takeError();
                }
                z3::expr none = z3_.bool_val(true);
                for (const auto& option : choice.cases()) {
                    auto label = constant(*option.getCaseValue(), instruction);
                    if (!label) {
                        return label.takeError();
                    }
                    const z3::expr hit = fold(*c == *label, {*c, *label});
                    none = and_(none, fold(!hit, {hit}));
                    if (auto error = edge(block, *option.getCaseSuccessor(),
                                          and_(cursor.guard, hit), frame, cursor)) {
                        return error;
                    }
                }
                return edge(block, *choice.getDefaultDest(), and_(cursor.guard, none), frame,
                            cursor);
            }
            case llvm::Instruction::Ret: {
                const auto& ret = llvm::cast<llvm::ReturnInst>(instruction);
                std::optional<z3::expr> returned;
                if (ret.getReturnValue() != nullptr) {
                    auto v = value(ret.getReturnValue(), frame, instruction);
                    if (!v) {
                        return v.takeError();
                    }
                    returned = *v;
                }
                frame.returns.emplace_back(EdgeState{cursor.guard, cursor.memory, {}}, returned);
                return llvm::Error::success();
            }
            case llvm::Instruction::Unreachable:
                // Clang emits it after calls that do not return, and where it concluded that
                // no execution arrives (__builtin_unreachable, falling off a function that
                // returns a value), optimising the code around on that conclusion. After a call
                // that does not return, the guard here is already false and this adds nothing;
                // any other arrival is undefined behaviour. No execution continues either way.
                undefined_if(instruction, cursor, z3_.bool_val(true), "unreachable reached");
                return llvm::Error::success();
            default: {
                auto v = pure(instruction, frame, cursor);
                if (!v) {
                    return v.takeError();
                }
                if (llvm::Instruction* original = original_form(instruction)) {
                    auto shadow = original_value(*original, frame, cursor);
                    if (!shadow) {
                        return shadow.takeError();
                    }
                    result_.mutation_site.push_back(
                        {and_(cursor.guard, result_.assumptions), *shadow, *v});
                }
                frame.values.insert_or_assign(&instruction, *v);
            }
            }
        }
        return llvm::Error::success();
    }

    llvm::Error execute_loop(const llvm::Loop& loop, Frame& frame, unsigned depth) {
        const llvm::BasicBlock* header = loop.getHeader();
        const llvm::Instruction* located = first_located(*header);
        if (located == nullptr) {
            return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                           "error: a loop in " + frame.function->getName().str() +
                                               " has no debug line; note: compile with -g");
        }
        const SourceLine where = line_of(located->getDebugLoc());
        // Each entry of a loop asks; the answer depends on the loop alone.
        auto known_fact = loop_facts_.find(&loop);
        if (known_fact == loop_facts_.end()) {
            unsigned header_line = 0;
            const LoopBoundFact* fact = fact_of_loop(loop, frame.info->loops, bounds_, header_line);
            known_fact = loop_facts_.emplace(&loop, fact).first;
        }
        const LoopBoundFact* fact = known_fact->second;
        if (fact == nullptr) {
            return llvm::createStringError(
                llvm::inconvertibleErrorCode(),
                where.file + ":" + std::to_string(where.line) + ": error: loop in " +
                    frame.function->getName().str() +
                    " has no bound; note: add CW_LOOP_BOUND(n) as the first statement of its body");
        }
        // In rotated form the exit test is at the latch and every header entry runs the body;
        // with the test at the header, the last entry only leaves.
        const uint64_t allowed_entries = fact->bound + (loop.isRotatedForm() ? 0 : 1);

        auto found = frame.pending.find(header);
        if (found == frame.pending.end() || found->second.empty()) {
            return llvm::Error::success();
        }
        std::vector<EdgeState> entries = std::move(found->second);
        frame.pending.erase(found);
        EdgeState state = merge(entries);

        llvm::LoopBlocksRPO order(const_cast<llvm::Loop*>(&loop));
        order.perform(&frame.info->loops);
        std::optional<size_t> obligation;
        for (uint64_t entry = 1;; ++entry) {
            if (deadline_ && std::chrono::steady_clock::now() > *deadline_) {
                return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                               std::string(kOutOfTime));
            }
            auto reachable = feasible(state.guard);
            if (!reachable) {
                return reachable.takeError();
            }
            if (*reachable == z3::unsat) {
                break;
            }
            if (!obligation) {
                obligation = result_.loops.size();
                result_.loops.push_back({where,
                                         {fact->file, fact->bound_line},
                                         fact->bound,
                                         state.guard,
                                         z3_.bool_val(false)});
            }
            if (entry > allowed_entries) {
                // The unwinding assertion: this entry must be impossible. Executions beyond it
                // are cut off; the bound's own verdict says whether that lost anything.
                result_.loops[*obligation].exceeded = state.guard;
                break;
            }
            frame.pending[header].push_back(std::move(state));
            for (const llvm::BasicBlock* block : order) {
                const llvm::Loop* inner = frame.info->loops.getLoopFor(block);
                if (inner == &loop) {
                    if (auto error = execute_block(*block, frame, depth)) {
                        return error;
                    }
                    continue;
                }
                // The child of `loop` that contains block, executed whole at its header.
                while (inner->getParentLoop() != &loop) {
                    inner = inner->getParentLoop();
                }
                if (inner->getHeader() == block) {
                    if (auto error = execute_loop(*inner, frame, depth)) {
                        return error;
                    }
                }
            }
            auto back = frame.back_edges.find(&loop);
            if (back == frame.back_edges.end() || back->second.empty()) {
                break;
            }
            std::vector<EdgeState> latches = std::move(back->second);
            frame.back_edges.erase(back);
            state = merge(latches);
        }
        // A second entry of the loop from outside starts a fresh unrolling.
        frame.back_edges.erase(&loop);
        return llvm::Error::success();
    }

  public:
    std::optional<std::chrono::steady_clock::time_point> deadline_;

  private:
    z3::context& z3_;
    const llvm::Module& module_;
    const llvm::DataLayout& layout_;
    llvm::ArrayRef<LoopBoundFact> bounds_;
    z3::solver feasibility_;
    z3::expr memory0_;
    Encoding result_;
    std::vector<AssertionSite> undefined_; // no-undefined-arithmetic-or-control, in execution order
    std::unordered_map<const llvm::GlobalValue*, uint64_t> addresses_;
    std::map<const llvm::Function*, std::unique_ptr<FunctionInfo>> functions_;
    std::unordered_map<const llvm::Loop*, const LoopBoundFact*> loop_facts_;
    uint64_t stack_ = kStackBase;
    unsigned fresh_ = 0;
    llvm::TargetLibraryInfoImpl library_info_;
    llvm::TargetLibraryInfo library_;
    llvm::TypeBasedAAResult type_based_;
    llvm::AAResults aliasing_;
    // The store instruction behind each array store term, for its TBAA tag.
    std::unordered_map<unsigned, const llvm::Instruction*> store_origin_;
    std::map<std::pair<const llvm::Instruction*, const llvm::Instruction*>, bool> may_alias_;
    // The word a numeral address holds in a memory, per TBAA tag of the read: what a read of
    // that address in a later memory finds once its walk reaches this one.
    struct NumeralRead {
        unsigned memory;
        uint64_t index;
        const llvm::MDNode* tag;
        bool operator==(const NumeralRead&) const = default;
    };
    struct NumeralReadHash {
        size_t operator()(const NumeralRead& r) const {
            return std::hash<uint64_t>()(r.index * 0x9e3779b97f4a7c15ull ^ r.memory) ^
                   std::hash<const void*>()(r.tag);
        }
    };
    struct ResolvedWord {
        z3::expr memory; // keeps the memory term, and so its id, alive
        z3::expr word;
    };
    std::unordered_map<NumeralRead, ResolvedWord, NumeralReadHash> numeral_reads_;
    Intervals intervals_; // of address terms: stores a read cannot reach, without a solver call
    const llvm::Instruction* reader_ = nullptr; // the load being resolved, when there is one
    unsigned feasibility_timeout_ms_ = 0;       // the limit feasibility_ was last given
    std::optional<z3::expr> read_guard_;        // where that load happens
    std::vector<std::pair<uint64_t, uint64_t>> reachable_runs_; // of its symbolic address
    // Feasibility answers per guard term, with the number of assumptions they were given.
    std::unordered_map<unsigned, std::pair<z3::check_result, size_t>> feasibility_cache_;
    std::vector<z3::expr> cached_guards_;
    struct KnownModel {
        z3::model model;
        size_t assumptions_checked; // the first this many assumptions hold in it
    };
    std::vector<KnownModel> models_;
    std::vector<z3::expr> assumption_terms_; // every cw_assume constraint, in order
    struct FewValues {
        std::optional<std::vector<uint64_t>> values;
        size_t assumptions; // how many assumptions they were found under
    };
    std::map<std::pair<unsigned, unsigned>, FewValues> few_values_; // (index, guard) ids
    std::unordered_set<unsigned> many_values_; // indices once found to have more than a few
};

} // namespace

llvm::Expected<Encoding> encode(z3::context& z3, const llvm::Module& module, llvm::StringRef entry,
                                llvm::ArrayRef<LoopBoundFact> bounds) {
    return encode(z3, module, entry, bounds, std::nullopt, nullptr);
}

llvm::Expected<Encoding> encode(z3::context& z3, const llvm::Module& module, llvm::StringRef entry,
                                llvm::ArrayRef<LoopBoundFact> bounds,
                                std::optional<std::chrono::steady_clock::time_point> deadline,
                                std::optional<Encoding>* prefix) {
    try {
        Encoder encoder(z3, module, bounds);
        encoder.deadline_ = deadline;
        auto encoding = encoder.run(entry);
        if (!encoding && prefix != nullptr) {
            return llvm::handleErrors(
                encoding.takeError(), [&](const llvm::StringError& error) -> llvm::Error {
                    if (error.getMessage() == kOutOfTime) {
                        *prefix = encoder.prefix();
                    }
                    return llvm::createStringError(error.convertToErrorCode(), error.getMessage());
                });
        }
        return encoding;
    } catch (const z3::exception& e) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       std::string("error: Z3: ") + e.msg());
    }
}

} // namespace clockwork::verifier
