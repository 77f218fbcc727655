"""lunarsim's DOP853 against scipy's on the Earth-Moon CR3BP.

Random states 3,800-19,000 km from the Moon, moving at 0.85-1.2 times the
local circular speed across the radius, are propagated over one time unit
(4.35 days, about 2-10 lunar orbits) by scipy.integrate.solve_ivp(method=
"DOP853", rtol=atol=1e-12) and by lunarsim (tests/orbit/cr3bp_propagate.c).

Tolerance: each solver keeps its local error per step near tol = 1e-12 and
the flow carries a local error forward amplified by at most max|Phi| (the
state-transition matrix over the span, printed by the helper). So each
global error is at most steps * tol * max|Phi|, and the two solutions agree
within the sum of the two bounds.

Usage: cr3bp_vs_scipy.py PATH_TO_cr3bp_propagate
"""
import subprocess
import sys

import numpy as np
from scipy.integrate import solve_ivp

MU = 1.215058560962404e-2  # orbit/cr3bp.h, [JPLThreeBody]
TOL = 1e-12
SPAN = 1.0
N = 16


def rhs(t, s):
    x, y, z, vx, vy, vz = s
    r1 = np.sqrt((x + MU) ** 2 + y * y + z * z)
    r2 = np.sqrt((x - 1 + MU) ** 2 + y * y + z * z)
    a, b = (1 - MU) / r1 ** 3, MU / r2 ** 3
    return [vx, vy, vz,
            2 * vy + x - a * (x + MU) - b * (x - 1 + MU),
            -2 * vx + y - (a + b) * y,
            -(a + b) * z]


def states(rng):
    out = []
    for _ in range(N):
        d = rng.uniform(0.01, 0.05)
        u = rng.normal(size=3)
        u /= np.linalg.norm(u)
        w = rng.normal(size=3)
        w -= w.dot(u) * u
        w /= np.linalg.norm(w)
        speed = rng.uniform(0.85, 1.2) * np.sqrt(MU / d)
        out.append(np.concatenate(([1 - MU, 0, 0] + d * u, speed * w)))
    return out


def main():
    helper = sys.argv[1]
    rng = np.random.default_rng(20261201)
    s0 = states(rng)
    text = "".join(f"{SPAN!r} " + " ".join(repr(float(v)) for v in s) + "\n" for s in s0)
    run = subprocess.run([helper], input=text, capture_output=True, text=True, check=True)
    rows = [line.split() for line in run.stdout.strip().splitlines()]
    assert len(rows) == N, f"helper returned {len(rows)} states for {N}"
    failures = 0
    worst_ratio = 0.0
    for i, (s, row) in enumerate(zip(s0, rows)):
        ours = np.array([float(v) for v in row[:6]])
        steps, amp = int(row[6]), float(row[7])
        sol = solve_ivp(rhs, (0.0, SPAN), s, method="DOP853", rtol=TOL, atol=TOL)
        assert sol.success, sol.message
        ref = sol.y[:, -1]
        scipy_steps = len(sol.t) - 1
        diff = float(np.max(np.abs(ours - ref)))
        bound = (steps + scipy_steps) * TOL * max(1.0, amp)
        worst_ratio = max(worst_ratio, diff / bound)
        print(f"state {i:2d}: max|diff| {diff:.3g}, bound {bound:.3g} "
              f"(steps {steps} + {scipy_steps}, max|Phi| {amp:.3g})")
        if not diff <= bound:
            print(f"FAILED state {i}: lunarsim and scipy differ by {diff:.3g} > (steps sum) * tol * max|Phi| = {bound:.3g}")
            failures += 1
    print(f"{N} states, {failures} failed; worst diff/bound {worst_ratio:.3g}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
