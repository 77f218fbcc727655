#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite twice: in an
# optimised build and in an AddressSanitizer + UBSan build; then the MPI tests
# and a short run of each fuzzer (scripts/fuzz.sh). Fails if any test fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LSIM_WITH_MPI=1 "$root/scripts/setup.sh"
jobs=$(nproc)

echo "== build (RelWithDebInfo, -Werror)"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSIM_WERROR=ON >/dev/null
cmake --build "$root/build" -j"$jobs" >/dev/null
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j"$jobs"

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DLSIM_SANITIZE=ON -DLSIM_WERROR=ON >/dev/null
cmake --build "$root/build-asan" -j"$jobs" >/dev/null
echo "== tests under sanitizers"
# HDF5 and libgomp keep a few process-lifetime allocations: leaks are not
# what this pass is for; memory errors and undefined behaviour are.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs" -LE no_sanitize

echo "== build (MPI + parallel HDF5)"
cmake -S "$root" -B "$root/build-mpi" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSIM_MPI=ON -DLSIM_WERROR=ON >/dev/null
cmake --build "$root/build-mpi" -j"$jobs" --target lunarsim >/dev/null
echo "== MPI tests (mpirun -np 2 sweep = OpenMP sweep)"
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    ctest --test-dir "$root/build-mpi" --output-on-failure -L mpi

echo "== fuzz smoke (libFuzzer, ASan + UBSan, under a minute)"
"$root/scripts/fuzz.sh"
