#!/usr/bin/env bash
# Runs the root package's whole test suite under AddressSanitizer (with LeakSanitizer) and
# under ThreadSanitizer, each in its own scratch path so neither disturbs the normal .build.
#
#   Fuzz/sanitizers.sh [asan|tsan|all]
#
# Prints one line per sanitizer, `<sanitizer>: passed|failed (<N> reports)`, and exits
# non-zero if either failed. Full logs: .build-asan.log and .build-tsan.log in the root.
#
# TSan on Linux cannot see the synchronization inside `Synchronization.Mutex` (a futex, not a
# pthread mutex). The engine's locks are `Lock`, which tells TSan about each critical section
# when built with -DSTRATA_TSAN (see Docs/RELIABILITY.md), so every TSan report fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
summary=()
failed=0

run() {
    local name=$1 scratch=$2 pattern=$3
    shift 3
    local log="$scratch.log"
    echo "== $name: swift test $* --scratch-path $scratch" >&2
    swift test "$@" --scratch-path "$scratch" >"$log" 2>&1
    local status=$?
    local reports
    reports=$(grep -cE "$pattern" "$log")
    if (( status == 0 && reports == 0 )); then
        summary+=("$name: passed (0 reports)")
    else
        summary+=("$name: failed (exit $status, $reports reports; see $log)")
        failed=1
    fi
    grep -E "^(✔|✘) Test run|Executed [0-9]+ tests" "$log" | tail -2 >&2
}

if [[ $which == all || $which == asan ]]; then
    # LeakSanitizer runs too; lsan.supp names the leaks that are not Strata's.
    LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0" \
        run asan .build-asan "ERROR: (Address|Leak)Sanitizer" --sanitize=address
fi
if [[ $which == all || $which == tsan ]]; then
    # The control first: TSan must be silent on Lock-guarded state and still see a real race,
    # or a clean run of the suite would prove nothing.
    control=.build-tsan-control
    mkdir -p "$control"
    sed 's/^@_spi(Testing)$//' Sources/StrataEngine/Support/Lock.swift >"$control/Lock.swift"
    swiftc -O -sanitize=thread -DSTRATA_TSAN -o "$control/control" "$control/Lock.swift" Fuzz/tsan-control/main.swift
    guarded=$("$control/control" 2>&1 | grep -c "WARNING: ThreadSanitizer")
    unguarded=$("$control/control" racy 2>&1 | grep -c "WARNING: ThreadSanitizer")
    if (( guarded == 0 && unguarded > 0 )); then
        summary+=("tsan-control: passed (0 reports on Lock-guarded state, $unguarded on the unguarded race)")
    else
        summary+=("tsan-control: failed ($guarded reports on Lock-guarded state, $unguarded on the unguarded race)")
        failed=1
    fi
    # Reports do not change the exit status; they are counted from the log.
    TSAN_OPTIONS="exitcode=0" \
        run tsan .build-tsan "WARNING: ThreadSanitizer" --sanitize=thread -Xswiftc -DSTRATA_TSAN
fi
printf '%s\n' "${summary[@]}"
exit $failed
