#!/bin/sh
# Wall-clock time of `clockwork analyze` over every heap entry point on every target, both
# metrics where a target has a cycle model: the analyzer's speed budget is 5 s in total.
#   bench/analyze_heap_timing.sh [BUILD_DIR]      (default: build)
set -eu
build=${1:-build}
clockwork="$build/cli/clockwork"
functions=""
for f in init allocate allocate_aligned reallocate free max_allocation_size largest_free_block \
         get_diagnostics default_options min_arena_size invariants_hold; do
    functions="$functions --function cw_heap_$f"
done
total_start=$(date +%s.%N)
for target in cortex-m4 rv32imc avr x86-64; do
    metrics="--metric instructions"
    [ "$target" = x86-64 ] || metrics="$metrics --metric cycles"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$clockwork" analyze --target "$target" --elf "$build/targets/$target/clockwork_heap.elf" \
        --compile-commands "$build/targets/$target" --assume-indirect-call-cost 0 \
        $functions $metrics >/dev/null 2>&1
    end=$(date +%s.%N)
    printf '%-10s %6.3f s\n' "$target" "$(awk "BEGIN { print $end - $start }")"
done
total_end=$(date +%s.%N)
printf '%-10s %6.3f s  (budget 5 s)\n' total "$(awk "BEGIN { print $total_end - $total_start }")"
