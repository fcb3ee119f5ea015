#!/usr/bin/env bash
# A/B timing of a kernel change: the core at BASE (default HEAD) against the
# working tree, both linked into one driver and timed alternately in one
# process (robust to this VM's drift between processes).
#   bash bench/native/ab-kernel.sh [BASE] [simd level] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-HEAD}; level=${2:-avx512}; rounds=${3:-15}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git archive "$base" native/core | tar -x -C "$work"
flags=(-O3 -std=c++17 -fno-math-errno -DAUDIOMILL_HAVE_AVX2 -DAUDIOMILL_HAVE_AVX512)
build() {  # dir prefix extra-defines...
  local dir=$1 prefix=$2; shift 2
  local objs=()
  for f in util/simd.cc util/thread_pool.cc fft/plan.cc fft/fft.cc dsp/feature_plan.cc dsp/block_scalar.cc features/deltas.cc; do
    g++ "${flags[@]}" "$@" -I"$dir" -c "$dir/$f" -o "$work/$prefix-${f//\//_}.o"; objs+=("$work/$prefix-${f//\//_}.o")
  done
  g++ "${flags[@]}" "$@" -mavx2 -mfma -I"$dir" -c "$dir/dsp/block_avx2.cc" -o "$work/$prefix-avx2.o"
  g++ "${flags[@]}" "$@" -mavx512f -mavx512dq -mavx2 -mfma -Wno-maybe-uninitialized -I"$dir" -c "$dir/dsp/block_avx512.cc" -o "$work/$prefix-avx512.o"
  echo "${objs[@]}" "$work/$prefix-avx2.o" "$work/$prefix-avx512.o"
}
old=$(build "$work/native/core" old -Daudiomill=audiomill_old)
new=$(build native/core new)
g++ "${flags[@]}" -Daudiomill=audiomill_old -I"$work/native/core" -Ibench/native -c bench/native/ab_shim.cc -o "$work/shim.o"
g++ "${flags[@]}" -Inative/core -Ibench/native bench/native/ab_driver.cc "$work/shim.o" $old $new -o "$work/ab" -lpthread
taskset -c 1 "$work/ab" "$level" "$rounds"
