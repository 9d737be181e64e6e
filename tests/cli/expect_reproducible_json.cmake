# Runs the same analysis twice and requires byte-identical Evidence JSON with the ELF's hash.
file(MAKE_DIRECTORY ${OUT})
foreach(run 1 2)
  execute_process(
    COMMAND ${CLOCKWORK} analyze --target rv32imc --elf ${FLOW}/rv32imc/flow.elf
            --compile-commands ${FLOW}/rv32imc --function cw_test_nested --function cw_test_caller
            --metric instructions --metric cycles --json ${OUT}/run${run}.json
    RESULT_VARIABLE code OUTPUT_QUIET)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "run ${run} exited ${code}")
  endif()
endforeach()
file(SHA256 ${OUT}/run1.json first)
file(SHA256 ${OUT}/run2.json second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "two runs wrote different JSON")
endif()
file(READ ${OUT}/run1.json json)
file(SHA256 ${FLOW}/rv32imc/flow.elf elf_hash)
if(NOT json MATCHES "${elf_hash}")
  message(FATAL_ERROR "the Evidence does not record the ELF's SHA-256 ${elf_hash}")
endif()
if(NOT json MATCHES "\"metric\": \"cycles\"")
  message(FATAL_ERROR "the Evidence has no cycles bound")
endif()
