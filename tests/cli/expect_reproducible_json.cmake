# Runs the same clockwork command twice, each with `--json FILE`, and requires byte-identical
# Evidence JSON that matches EXPECT_JSON and records HASHED_FILE's SHA-256 (both optional).
#   cmake -DCOMMAND="clockwork;analyze;..." -DOUT=dir [-DEXPECT_JSON=regex] [-DHASHED_FILE=f]
#         -P expect_reproducible_json.cmake
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
if(DEFINED HASHED_FILE)
  file(SHA256 ${HASHED_FILE} hash)
  if(NOT first MATCHES "${hash}")
    message(FATAL_ERROR "the Evidence does not record the SHA-256 ${hash} of ${HASHED_FILE}")
  endif()
endif()
if(DEFINED EXPECT_JSON AND NOT first MATCHES "${EXPECT_JSON}")
  message(FATAL_ERROR "the Evidence does not match '${EXPECT_JSON}'\n${first}")
endif()
