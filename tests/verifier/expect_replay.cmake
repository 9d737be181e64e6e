# The replay line of a counterexample reproduces it: runs clockwork verify on HARNESS, takes the
# "replay: CW_REPLAY_VALUES={...} PROPERTY" line it prints, compiles HARNESS natively with those
# values (verify.h's CW_REPLAY), and expects the program to exit 2 naming PROPERTY; and the
# same program with values that hold (HOLDING_VALUES) to exit 0.
#   cmake -DCLOCKWORK=... -DHARNESS=... -DINCLUDE=... -DCXX=... -DWORK=dir
#         -DHOLDING_VALUES="{5}" -P expect_replay.cmake
execute_process(COMMAND ${CLOCKWORK} verify --harness ${HARNESS} RESULT_VARIABLE code
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "clockwork verify exited ${code}, expected 2\n${out}${err}")
endif()
if(NOT out MATCHES "replay: CW_REPLAY_VALUES=({[^}]*}) ([a-z0-9-]+)")
  message(FATAL_ERROR "no replay line in the output\n${out}")
endif()
set(values "${CMAKE_MATCH_1}")
set(property "${CMAKE_MATCH_2}")
file(MAKE_DIRECTORY ${WORK})

function(replay values expect_code expect_stderr)
  set(program ${WORK}/replay)
  file(REMOVE ${program})
  execute_process(COMMAND ${CXX} -std=c++20 -DCW_REPLAY "-DCW_REPLAY_VALUES=${values}"
                          -I${INCLUDE} ${HARNESS} -o ${program}
                  RESULT_VARIABLE built OUTPUT_VARIABLE build_out ERROR_VARIABLE build_out)
  if(NOT built EQUAL 0)
    message(FATAL_ERROR "the replay of ${values} does not compile\n${build_out}")
  endif()
  execute_process(COMMAND ${program} RESULT_VARIABLE ran OUTPUT_VARIABLE run_out
                  ERROR_VARIABLE run_err)
  if(NOT ran EQUAL expect_code OR NOT run_err MATCHES "${expect_stderr}")
    message(FATAL_ERROR "the replay of ${values} exited ${ran} with '${run_err}', "
                        "expected ${expect_code} and '${expect_stderr}'")
  endif()
endfunction()

replay("${values}" 2 "^${property}: refuted\n$")
replay("${HOLDING_VALUES}" 0 "^$")
