#include "loop_mapping.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/MC/MCInstrDesc.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <map>
#include <optional>

namespace clockwork::analyzer {

namespace {

class PathCanon {
  public:
    const std::string& operator()(const std::string& path) {
        auto found = cache_.find(path);
        if (found != cache_.end()) {
            return found->second;
        }
        llvm::SmallString<256> real;
        if (llvm::sys::fs::real_path(path, real)) {
            real = path;
            llvm::sys::path::remove_dots(real, /*remove_dot_dot=*/true);
        }
        return cache_.emplace(path, std::string(real)).first->second;
    }

  private:
    std::map<std::string, std::string> cache_;
};

bool inside(const source::LoopFact& fact, unsigned line) {
    return line >= fact.first_line && line <= fact.last_line;
}

// A bottom-tested machine loop — one latch, which is also the only block that leaves the loop —
// runs its header once per iteration: every header execution reaches the latch, and reaching
// the header again needs the latch's test to have passed. Each iteration executes the source
// body once (the first iteration's test was the guard before the loop), so the back edges are
// one fewer than the body's bound. Any other shape (the test at the top, breaks, returns from
// the middle) may run the header once more than the body: back edges <= the bound.
bool bottom_tested(const cfg::MachineLoop& loop) {
    const cfg::Block* latch = loop.getLoopLatch();
    if (latch == nullptr) {
        return false;
    }
    llvm::SmallVector<cfg::Block*, 4> exiting;
    loop.getExitingBlocks(exiting);
    return exiting.size() == 1 && exiting.front() == latch;
}

// AVR has no barrel shifter: the compiler turns a variable shift into a one-block loop that
// decrements an 8-bit register and branches back while it is not zero (or not negative). That
// loop is nowhere in the source, but its bound follows from the machine code alone: an 8-bit
// counter that only the decrement writes reaches zero, or turns negative, within 256 steps.
std::optional<uint64_t> derived_counter_bound(const binary::Program& program,
                                              const cfg::MachineLoop& loop) {
    if (program.target().kind != binary::TargetKind::avr || loop.getNumBlocks() != 1) {
        return std::nullopt;
    }
    const cfg::Block& block = *loop.getHeader();
    if (block.instructions.size() < 2) {
        return std::nullopt;
    }
    const auto name = [&](const binary::Instruction& instruction) {
        return program.instr_info().getName(instruction.mc.getOpcode());
    };
    const binary::Instruction& branch = block.instructions.back();
    if (name(branch) != "BRNEk" && name(branch) != "BRPLk") {
        return std::nullopt;
    }
    // dec rX; brne  — or dec rX; cpi rX, 0; brne.
    size_t position = block.instructions.size() - 2;
    const binary::Instruction& compare = block.instructions[position];
    if (name(compare) == "CPIRdK" && compare.mc.getOperand(1).isImm() &&
        compare.mc.getOperand(1).getImm() == 0 && position > 0) {
        --position;
    }
    const binary::Instruction& decrement = block.instructions[position];
    const bool decrements = name(decrement) == "DECRd" ||
                            (name(decrement) == "SUBIRdK" && decrement.mc.getOperand(2).isImm() &&
                             decrement.mc.getOperand(2).getImm() == 1);
    if (!decrements) {
        return std::nullopt;
    }
    if (position != block.instructions.size() - 2 &&
        compare.mc.getOperand(0).getReg() != decrement.mc.getOperand(0).getReg()) {
        return std::nullopt;
    }
    const unsigned counter = decrement.mc.getOperand(0).getReg();
    const auto writes_counter = [&](const binary::Instruction& other) {
        const llvm::MCInstrDesc& desc = program.desc(other);
        for (unsigned def = 0; def < desc.getNumDefs() && def < other.mc.getNumOperands(); ++def) {
            const llvm::MCOperand& operand = other.mc.getOperand(def);
            if (operand.isReg() && program.register_info().regsOverlap(operand.getReg(), counter)) {
                return true;
            }
        }
        return false;
    };
    for (size_t k = 0; k < position; ++k) {
        const binary::Instruction& other = block.instructions[k];
        const llvm::MCInstrDesc& desc = program.desc(other);
        for (unsigned def = 0; def < desc.getNumDefs() && def < other.mc.getNumOperands(); ++def) {
            const llvm::MCOperand& operand = other.mc.getOperand(def);
            if (operand.isReg() && program.register_info().regsOverlap(operand.getReg(), counter)) {
                return std::nullopt;
            }
        }
    }
    // LLVM's AVR shift: `andi rX, 15` (or `ldi rX, k`), then `dec rX; brmi past` in front of the
    // loop and `dec rX; brpl loop` at its end runs the loop exactly k times for a counter of k.
    // Finding that masked or loaded value in the code that enters the loop tightens 256 to k.
    if (name(branch) == "BRPLk" && position == block.instructions.size() - 2) {
        if (const cfg::Block* entry = loop.getLoopPredecessor();
            entry != nullptr && entry->instructions.size() >= 2) {
            const auto& before = entry->instructions;
            const binary::Instruction& guard = before[before.size() - 1];
            const binary::Instruction& first_decrement = before[before.size() - 2];
            if (name(guard) == "BRMIk" && name(first_decrement) == "DECRd" &&
                first_decrement.mc.getOperand(0).getReg() == counter) {
                for (size_t k = before.size() - 2; k-- > 0;) {
                    const binary::Instruction& at = before[k];
                    if (!writes_counter(at)) {
                        continue;
                    }
                    const llvm::StringRef opcode = name(at);
                    if ((opcode == "ANDIRdK" || opcode == "LDIRdK") &&
                        at.mc.getOperand(0).getReg() == counter) {
                        const llvm::MCOperand& value =
                            at.mc.getOperand(opcode == "ANDIRdK" ? 2 : 1);
                        if (value.isImm() && value.getImm() >= 0 && value.getImm() < 256) {
                            return static_cast<uint64_t>(value.getImm());
                        }
                    }
                    break;
                }
            }
        }
    }
    return 256;
}

std::string where(const binary::Program& program, uint64_t address) {
    return cfg::describe_location(program, address);
}

} // namespace

llvm::Expected<std::vector<MappedLoop>> map_loops(const binary::Program& program,
                                                  const source::FlowFacts& facts,
                                                  const cfg::FunctionGraph& function,
                                                  const cfg::LoopForest& forest) {
    PathCanon canon;
    std::vector<std::string> fact_files;
    for (const source::LoopFact& fact : facts.loops) {
        fact_files.push_back(canon(fact.file));
    }

    std::vector<MappedLoop> result;
    for (cfg::MachineLoop* loop : forest.all_loops()) {
        const cfg::Block* header = loop->getHeader();
        std::vector<size_t> score(facts.loops.size(), 0);
        for (const cfg::Block* block : loop->getBlocks()) {
            if (forest.loops().getLoopFor(block) != loop) {
                continue; // belongs to an inner loop
            }
            for (const binary::Instruction& instruction : block->instructions) {
                const binary::SourceLine line = program.line_at(instruction.address);
                if (!line.known()) {
                    continue;
                }
                const std::string& file = canon(line.file);
                for (size_t k = 0; k < facts.loops.size(); ++k) {
                    if (fact_files[k] == file && inside(facts.loops[k], line.line)) {
                        ++score[k];
                    }
                }
            }
        }
        size_t best = facts.loops.size();
        for (size_t k = 0; k < facts.loops.size(); ++k) {
            if (score[k] == 0) {
                continue;
            }
            const auto span = [&](size_t i) {
                return facts.loops[i].last_line - facts.loops[i].first_line;
            };
            if (best == facts.loops.size() || score[k] > score[best] ||
                (score[k] == score[best] && span(k) < span(best))) {
                best = k;
            }
        }
        const std::string at = "0x" + llvm::utohexstr(header->address, true);
        if (best == facts.loops.size()) {
            if (auto derived = derived_counter_bound(program, *loop)) {
                MappedLoop mapped;
                mapped.loop = loop;
                mapped.header = header;
                mapped.bound.header_address = header->address;
                // The first instruction with a line row: a loop the compiler made may start
                // with one that has none.
                binary::SourceLine line;
                for (const binary::Instruction& instruction : header->instructions) {
                    line = program.line_at(instruction.address);
                    if (line.known()) {
                        break;
                    }
                }
                mapped.bound.location = {line.file, line.line};
                mapped.bound.bound = *derived;
                mapped.bound.provenance = reports::LoopBoundProvenance::derived;
                mapped.back_edges_per_entry = *derived > 0 ? *derived - 1 : 0;
                mapped.provenance_text = "derived from the machine code: an 8-bit counter "
                                         "decremented once per iteration, from its mask or "
                                         "initial value where the entering code shows one";
                result.push_back(std::move(mapped));
                continue;
            }
            return llvm::createStringError(
                llvm::inconvertibleErrorCode(),
                where(program, header->address) + ": error: a loop in " + function.name() + " at " +
                    at +
                    " matches no loop of the analysed sources, so it has no bound (the compiler "
                    "made it, e.g. a variable shift or a count-leading-zeros on a core without "
                    "one, or its source was not given); note: pass the sources and compile "
                    "commands of the build, or avoid the construct on this target");
        }
        const source::LoopFact& fact = facts.loops[best];
        if (!fact.bounded) {
            return llvm::createStringError(
                llvm::inconvertibleErrorCode(),
                fact.file + ":" + std::to_string(fact.loop_line) + ": error: the loop in " +
                    function.name() + " at " + at +
                    " has no bound; note: write CW_LOOP_BOUND(n) as the first statement of its "
                    "body, or _Pragma(\"loopbound min 0 max n\") before it");
        }
        MappedLoop mapped;
        mapped.loop = loop;
        mapped.header = header;
        mapped.bound.header_address = header->address;
        mapped.bound.location = {fact.file, fact.loop_line};
        mapped.bound.bound = fact.max;
        mapped.bound.provenance = reports::LoopBoundProvenance::annotated;
        mapped.bound.proven = false;
        if (bottom_tested(*loop)) {
            mapped.back_edges_per_entry = fact.max > 0 ? fact.max - 1 : 0;
        } else if (loop->isLoopExiting(header)) {
            // The header tests and may leave: each step from it into the body starts one run of
            // the body (or continues one, when the header is body code itself), so counting those
            // steps against the bound keeps a loop left from its middle from running the header
            // once more and then part of the body again.
            mapped.back_edges_per_entry = fact.max;
            mapped.count_body_entries = true;
        } else {
            mapped.back_edges_per_entry = fact.max;
        }
        mapped.annotation = {fact.file, fact.bound_line};
        mapped.provenance_text = std::string(fact.syntax == source::BoundSyntax::cw_loop_bound
                                                 ? "CW_LOOP_BOUND annotation at "
                                                 : "loopbound pragma at ") +
                                 fact.file + ":" + std::to_string(fact.bound_line);
        result.push_back(std::move(mapped));
    }
    return result;
}

} // namespace clockwork::analyzer
