#!/usr/bin/env bash
# Builds and runs one libFuzzer target under AddressSanitizer + UBSan.
#   scripts/fuzz.sh [seconds=60] [target=wav]
# Builds native/fuzz/<target>_fuzz.cc into build-fuzz/, copies the committed seed corpus
# native/fuzz/corpus/<target>/ to a scratch corpus under build-fuzz/ (the committed one is
# never modified), and fuzzes for <seconds>. A crash or sanitizer report makes libFuzzer
# exit non-zero and leaves the input as build-fuzz/<target>_artifacts/crash-*; replay it with
#   build-fuzz/<target>_fuzz build-fuzz/<target>_artifacts/crash-<sha>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
target="${2:-wav}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "fuzz.sh: expected a whole number of seconds but received '$seconds'" >&2
  echo "usage: scripts/fuzz.sh [seconds=60] [target=wav]" >&2
  exit 2
fi
src="native/fuzz/${target}_fuzz.cc"
seeds="native/fuzz/corpus/${target}"
if [ ! -f "$src" ]; then
  echo "fuzz.sh: no fuzz target '$target' ($src does not exist); targets: $(ls native/fuzz/*_fuzz.cc 2>/dev/null | sed 's#.*/##; s#_fuzz.cc##' | tr '\n' ' ')" >&2
  exit 2
fi

# The core sources each target needs.
case "$target" in
  wav) core_sources=(native/core/audio/wav.cc native/core/audio/byte_source.cc) ;;
  forest) core_sources=(native/core/forest/forest.cc native/core/util/thread_pool.cc) ;;
  *) echo "fuzz.sh: no source list for target '$target'; add it to scripts/fuzz.sh" >&2; exit 2 ;;
esac

CXX="${CXX_FUZZ:-}"
if [ -z "$CXX" ]; then
  for c in clang++ clang++-18 clang++-17 clang++-16 clang++-15 clang++-14; do
    if command -v "$c" > /dev/null 2>&1; then CXX="$c"; break; fi
  done
fi
if [ -z "$CXX" ]; then
  echo "fuzz.sh: clang++ not found; libFuzzer needs clang. On Debian/Ubuntu:" >&2
  echo "  sudo apt-get install clang libclang-rt-14-dev   (use the libclang-rt-<N>-dev matching your clang)" >&2
  exit 1
fi

out="build-fuzz"
bin="$out/${target}_fuzz"
work="$out/${target}"                # scratch corpus
artifacts="$out/${target}_artifacts"  # crash-*, leak-*, timeout-*, oom-* inputs
mkdir -p "$out" "$work" "$artifacts"
flags=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1 -std=c++17
  -Wall -Wextra -Inative/core)
if ! "$CXX" "${flags[@]}" "$src" "${core_sources[@]}" -o "$bin" 2> "$out/${target}_build.log"; then
  cat "$out/${target}_build.log" >&2
  if grep -q -e "libclang_rt.fuzzer" -e "fuzzer" "$out/${target}_build.log"; then
    echo "fuzz.sh: the libFuzzer runtime is missing; on Debian/Ubuntu: sudo apt-get install libclang-rt-14-dev" >&2
    echo "  (the libclang-rt-<N>-dev matching '$CXX --version')" >&2
  fi
  exit 1
fi

# Scratch corpus: the seeds plus whatever earlier runs found (kept between runs).
if [ -d "$seeds" ]; then cp -n "$seeds"/* "$work"/ 2> /dev/null || true; fi

log="$out/${target}_fuzz.log"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
start=$(date +%s)
set +e
"./$bin" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 > "$log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - start ))

execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
corpus=$(ls "$work" | wc -l)
if [ "$status" -eq 0 ]; then
  echo "fuzz ${target}: OK — ${execs:-?} execs in ${elapsed}s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corpus} (log: $log)"
else
  tail -n 60 "$log" >&2
  artifact=$(ls -t "$artifacts" 2> /dev/null | head -1 || true)
  echo "fuzz ${target}: FINDING (exit $status) after ${execs:-?} execs in ${elapsed}s, cov ${cov:-?}; input: ${artifact:+$artifacts/$artifact} (log: $log)" >&2
fi
exit "$status"
