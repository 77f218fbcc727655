#!/usr/bin/env bash
# Builds a Release tree and prints the performance figures: the whole chain
# in memory (default 30-year hourly scenario, and excavator fleets of 1e4,
# 1e5 and 1e6) with 1 and 2 OpenMP threads, then the module benchmarks
# (bench_regolith, bench_orbit) when they exist. Nothing here is a test.
#   BUILD_DIR   build tree (default build-release, kept apart from build/)
#   BENCH_ARGS  extra arguments for bench_chain (e.g. --quick)
#   THREADS     thread counts to try (default "1 2")
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build-release}
threads=${THREADS:-1 2}

echo "== build (Release) in $build_dir"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DLSIM_BUILD_TESTS=OFF >/dev/null
targets=$(cmake --build "$build_dir" --target help | awk '{print $2}')
build_targets=(bench_chain)
for t in bench_regolith bench_orbit; do
    if grep -qx "$t" <<<"$targets"; then build_targets+=("$t"); fi
done
cmake --build "$build_dir" -j"$(nproc)" --target "${build_targets[@]}" >/dev/null

echo "== machine: $(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $threads; do
    echo "== bench_chain, OMP_NUM_THREADS=$n"
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=$n "$build_dir/chain/bench_chain" ${BENCH_ARGS:-}
done
if [[ -x "$build_dir/regolith/bench_regolith" ]]; then
    # It measures 1 and 2 threads itself, with the ratio to the memory bound.
    echo "== bench_regolith (per-agent fleet kernel)"
    "$build_dir/regolith/bench_regolith"
fi
if [[ -x "$build_dir/orbit/bench_orbit" ]]; then
    for n in $threads; do
        echo "== bench_orbit, OMP_NUM_THREADS=$n"
        OMP_NUM_THREADS=$n "$build_dir/orbit/bench_orbit"
    done
fi
