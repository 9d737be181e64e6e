#!/bin/sh
# Wall-clock time of `clockwork verify` (every shipped harness and the loop-bound proofs) per
# encodable target, on one worker thread and on two: the verifier's budget is 60 s for all heap
# properties. Also prints each harness's query seconds (the sum of its properties' times).
#   bench/verify_timing.sh [BUILD_DIR]      (default: build)
set -eu
build=${1:-build}
clockwork="$build/cli/clockwork"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for target in rv32imc cortex-m4; do
    for jobs in 1 2; do
        start=$(date +%s.%N)
        status=0
        "$clockwork" verify --target "$target" --jobs "$jobs" >"$out" 2>&1 || status=$?
        end=$(date +%s.%N)
        proven=$(grep -c ' proven ' "$out" || true)
        printf '%-10s jobs %d  %6.1f s  exit %d  %d proven  (budget 60 s)\n' "$target" "$jobs" \
            "$(awk "BEGIN { print $end - $start }")" "$status" "$proven"
    done
    awk '$3 ~ /^(proven|refuted|unknown|vacuous)$/ && $1 !~ /^loop-bound/ { s[$2] += $4 }
         END { for (h in s) printf "    %-28s %6.1f s of queries\n", h, s[h] }' "$out" | sort
done
