#!/usr/bin/python3
"""Whole-chain checks through the `lunarsim` command.

  determinism  a 20 000-excavator fleet run with 1 and with 2 OpenMP threads
               gives bitwise identical datasets (every one, in every group)
  readback     a short default run: every group opens in xarray with a decoded
               time coordinate, every series has units and long_name, every
               table (a dataset with a `columns` attribute, docs/OUTPUT.md
               "Tables") is 2-D with one name and one unit per column, and
               /summary holds the documented entries with the bottleneck
               shares summing to 1
  decks        `lunarsim check` accepts every deck in data/decks
  decks_run    `lunarsim run` runs every deck in data/decks over its own horizon:
               exit 0, no .partial left, and a complete file (every series group
               holds one row per output interval of the deck's duration, and
               /summary's simulated_time is that duration)
"""
import time
import argparse
import glob
import math
import os
import subprocess
import sys

import h5py
import numpy as np
import yaml

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)


def run(args):
    return subprocess.run([ARGS.lunarsim] + args, capture_output=True, text=True, timeout=900)


def datasets(path):
    """Every dataset's full path -> its values (as stored, with dtype)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def test_determinism():
    outputs = []
    for threads in (1, 2):
        path = os.path.join(ARGS.workdir, f"chain_determinism_t{threads}.h5")
        if os.path.exists(path):
            os.remove(path)
        proc = run(["run", "-o", path, "--threads", str(threads), "--set", "regolith.initial_excavators=20000",
                    "--set", "run.duration=20d", "--quiet"])
        check(proc.returncode == 0, f"--threads {threads}: exit {proc.returncode}, stderr={proc.stderr!r}")
        if proc.returncode != 0:
            return
        outputs.append(datasets(path))
    a, b = outputs
    check(set(a) == set(b), f"dataset sets differ: {sorted(set(a) ^ set(b))}")
    check(len(a) > 50, f"only {len(a)} datasets: the comparison would say little")
    differing = []
    for name in sorted(set(a) & set(b)):
        x, y = np.asarray(a[name]), np.asarray(b[name])
        # Bitwise: compare the raw bytes, so NaN == NaN and -0.0 != 0.0.
        if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
            differing.append(name)
    check(not differing, f"{len(differing)} datasets differ between 1 and 2 threads: {differing[:10]}")
    # The fleet really was large, so the parallel agent loop really ran.
    total = a.get("regolith/excavators_total")
    check(total is not None and float(np.max(total)) >= 20000 * 0.9,
          f"regolith/excavators_total max {None if total is None else float(np.max(total))}, expected ~20000")
    print(f"determinism: {len(a)} datasets bitwise identical for 1 and 2 threads")


SUMMARY_ENTRIES = ["installed_orbital_power", "time_to_1_GW_per_year", "energy_per_kg_delivered",
                   "earth_only_launches"]


def test_readback():
    import xarray as xr

    path = os.path.join(ARGS.workdir, "chain_readback.h5")
    if os.path.exists(path):
        os.remove(path)
    proc = run(["run", "-o", path, "--set", "run.duration=2yr", "--quiet"])
    check(proc.returncode == 0, f"run: exit {proc.returncode}, stderr={proc.stderr!r}")
    if proc.returncode != 0:
        return
    tables = {}  # {group: [name, ...]} of the design-time tables, checked apart from the series
    with h5py.File(path, "r") as f:
        groups = [k for k, v in f.items() if isinstance(v, h5py.Group)]
        epoch_units = None
        for g in groups:
            if "time" in f[g]:
                epoch_units = f[g]["time"].attrs["units"]
                break
        for g in groups:
            for name, d in f[g].items():
                if not isinstance(d, h5py.Dataset) or "columns" not in d.attrs:
                    continue
                tables.setdefault(g, []).append(name)
                where = f"/{g}/{name} (table)"
                check(d.ndim == 2 and d.dtype == np.float64, f"{where}: shape {d.shape} {d.dtype}, expected 2-D float64")
                ncol = d.shape[1] if d.ndim == 2 else -1
                for attr in ("columns", "column_units"):
                    v = d.attrs.get(attr)
                    items = (v.decode() if isinstance(v, bytes) else str(v)).split(",") if v is not None else []
                    check(len(items) == ncol and all(items),
                          f"{where}: {attr} lists {len(items)} non-empty entries, expected {ncol} ({v!r})")
                check(bool(d.attrs.get("long_name")), f"{where}: no long_name")
                check("units" not in d.attrs, f"{where}: a units attribute (the columns carry column_units)")
    for must in ("power", "regolith", "refinery", "fabrication", "massdriver", "orbit", "chain", "summary"):
        check(must in groups, f"group /{must} missing; groups are {groups}")
    # The default flight model (three_body) writes its flights and arrivals; without them the
    # table checks above would pass vacuously.
    check(sorted(tables.get("orbit", [])) == ["arrivals", "trajectory"],
          f"the default run writes /orbit/trajectory and /orbit/arrivals (tables: {tables})")

    series_groups = [g for g in groups if g != "summary"]
    lengths = set()
    for g in series_groups:
        ds = xr.open_dataset(path, group=g)
        try:
            check("time" in ds.coords, f"/{g}: no time coordinate in the xarray view")
            if "time" not in ds.coords:
                continue
            t = ds["time"].values
            check(np.issubdtype(t.dtype, np.datetime64), f"/{g}: time not decoded to datetime64 (dtype {t.dtype})")
            check(len(t) > 1 and bool(np.all(np.diff(t) > np.timedelta64(0, "s"))), f"/{g}: time not increasing")
            # The first row closes the first output interval (default 1 day after the 2030-01-01 epoch).
            check(t[0] == np.datetime64("2030-01-02T00:00:00"), f"/{g}: first time {t[0]}, expected 2030-01-02")
            lengths.add(len(t))
            check(len(ds.data_vars) > 0, f"/{g}: no series")
            for name, var in ds.data_vars.items():
                if name in tables.get(g, []):
                    continue
                check(var.dims == ("time",), f"/{g}/{name}: dims {var.dims}, expected ('time',)")
                check(bool(var.attrs.get("units")), f"/{g}/{name}: no units")
                check(bool(var.attrs.get("long_name")), f"/{g}/{name}: no long_name")
        finally:
            ds.close()
    check(len(lengths) == 1, f"groups have different row counts {sorted(lengths)}")
    print(f"readback: {len(series_groups)} series groups decode with time ({epoch_units!r}), rows {sorted(lengths)}")
    print(f"readback: tables {sorted(f'{g}/{n}' for g, ns in tables.items() for n in ns)}")

    summary = xr.open_dataset(path, group="summary")
    try:
        for name, var in summary.data_vars.items():
            check(bool(var.attrs.get("units")), f"/summary/{name}: no units")
            check(bool(var.attrs.get("long_name")), f"/summary/{name}: no long_name")
        values = {name: float(var.values) for name, var in summary.data_vars.items()}
    finally:
        summary.close()
    for name in SUMMARY_ENTRIES:
        check(name in values, f"/summary/{name} missing")
    simulated = values.get("simulated_time", 2 * 365.25 * 86400.0)
    if "installed_orbital_power" in values:
        check(values["installed_orbital_power"] >= 0.0, f"installed_orbital_power {values['installed_orbital_power']}")
    if "time_to_1_GW_per_year" in values:
        v = values["time_to_1_GW_per_year"]
        check(math.isnan(v) or 0.0 < v <= simulated * (1 + 1e-12),
              f"time_to_1_GW_per_year {v} s: neither NaN (not reached) nor within the run")
    if "energy_per_kg_delivered" in values:
        v = values["energy_per_kg_delivered"]
        check(math.isnan(v) or v > 0.0, f"energy_per_kg_delivered {v}")
    if "earth_only_launches" in values:
        check(values["earth_only_launches"] >= 0.0, f"earth_only_launches {values['earth_only_launches']}")
    shares = {k: v for k, v in values.items() if k.startswith("bottleneck_share_")}
    expected = {"bottleneck_share_" + b for b in
                ("none", "power", "mining", "refining", "fabrication", "launch", "assembly", "earth_parts")}
    check(expected <= set(shares), f"bottleneck shares missing: {sorted(expected - set(shares))}")
    total = sum(shares.values())
    # Each share is (whole steps x dt) / run time: exact sums, one rounding per quotient.
    check(abs(total - 1.0) <= 1e-9, f"bottleneck shares sum to {total!r}, expected 1 within 1e-9")
    for k, v in shares.items():
        check(0.0 <= v <= 1.0, f"{k} = {v} outside [0, 1]")
    print(f"readback: /summary has {len(values)} entries; bottleneck shares sum to {total!r}")


def test_decks():
    decks = sorted(glob.glob(os.path.join(ARGS.decks, "*.yaml")))
    check(len(decks) >= 4, f"expected at least 4 example decks in {ARGS.decks}, found {len(decks)}")
    for deck in decks:
        proc = run(["check", deck])
        check(proc.returncode == 0,
              f"lunarsim check {os.path.basename(deck)}: exit {proc.returncode}, stderr={proc.stderr.strip()!r}")
        check("valid" in proc.stdout, f"lunarsim check {os.path.basename(deck)}: no 'valid' line in the output")
        # A header comment saying what question the deck answers.
        with open(deck, encoding="utf-8") as fh:
            first = fh.readline()
        check(first.startswith("#"), f"{os.path.basename(deck)}: no header comment on the first line")
    effective = {}
    for deck in decks:
        proc = run(["check", deck])
        if proc.returncode == 0:
            effective[os.path.basename(deck)] = yaml.safe_load(proc.stdout)
    proc = run(["params"])
    check(proc.returncode == 0, f"lunarsim params: exit {proc.returncode}")
    defaults = yaml.safe_load(proc.stdout)

    def value(deck, section, key):
        return deck.get(section, {}).get(key)

    def number(v):
        return float(str(v).split()[0])

    # default.yaml reproduces the built-in defaults (every parameter, not only those it sets).
    if "default.yaml" in effective:
        eff = effective["default.yaml"]
        for section, keys in defaults.items():
            for key, want in keys.items():
                got = value(eff, section, key)
                if got == want:
                    continue
                try:
                    # Units are converted on load; a value written in other units may differ in its last bit.
                    same = abs(number(got) - number(want)) <= 1e-15 * abs(number(want))
                except (TypeError, ValueError):
                    same = False
                check(same, f"default.yaml: {section}.{key} is {got!r}, the default is {want!r}")
    # Each other deck changes what its name says.
    if "equatorial_site.yaml" in effective:
        check(value(effective["equatorial_site.yaml"], "power", "site") == "equatorial",
              "equatorial_site.yaml does not set power.site: equatorial")
    if "carbothermal.yaml" in effective:
        check(value(effective["carbothermal.yaml"], "refinery", "route") == "carbothermal",
              "carbothermal.yaml does not set refinery.route: carbothermal")
    if "earth_rich.yaml" in effective:
        rich = number(value(effective["earth_rich.yaml"], "chain", "earth_resupply_rate"))
        base = number(value(defaults, "chain", "earth_resupply_rate"))
        check(rich > base, f"earth_rich.yaml: resupply {rich} kg/s not above the default {base} kg/s")
    print(f"decks: {len(decks)} checked")


def test_decks_run():
    decks = sorted(glob.glob(os.path.join(ARGS.decks, "*.yaml")))
    check(len(decks) >= 6, f"expected at least 6 example decks in {ARGS.decks}, found {len(decks)}")
    for deck in decks:
        name = os.path.basename(deck)
        proc = run(["check", deck])
        check(proc.returncode == 0, f"lunarsim check {name}: exit {proc.returncode}, stderr={proc.stderr.strip()!r}")
        if proc.returncode != 0:
            continue
        run_section = yaml.safe_load(proc.stdout)["run"]
        duration = float(str(run_section["duration"]).split()[0])
        interval = float(str(run_section["output_interval"]).split()[0])
        path = os.path.join(ARGS.workdir, f"deck_run_{name[:-len('.yaml')]}.h5")
        for stale in (path, path + ".partial", path + ".ckpt"):
            if os.path.exists(stale):
                os.remove(stale)
        started = time.monotonic()
        proc = run(["run", deck, "-o", path, "--quiet"])
        wall = time.monotonic() - started
        check(proc.returncode == 0, f"lunarsim run {name}: exit {proc.returncode}, stderr={proc.stderr.strip()[-400:]!r}")
        if proc.returncode != 0:
            continue
        check(os.path.exists(path) and not os.path.exists(path + ".partial"),
              f"{name}: output {path} missing or its .partial left behind")
        # Rows close whole output intervals; a final part-interval may add one row.
        want_rows = {math.floor(duration / interval + 1e-9), math.ceil(duration / interval - 1e-9)}
        with h5py.File(path, "r") as f:
            groups = [g for g, v in f.items() if isinstance(v, h5py.Group) and "time" in v]
            check(len(groups) >= 7, f"{name}: only {len(groups)} series groups ({groups})")
            rows = {g: f[g]["time"].shape[0] for g in groups}
            check(all(r in want_rows for r in rows.values()),
                  f"{name}: rows per group {rows}, expected {sorted(want_rows)} for {duration} s at {interval} s")
            simulated = float(f["summary"]["simulated_time"][()]) if "summary" in f else float("nan")
            # The clock counts whole steps of run.time_step; the duration is a whole number of them in every deck.
            check(abs(simulated - duration) <= 1e-9 * duration,
                  f"{name}: /summary/simulated_time {simulated} s, the deck's duration is {duration} s")
            if name == "terawatt.yaml":
                # The deck's promise: 1 TW installed in a trailing year within its horizon. It reaches it
                # at 33.6 yr of 40 (33.2-33.6 over seeds 1-3), so a regression of more than ~6 years or a
                # lost terawatt fails here.
                reached = float(f["summary"]["time_to_1_TW_per_year"][()])
                peak = float(f["summary"]["peak_power_installed_per_year"][()])
                check(math.isfinite(reached) and reached <= duration,
                      f"terawatt.yaml: 1 TW/yr not reached within {duration} s (peak {peak:.4g} W in a year)")
                print(f"decks_run: terawatt.yaml reaches 1 TW/yr at {reached / (365.25 * 86400):.4g} yr, "
                      f"peak {peak:.4g} W in a year")
        slow = "  (more than 10 s)" if wall > 10.0 else ""
        print(f"decks_run: {name}: {duration / (365.25 * 86400):.4g} yr in {wall:.1f} s, rows {sorted(set(rows.values()))}{slow}")
        os.remove(path)
    print(f"decks_run: {len(decks)} decks run")


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lunarsim", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--decks", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "decks"))
    parser.add_argument("case", choices=["determinism", "readback", "decks", "decks_run"])
    ARGS = parser.parse_args()
    os.makedirs(ARGS.workdir, exist_ok=True)
    {"determinism": test_determinism, "readback": test_readback, "decks": test_decks,
     "decks_run": test_decks_run}[ARGS.case]()
    if FAILURES:
        print(f"{len(FAILURES)} failures", file=sys.stderr)
        return 1
    print("ok")
    return 0


ARGS = None
if __name__ == "__main__":
    sys.exit(main())
