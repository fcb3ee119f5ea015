#!/usr/bin/env bash
# Builds the native core and its tests with AddressSanitizer + UBSan and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DAUDIOMILL_TESTS=ON -DAUDIOMILL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
cmake --build build-asan --target audiomill_core_tests -j 2 >> build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
rm -f build-asan.log
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
./build-asan/audiomill_core_tests
