# Runs clockwork verify with --json and checks its exit code and the JSON it wrote.
#   cmake -DCOMMAND="a;b;c" -DJSON=out.json -DEXPECT_CODE=2 -DEXPECT_JSON="regex" -P expect_json.cmake
file(REMOVE "${JSON}")
execute_process(COMMAND ${COMMAND} --json "${JSON}" RESULT_VARIABLE code OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT code STREQUAL EXPECT_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_CODE}\n--- output ---\n${out}${err}")
endif()
file(READ "${JSON}" json)
if(NOT json MATCHES "${EXPECT_JSON}")
  message(FATAL_ERROR "JSON does not match '${EXPECT_JSON}'\n--- JSON ---\n${json}")
endif()
