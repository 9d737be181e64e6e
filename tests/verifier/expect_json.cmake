# Runs clockwork verify with --json and checks its exit code and the JSON it wrote, which must
# not match REJECT_JSON when that is given; with TIMES, also --times-json TIMES, whose contents
# must match EXPECT_TIMES.
#   cmake -DCOMMAND="a;b;c" -DJSON=out.json -DEXPECT_CODE=2 -DEXPECT_JSON="regex"
#         [-DREJECT_JSON="regex"] [-DTIMES=times.json -DEXPECT_TIMES="regex"] -P expect_json.cmake
file(REMOVE "${JSON}")
set(times_option "")
if(TIMES)
  file(REMOVE "${TIMES}")
  set(times_option --times-json "${TIMES}")
endif()
execute_process(COMMAND ${COMMAND} --json "${JSON}" ${times_option} RESULT_VARIABLE code
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL EXPECT_CODE)
  message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_CODE}\n--- output ---\n${out}${err}")
endif()
file(READ "${JSON}" json)
if(NOT json MATCHES "${EXPECT_JSON}")
  message(FATAL_ERROR "JSON does not match '${EXPECT_JSON}'\n--- JSON ---\n${json}")
endif()
if(REJECT_JSON AND json MATCHES "${REJECT_JSON}")
  message(FATAL_ERROR "JSON matches '${REJECT_JSON}', which it must not\n--- JSON ---\n${json}")
endif()
if(TIMES)
  file(READ "${TIMES}" times)
  if(NOT times MATCHES "${EXPECT_TIMES}")
    message(FATAL_ERROR "times do not match '${EXPECT_TIMES}'\n--- times ---\n${times}")
  endif()
endif()
