#!/usr/bin/env bash
# Builds the C drivers of the harness check against Debian's liblmdb and libleveldb:
#   Benchmarks/c-harness/build.sh        -> Benchmarks/c-harness/build/{lmdb,leveldb}-bench
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
CFLAGS=(-O3 -g -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wno-unused-function)
gcc "${CFLAGS[@]}" -o build/lmdb-bench lmdb.c -llmdb
gcc "${CFLAGS[@]}" -o build/leveldb-bench leveldb.c -lleveldb
echo "c-harness: built build/lmdb-bench build/leveldb-bench" >&2
