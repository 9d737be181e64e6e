#include <clockwork/analyzer/cfg/function_graph.hpp>

#include "jump_tables.hpp"

#include <llvm/ADT/StringExtras.h>
#include <llvm/MC/MCInstrDesc.h>
#include <llvm/MC/MCInstrInfo.h>

#include <deque>
#include <map>
#include <set>

namespace clockwork::analyzer::cfg {

namespace {

using binary::FunctionSymbol;
using binary::Instruction;
using binary::Program;

struct Decoded {
    Instruction instruction;
    Flow flow;
};

llvm::Error error_at(const Program& program, const FunctionSymbol& symbol, uint64_t address,
                     const llvm::Twine& what, const llvm::Twine& fix) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   describe_location(program, address) + ": error: " + what +
                                       " in " + symbol.name + " at 0x" + llvm::utohexstr(address) +
                                       "; note: " + fix);
}

bool inside(const FunctionSymbol& symbol, uint64_t address) {
    return address >= symbol.address && address - symbol.address < symbol.size;
}

bool ends_run(FlowKind kind) {
    return kind == FlowKind::jump || kind == FlowKind::ret || kind == FlowKind::indirect_jump ||
           kind == FlowKind::table_jump || kind == FlowKind::stop;
}

bool ends_block(FlowKind kind) {
    return ends_run(kind) || kind == FlowKind::conditional_jump ||
           kind == FlowKind::conditional_return;
}

// Follows every reachable path once, decoding each run front to back (the Thumb decoder's IT
// state depends on it), and collects the addresses where blocks start.
class Explorer {
  public:
    Explorer(const Program& program, const FunctionSymbol& symbol, const BuildOptions& options)
        : program_(program), symbol_(symbol), options_(options) {}

    llvm::Error run() {
        leaders_.insert(symbol_.address);
        work_.push_back(symbol_.address);
        while (!work_.empty()) {
            const uint64_t start = work_.front();
            work_.pop_front();
            if (auto err = run_from(start)) {
                return err;
            }
        }
        return check_computed_tables();
    }

    const std::map<uint64_t, Decoded>& decoded() const { return decoded_; }
    const std::set<uint64_t>& leaders() const { return leaders_; }

  private:
    void add_leader(uint64_t address) {
        if (leaders_.insert(address).second) {
            work_.push_back(address);
        }
    }

    llvm::Error check_target(const Instruction& instruction, const Flow& flow) {
        if (!flow.target) {
            return error_at(program_, symbol_, instruction.address,
                            "a branch whose target LLVM cannot compute",
                            "this instruction form is not supported; report it with the ELF");
        }
        if (inside(symbol_, *flow.target)) {
            add_leader(*flow.target);
            return llvm::Error::success();
        }
        if (!program_.function_at(*flow.target)) {
            return error_at(program_, symbol_, instruction.address,
                            "a branch to 0x" + llvm::utohexstr(*flow.target) +
                                ", outside the function and not the start of another one",
                            "check that the symbol's size in the ELF covers the whole function");
        }
        return llvm::Error::success(); // a tail call
    }

    // TBB/TBH [pc, rm]: the compiler guards it with `cmp rn, #k; bhi default` (rm a copy of rn
    // made after the guard, or rn itself), so the table has k + 1 entries, each a count of
    // halfwords from the instruction after the TBB/TBH.
    llvm::Error read_table(const Instruction& branch, const std::vector<const Instruction*>& run,
                           Flow& flow) {
        const auto name = [&](const Instruction& i) {
            return program_.instr_info().getName(i.mc.getOpcode());
        };
        constexpr int64_t kHigher = 8; // ARMCC::HI
        unsigned index = branch.mc.getOperand(1).getReg();
        std::optional<uint64_t> entries;
        for (size_t k = run.size(); k-- > 1;) {
            const Instruction& at = *run[k];
            if ((name(at) == "tBcc" || name(at) == "t2Bcc") &&
                at.mc.getOperand(1).getImm() == kHigher) {
                const Instruction& compare = *run[k - 1];
                if ((name(compare) == "tCMPi8" || name(compare) == "t2CMPri") &&
                    compare.mc.getOperand(0).getReg() == index &&
                    compare.mc.getOperand(1).isImm()) {
                    entries = static_cast<uint64_t>(compare.mc.getOperand(1).getImm()) + 1;
                }
                break;
            }
            if (name(at) == "tMOVr" && at.mc.getOperand(0).getReg() == index) {
                index = at.mc.getOperand(1).getReg(); // the table is indexed by a copy
                continue;
            }
            const llvm::MCInstrDesc& desc = program_.desc(at);
            if (desc.isCall()) {
                break; // a call may change the index (r0-r3, r12 are not preserved)
            }
            // A register list (pop, ldm) writes registers that are no fixed definitions: any
            // mention of the index there counts as a write.
            const unsigned written = desc.isVariadic() ? at.mc.getNumOperands() : desc.getNumDefs();
            for (unsigned def = 0; def < written; ++def) {
                if (at.mc.getOperand(def).isReg() && at.mc.getOperand(def).getReg() == index) {
                    k = 1; // the index changed after any guard: its range is unknown
                    break;
                }
            }
        }
        if (!entries) {
            return error_at(program_, symbol_, branch.address,
                            "a jump table whose size cannot be read (no `cmp; bhi` guard on its "
                            "index before it)",
                            "build with -fno-jump-tables, or keep the switch's range check "
                            "right before the table");
        }
        const bool halfwords = name(branch) == "t2TBH";
        const uint64_t table = branch.address + 4;
        auto bytes = program_.bytes(table, *entries * (halfwords ? 2 : 1));
        if (!bytes) {
            return error_at(program_, symbol_, branch.address, "a jump table outside the code",
                            "check the ELF");
        }
        for (uint64_t k = 0; k < *entries; ++k) {
            const uint64_t entry =
                halfwords ? (uint64_t{(*bytes)[2 * k]} | (uint64_t{(*bytes)[2 * k + 1]} << 8))
                          : uint64_t{(*bytes)[k]};
            const uint64_t target = table + 2 * entry;
            if (!inside(symbol_, target)) {
                return error_at(program_, symbol_, branch.address,
                                "a jump table entry that leaves the function", "check the ELF");
            }
            flow.table_targets.push_back(target);
            add_leader(target);
        }
        return llvm::Error::success();
    }

    // A computed table was read from the facts of one straight run of instructions. They hold
    // at the jump only if no other way leads into the run after its first instruction: a branch
    // found later into the run (past the range check, or between the table base and the jump)
    // would reach the jump with facts the reading never saw.
    llvm::Error check_computed_tables() {
        std::set<uint64_t> targets;
        for (const auto& [address, decoded] : decoded_) {
            const Flow& flow = decoded.flow;
            if ((flow.kind == FlowKind::jump || flow.kind == FlowKind::conditional_jump) &&
                flow.target) {
                targets.insert(*flow.target);
            }
            targets.insert(flow.table_targets.begin(), flow.table_targets.end());
        }
        for (const auto& [run_start, jump] : computed_tables_) {
            auto inside_run = targets.upper_bound(run_start);
            if (inside_run != targets.end() && *inside_run <= jump) {
                return error_at(program_, symbol_, jump,
                                "a jump table whose range check a branch to 0x" +
                                    llvm::utohexstr(*inside_run) + " can bypass",
                                "the table's size is read from the code that runs straight "
                                "before it; keep the switch's range check and the table jump "
                                "in one run that nothing else branches into");
            }
        }
        return llvm::Error::success();
    }

    // rv32imc and x86-64: an indirect jump through `table[index]` behind a range guard (see
    // jump_tables.hpp) becomes a table jump; any other stays indirect.
    llvm::Error read_computed_table(const Instruction& branch,
                                    const std::vector<const Instruction*>& run, Flow& flow) {
        auto table = resolve_jump_table(program_, run, branch);
        if (!table) {
            return error_at(program_, symbol_, branch.address, llvm::toString(table.takeError()),
                            "check the ELF");
        }
        if (!*table) {
            return llvm::Error::success();
        }
        for (uint64_t target : (*table)->targets) {
            if (!inside(symbol_, target)) {
                return error_at(program_, symbol_, branch.address,
                                "a jump table entry (0x" + llvm::utohexstr(target) +
                                    ") that leaves the function",
                                "check the ELF");
            }
        }
        computed_tables_.emplace_back(run.empty() ? branch.address : run.front()->address,
                                      branch.address);
        flow.kind = FlowKind::table_jump;
        flow.table_targets = std::move((*table)->targets);
        for (uint64_t target : flow.table_targets) {
            add_leader(target);
        }
        return llvm::Error::success();
    }

    llvm::Error run_from(uint64_t address) {
        const Instruction* previous = nullptr;
        std::vector<const Instruction*> run;
        while (true) {
            if (decoded_.count(address) != 0) {
                leaders_.insert(address);
                return llvm::Error::success();
            }
            if (!inside(symbol_, address)) {
                return error_at(program_, symbol_, address,
                                "control falls off the end of the function",
                                "the function's last instruction must return, branch or trap");
            }
            auto instruction = program_.decode(address);
            if (!instruction) {
                return instruction.takeError();
            }
            auto flow = classify(program_, *instruction, previous);
            if (!flow) {
                return flow.takeError();
            }
            if (flow->kind == FlowKind::table_jump) {
                if (auto err = read_table(*instruction, run, *flow)) {
                    return err;
                }
                computed_tables_.emplace_back(run.empty() ? instruction->address
                                                          : run.front()->address,
                                              instruction->address);
            }
            if (flow->kind == FlowKind::indirect_jump) {
                if (auto err = read_computed_table(*instruction, run, *flow)) {
                    return err;
                }
            }
            auto [slot, inserted] = decoded_.emplace(address, Decoded{*instruction, *flow});
            (void)inserted;
            previous = &slot->second.instruction;
            run.push_back(previous);
            const uint64_t next = address + instruction->size;

            switch (flow->kind) {
            case FlowKind::indirect_jump:
                if (options_.allow_indirect_calls && options_.indirect_jumps_are_tail_calls) {
                    break;
                }
                return error_at(program_, symbol_, address,
                                "an indirect jump whose targets cannot be resolved",
                                "a jump table is read only behind its range check (the "
                                "switch's compare and branch right before it); a computed jump "
                                "or a tail call through a function pointer is not bounded: "
                                "write direct branches, or give the callee's cost with "
                                "--assume-indirect-call-cost N");
            case FlowKind::indirect_call:
                if (!options_.allow_indirect_calls) {
                    return error_at(program_, symbol_, address, "a call through a function pointer",
                                    "the callee is unknown, so its time is too; give its cost "
                                    "with --assume-indirect-call-cost N");
                }
                break;
            case FlowKind::call:
                if (!flow->target || !program_.function_at(*flow->target)) {
                    return error_at(program_, symbol_, address,
                                    "a call to an address that is no function's start",
                                    "check the ELF's symbol table");
                }
                break;
            case FlowKind::jump:
            case FlowKind::conditional_jump:
                if (auto err = check_target(*instruction, *flow)) {
                    return err;
                }
                break;
            default:
                break;
            }
            if (ends_run(flow->kind)) {
                return llvm::Error::success();
            }
            if (flow->kind == FlowKind::conditional_jump ||
                flow->kind == FlowKind::conditional_return) {
                leaders_.insert(next);
            }
            address = next;
        }
    }

    const Program& program_;
    const FunctionSymbol& symbol_;
    const BuildOptions& options_;
    std::map<uint64_t, Decoded> decoded_;
    std::set<uint64_t> leaders_;
    std::vector<std::pair<uint64_t, uint64_t>> computed_tables_; // (run start, table jump)
    std::deque<uint64_t> work_;
};

} // namespace

void Block::printAsOperand(llvm::raw_ostream& out, bool /*print_type*/) const {
    out << "0x" << llvm::utohexstr(address);
}

Block& FunctionGraph::add_block(uint64_t address) {
    auto block = std::make_unique<Block>();
    block->address = address;
    block->index = static_cast<uint32_t>(blocks_.size());
    block->parent_ = this;
    blocks_.push_back(std::move(block));
    return *blocks_.back();
}

void FunctionGraph::add_edge(Block& from, Block& to, bool taken) {
    from.successors.push_back(&to);
    from.taken.push_back(taken);
    to.predecessors.push_back(&from);
}

std::string describe_location(const Program& program, uint64_t address) {
    const binary::SourceLine line = program.line_at(address);
    if (!line.known()) {
        return "0x" + llvm::utohexstr(address);
    }
    return line.file + ":" + std::to_string(line.line);
}

llvm::Expected<std::unique_ptr<FunctionGraph>>
build_function(const Program& program, const FunctionSymbol& symbol, const BuildOptions& options) {
    if (symbol.size == 0) {
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            program.path() + ": error: the symbol " + symbol.name +
                " has no size, so its end is unknown; note: analyze an ELF whose function "
                "symbols carry st_size (every compiler's default)");
    }
    Explorer explorer(program, symbol, options);
    if (auto err = explorer.run()) {
        return std::move(err);
    }

    auto graph = std::make_unique<FunctionGraph>(symbol.name, symbol.address);
    std::map<uint64_t, Block*> by_address;
    // The entry first, so that blocks()[0] is where execution starts.
    std::vector<uint64_t> starts{symbol.address};
    for (uint64_t leader : explorer.leaders()) {
        if (leader != symbol.address && explorer.decoded().count(leader) != 0) {
            starts.push_back(leader);
        }
    }
    for (uint64_t start : starts) {
        by_address[start] = &graph->add_block(start);
    }

    struct PendingEdge {
        Block* from;
        uint64_t to;
        bool taken;
    };
    std::vector<PendingEdge> pending;
    auto virtual_exit = [&](uint64_t address) -> Block& {
        Block& exit = graph->add_block(address);
        exit.virtual_ = true;
        exit.exits = true;
        return exit;
    };

    for (uint64_t start : starts) {
        Block* block = by_address[start];
        auto it = explorer.decoded().find(start);
        while (true) {
            const Decoded& decoded = it->second;
            block->instructions.push_back(decoded.instruction);
            block->flows.push_back(decoded.flow);
            const Flow& flow = decoded.flow;
            const uint64_t address = decoded.instruction.address;
            const uint64_t next = address + decoded.instruction.size;
            if (flow.kind == FlowKind::call || flow.kind == FlowKind::indirect_call) {
                block->calls.push_back({address, flow.target, false});
            }
            if (ends_block(flow.kind)) {
                const bool to_other_function =
                    flow.target.has_value() && !inside(symbol, *flow.target);
                switch (flow.kind) {
                case FlowKind::jump:
                    if (to_other_function) {
                        block->calls.push_back({address, flow.target, true});
                        block->exits = true;
                    } else {
                        pending.push_back({block, *flow.target, true});
                    }
                    break;
                case FlowKind::conditional_jump:
                    if (to_other_function) {
                        Block& tail = virtual_exit(address);
                        tail.calls.push_back({address, flow.target, true});
                        graph->add_edge(*block, tail, true);
                    } else {
                        pending.push_back({block, *flow.target, true});
                    }
                    pending.push_back({block, next, false});
                    break;
                case FlowKind::conditional_return:
                    graph->add_edge(*block, virtual_exit(address), true);
                    pending.push_back({block, next, false});
                    break;
                case FlowKind::table_jump: {
                    std::set<uint64_t> distinct(flow.table_targets.begin(),
                                                flow.table_targets.end());
                    for (uint64_t target : distinct) {
                        pending.push_back({block, target, true});
                    }
                    break;
                }
                case FlowKind::indirect_jump: // allowed only as a tail call, see BuildOptions
                    block->calls.push_back({address, std::nullopt, true, true});
                    block->exits = true;
                    break;
                default: // ret, stop: the path leaves the function here
                    block->exits = true;
                    break;
                }
                break;
            }
            ++it;
            if (it == explorer.decoded().end() || it->first != next ||
                by_address.count(next) != 0) {
                pending.push_back({block, next, false});
                break;
            }
        }
    }
    for (const PendingEdge& edge : pending) {
        graph->add_edge(*edge.from, *by_address.at(edge.to), edge.taken);
    }
    return graph;
}

} // namespace clockwork::analyzer::cfg
