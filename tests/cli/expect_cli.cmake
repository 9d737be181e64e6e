# Runs one clockwork command and checks its exit code and output (stdout + stderr).
#   cmake -DCOMMAND="a;b;c" -DEXPECT_CODE=3 -DEXPECT_OUTPUT="regex" -P expect_cli.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(NOT code STREQUAL EXPECT_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_CODE}\n--- output ---\n${all}")
endif()
if(NOT all MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "output does not match '${EXPECT_OUTPUT}'\n--- output ---\n${all}")
endif()
