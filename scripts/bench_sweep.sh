#!/usr/bin/env bash
# Sweep throughput (members per second) with 1 and 2 OpenMP threads and with
# 1 and 2 MPI ranks, and the parallel efficiency of each. Not a test: it
# prints figures. Needs the MPI build for the rank figures (LSIM_WITH_MPI=1
# scripts/setup.sh installs OpenMPI and the parallel HDF5).
#   MEMBERS   grid size (default 8), DURATION simulated span per member (default 10yr)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
members=${MEMBERS:-8}
duration=${DURATION:-10yr}
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DLSIM_BUILD_TESTS=OFF >/dev/null
cmake --build "$root/build-release" -j"$(nproc)" --target lunarsim >/dev/null
have_mpi=0
if command -v mpirun >/dev/null && dpkg-query -W libhdf5-openmpi-dev >/dev/null 2>&1; then
    cmake -S "$root" -B "$root/build-mpi-release" -DCMAKE_BUILD_TYPE=Release -DLSIM_MPI=ON -DLSIM_BUILD_TESTS=OFF >/dev/null
    cmake --build "$root/build-mpi-release" -j"$(nproc)" --target lunarsim >/dev/null
    have_mpi=1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(sweep --vary "massdriver.exit_speed=2.34km/s:2.42km/s:$members" --set "run.duration=$duration" --quiet)

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}'; }
calc() { awk "BEGIN{print $1}"; }

echo "== sweep of $members members x $duration, $(nproc) core(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
base=""
for n in 1 2; do
    t=$(seconds "$root/build-release/chain/lunarsim" "${args[@]}" -o "$work/omp$n.h5" --threads "$n")
    [[ -z $base ]] && base=$t
    printf "OpenMP threads=%d  %6.2f s  %6.2f members/s  efficiency %5.1f%%\n" "$n" "$t" \
        "$(calc "$members / $t")" "$(calc "100 * $base / ($t * $n)")"
done
if ((have_mpi)); then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    base=""
    for n in 1 2; do
        t=$(seconds mpirun -np "$n" --oversubscribe "$root/build-mpi-release/chain/lunarsim" "${args[@]}" \
            -o "$work/mpi$n.h5" --threads 1)
        [[ -z $base ]] && base=$t
        printf "MPI ranks=%d        %6.2f s  %6.2f members/s  efficiency %5.1f%%\n" "$n" "$t" \
            "$(calc "$members / $t")" "$(calc "100 * $base / ($t * $n)")"
    done
else
    echo "(no MPI build: install with LSIM_WITH_MPI=1 scripts/setup.sh for rank figures)"
fi
