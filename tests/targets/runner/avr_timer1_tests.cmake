# The Timer1 firmware against Machine::call (avr_timer1_test.cpp): both run the firmware ELF
# that the avr heap image build produces.
add_executable(targets_timer1_tests avr_timer1_test.cpp)
target_link_libraries(targets_timer1_tests PRIVATE clockwork_runner GTest::gtest_main)
target_compile_definitions(targets_timer1_tests PRIVATE
  CLOCKWORK_TIMER1_FIRMWARE="${CMAKE_BINARY_DIR}/targets/avr/firmware/clockwork_timer1.elf"
  CLOCKWORK_AVR_HEAP_IMAGE="${CMAKE_BINARY_DIR}/targets/avr/clockwork_heap.elf")
add_dependencies(targets_timer1_tests heap_avr)
clockwork_warnings(targets_timer1_tests)
gtest_discover_tests(targets_timer1_tests TEST_PREFIX "targets.runner.")
