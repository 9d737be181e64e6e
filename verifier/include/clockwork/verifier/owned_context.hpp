// A Z3 context that a process about to end may leave to the operating system. Z3 4.8.12 takes
// time that grows faster than the size of the terms a context holds to delete it: a chain of
// 2000 stores takes 4 s, one of 8000 stores 105 s, and deleting the context of one heap harness
// took 11.5 of its 14.8 s (bitmap_words.cpp). clockwork's command line exits after its run.
#pragma once

#include <z3++.h>

#include <memory>

namespace clockwork::verifier {

class OwnedContext {
  public:
    explicit OwnedContext(bool leave_to_exit)
        : context_(std::make_unique<z3::context>()), leave_to_exit_(leave_to_exit) {}
    OwnedContext(const OwnedContext&) = delete;
    OwnedContext& operator=(const OwnedContext&) = delete;
    ~OwnedContext() {
        if (leave_to_exit_) {
            static_cast<void>(context_.release());
        }
    }

    z3::context& get() { return *context_; }

  private:
    std::unique_ptr<z3::context> context_;
    bool leave_to_exit_;
};

} // namespace clockwork::verifier
