#!/usr/bin/env bash
# Builds the libFuzzer targets and runs them.
#
#   Fuzz/fuzz.sh [wal|page|superblock|catalog|open|all] [seconds per target, default 60]
#   Fuzz/fuzz.sh seed [target|all]     rewrite Fuzz/corpus/<target>/ from the engine's encoders
#
# Each target runs with Fuzz/corpus/<target>/ (the committed seeds, read only) and a working
# corpus in .build-fuzz/corpus/<target>/ that grows across runs. A crash, timeout or
# out-of-memory input is saved to Fuzz/crashes/<target>/ and the run continues with what
# time is left. Ends with one line per target, `fuzz-<target>: <N> execs, <C> crashes`, and
# exits non-zero if any target found one.
set -euo pipefail
# libFuzzer and ASan report crashes; the Swift runtime's backtracer only gets in their way (and
# its helper can outlive a crashed target).
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")"

all=(wal page superblock catalog open)
scratch=.build-fuzz
build() {
    swift build -c release --product "fuzz-$1" --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DSTRATA_LIBFUZZER \
        >"$scratch-build-$1.log" 2>&1 || { cat "$scratch-build-$1.log" >&2; echo "build of fuzz-$1 failed" >&2; exit 1; }
}

if [[ "${1:-}" == seed ]]; then
    targets=("${2:-all}"); [[ "${targets[0]}" == all ]] && targets=("${all[@]}")
    for t in "${targets[@]}"; do
        build "$t"
        rm -rf "corpus/$t" && mkdir -p "corpus/$t"
        STRATA_FUZZ_WRITE_SEEDS="corpus/$t" "$scratch/release/fuzz-$t"
    done
    exit 0
fi

target=${1:-all}
seconds=${2:-60}
if [[ "$target" == all ]]; then targets=("${all[@]}"); else targets=("${target#fuzz-}"); fi
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "unknown target $t; one of: ${all[*]} all" >&2; exit 2; }
done

summary=()
failed=0
for t in "${targets[@]}"; do
    build "$t"
    mkdir -p "crashes/$t" "$scratch/corpus/$t"
    log="$scratch/fuzz-$t.log"
    : >"$log"
    execs=0
    crashes=0
    deadline=$((SECONDS + seconds))
    runs=0
    # libFuzzer stops at its first crash; start it again until the time is spent.
    while (( SECONDS < deadline && runs < 50 )); do
        runs=$((runs + 1))
        before=$(find "crashes/$t" -type f | wc -l)
        run_log="$scratch/fuzz-$t.run.log"
        set +e
        "$scratch/release/fuzz-$t" -max_total_time=$((deadline - SECONDS)) -timeout=10 -rss_limit_mb=2048 \
            -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="crashes/$t/" \
            "$scratch/corpus/$t" "corpus/$t" >"$run_log" 2>&1
        status=$?
        set -e
        cat "$run_log" >>"$log"
        n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$run_log" | tail -1 | grep -o '[0-9]*$' || true)
        execs=$((execs + ${n:-0}))
        after=$(find "crashes/$t" -type f | wc -l)
        crashes=$((crashes + after - before))
        if (( status != 0 && after == before )); then
            echo "fuzz-$t exited with $status without saving an input; see $log" >&2
            crashes=$((crashes + 1))
            break
        fi
        (( status == 0 )) && break
    done
    (( crashes > 0 )) && failed=1
    summary+=("fuzz-$t: $execs execs, $crashes crashes")
done
printf '%s\n' "${summary[@]}"
exit $failed
