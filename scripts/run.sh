#!/usr/bin/env bash
# Installs dependencies, builds, and runs the built-in default scenario.
# Usage: scripts/run.sh [extra lunarsim run arguments, e.g. a deck or --set k=v]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
out=${LSIM_OUTPUT:-$root/out/lunarsim.h5}
mkdir -p "$(dirname "$out")"
"$root/build/chain/lunarsim" run "$@" -o "$out"
echo "output: $out  (read it with: /usr/bin/python3 -c \"import xarray; print(xarray.open_dataset('$out', group='power'))\")"
