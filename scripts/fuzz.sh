#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang under AddressSanitizer and
# UBSan in build-fuzz/, then runs each for SECONDS (default 7: eight harnesses
# stay under a minute) on its committed corpus and dictionary. Fails on any
# crash, memory error, undefined behaviour, leak or timeout. New inputs go to
# build-fuzz/corpus/, never into the committed fuzz/corpus/.
#   scripts/fuzz.sh [SECONDS]          smoke run
#   LSIM_FUZZ_RUNS=1000000 scripts/fuzz.sh   a campaign of N executions per harness
#   LSIM_FUZZ_ONLY="fuzz_deck fuzz_units" scripts/fuzz.sh   a subset
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-7}
build="$root/build-fuzz"
harnesses=(fuzz_deck fuzz_override fuzz_vary fuzz_units fuzz_site_table fuzz_routes fuzz_illumination fuzz_checkpoint)
if [[ -n "${LSIM_FUZZ_ONLY:-}" ]]; then read -r -a harnesses <<<"$LSIM_FUZZ_ONLY"; fi

command -v clang >/dev/null || { echo "fuzz: clang not found (scripts/setup.sh installs it)" >&2; exit 2; }
# Warnings are errors here too: clang checks what gcc does not (a string
# literal plus an offset, a constant operand of &&). The harnesses run one
# thread: OpenMP is left out (and with it a libomp dependency).
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSIM_FUZZ=ON \
      -DLSIM_BUILD_TESTS=OFF -DLSIM_WERROR=ON -DLSIM_OPENMP=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target lsim_fuzzers >/dev/null

# Leaks count: every input's allocations must be freed (libFuzzer checks each).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
limit=(-max_total_time="$seconds")
if [[ -n "${LSIM_FUZZ_RUNS:-}" ]]; then limit=(-runs="$LSIM_FUZZ_RUNS"); fi
for h in "${harnesses[@]}"; do
    work="$build/corpus/$h"
    mkdir -p "$work" "$build/crashes"
    log="$build/$h.log"
    echo "== $h (${LSIM_FUZZ_RUNS:+$LSIM_FUZZ_RUNS runs}${LSIM_FUZZ_RUNS:-$seconds s})"
    # -timeout: one input taking seconds is a hang worth failing on (a deck loads in milliseconds).
    if ! "$build/fuzz/$h" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -dict="$root/fuzz/$h.dict" -artifact_prefix="$build/crashes/$h-" \
            "$work" "$root/fuzz/corpus/$h" >"$log" 2>&1; then
        grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" >&2 || tail -20 "$log" >&2
        echo "fuzz: $h failed; log $log, input in $build/crashes/" >&2
        exit 1
    fi
    grep -E "DONE|stat::number_of_executed_units|stat::average_exec_per_sec" "$log" | tr -s "\t " " " | paste -sd" "
done
