#!/usr/bin/env bash
# Builds the native core and its tests with AddressSanitizer + UBSan and runs them, then runs the
# exit/terminate stress test against an ASan + UBSan build of the addon.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DAUDIOMILL_TESTS=ON -DAUDIOMILL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
cmake --build build-asan --target audiomill_core_tests -j 2 >> build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
rm -f build-asan.log
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
./build-asan/audiomill_core_tests

# The addon itself under the sanitizers: processes that exit, or terminate a Worker, while every
# kind of async work is pending (scripts/exit-stress.mjs). Node is not instrumented, so the
# sanitizer runtime is preloaded; leak checking is off (Node frees little at exit by design).
npx cmake-js compile --out build-asan-addon --CDAUDIOMILL_SANITIZE=ON -p 2 > build-asan-addon.log 2>&1 || { cat build-asan-addon.log; exit 1; }
rm -f build-asan-addon.log
# Six processes per kind of work and way of ending, as tests/native/exit-stress.test.ts runs (computed
# before the sanitizer runtime is preloaded).
count="$(node --input-type=module -e "import { KINDS, MODES } from './scripts/exit-stress.mjs'; console.log(KINDS.length * MODES.length * 6);")"
AUDIOMILL_ADDON="$PWD/build-asan-addon/Release/audiomill.node" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  LD_PRELOAD="$(gcc -print-file-name=libasan.so)" node scripts/exit-stress.mjs --count "$count" --concurrency 2
