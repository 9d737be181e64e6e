# A mutation run cut short, then resumed from its --mutants-json: the second run takes the
# first run's verdicts and decides only the rest.
#   cmake -DCOMMAND="clockwork;verify;--mutants;..." -DJSON=out.json -P expect_resume.cmake
file(REMOVE "${JSON}")
execute_process(COMMAND ${COMMAND} --mutants-limit 4 --mutants-json "${JSON}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "first run: exit code ${code}\n${out}${err}")
endif()
file(READ "${JSON}" first)
if(NOT first MATCHES "\"complete\": true,.*\"total\": 4,")
  message(FATAL_ERROR "first run's JSON is not a complete run of 4 mutants\n${first}")
endif()
execute_process(COMMAND ${COMMAND} --mutants-resume "${JSON}" --mutants-json "${JSON}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "resumed run: exit code ${code}\n${out}${err}")
endif()
if(NOT out MATCHES "mutants: 10 total, 5 killed, 1 equivalent, 4 survived[^\n]*\nresumed: 4 of these verdicts from ")
  message(FATAL_ERROR "resumed run did not take the 4 verdicts\n${out}${err}")
endif()
# Only the six mutants not decided before print progress.
string(REGEX MATCHALL "\nM[0-9]+ [^\n]*[0-9] s" decided "\n${err}")
list(LENGTH decided count)
if(NOT count EQUAL 6)
  message(FATAL_ERROR "resumed run decided ${count} mutants, expected 6\n${err}")
endif()
file(READ "${JSON}" second)
if(NOT second MATCHES "\"complete\": true,.*\"total\": 10,")
  message(FATAL_ERROR "resumed run's JSON is not a complete run of 10 mutants\n${second}")
endif()
