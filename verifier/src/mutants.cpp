#include <clockwork/verifier/mutants.hpp>

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SetVector.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <optional>

namespace clockwork::verifier {
namespace {

// The location a mutant is reported at: the instruction's own, or, for the instructions -O2
// leaves without a line, that of the first located instruction of its block.
const llvm::DILocation* location_of(const llvm::Instruction& instruction) {
    if (const llvm::DILocation* own = instruction.getDebugLoc().get();
        own != nullptr && own->getLine() != 0) {
        return own;
    }
    for (const llvm::Instruction& other : *instruction.getParent()) {
        if (const llvm::DILocation* at = other.getDebugLoc().get();
            at != nullptr && at->getLine() != 0) {
            return at;
        }
    }
    return nullptr;
}

std::string subprogram_name(const llvm::DILocation* at) {
    const llvm::DISubprogram* program = at->getScope()->getSubprogram();
    return program == nullptr ? std::string() : program->getName().str();
}

bool names_one_of(llvm::ArrayRef<std::string> names, llvm::StringRef name) {
    return llvm::is_contained(names, name.str());
}

// Whether the instruction is implementation code in scope: its innermost location is in one of
// the scope's files, and no function on its inlining chain is part of the specification.
bool in_scope(const llvm::DILocation* at, const MutationScope& scope) {
    if (at == nullptr ||
        !names_one_of(scope.source_files, llvm::sys::path::filename(at->getFilename()))) {
        return false;
    }
    for (const llvm::DILocation* level = at; level != nullptr; level = level->getInlinedAt()) {
        if (names_one_of(scope.excluded_functions, subprogram_name(level))) {
            return false;
        }
    }
    return true;
}

std::string type_text(const llvm::Type* type) {
    std::string text;
    llvm::raw_string_ostream stream(text);
    type->print(stream);
    return text;
}

std::optional<llvm::CmpInst::Predicate> boundary_of(llvm::CmpInst::Predicate predicate) {
    using P = llvm::CmpInst::Predicate;
    switch (predicate) {
    case P::ICMP_ULT:
        return P::ICMP_ULE;
    case P::ICMP_ULE:
        return P::ICMP_ULT;
    case P::ICMP_UGT:
        return P::ICMP_UGE;
    case P::ICMP_UGE:
        return P::ICMP_UGT;
    case P::ICMP_SLT:
        return P::ICMP_SLE;
    case P::ICMP_SLE:
        return P::ICMP_SLT;
    case P::ICMP_SGT:
        return P::ICMP_SGE;
    case P::ICMP_SGE:
        return P::ICMP_SGT;
    default:
        return std::nullopt;
    }
}

// The operator a binary operation is swapped for: the nearest one that computes something
// else. i1 operations are Boolean logic, where only and/or/xor exist.
std::optional<unsigned> swapped_opcode(const llvm::BinaryOperator& binary) {
    using I = llvm::Instruction;
    const bool boolean = binary.getType()->isIntegerTy(1);
    switch (binary.getOpcode()) {
    case I::And:
        return I::Or;
    case I::Or:
        return I::And;
    case I::Xor:
        return I::Or;
    default:
        break;
    }
    if (boolean) {
        return std::nullopt;
    }
    switch (binary.getOpcode()) {
    case I::Add:
        return I::Sub;
    case I::Sub:
        return I::Add;
    case I::Mul:
        return I::Add;
    case I::UDiv:
    case I::SDiv:
        return I::Mul;
    case I::Shl:
        return I::LShr;
    case I::LShr:
        return I::Shl;
    case I::AShr:
        return I::LShr;
    default:
        return std::nullopt;
    }
}

// Operands whose integer constant is a meaningful ±1 site: values computed with, compared,
// stored, returned or merged; not GEP indices (a different field, not a different number) or
// call arguments (intrinsic flags).
bool mutable_constant_user(const llvm::Instruction& instruction, unsigned operand) {
    if (llvm::isa<llvm::BinaryOperator, llvm::ICmpInst, llvm::ReturnInst, llvm::PHINode>(
            instruction)) {
        return true;
    }
    if (llvm::isa<llvm::SelectInst>(instruction)) {
        return operand != 0;
    }
    if (llvm::isa<llvm::StoreInst>(instruction)) {
        return operand == 0;
    }
    return false;
}

void add_mutants_of(const llvm::Instruction& instruction, Mutant site,
                    std::vector<Mutant>& mutants) {
    auto add = [&](MutationOperator op, std::string change, unsigned operand = 0,
                   unsigned replacement = 0) {
        Mutant mutant = site;
        mutant.op = op;
        mutant.change = std::move(change);
        mutant.operand = operand;
        mutant.replacement = replacement;
        mutants.push_back(std::move(mutant));
    };
    if (const auto* compare = llvm::dyn_cast<llvm::ICmpInst>(&instruction)) {
        const llvm::CmpInst::Predicate predicate = compare->getPredicate();
        const std::string from = "icmp " + llvm::CmpInst::getPredicateName(predicate).str();
        const llvm::CmpInst::Predicate negated = compare->getInversePredicate();
        add(MutationOperator::predicate_negated,
            from + " -> " + llvm::CmpInst::getPredicateName(negated).str(), 0, negated);
        if (const auto boundary = boundary_of(predicate)) {
            add(MutationOperator::predicate_boundary,
                from + " -> " + llvm::CmpInst::getPredicateName(*boundary).str(), 0, *boundary);
        }
    }
    if (const auto* binary = llvm::dyn_cast<llvm::BinaryOperator>(&instruction)) {
        if (const auto swapped = swapped_opcode(*binary)) {
            add(MutationOperator::arithmetic_swapped,
                std::string(binary->getOpcodeName()) + " -> " +
                    llvm::Instruction::getOpcodeName(*swapped),
                0, *swapped);
        }
    }
    for (unsigned i = 0; i < instruction.getNumOperands(); ++i) {
        const auto* constant = llvm::dyn_cast<llvm::ConstantInt>(instruction.getOperand(i));
        if (constant == nullptr || constant->getBitWidth() < 2 || constant->getBitWidth() > 64 ||
            !mutable_constant_user(instruction, i)) {
            continue;
        }
        const llvm::APInt value = constant->getValue();
        const std::string type = type_text(constant->getType()) + " ";
        const std::string from = type + std::to_string(value.getSExtValue());
        add(MutationOperator::constant_plus_one,
            from + " -> " + std::to_string((value + 1).getSExtValue()), i);
        add(MutationOperator::constant_minus_one,
            from + " -> " + std::to_string((value - 1).getSExtValue()), i);
    }
    if (const auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction)) {
        add(MutationOperator::store_dropped,
            "store " + type_text(store->getValueOperand()->getType()) + " dropped");
    }
    if (const auto* branch = llvm::dyn_cast<llvm::BranchInst>(&instruction)) {
        if (branch->isConditional() && branch->getSuccessor(0) != branch->getSuccessor(1)) {
            add(MutationOperator::branch_inverted, "br successors swapped");
        }
    }
}

llvm::Error not_found(const Mutant& mutant, const std::string& what) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: mutant " + std::to_string(mutant.id) + " (" +
                                       mutant.function + ", instruction " +
                                       std::to_string(mutant.instruction) + "): " + what +
                                       "; note: every harness must link the same allocator IR");
}

} // namespace

std::string operator_name(MutationOperator op) {
    switch (op) {
    case MutationOperator::predicate_negated:
        return "predicate-negated";
    case MutationOperator::predicate_boundary:
        return "predicate-boundary";
    case MutationOperator::constant_plus_one:
        return "constant-plus-one";
    case MutationOperator::constant_minus_one:
        return "constant-minus-one";
    case MutationOperator::arithmetic_swapped:
        return "arithmetic-swapped";
    case MutationOperator::store_dropped:
        return "store-dropped";
    case MutationOperator::branch_inverted:
        return "branch-inverted";
    }
    return "unknown";
}

std::optional<MutationOperator> operator_from_name(const std::string& name) {
    for (const MutationOperator op :
         {MutationOperator::predicate_negated, MutationOperator::predicate_boundary,
          MutationOperator::constant_plus_one, MutationOperator::constant_minus_one,
          MutationOperator::arithmetic_swapped, MutationOperator::store_dropped,
          MutationOperator::branch_inverted}) {
        if (operator_name(op) == name) {
            return op;
        }
    }
    return std::nullopt;
}

bool same_mutant(const Mutant& a, const Mutant& b) {
    const auto same_line = [](const SourceLine& x, const SourceLine& y) {
        return x.file == y.file && x.line == y.line;
    };
    return a.op == b.op && a.function == b.function && a.source_function == b.source_function &&
           same_line(a.where, b.where) && a.change == b.change &&
           std::equal(a.inlined_at.begin(), a.inlined_at.end(), b.inlined_at.begin(),
                      b.inlined_at.end(), same_line);
}

std::vector<std::string> reachable_functions(const llvm::Module& module, llvm::StringRef entry) {
    llvm::SetVector<const llvm::Function*> reached;
    const llvm::Function* start = module.getFunction(entry);
    if (start == nullptr || start->isDeclaration()) {
        return {};
    }
    reached.insert(start);
    for (size_t next = 0; next < reached.size(); ++next) {
        for (const llvm::Instruction& instruction : llvm::instructions(*reached[next])) {
            const auto* call = llvm::dyn_cast<llvm::CallBase>(&instruction);
            const llvm::Function* callee = call ? call->getCalledFunction() : nullptr;
            if (callee != nullptr && !callee->isDeclaration()) {
                reached.insert(callee);
            }
        }
    }
    std::vector<std::string> names;
    for (const llvm::Function* function : reached) {
        names.push_back(function->getName().str());
    }
    return names;
}

std::vector<Mutant> enumerate_mutants(const llvm::Module& module,
                                      llvm::ArrayRef<std::string> functions,
                                      const MutationScope& scope, unsigned first_id) {
    std::vector<Mutant> mutants;
    for (const std::string& name : functions) {
        const llvm::Function* function = module.getFunction(name);
        if (function == nullptr || function->isDeclaration()) {
            continue;
        }
        unsigned ordinal = 0;
        for (const llvm::Instruction& instruction : llvm::instructions(*function)) {
            const unsigned index = ordinal++;
            if (instruction.isDebugOrPseudoInst()) {
                continue;
            }
            const llvm::DILocation* at = location_of(instruction);
            if (!in_scope(at, scope)) {
                continue;
            }
            Mutant site;
            site.function = name;
            site.source_function = subprogram_name(at);
            if (site.source_function.empty()) {
                site.source_function = name;
            }
            if (!scope.only_functions.empty() &&
                !names_one_of(scope.only_functions, site.function) &&
                !names_one_of(scope.only_functions, site.source_function)) {
                continue;
            }
            site.where = {llvm::sys::path::filename(at->getFilename()).str(), at->getLine()};
            for (const llvm::DILocation* call = at->getInlinedAt(); call != nullptr;
                 call = call->getInlinedAt()) {
                site.inlined_at.push_back(
                    {llvm::sys::path::filename(call->getFilename()).str(), call->getLine()});
            }
            site.instruction = index;
            add_mutants_of(instruction, site, mutants);
        }
    }
    for (Mutant& mutant : mutants) {
        mutant.id = first_id++;
    }
    return mutants;
}

const llvm::BasicBlock* mutated_block(const llvm::Module& module, const Mutant& mutant) {
    const llvm::Function* function = module.getFunction(mutant.function);
    if (function == nullptr) {
        return nullptr;
    }
    unsigned ordinal = 0;
    for (const llvm::Instruction& instruction : llvm::instructions(*function)) {
        if (ordinal++ == mutant.instruction) {
            return instruction.getParent();
        }
    }
    return nullptr;
}

namespace {

// !{!"predicate", i32 P}, !{!"opcode", i32 O} or !{!"operand", i32 I, <the constant>}.
constexpr const char* kOriginalMetadata = "cw.original";

llvm::Metadata* integer_metadata(const llvm::Instruction& in, unsigned value) {
    return llvm::ConstantAsMetadata::get(
        llvm::ConstantInt::get(llvm::Type::getInt32Ty(in.getContext()), value));
}

void mark_original(llvm::Instruction& instruction, llvm::StringRef what,
                   std::initializer_list<llvm::Metadata*> values) {
    llvm::LLVMContext& context = instruction.getContext();
    std::vector<llvm::Metadata*> fields{llvm::MDString::get(context, what)};
    fields.insert(fields.end(), values.begin(), values.end());
    instruction.setMetadata(kOriginalMetadata, llvm::MDNode::get(context, fields));
}

} // namespace

llvm::Instruction* original_form(const llvm::Instruction& instruction) {
    const llvm::MDNode* original = instruction.getMetadata(kOriginalMetadata);
    if (original == nullptr) {
        return nullptr;
    }
    auto field = [&](unsigned i) {
        return llvm::mdconst::extract<llvm::ConstantInt>(original->getOperand(i))->getZExtValue();
    };
    const llvm::StringRef what = llvm::cast<llvm::MDString>(original->getOperand(0))->getString();
    if (what == "opcode") {
        return llvm::BinaryOperator::Create(static_cast<llvm::Instruction::BinaryOps>(field(1)),
                                            instruction.getOperand(0), instruction.getOperand(1));
    }
    llvm::Instruction* copy = instruction.clone();
    copy->setMetadata(kOriginalMetadata, nullptr);
    if (what == "predicate") {
        llvm::cast<llvm::ICmpInst>(copy)->setPredicate(
            static_cast<llvm::CmpInst::Predicate>(field(1)));
    } else {
        copy->setOperand(static_cast<unsigned>(field(1)),
                         llvm::mdconst::extract<llvm::ConstantInt>(original->getOperand(2)));
    }
    return copy;
}

bool records_original_value(const llvm::Module& module, const Mutant& mutant) {
    const llvm::Function* function = module.getFunction(mutant.function);
    if (function == nullptr) {
        return false;
    }
    for (const llvm::Instruction& instruction : llvm::instructions(*function)) {
        if (instruction.getMetadata(kOriginalMetadata) != nullptr) {
            return true;
        }
    }
    return false;
}

llvm::Error apply_mutant(llvm::Module& module, const Mutant& mutant) {
    llvm::Function* function = module.getFunction(mutant.function);
    if (function == nullptr || function->isDeclaration()) {
        return not_found(mutant, "the module defines no such function");
    }
    llvm::Instruction* target = nullptr;
    unsigned ordinal = 0;
    for (llvm::Instruction& instruction : llvm::instructions(*function)) {
        if (ordinal++ == mutant.instruction) {
            target = &instruction;
            break;
        }
    }
    if (target == nullptr) {
        return not_found(mutant, "the function has fewer instructions");
    }
    switch (mutant.op) {
    case MutationOperator::predicate_negated:
    case MutationOperator::predicate_boundary: {
        auto* compare = llvm::dyn_cast<llvm::ICmpInst>(target);
        if (compare == nullptr) {
            return not_found(mutant, "not an icmp");
        }
        mark_original(*compare, "predicate", {integer_metadata(*compare, compare->getPredicate())});
        compare->setPredicate(static_cast<llvm::CmpInst::Predicate>(mutant.replacement));
        return llvm::Error::success();
    }
    case MutationOperator::constant_plus_one:
    case MutationOperator::constant_minus_one: {
        if (mutant.operand >= target->getNumOperands()) {
            return not_found(mutant, "no such operand");
        }
        auto* constant = llvm::dyn_cast<llvm::ConstantInt>(target->getOperand(mutant.operand));
        if (constant == nullptr) {
            return not_found(mutant, "the operand is not an integer constant");
        }
        if (llvm::isa<llvm::BinaryOperator>(target) || llvm::isa<llvm::ICmpInst>(target)) {
            mark_original(*target, "operand",
                          {integer_metadata(*target, mutant.operand),
                           llvm::ConstantAsMetadata::get(constant)});
        }
        const llvm::APInt step(constant->getBitWidth(), 1);
        const llvm::APInt changed = mutant.op == MutationOperator::constant_plus_one
                                        ? constant->getValue() + step
                                        : constant->getValue() - step;
        target->setOperand(mutant.operand, llvm::ConstantInt::get(constant->getType(), changed));
        return llvm::Error::success();
    }
    case MutationOperator::arithmetic_swapped: {
        auto* binary = llvm::dyn_cast<llvm::BinaryOperator>(target);
        if (binary == nullptr) {
            return not_found(mutant, "not a binary operator");
        }
        // A new instruction: the old one's nuw/nsw/exact/disjoint flags may not hold for it.
        llvm::BinaryOperator* replacement = llvm::BinaryOperator::Create(
            static_cast<llvm::Instruction::BinaryOps>(mutant.replacement), binary->getOperand(0),
            binary->getOperand(1), binary->getName(), binary->getIterator());
        replacement->setDebugLoc(binary->getDebugLoc());
        mark_original(*replacement, "opcode", {integer_metadata(*binary, binary->getOpcode())});
        binary->replaceAllUsesWith(replacement);
        binary->eraseFromParent();
        return llvm::Error::success();
    }
    case MutationOperator::store_dropped:
        if (!llvm::isa<llvm::StoreInst>(target)) {
            return not_found(mutant, "not a store");
        }
        target->eraseFromParent();
        return llvm::Error::success();
    case MutationOperator::branch_inverted: {
        auto* branch = llvm::dyn_cast<llvm::BranchInst>(target);
        if (branch == nullptr || !branch->isConditional()) {
            return not_found(mutant, "not a conditional branch");
        }
        branch->swapSuccessors();
        return llvm::Error::success();
    }
    }
    return not_found(mutant, "unknown operator");
}

} // namespace clockwork::verifier
