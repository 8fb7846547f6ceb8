#!/usr/bin/env bash
# Open time after a SIGKILL in the middle of fillrandom: fills N keys (default 1,000,000) in a
# child process, kills it with SIGKILL after SECONDS (default 3), then times the recovery open.
#   Benchmarks/open-after-kill.sh [N] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-1000000}
seconds=${2:-3}
swift build -c release --product strata-open >&2
dir=$(mktemp -d /tmp/strata-open-XXXXXX)
trap 'rm -rf "$dir"' EXIT
./.build/release/strata-open fill "$dir/db" "$n" 2>/dev/null &
child=$!
sleep "$seconds"
kill -9 "$child" 2>/dev/null || true
wait "$child" 2>/dev/null || true
./.build/release/strata-open measure "$dir/db"
