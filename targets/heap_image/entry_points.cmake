# The allocator's public functions: every cw_heap_* function that cw_alloc.h declares. The
# image must define each one (the link requires them), and tests/targets checks the ELF for
# them; both read the list from the header, so a function added there is checked at once.
function(clockwork_heap_entry_points header out)
  # A declaration starts in column 0 with its return type: "void* cw_heap_allocate(cw_heap* ...".
  file(STRINGS ${header} declarations REGEX "^[A-Za-z_][A-Za-z0-9_ *]*[ *]cw_heap_[a-z0-9_]+\\(")
  set(functions "")
  foreach(declaration IN LISTS declarations)
    string(REGEX MATCH "cw_heap_[a-z0-9_]+\\(" function "${declaration}")
    string(REPLACE "(" "" function "${function}")
    list(APPEND functions ${function})
  endforeach()
  if(functions STREQUAL "")
    message(FATAL_ERROR "no cw_heap_* function declarations found in ${header}")
  endif()
  set(${out} ${functions} PARENT_SCOPE)
endfunction()
