#include <clockwork/workloads/heap_session.hpp>

#include <llvm/ADT/SmallVector.h>

#include <algorithm>

namespace clockwork::workloads {

namespace {

llvm::Error error(const llvm::Twine& message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<uint64_t> number(llvm::StringRef word, llvm::StringRef text) {
    uint64_t value = 0;
    if (word.getAsInteger(10, value)) {
        return error("'" + text + "': '" + word + "' is not a whole number");
    }
    return value;
}

llvm::Expected<uint64_t> block_number(llvm::StringRef word, llvm::StringRef text) {
    if (!word.consume_front("#")) {
        return error("'" + text + "': a block is written #k, not '" + word + "'");
    }
    return number(word, text);
}

// "init <bytes> [validate]".
llvm::Expected<HeapSetup> parse_init(llvm::StringRef text) {
    llvm::SmallVector<llvm::StringRef, 4> words;
    text.split(words, ' ', -1, /*KeepEmpty=*/false);
    if (words.size() < 2 || words.size() > 3 || (words.size() == 3 && words[2] != "validate")) {
        return error("'" + text + "': write init <arena bytes> [validate]");
    }
    auto bytes = number(words[1], text);
    if (!bytes) {
        return bytes.takeError();
    }
    return HeapSetup{*bytes, words.size() == 3};
}

} // namespace

llvm::StringRef function_of(HeapOperation::Kind kind) {
    switch (kind) {
    case HeapOperation::Kind::allocate:
        return "cw_heap_allocate";
    case HeapOperation::Kind::allocate_aligned:
        return "cw_heap_allocate_aligned";
    case HeapOperation::Kind::free:
        return "cw_heap_free";
    case HeapOperation::Kind::reallocate:
        return "cw_heap_reallocate";
    }
    return "";
}

llvm::Expected<HeapOperation> parse_operation(llvm::StringRef text) {
    llvm::SmallVector<llvm::StringRef, 4> words;
    text.split(words, ' ', -1, /*KeepEmpty=*/false);
    HeapOperation operation;
    auto expect = [&](size_t count, const char* shape) -> llvm::Error {
        if (words.size() != count) {
            return error("'" + text + "': write " + shape);
        }
        return llvm::Error::success();
    };
    const llvm::StringRef verb = words.empty() ? llvm::StringRef() : words[0];
    if (verb == "allocate") {
        operation.kind = HeapOperation::Kind::allocate;
        if (auto err = expect(2, "allocate <n>")) {
            return std::move(err);
        }
        auto n = number(words[1], text);
        if (!n) {
            return n.takeError();
        }
        operation.size = *n;
    } else if (verb == "allocate_aligned") {
        operation.kind = HeapOperation::Kind::allocate_aligned;
        if (auto err = expect(3, "allocate_aligned <n> <alignment>")) {
            return std::move(err);
        }
        auto n = number(words[1], text);
        if (!n) {
            return n.takeError();
        }
        auto alignment = number(words[2], text);
        if (!alignment) {
            return alignment.takeError();
        }
        operation.size = *n;
        operation.alignment = *alignment;
    } else if (verb == "free") {
        operation.kind = HeapOperation::Kind::free;
        if (auto err = expect(2, "free #<k>")) {
            return std::move(err);
        }
        auto block = block_number(words[1], text);
        if (!block) {
            return block.takeError();
        }
        operation.block = *block;
    } else if (verb == "reallocate") {
        operation.kind = HeapOperation::Kind::reallocate;
        if (auto err = expect(3, "reallocate #<k> <n>")) {
            return std::move(err);
        }
        auto block = block_number(words[1], text);
        if (!block) {
            return block.takeError();
        }
        auto n = number(words[2], text);
        if (!n) {
            return n.takeError();
        }
        operation.block = *block;
        operation.size = *n;
    } else {
        return error("'" + text +
                     "': unknown operation (use allocate, allocate_aligned, free, reallocate)");
    }
    return operation;
}

std::string to_string(const HeapOperation& operation) {
    switch (operation.kind) {
    case HeapOperation::Kind::allocate:
        return "allocate " + std::to_string(operation.size);
    case HeapOperation::Kind::allocate_aligned:
        return "allocate_aligned " + std::to_string(operation.size) + " " +
               std::to_string(operation.alignment);
    case HeapOperation::Kind::free:
        return "free #" + std::to_string(operation.block);
    case HeapOperation::Kind::reallocate:
        return "reallocate #" + std::to_string(operation.block) + " " +
               std::to_string(operation.size);
    }
    return "";
}

std::string init_operation(const HeapSetup& setup) {
    return "init " + std::to_string(setup.arena_bytes) + (setup.validate ? " validate" : "");
}

llvm::Expected<HeapSession> HeapSession::start(runner::Machine& machine, const HeapSetup& setup) {
    const uint64_t out = machine.scratch_base();
    const uint64_t options = out + 16;
    const uint64_t arena = (out + 64) & ~uint64_t{15};
    const uint64_t room = machine.scratch_size() > 128 ? machine.scratch_size() - 128 : 0;
    const uint64_t arena_bytes = std::min(room, setup.arena_bytes) & ~uint64_t{15};
    // cw_heap_options as the target lays it out: int validate, then three pointers (the lock),
    // each aligned to the pointer size. All zero but validate: no lock.
    std::vector<uint8_t> layout(machine.pointer_bytes() * 4, 0);
    layout[0] = setup.validate ? 1 : 0;
    if (auto err = machine.write(options, layout)) {
        return std::move(err);
    }
    auto init = machine.call("cw_heap_init", {arena, arena_bytes, options, out});
    if (!init) {
        return init.takeError();
    }
    if (init->value != 0) {
        return error("cw_heap_init refused an arena of " + llvm::Twine(arena_bytes) +
                     " bytes with status " + llvm::Twine(init->value) +
                     "; note: give the heap a larger arena");
    }
    auto handle = machine.read(out, machine.pointer_bytes());
    if (!handle) {
        return handle.takeError();
    }
    uint64_t heap = 0;
    for (unsigned k = 0; k < machine.pointer_bytes(); ++k) {
        heap |= uint64_t{(*handle)[k]} << (8 * k);
    }
    return HeapSession(machine, heap, arena_bytes);
}

void HeapSession::forget(uint64_t block) {
    address_.erase(block);
    auto at = std::find(live_order_.begin(), live_order_.end(), block);
    *at = live_order_.back();
    live_order_.pop_back();
}

llvm::Expected<runner::CallResult> HeapSession::apply(const HeapOperation& operation) {
    const llvm::StringRef function = function_of(operation.kind);
    uint64_t address = 0;
    if (operation.kind == HeapOperation::Kind::free ||
        operation.kind == HeapOperation::Kind::reallocate) {
        auto live = address_.find(operation.block);
        if (live == address_.end()) {
            return error("'" + to_string(operation) + "': block #" + llvm::Twine(operation.block) +
                         " is not live");
        }
        address = live->second;
    }
    llvm::Expected<runner::CallResult> call = runner::CallResult{};
    switch (operation.kind) {
    case HeapOperation::Kind::allocate:
        call = machine_->call(function, {heap_, operation.size});
        break;
    case HeapOperation::Kind::allocate_aligned:
        call = machine_->call(function, {heap_, operation.size, operation.alignment});
        break;
    case HeapOperation::Kind::free:
        call = machine_->call(function, {heap_, address});
        break;
    case HeapOperation::Kind::reallocate:
        call = machine_->call(function, {heap_, address, operation.size, 0});
        break;
    }
    if (!call) {
        return call.takeError();
    }
    switch (operation.kind) {
    case HeapOperation::Kind::allocate:
    case HeapOperation::Kind::allocate_aligned:
        if (call->value != 0) {
            address_[next_block_] = call->value;
            live_order_.push_back(next_block_);
        }
        ++next_block_;
        break;
    case HeapOperation::Kind::free:
        forget(operation.block);
        break;
    case HeapOperation::Kind::reallocate:
        if (operation.size == 0) {
            forget(operation.block);
        } else if (call->value != 0) {
            address_[operation.block] = call->value;
        }
        break;
    }
    return call;
}

llvm::Expected<Replay> replay_witness(runner::Machine& machine, const reports::Witness& witness) {
    llvm::ArrayRef<std::string> operations = witness.operations;
    if (operations.empty()) {
        return error("witness " + witness.id + " has no operations");
    }
    HeapSetup setup;
    size_t first = 0; // index in witness.operations of operations[0]
    if (llvm::StringRef(operations.front()).starts_with("init")) {
        auto parsed = parse_init(operations.front());
        if (!parsed) {
            return parsed.takeError();
        }
        setup = *parsed;
        operations = operations.drop_front();
        first = 1;
    }
    if (operations.empty()) {
        return error("witness " + witness.id + " has no call after its init");
    }
    auto session = HeapSession::start(machine, setup);
    if (!session) {
        return session.takeError();
    }
    Replay replay;
    for (size_t k = 0; k < operations.size(); ++k) {
        auto operation = parse_operation(operations[k]);
        llvm::Expected<runner::CallResult> call =
            operation ? session->apply(*operation)
                      : llvm::Expected<runner::CallResult>(operation.takeError());
        if (!call) {
            return error("witness " + witness.id + ", operation " + llvm::Twine(first + k) + ": " +
                         llvm::toString(call.takeError()));
        }
        replay.function = function_of(operation->kind).str();
        replay.cost = call->cost;
    }
    return replay;
}

} // namespace clockwork::workloads
