#!/usr/bin/python3
"""Prints the numbers docs/MODEL.md §11 and the README quote for the default scenario, from runs made
here, so that every figure there can be traced and regenerated after a model change:

    scripts/model_tables.py [--lunarsim build/chain/lunarsim] [--workdir DIR]

It runs the default scenario and the one-change variants of the §11 table (each a few seconds), and prints
markdown: the headline table, what limits delivery and growth in each five-year window, the variants table
and the launcher's design figures (massdriver attributes).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

YEAR = 365.25 * 86400.0

VARIANTS = [
    ("default", []),
    ("no wear (`chain.*_mtbf`, `*_life`, `infant_scale` = 0)",
     [f"chain.{k}_{w}=0 s" for k in ("plant", "line", "driver", "factory", "catcher", "assembly")
      for w in ("mtbf", "life")] + ["chain.infant_scale=0 s"]),
    ("`chain.manufacturing_rate=20 t/yr` (reproduction 6 months)", ["chain.manufacturing_rate=20 t/yr"]),
    ("fixed Earth shares (`chain.earth_share_decade_factor=1`)", ["chain.earth_share_decade_factor=1"]),
    ("`power.illumination_curve=none` (0.86 lit at any size)", ["power.illumination_curve=none"]),
    ("`chain.earth_resupply_rate=1000 t/yr` (= `data/decks/earth_rich.yaml`)", ["chain.earth_resupply_rate=1000 t/yr"]),
    ("`massdriver.exit_speed=2.34 km/s`", ["massdriver.exit_speed=2.34 km/s"]),
    ("`massdriver.launcher_model=first_order` (the launcher of the studies' summary figures)",
     ["massdriver.launcher_model=first_order"]),
    ("`massdriver.release_model=gaussian` (the studies' stated release accuracy)", ["massdriver.release_model=gaussian"]),
    ("`chain.growth_policy=balanced`", ["chain.growth_policy=balanced"]),
]


def run(lunarsim, out, sets, deck=None):
    args = [lunarsim, "run"] + ([deck] if deck else []) + ["-o", out, "--quiet"]
    for s in sets:
        args += ["--set", s]
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
    return out, None


def summary(path):
    with h5py.File(path, "r") as f:
        return {k: float(np.asarray(f["summary"][k][()])) for k in f["summary"]}


def years(seconds):
    return "not reached" if not np.isfinite(seconds) else f"{seconds / YEAR:.1f} yr"


def codes(group):
    """Code -> name of a code series' categories (flag_meanings, or the older bottleneck_code_* attributes)."""
    series = group["bottleneck"]
    if "flag_meanings" in series.attrs:
        names = series.attrs["flag_meanings"]
        names = (names.decode() if isinstance(names, bytes) else str(names)).split()
        return {int(v): n for v, n in zip(np.asarray(series.attrs["flag_values"]).ravel(), names)}
    return {int(v): k[len("bottleneck_code_"):] for k, v in group.attrs.items()
            if k.startswith("bottleneck_code_") and not k.endswith("_units")}


def shares(values, names):
    finite = values[np.isfinite(values)].astype(int)
    if finite.size == 0:
        return "-"
    counts = np.bincount(finite, minlength=max(names) + 1)
    order = np.argsort(-counts)
    parts = [f"{names.get(int(c), c)} {counts[c] / finite.size:.2f}" for c in order[:3] if counts[c] / finite.size >= 0.05]
    return ", ".join(parts)


def windows(path):
    with h5py.File(path, "r") as f:
        chain, t = f["chain"], f["chain/time"][()] / YEAR
        names = codes(chain)
        plants, lines = f["refinery/plants"][()], f["fabrication/lines"][()]
        drivers = f["massdriver/drivers"][()]
        array, lit = f["power/array_rated_power"][()], f["power/array_mean_illumination"][()]
        print("| years | delivery | growth | plants | lines | factories | drivers | array, mean lit |")
        print("|---|---|---|---|---|---|---|---|")
        for a in range(0, int(round(t[-1])), 5):
            w = (t > a) & (t <= a + 5)
            end = np.flatnonzero(w)[-1]
            print(f"| {a}-{a + 5} | {shares(chain['bottleneck'][()][w], names)} | "
                  f"{shares(chain['surface_bottleneck'][()][w], names)} | {plants[end]:.0f} | {lines[end]:.0f} | "
                  f"{chain['factories'][()][end]:.0f} | {drivers[end]:.2f} | {array[end] / 1e6:.3g} MW at "
                  f"{lit[end]:.2f} |")
        first = {}
        for n in (1, 2):
            hit = np.flatnonzero(drivers >= n)
            first[n] = t[hit[0]] if hit.size else float("nan")
        return first


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lunarsim", default=os.path.join(os.path.dirname(__file__), "..", "build", "chain", "lunarsim"))
    ap.add_argument("--workdir")
    a = ap.parse_args()
    work = a.workdir or tempfile.mkdtemp(prefix="lunarsim-tables-")
    base, err = run(a.lunarsim, os.path.join(work, "default.h5"), [])
    if err:
        sys.exit(f"default run failed: {err}")
    s = summary(base)
    print("## Default scenario\n")
    print(f"- installed orbital power after 30 years: {s['installed_orbital_power'] / 1e9:.2f} GW "
          f"({s['orbital_compute_power'] / 1e9:.2f} GW to working compute, {s['orbital_compute']:.2g} FLOP/s)")
    print(f"- 1 GW/yr first: {years(s['time_to_1_GW_per_year'])}; 100 GW/yr: {years(s['time_to_100_GW_per_year'])}")
    print(f"- peak trailing year: {s['peak_power_installed_per_year'] / 1e9:.2f} GW/yr, "
          f"{s['peak_delivery_per_year'] / 1e6:.1f} kt/yr caught; total caught {s['mass_delivered'] / 1e6:.1f} kt")
    print(f"- energy per kg caught: {s['energy_per_kg_delivered'] / 1e6:.0f} MJ/kg (refining "
          f"{s['energy_per_kg_delivered_refining'] / 1e6:.0f}, launch {s['energy_per_kg_delivered_launch'] / 1e6:.1f}, "
          f"fabrication {s['energy_per_kg_delivered_fabrication'] / 1e6:.1f}, manufacturing "
          f"{s['energy_per_kg_delivered_manufacturing'] / 1e6:.1f})")
    print(f"- Earth mass {s['earth_mass_total'] / 1e6:.1f} kt vs Earth-only {s['earth_only_mass'] / 1e6:.1f} kt: "
          f"leverage {s['earth_mass_leverage']:.2f}; {s['earth_mass_per_installed_watt'] * 1e3:.2f} g per installed W")
    print(f"- growth_on_earth_mass at 30 yr {s['growth_on_earth_mass']:.2f}; units built: "
          f"{s['excavators_built']:.0f} excavators, {s['plants_built']:.0f} plants, {s['lines_built']:.0f} lines, "
          f"{s['factories_built']:.0f} factories, {s['drivers_built']:.0f} drivers")
    print(f"- growth metal unbuilt {s['growth_metal_unused'] / 1e6:.1f} kt; metal waited for Earth parts "
          f"{s['growth_limited_by_earth_parts_share']:.2f} of the time, for manufacturing "
          f"{s['growth_limited_by_manufacturing_share']:.2f}")
    print("- bottleneck shares: " + ", ".join(f"{k[len('bottleneck_share_'):]} {v:.2f}" for k, v in
                                                 sorted(s.items(), key=lambda kv: -kv[1])
                                                 if k.startswith("bottleneck_share_") and v >= 0.005))
    print(f"- Earth launch first bound at {years(s['time_earth_launch_first_bound'])}, chips at "
          f"{years(s['time_chip_production_first_bound'])}\n")
    print("### Five-year windows\n")
    first = windows(base)
    print(f"\nfirst driver complete at {first[1]:.1f} yr, second at {first[2]:.1f} yr\n")
    with h5py.File(base, "r") as f:
        m = f["massdriver"].attrs
        print("### Launcher design (massdriver attributes)\n")
        for k in ("electrical_efficiency", "electrical_energy_per_kg", "coil_heat", "coil_heat_rate_limit",
                  "coil_recharge_rate_limit", "coil_lunar_mass_per_length", "coil_earth_mass_per_length", "track_length",
                  "coil_stages", "coil_peak_current", "coil_peak_voltage", "coil_bank_mass", "coil_radiator_mass",
                  "coil_bucket_fleet", "coil_steady_temperature", "driver_lunar_mass", "release_sigma_along",
                  "release_sigma_normal", "release_sigma_cross", "release_corr_along_normal"):
            if k in m:
                units = m.get(k + "_units", b"")
                units = units.decode() if isinstance(units, bytes) else units
                print(f"- {k}: {float(m[k]):.4g} {units}")
    print("\n### One change at a time\n")
    print("| change | installed after 30 yr | peak GW/yr | 1 GW/yr reached |")
    print("|---|---|---|---|")
    for i, (label, sets) in enumerate(VARIANTS):
        path = base if not sets else os.path.join(work, f"variant_{i}.h5")
        if sets:
            path, err = run(a.lunarsim, path, sets)
            if err:
                print(f"| {label} | refused: {err} | | |")
                continue
        v = summary(path)
        print(f"| {label} | {v['installed_orbital_power'] / 1e9:.2f} GW | {v['peak_power_installed_per_year'] / 1e9:.2f} | "
              f"{years(v['time_to_1_GW_per_year'])} |")


if __name__ == "__main__":
    main()
