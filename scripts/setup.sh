#!/usr/bin/env bash
# Installs lunarsim's build and test dependencies from Debian packages.
# Idempotent: does nothing when everything is already there.
# LSIM_WITH_MPI=1 also installs OpenMPI and the parallel HDF5.
set -euo pipefail

packages=(build-essential cmake pkg-config git libhdf5-dev hdf5-tools libchipmunk-dev libyaml-dev
          python3-h5py python3-numpy python3-xarray python3-netcdf4 python3-matplotlib python3-scipy python3-pandas
          clang libclang-rt-dev  # clang and its libFuzzer runtime: scripts/fuzz.sh
          help2man)  # the lunarsim(1) man page, made from --help at build time
if [[ "${LSIM_WITH_MPI:-0}" == 1 ]]; then
    packages+=(libopenmpi-dev openmpi-bin libhdf5-openmpi-dev)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
