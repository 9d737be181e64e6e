# A mutation run cut short, and a run of two other mutants of the same inputs, then resumed from
# both --mutants-json files: the last run takes their verdicts and decides only the rest; a file
# of a run with other inputs beside them is refused.
#   cmake -DCOMMAND="clockwork;verify;--mutants;..." -DJSON=out.json -P expect_resume.cmake
set(other "${JSON}.ids-9-10.json")
set(foreign "${JSON}.other-timeout.json")
file(REMOVE "${JSON}" "${other}" "${foreign}")
execute_process(COMMAND ${COMMAND} --mutants-limit 4 --mutants-json "${JSON}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "first run: exit code ${code}\n${out}${err}")
endif()
file(READ "${JSON}" first)
if(NOT first MATCHES "\"complete\": true,.*\"total\": 4,")
  message(FATAL_ERROR "first run's JSON is not a complete run of 4 mutants\n${first}")
endif()
execute_process(COMMAND ${COMMAND} --mutant-ids 9 10 --mutants-json "${other}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "run of ids 9 and 10: exit code ${code}\n${out}${err}")
endif()
execute_process(COMMAND ${COMMAND} --mutant-ids 9 --timeout 21 --mutants-json "${foreign}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "run with another timeout: exit code ${code}\n${out}${err}")
endif()
execute_process(COMMAND ${COMMAND} --mutants-resume "${JSON}" --mutants-resume "${foreign}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "3" OR NOT err MATCHES "other-timeout.json: error: decided by other inputs than ")
  message(FATAL_ERROR "files of two runs: expected exit 3 naming the second, got ${code}\n${out}${err}")
endif()
execute_process(COMMAND ${COMMAND} --mutants-resume "${JSON}" --mutants-resume "${other}"
                        --mutants-json "${JSON}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL "0")
  message(FATAL_ERROR "resumed run: exit code ${code}\n${out}${err}")
endif()
if(NOT out MATCHES "mutants: 10 total, 5 killed, 1 equivalent, 4 survived[^\n]*\nresumed: 6 of these verdicts from [^\n]*, [^\n]*ids-9-10.json\n")
  message(FATAL_ERROR "resumed run did not take the 6 verdicts of both files\n${out}${err}")
endif()
# Only the four mutants not decided before print progress.
string(REGEX MATCHALL "\nM[0-9]+ [^\n]*[0-9] s" decided "\n${err}")
list(LENGTH decided count)
if(NOT count EQUAL 4)
  message(FATAL_ERROR "resumed run decided ${count} mutants, expected 4\n${err}")
endif()
if(err MATCHES "\nM(9|10) ")
  message(FATAL_ERROR "resumed run decided M9 or M10 again\n${err}")
endif()
file(READ "${JSON}" second)
if(NOT second MATCHES "\"complete\": true,.*\"total\": 10,")
  message(FATAL_ERROR "resumed run's JSON is not a complete run of 10 mutants\n${second}")
endif()
