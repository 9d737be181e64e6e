#!/bin/bash
# The full mutation run of the heap (clockwork verify --mutants over every shipped harness,
# rv32imc, 20 s of solver work per query), which takes hours on two cores: each call continues
# the run recorded in bench/mutation/rv32imc.json where it stopped, and the file is rewritten
# every 25 mutants, so the run can be stopped (Ctrl-C, kill) at any time and taken up again later;
# a run takes the verdicts of the one-in-10 sample as well when that was made from the same inputs.
# The file holds verdicts only for the inputs it was made from (its fingerprint): after a change
# to the verifier, the harnesses or the allocator, clockwork refuses it; delete it to start over.
#   bench/mutation_campaign.sh [BUILD_DIR]      (default: build)
set -eu
build=${1:-build}
clockwork="$build/cli/clockwork"
record=bench/mutation/rv32imc.json
# One in 10 of the same mutants (same ids): its verdicts count when the same inputs decided them.
sample=bench/mutation/rv32imc-every10.json
mkdir -p "$(dirname "$record")"
set -- verify --mutants --target rv32imc --jobs 2 --timeout 20 --mutants-json "$record"
fingerprint_of() { grep -m1 '"fingerprint"' "$1"; }
status=0
if [ -f "$record" ]; then
    set -- "$@" --mutants-resume "$record"
    # The one-in-10 sample adds its verdicts when the same inputs decided it.
    if [ -f "$sample" ] && [ "$(fingerprint_of "$sample")" = "$(fingerprint_of "$record")" ]; then
        set -- "$@" --mutants-resume "$sample"
    fi
    "$clockwork" "$@" || status=$?
elif [ -f "$sample" ]; then
    # The sample counts only when the same inputs decided it; clockwork refuses it otherwise
    # (exit 3, before any mutant runs), and the run then starts from nothing.
    errors=$(mktemp)
    set +e
    # Its stderr both shown and kept; its stdout as it is.
    { "$clockwork" "$@" --mutants-resume "$sample" 2>&1 1>&3 | tee "$errors" >&2; status=${PIPESTATUS[0]}; } 3>&1
    set -e
    if [ "$status" -eq 3 ] && grep -q "decided by another run" "$errors"; then
        echo "$sample: decided by other inputs; the full run starts from nothing" >&2
        status=0
        "$clockwork" "$@" || status=$?
    fi
    rm -f "$errors"
else
    "$clockwork" "$@" || status=$?
fi
# The summary of what the record holds, complete or not.
if [ -f "$record" ]; then
    sed -n '/"complete"/p; /"enumerated"/p; /"summary"/,/}/p' "$record"
fi
exit "$status"
