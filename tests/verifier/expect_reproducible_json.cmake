# Runs the same clockwork verify twice and requires byte-identical Evidence JSON.
#   cmake -DCOMMAND="clockwork;verify;..." -DOUT=dir -P expect_reproducible_json.cmake
file(MAKE_DIRECTORY ${OUT})
foreach(run 1 2)
  execute_process(COMMAND ${COMMAND} --json ${OUT}/run${run}.json RESULT_VARIABLE code
                  OUTPUT_QUIET ERROR_QUIET)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "run ${run} exited ${code}")
  endif()
endforeach()
file(READ ${OUT}/run1.json first)
file(READ ${OUT}/run2.json second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "two runs wrote different JSON:\n${first}\n---\n${second}")
endif()
if(NOT first MATCHES "\"role\": \"ir\",[^}]*\"sha256\": \"[0-9a-f]+\"")
  message(FATAL_ERROR "the Evidence does not record the IR's SHA-256\n${first}")
endif()
