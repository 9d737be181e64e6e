# Runs certify on a configuration whose assumption is wrong and checks the CI views: the JUnit
# test case fails, the SARIF log carries an unsound-bound result, the Evidence says unsound, and
# the audit reports (Markdown, HTML) say so too.
execute_process(COMMAND ${CLOCKWORK} certify --config ${CONFIG} --out ${OUT}
                RESULT_VARIABLE code OUTPUT_QUIET ERROR_QUIET)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "certify exited ${code}, expected 2")
endif()
file(READ ${OUT}/junit.xml junit)
if(NOT junit MATCHES "<testcase classname=\"cortex-m4/heap.cw_heap_allocate\" name=\"instructions\">\n *<failure message=\"unsound: a measurement of [0-9]+ exceeds the bound 102\"/>")
  message(FATAL_ERROR "junit.xml has no failing test case:\n${junit}")
endif()
file(READ ${OUT}/clockwork.sarif sarif)
if(NOT sarif MATCHES "\"version\": \"2.1.0\"" OR NOT sarif MATCHES "\"ruleId\": \"unsound-bound\"")
  message(FATAL_ERROR "clockwork.sarif has no unsound-bound result:\n${sarif}")
endif()
file(READ ${OUT}/evidence.json evidence)
if(NOT evidence MATCHES "\"verdict\": \"unsound\"")
  message(FATAL_ERROR "the Evidence's verdict is not unsound")
endif()
file(READ ${OUT}/report.md markdown)
if(NOT markdown MATCHES "Verdict: UNSOUND\\." OR
   NOT markdown MATCHES "\\| cortex-m4 \\| heap \\| cw_heap_allocate \\| instructions \\| 102 \\| 200 \\| yes \\| [0-9]+ \\| 0\\.[0-9]+ \\| NO \\|")
  message(FATAL_ERROR "report.md does not show the unsound bound:\n${markdown}")
endif()
file(READ ${OUT}/report.html html)
if(NOT html MATCHES "^<!DOCTYPE html>" OR NOT html MATCHES "<p>Verdict: UNSOUND\\.</p>" OR
   NOT html MATCHES "</html>\n$")
  message(FATAL_ERROR "report.html is not the audit page:\n${html}")
endif()
