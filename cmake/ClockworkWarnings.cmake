# Warnings as errors for project code. The allocator gets the strictest set, -Wconversion
# included, because it is compiled unchanged for 8-, 32- and 64-bit targets.
set(CLOCKWORK_WARNINGS -Wall -Wextra -Wpedantic -Werror)
set(CLOCKWORK_ALLOC_WARNINGS ${CLOCKWORK_WARNINGS} -Wconversion -Wsign-conversion -Wshadow)

function(clockwork_warnings target)
  target_compile_options(${target} PRIVATE ${CLOCKWORK_WARNINGS})
endfunction()
