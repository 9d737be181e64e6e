# Measurement programs over the tools' libraries (docs/measurement.md), built with the tools:
#   clockwork_bench_host_latency  the host allocator's per-call TSC statistics (clockwork::host)
#   clockwork_bench_avr_timer1    the avr Timer1 firmware's per-call cycles under simavr
if(TARGET clockwork_host)
  add_executable(clockwork_bench_host_latency host_latency.cpp)
  target_link_libraries(clockwork_bench_host_latency PRIVATE clockwork_host)
  clockwork_warnings(clockwork_bench_host_latency)
  if(CLOCKWORK_TESTS)
    # Runs end to end and writes its JSON; no number is asserted.
    add_test(NAME bench.host_latency_smoke
             COMMAND clockwork_bench_host_latency --calls 20000 --warmup 2000
                     --json ${CMAKE_CURRENT_BINARY_DIR}/host_latency_smoke.json)
    set_tests_properties(bench.host_latency_smoke PROPERTIES TIMEOUT 60)
  endif()
endif()

if(TARGET clockwork_runner AND TARGET heap_avr)
  add_executable(clockwork_bench_avr_timer1 avr_timer1.cpp)
  target_link_libraries(clockwork_bench_avr_timer1 PRIVATE clockwork_runner)
  add_dependencies(clockwork_bench_avr_timer1 heap_avr)
  clockwork_warnings(clockwork_bench_avr_timer1)
  if(CLOCKWORK_TESTS)
    add_test(NAME bench.avr_timer1_smoke
             COMMAND clockwork_bench_avr_timer1 --calls 2000
                     --elf ${CMAKE_BINARY_DIR}/targets/avr/firmware/clockwork_timer1.elf)
    set_tests_properties(bench.avr_timer1_smoke PROPERTIES TIMEOUT 60)
  endif()
endif()
