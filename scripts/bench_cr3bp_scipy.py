#!/usr/bin/python3
"""Three-body propagations per second: lunarsim's DOP853 against scipy's, on
the same states, tolerance and span, in the same run (issue 8's benchmark).

The states come from `bench_cr3bp --states` (200 near-Moon states over one
time unit, 4.35 d, rtol = atol = 1e-12; see orbit/bench_cr3bp.c). scipy runs
solve_ivp(method="DOP853") on a plain-Python right-hand side, as a user of
scipy would; it is timed over all the states (about 12 s).

Usage: scripts/bench_cr3bp_scipy.py [build/orbit/bench_cr3bp]   (Debian python3-scipy)
"""
import subprocess
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

MU = 1.215058560962404e-2  # orbit/cr3bp.h, [JPLThreeBody]
TOL = 1e-12
N_SCIPY = 200  # all of them (about 12 s), so both rates are over the same states


def rhs(t, s):
    x, y, z, vx, vy, vz = s
    r1 = np.sqrt((x + MU) ** 2 + y * y + z * z)
    r2 = np.sqrt((x - 1 + MU) ** 2 + y * y + z * z)
    a, b = (1 - MU) / r1 ** 3, MU / r2 ** 3
    return [vx, vy, vz,
            2 * vy + x - a * (x + MU) - b * (x - 1 + MU),
            -2 * vx + y - (a + b) * y,
            -(a + b) * z]


def main():
    bench = sys.argv[1] if len(sys.argv) > 1 else "build/orbit/bench_cr3bp"
    rows = subprocess.run([bench, "--states"], capture_output=True, text=True, check=True).stdout.split("\n")
    states = [[float(v) for v in r.split()] for r in rows if r.strip()]
    t0 = time.perf_counter()
    steps = 0
    for row in states[:N_SCIPY]:
        sol = solve_ivp(rhs, (0.0, row[0]), row[1:], method="DOP853", rtol=TOL, atol=TOL)
        steps += len(sol.t) - 1
    elapsed = time.perf_counter() - t0
    scipy_rate = N_SCIPY / elapsed
    print(f"scipy {__import__('scipy').__version__} DOP853: {scipy_rate:.4g} propagations/s "
          f"({steps / N_SCIPY:.0f} steps each on average, {N_SCIPY} states)")
    out = subprocess.run([bench], capture_output=True, text=True, check=True).stdout.strip()
    print(out)
    ours = float(out.split(":")[1].split()[0])
    print(f"ratio lunarsim / scipy: {ours / scipy_rate:.0f}x (goal >= 100x per core)")


if __name__ == "__main__":
    main()
