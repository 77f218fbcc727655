#!/usr/bin/env bash
# Regenerates the figures in docs/img from the default scenario.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/build.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/build/chain/lunarsim" run -o "$work/default.h5" --quiet
/usr/bin/python3 "$root/scripts/plot_run.py" "$work/default.h5" -o "$root/docs/img/default_dashboard.png"
