#!/usr/bin/env bash
# Builds fault-campaign in release mode and runs it. Arguments go to the campaign
# (--seed S, --count N, --seconds T); with none, a short smoke budget (--count 3000).
# `--workload graph` runs StrataGraph transactions instead of key-value commits (Fuzz/README.md).
# See Docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product fault-campaign >&2
if [ "$#" -eq 0 ]; then set -- --count 3000; fi
exec "$(swift build -c release --show-bin-path)/fault-campaign" "$@"
