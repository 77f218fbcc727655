#!/usr/bin/python3
"""Tests of the lunarsim Python package (python/lunarsim): open_run, open_sweep (selection
by parameter value, unstacking a grid), run()/sweep() and their errors, follow() on a file
being written, and an install by `cmake --install`. Each check says what it checks;
comparisons with the file read by plain h5py are exact (bitwise): the package only
rearranges the numbers it reads, so any difference is a bug, not round-off."""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

import lunarsim

FAILURES = []
LUNARSIM = None


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)


def lsim(args):
    return subprocess.run([LUNARSIM] + args, capture_output=True, text=True, timeout=300)


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


SHORT = ["--set", "run.duration=30d"]
# Exit speeds a payload can fly from the launch site to the catcher at L2 with the default
# (three-body) flight model: the L2 neck opens at 2323.3 m/s, and from about 2.45 km/s no
# track within orbit.track_elevation_max reaches the catcher. 2.34:2.42:3 gives 2340, 2380
# and 2420 m/s; the file holds them exactly (whole numbers), so .sel below uses the literals.
SPEEDS = "massdriver.exit_speed=2.34km/s:2.42km/s:3"
VARY = ["--vary", SPEEDS, "--vary", "refinery.route=mre,carbothermal"]
# Sweep members each target the flight and run the release Monte Carlo at init (about 0.3 s
# for the default 10^4 samples); these tests check how files are read, not the capture
# statistics, so their sweeps use 10^3 samples to keep the test time near what it was.
SAMPLES = "1000"
# And 16 Chipmunk release cases, not 128: each exit speed is its own release design (~0.7 s of cases).
FEW = ["--set", f"orbit.dispersion_samples={SAMPLES}", "--set", "massdriver.release_cases=16"]


# Written afresh by every test case that needs them: a file left in the build
# tree by an older binary (other defaults, other sweep values) must not be
# what a test reads.
def make_run(work):
    out = os.path.join(work, "run.h5")
    if os.path.exists(out):
        os.remove(out)
    p = lsim(["run", "-o", out, *SHORT, "--quiet"])
    check(p.returncode == 0, f"lunarsim run for the test file: {p.stderr}")
    return out


def make_sweep(work):
    out = os.path.join(work, "sweep.h5")
    if os.path.exists(out):
        os.remove(out)
    p = lsim(["sweep", *VARY, *SHORT, *FEW, "--quiet", "-o", out])
    check(p.returncode == 0, f"lunarsim sweep for the test file: {p.stderr}")
    return out


def file_series(path):
    """{(group, name): (array, attrs)} of every time series below the root (tables left out),
    read by plain h5py."""
    out = {}
    with h5py.File(path, "r") as f:
        for g in f:
            if isinstance(f[g], h5py.Group):
                for n, d in f[g].items():
                    if d.ndim == 2 and "columns" in d.attrs:
                        continue  # a design-time table: open_table's, not open_run's
                    out[(g, n)] = (d[()], {k: d.attrs[k] for k in d.attrs})
    return out


def case_open_run(work):
    path = make_run(work)
    ds = lunarsim.open_run(path)
    ref = file_series(path)
    groups = sorted({g for g, _ in ref})
    check(sorted(ds) == groups, f"one Dataset per group ({sorted(ds)} vs {groups})")
    missing = [f"{g}/{n}" for g, n in ref if n not in ds[g].variables]
    check(not missing, f"every dataset of the file is a variable of its group's Dataset (missing {missing[:5]})")
    differ = [f"{g}/{n}" for (g, n), (v, a) in ref.items()
              if n != "time" and n in ds[g].variables and np.asarray(ds[g][n].values).tobytes() != v.tobytes()]
    check(not differ, f"series values equal the file's bit for bit (differ: {differ[:5]})")
    code = ds["chain"]["bottleneck"]
    check(code.dtype == np.int32 and "flag_meanings" in code.attrs,
          f"a category code stays int32 with its flags (xarray's masking once made it float64): {code.dtype}")
    words = lunarsim.decode_flags(code)
    check(set(np.unique(words.values)) <= set(str(code.attrs["flag_meanings"]).split()) | {""},
          "decode_flags gives the code's words")
    with h5py.File(path, "r") as f:
        secs = f["orbit/time"][()]
        deck = text(f.attrs["deck"])
        track = float(f["massdriver"].attrs["track_length"])
    t = ds["orbit"]["time"].values
    expect = np.datetime64("2030-01-01T00:00:00", "ns") + (secs * 1e9).astype("timedelta64[ns]")
    check(t.dtype.kind == "M" and np.array_equal(t, expect),
          "time is decoded to datetime64: run.start_epoch + the file's seconds (exact: whole seconds)")
    v = ds["orbit"]["installed_power"]
    check(v.attrs.get("units") == "W" and "installed orbital power" in v.attrs.get("long_name", ""),
          f"units and long_name are kept ({v.attrs})")
    check(ds["chain"].attrs.get("deck") == deck, "the effective deck is ds.attrs['deck'], as in the file")
    check(ds["massdriver"].attrs.get("track_length") == track, "a group's design figures are its Dataset's attrs")
    s = ds["summary"]
    check(len(s.data_vars) > 10 and all(s[n].ndim == 0 for n in s.data_vars),
          f"/summary is a Dataset of 0-d variables ({len(s.data_vars)} of them)")
    check(s["simulated_time"].attrs.get("units") == "s" and float(s["simulated_time"]) == 30 * 86400.0,
          "summary scalars keep their units and are not decoded as timedeltas (simulated_time = 30 d in s)")


def case_open_run_merged(work):
    path = make_run(work)
    m = lunarsim.open_run(path, merge=True)
    ref = file_series(path)
    names = {f"{g}{lunarsim.SEP}{n}": (g, n) for g, n in ref if n != "time"}
    check(sorted(m.data_vars) == sorted(names), "merged names are GROUP__NAME, one per dataset of the file")
    check(all(n.isidentifier() for n in m.data_vars), "merged names are valid identifiers (no '/' or '.')")
    differ = [n for n, k in names.items() if n in m and np.asarray(m[n].values).tobytes() != ref[k][0].tobytes()]
    check(not differ, f"merged values equal the file's bit for bit (differ {differ[:5]})")
    check(m.sizes.get("time") == 30 and m["time"].dtype.kind == "M", "one shared decoded time axis of 30 rows")
    check("deck" in m.attrs and "massdriver__track_length" in m.attrs,
          "root attributes stay; group attributes are GROUP__NAME in the merged attrs")


def case_open_sweep(work):
    path = make_sweep(work)
    sw = lunarsim.open_sweep(path)
    with h5py.File(path, "r") as f:
        speed = f["parameters/massdriver__exit_speed"][()]
        route_codes = f["parameters/refinery__route"][()]
        meanings = text(f["parameters/refinery__route"].attrs["flag_meanings"]).split()
        delivered = f["summary/mass_launched"][()] if "summary/mass_launched" in f else None
        launched = f["massdriver/mass_launched"][()]
        energy = f["massdriver/electrical_energy_per_kg"][()]
    s = sw["massdriver"]
    check(np.array_equal(s["massdriver.exit_speed"].values, speed),
          "the varied speed is a coordinate named by its deck key, values as in the file (SI)")
    words = [meanings[c] for c in route_codes]
    check(list(s["refinery.route"].values) == words, f"route codes are decoded to their words ({words})")
    sub = s.sel({"massdriver.exit_speed": 2380.0})
    want = np.nonzero(speed == 2380.0)[0]
    check(np.array_equal(sub["run"].values, want), f".sel by a parameter value picks its members ({want})")
    check(np.array_equal(sub["mass_launched"].values, launched[want]), "... and their series")
    sub = s.sel({"refinery.route": "carbothermal"})
    want = np.nonzero(np.array(words) == "carbothermal")[0]
    check(np.array_equal(sub["run"].values, want), ".sel by a word picks the members that ran it")
    one = lunarsim.sel(s, {"massdriver.exit_speed": 2420.0, "refinery.route": "mre"})
    k = int(np.nonzero((speed == 2420.0) & (np.array(words) == "mre"))[0][0])
    check("run" not in one.dims and int(one["run"]) == k,
          "lunarsim.sel selects by two parameters at once (one member left: run is a scalar, as in xarray)")
    check(float(one["electrical_energy_per_kg"]) == energy[k],
          "a per-member design figure is a (run) variable selected with the rest")
    summ = sw["summary"]
    check(summ["mass_delivered"].dims == ("run",) and "massdriver.exit_speed" in summ.coords,
          "the sweep summary is over run, with the parameter coordinates")
    del delivered


def case_sweep_cf_names(work):
    """Issue 11: sweep files name the varied parameters CF-validly ("massdriver__exit_speed": no
    dots), with the deck key in the attribute deck_key and the series' `coordinates` naming the
    variables; open_sweep still offers the deck keys as coordinates, so .sel({"refinery.route":
    "mre"}) works as the README shows. A file written before (variables named by their deck
    keys, no deck_key) opens the same way."""
    src = make_sweep(work)
    with h5py.File(src, "r") as f:
        names = []
        f.visit(names.append)
        check(not any("." in n for n in names), f"no name in the file holds a dot ({[n for n in names if '.' in n]})")
        p = f["parameters"]
        check(sorted(k for k in p if k != "run") == ["massdriver__exit_speed", "refinery__route"],
              f"parameters are section__key ({sorted(p)})")
        check(text(p["massdriver__exit_speed"].attrs["deck_key"]) == "massdriver.exit_speed"
              and text(p["refinery__route"].attrs["deck_key"]) == "refinery.route", "deck_key holds the deck key")
        check(text(f["orbit/installed_power"].attrs["coordinates"]).split() == ["massdriver__exit_speed", "refinery__route"],
              "the series' coordinates name the variables")
    a = lunarsim.open_sweep(src, unstack=True)["summary"]
    check("refinery.route" in a.dims and "massdriver.exit_speed" in a.dims, f"deck keys as dimensions ({a.dims})")
    mre = lunarsim.open_sweep(src)["orbit"].sel({"refinery.route": "mre"})
    check(list(mre["refinery.route"].values) == ["mre"] * 3, ".sel by the deck key and a word, as the README shows")
    # An older file: variables named by their deck keys, without deck_key.
    dst = os.path.join(work, "sweep_dotted.h5")
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        for g in f.values():
            for key in ("massdriver.exit_speed", "refinery.route"):
                new = key.replace(".", "__")
                if isinstance(g, h5py.Group) and new in g:
                    g.move(new, key)
                    del g[key].attrs["deck_key"]
            for d in g.values():
                if "coordinates" in d.attrs:
                    d.attrs["coordinates"] = text(d.attrs["coordinates"]).replace("__", ".")
    b = lunarsim.open_sweep(dst, unstack=True)["summary"]
    check(b["mass_delivered"].dims == a["mass_delivered"].dims
          and np.array_equal(a["mass_delivered"].values, b["mass_delivered"].values, equal_nan=True)
          and list(b["refinery.route"].values) == list(a["refinery.route"].values),
          "a file with dotted names opens as the same deck-key coordinates")


def case_sweep_sensitivity(work):
    """sweep(method="sobol") returns the indices as the Dataset "sensitivity" over `metric` and
    `parameter` (decoded to names from the file's flag_meanings), values bit for bit as in the
    file; method="morris" and design= run through the package too."""
    out = os.path.join(work, "sobol.h5")
    for q in (out, out + ".partial"):
        if os.path.exists(q):
            os.remove(q)
    short = {"run.duration": "10 d", "orbit.flight_model": "fixed"}
    sw = lunarsim.sweep(vary={"power.array_area": "2000m2:3000m2", "power.array_efficiency": "0.25:0.32"},
                        samples=4, method="sobol", set=short, out=out, executable=LUNARSIM)
    s = sw["sensitivity"]
    check(list(s["parameter"].values) == ["power.array_area", "power.array_efficiency"],
          f"parameter coordinate holds the deck keys ({list(s['parameter'].values)})")
    check("surface_energy_generated" in list(s["metric"].values), "metric coordinate holds the summary names")
    with h5py.File(out, "r") as f:
        names = text(f["sensitivity/metric"].attrs["flag_meanings"]).split()
        raw = f["sensitivity/ST"][()]
        check(int(f.attrs["run_count"]) == 16, "N (d + 2) = 16 members")
    k = names.index("surface_energy_generated")
    got = s["ST"].sel(metric="surface_energy_generated").values
    check(got.tobytes() == raw[k].tobytes(), "ST selected by metric name equals the file's row bit for bit")
    check(s["S1"].attrs.get("units") == "1" and "Saltelli" in s["S1"].attrs.get("long_name", ""),
          f"units and long_name kept ({s['S1'].attrs})")
    check(s.attrs.get("method") == "sobol", "the method is an attribute")
    check("power.array_area" in sw["summary"].coords and "sensitivity" not in sw["summary"].coords,
          "the other groups keep their parameter coordinates")
    m = lunarsim.sweep(vary={"power.array_area": "2000m2:3000m2"}, samples=3, method="morris", levels=4, set=short,
                       executable=LUNARSIM)["sensitivity"]
    check(m["mu_star"].dims == ("metric", "parameter") and m.sizes["parameter"] == 1, "morris through the package")
    csv = os.path.join(work, "design.csv")
    with open(csv, "w") as fh:
        fh.write("power.array_area [m2],refinery.route\n2100,mre\n2900,carbothermal\n")
    d = lunarsim.sweep(design=csv, set=short, executable=LUNARSIM)["summary"]
    check(list(d["power.array_area"].values) == [2100.0, 2900.0] and list(d["refinery.route"].values)
          == ["mre", "carbothermal"], "design= runs the CSV's rows")
    try:
        lunarsim.sweep(design=csv, vary={"power.array_area": "1:2"}, executable=LUNARSIM)
        check(False, "design= with vary= is refused")
    except ValueError:
        pass


def case_sweep_unstack(work):
    path = make_sweep(work)
    u = lunarsim.open_sweep(path, unstack=True)
    with h5py.File(path, "r") as f:
        speed = f["parameters/massdriver__exit_speed"][()]
        codes = f["parameters/refinery__route"][()]
        meanings = text(f["parameters/refinery__route"].attrs["flag_meanings"]).split()
        launched = f["massdriver/mass_launched"][()]
    o = u["massdriver"]
    check(o["mass_launched"].dims == ("massdriver.exit_speed", "refinery.route", "time") or
          set(o["mass_launched"].dims) == {"massdriver.exit_speed", "refinery.route", "time"},
          f"a grid unstacks into one dimension per parameter ({o['mass_launched'].dims})")
    check(o.sizes["massdriver.exit_speed"] == 3 and o.sizes["refinery.route"] == 2, "3 speeds x 2 routes")
    ok = True
    for r in range(len(speed)):
        cell = o.sel({"massdriver.exit_speed": speed[r], "refinery.route": meanings[codes[r]]})
        ok &= int(cell["member"]) == r and np.array_equal(cell["mass_launched"].values, launched[r])
    check(ok, "every grid cell holds its member's series and index (`member`)")
    m = lunarsim.open_sweep(path, unstack=True, merge=True)
    check(m["summary__mass_delivered"].sizes == {"massdriver.exit_speed": 3, "refinery.route": 2},
          "merge and unstack together give one Dataset on the grid")
    one = os.path.join(work, "one_param.h5")
    p = lsim(["sweep", "--vary", SPEEDS, "--set", "run.duration=5d", *FEW,
              "--quiet", "-o", one])
    check(p.returncode == 0, f"one-parameter sweep: {p.stderr}")
    u1 = lunarsim.open_sweep(one, unstack=True)["orbit"]
    check(u1["installed_power"].dims == ("massdriver.exit_speed", "time")
          and list(u1["member"].values) == [0, 1, 2],
          "a one-parameter grid unstacks into that parameter's dimension, members in order")
    lhs = os.path.join(work, "lhs.h5")
    p = lsim(["sweep", "--samples", "4", "--method", "lhs", "--vary", "massdriver.exit_speed=2.34km/s:2.42km/s",
              "--vary", "fabrication.efficiency=0.05:0.2", *SHORT, *FEW, "--quiet", "-o", lhs])
    check(p.returncode == 0, f"LHS sweep: {p.stderr}")
    try:
        lunarsim.open_sweep(lhs, unstack=True)
        check(False, "unstack=True on a Latin hypercube (not a grid) is refused")
    except ValueError as e:
        check("full grid" in str(e), f"the refusal says a full grid is needed ({e})")
    check(lunarsim.open_sweep(lhs)["summary"].sizes["run"] == 4, "an LHS sweep opens stacked over run")


def case_run_and_sweep_api(work):
    out = os.path.join(work, "api_run.h5")
    if os.path.exists(out):
        os.remove(out)
    # 2.41 km/s: not the default (2.4), and inside the range the three-body flight reaches L2 from.
    ds = lunarsim.run(set={"run.duration": "10 d", "massdriver": {"exit_speed": "2.41 km/s"}}, out=out,
                      executable=LUNARSIM)
    check(ds["orbit"].sizes["time"] == 10, "run() returns the run's datasets (10 daily rows)")
    check(os.path.exists(out), "run(out=...) keeps the file")
    check("exit_speed: 2410 m/s" in ds["orbit"].attrs["deck"] or "2410" in ds["orbit"].attrs["deck"],
          "the nested set= value reached the deck")
    tmp = lunarsim.run(set={"run.duration": "2 d"}, executable=LUNARSIM)
    check(tmp["chain"].sizes["time"] == 2, "run() without out= reads a temporary file")
    try:
        lunarsim.run(set={"run.duration": "2 d", "massdriver.exit_speed": 2400}, executable=LUNARSIM)
        check(False, "a bare number for a quantity raises LunarsimError")
    except lunarsim.LunarsimError as e:
        check(e.returncode == 2 and "needs a unit" in e.message and "\n" not in e.message,
              f"the error carries the program's one-line message and exit code 2 ({e.returncode}: {e.message})")
    try:
        lunarsim.run(set={"massdriver.exit_spee": "2.4 km/s"}, executable=LUNARSIM)
        check(False, "an unknown key raises LunarsimError")
    except lunarsim.LunarsimError as e:
        check("did you mean" in e.message, f"the message keeps the program's hint ({e.message})")
    old = os.environ.get("LUNARSIM")
    os.environ["LUNARSIM"] = LUNARSIM
    try:
        check(lunarsim.find_executable() == os.path.abspath(LUNARSIM) or lunarsim.find_executable() == LUNARSIM,
              "the LUNARSIM environment variable names the command")
        os.environ["LUNARSIM"] = os.path.join(work, "no-such-lunarsim")
        try:
            lunarsim.run(set={"run.duration": "1 d"})
            check(False, "a missing command raises LunarsimError")
        except lunarsim.LunarsimError as e:
            check(e.returncode is None and "not found" in e.message, f"... saying it was not found ({e.message})")
    finally:
        if old is None:
            os.environ.pop("LUNARSIM", None)
        else:
            os.environ["LUNARSIM"] = old
    sw = lunarsim.sweep(vary={"massdriver.exit_speed": "2.34km/s:2.42km/s:3", "refinery.route": ["mre", "carbothermal"]},
                        set={"run.duration": "30 d", "orbit.dispersion_samples": SAMPLES}, executable=LUNARSIM,
                        unstack=True)
    ref = lunarsim.open_sweep(make_sweep(work), unstack=True)
    a, b = sw["orbit"]["installed_power"], ref["orbit"]["installed_power"]
    check(a.dims == b.dims and np.array_equal(a.values, b.values, equal_nan=True),
          "sweep() gives the same grid as the command line's sweep (bitwise: same members, same deck)")
    lhs = lunarsim.sweep(vary={"fabrication.efficiency": "0.05:0.2"}, samples=3, method="lhs",
                         set={"run.duration": "5 d", "orbit.dispersion_samples": SAMPLES}, executable=LUNARSIM)
    check(lhs["summary"].sizes["run"] == 3, "sweep(samples=3, method='lhs') runs three members")


def case_follow(work):
    out = os.path.join(work, "live.h5")
    for q in (out, out + ".partial"):
        if os.path.exists(q):
            os.remove(q)
    p = subprocess.Popen([LUNARSIM, "run", "-o", out, "--set", "run.duration=100yr", "--set", "run.time_step=60s",
                          "--flush-every", "1 s", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    counts = []
    deadline = time.time() + 40
    try:
        while time.time() < deadline and len(counts) < 2:
            time.sleep(0.5)
            if not os.path.exists(out + ".partial"):
                continue
            try:
                ds = lunarsim.follow(out)
            except (OSError, KeyError) as e:  # the writer may not have made every group yet
                print("reader retry:", e, file=sys.stderr)
                continue
            n = ds["orbit"].sizes["time"]
            if n == 0 or (counts and n <= counts[-1]):
                continue
            times = [d["time"].values for d in ds.values() if "time" in d.dims]
            m = min(len(t) for t in times)
            check(all(np.array_equal(t[:m], times[0][:m]) for t in times),
                  "every group's live rows are a prefix of the same time axis")
            check(bool(np.all(np.isfinite(ds["power"]["generated"].values))), "rows read live are complete (finite)")
            check(ds["orbit"]["time"].dtype.kind == "M", "the live time axis is decoded")
            counts.append(n)
            print(f"follow: {n} rows", file=sys.stderr)
        check(p.poll() is None, "the run was still going while followed")
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    check(len(counts) == 2 and counts[1] > counts[0], f"a second follow() sees more rows than the first ({counts})")
    after = lunarsim.open_run(out + ".partial")
    check(after["orbit"].sizes["time"] >= (counts[-1] if counts else 1),
          "open_run reads a killed run's .partial (SWMR flag still set) with all rows flushed before")


TRAJ_COLUMNS = "sample,t,x,y,z,vx,vy,vz"
TRAJ_UNITS = "1,s,m,m,m,m s-1,m s-1,m s-1"


def write_table_fixture(path):
    """A file laid out as the run writer lays out tables (data/h5out.c), written by h5py:
    /orbit with a time scale, one series and two tables (one empty), and /design holding
    only a table."""
    rng = np.random.default_rng(7)
    traj = rng.normal(size=(40, 8)) * 1e7
    traj[:, 0] = np.repeat(np.arange(4), 10)
    with h5py.File(path, "w") as f:
        f.attrs["deck"] = "orbit: {}\n"
        g = f.create_group("orbit")
        t = g.create_dataset("time", data=3600.0 * np.arange(1, 6))
        t.make_scale("time")
        t.attrs["units"] = "seconds since 2030-01-01 00:00:00"
        m = g.create_dataset("mass_in_orbit", data=np.arange(5.0))
        m.dims[0].attach_scale(t)
        m.attrs["units"] = "kg"
        g.attrs["moon_radius"] = 1737.4e3
        d = g.create_dataset("trajectory", data=traj)
        d.attrs["columns"] = np.bytes_(TRAJ_COLUMNS)
        d.attrs["column_units"] = np.bytes_(TRAJ_UNITS)
        d.attrs["long_name"] = np.bytes_("flight to the catcher")
        e = g.create_dataset("arrivals", shape=(0, 3), dtype="f8")
        e.attrs["columns"] = np.bytes_("sample,t,captured")
        e.attrs["column_units"] = np.bytes_("1,s,1")
        e.attrs["long_name"] = np.bytes_("none")
        lone = f.create_group("design").create_dataset("lone", data=np.array([[1.5, -2.5]]))
        lone.attrs["columns"] = np.bytes_("a,b")
        lone.attrs["column_units"] = np.bytes_("m,kg")
    return traj


def check_table(path, key, where):
    """open_table(path, key) against the file read by plain h5py: bit for bit, names, units."""
    with h5py.File(path, "r") as f:
        raw = f[key][()]
        cols = text(f[key].attrs["columns"]).split(",")
        units = text(f[key].attrs["column_units"]).split(",")
    ds = lunarsim.open_table(path, key)
    check(list(ds.data_vars) == cols, f"{where}: one variable per column, in order ({list(ds.data_vars)})")
    check(all(ds[c].dims == ("row",) for c in cols) and ds.sizes.get("row", 0) == raw.shape[0],
          f"{where}: every column runs along `row` ({raw.shape[0]} rows)")
    differ = [c for j, c in enumerate(cols) if ds[c].values.tobytes() != np.ascontiguousarray(raw[:, j]).tobytes()]
    check(not differ, f"{where}: columns equal the file's bit for bit (differ {differ})")
    check([ds[c].attrs.get("units") for c in cols] == units, f"{where}: each column's units from column_units")
    check(ds.attrs.get("lunarsim_table") == key, f"{where}: the table's path is in attrs")
    return ds


def case_tables(work):
    # A fixture written by h5py: no lunarsim binary involved.
    path = os.path.join(work, "tables.h5")
    traj = write_table_fixture(path)
    ds = check_table(path, "orbit/trajectory", "fixture")
    check(ds.attrs.get("long_name") == "flight to the catcher", "the table's long_name is the Dataset's")
    check(np.array_equal(ds["sample"].values, traj[:, 0]), "sample column as written")
    check(lunarsim.open_table(path, "/orbit/trajectory").identical(ds), "a leading '/' names the same table")
    empty = lunarsim.open_table(path, "orbit/arrivals")
    check(empty.sizes.get("row") == 0 and list(empty.data_vars) == ["sample", "t", "captured"],
          "an empty table opens with its columns and 0 rows")
    frame = lunarsim.open_table(path, "orbit/trajectory", as_frame=True)
    check(list(frame.columns) == TRAJ_COLUMNS.split(",") and len(frame) == 40
          and frame.attrs["units"]["vx"] == "m s-1", "as_frame=True: a DataFrame, units in attrs['units']")
    check(lunarsim.list_tables(path) == {"orbit/trajectory": (40, 8), "orbit/arrivals": (0, 3),
                                         "design/lone": (1, 2)},
          f"list_tables names every table with its shape ({lunarsim.list_tables(path)})")
    for bad in ("orbit/mass_in_orbit", "orbit/none"):
        try:
            lunarsim.open_table(path, bad)
            check(False, f"open_table({bad!r}) should raise KeyError")
        except KeyError as e:
            check("orbit/trajectory" in str(e), f"the KeyError lists the tables ({e})")
    run = lunarsim.open_run(path)
    check(sorted(run) == ["orbit"], f"open_run skips tables, and a table-only group ({sorted(run)})")
    check(sorted(run["orbit"].data_vars) == ["mass_in_orbit"] and run["orbit"].sizes == {"time": 5},
          f"the orbit Dataset holds its series only ({dict(run['orbit'].sizes)})")
    check(run["orbit"].attrs.get("moon_radius") == 1737.4e3, "group attributes still reach the Dataset")
    merged = lunarsim.open_run(path, merge=True)
    check(list(merged.data_vars) == ["orbit__mass_in_orbit"], "merge=True is not disturbed by tables")
    os.rename(path, path + ".partial")
    check(lunarsim.open_table(path, "orbit/trajectory").identical(ds), "OUT.h5 finds OUT.h5.partial (a live run)")

    # A real run: the default flight model (three_body) writes its flights and arrivals.
    out = os.path.join(work, "three_body.h5")
    p = lsim(["run", "-o", out, *SHORT, "--quiet"])
    check(p.returncode == 0, f"lunarsim run (default three_body flight): {p.stderr}")
    if p.returncode != 0:
        return
    tables = lunarsim.list_tables(out)
    check({"orbit/trajectory", "orbit/arrivals"} <= set(tables), f"the default run writes both tables ({tables})")
    for key in tables:
        check_table(out, key, f"run {key}")
    run = lunarsim.open_run(out)
    check(not any(k in run["orbit"].variables for k in ("trajectory", "arrivals")),
          "open_run of a real run leaves the tables out of the orbit Dataset")
    check("orbit__installed_power" in lunarsim.open_run(out, merge=True), "a real run with tables still merges")


def case_tutorial(work, doc):
    """Every ```python block of docs/PYTHON.md, in order, in one namespace, in a scratch folder."""
    import re
    blocks = re.findall(r"```python\n(.*?)```", open(doc).read(), re.S)
    check(len(blocks) >= 6, f"the tutorial has its code blocks ({len(blocks)})")
    os.environ["LUNARSIM"] = LUNARSIM
    here = os.getcwd()
    scratch = tempfile.mkdtemp(prefix="tutorial_", dir=work)
    os.chdir(scratch)
    ns = {}
    try:
        for i, code in enumerate(blocks):
            try:
                exec(compile(code, f"docs/PYTHON.md block {i + 1}", "exec"), ns)
            except Exception as e:  # report which block broke and go on
                check(False, f"tutorial block {i + 1} runs: {type(e).__name__}: {e}")
        for png in ("installed_power.png", "power_vs_speed.png", "sobol_indices.png"):
            check(os.path.getsize(png) > 1000 if os.path.exists(png) else False, f"the tutorial wrote {png}")
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)


def case_install(work, cmake, builddir):
    prefix = tempfile.mkdtemp(prefix="lsim_py_install_", dir=work)
    try:
        p = subprocess.run([cmake, "--install", builddir, "--prefix", prefix, "--component", "python"],
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, f"cmake --install --component python: {p.stderr}")
        import glob
        found = glob.glob(os.path.join(prefix, "lib", "python3*", "dist-packages", "lunarsim", "__init__.py"))
        check(len(found) == 1, f"the package is installed once under PREFIX/lib/python3*/dist-packages ({found})")
        site = os.path.dirname(os.path.dirname(found[0])) if found else prefix
        site_rel = os.path.relpath(site, prefix)
        q = subprocess.run(["/usr/bin/python3", "-c", "import sys; print('\\n'.join(sys.path))"],
                           capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        path = q.stdout.split("\n")
        for pre in ("/usr", "/usr/local"):
            check(os.path.join(pre, site_rel) in path,
                  f"{pre}/{site_rel} is on /usr/bin/python3's own sys.path (no PYTHONPATH needed)")
        env = dict(os.environ, PYTHONPATH=site)
        code = ("import sys, lunarsim; print(lunarsim.__file__); "
                "d = lunarsim.open_run(sys.argv[1]); print(d['orbit'].sizes['time'])")
        q = subprocess.run([sys.executable, "-c", code, make_run(work)], capture_output=True, text=True,
                           env=env, cwd=prefix, timeout=120)
        lines = q.stdout.split()
        check(q.returncode == 0 and lines and lines[0].startswith(site) and lines[-1] == "30",
              f"/usr/bin/python3 imports the installed copy and reads a run ({q.stdout} {q.stderr})")
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--cmake")
    ap.add_argument("--builddir")
    ap.add_argument("--doc")
    ap.add_argument("case")
    a = ap.parse_args()
    LUNARSIM = a.lunarsim
    work = os.path.join(a.workdir, "work_" + a.case)
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    if a.case == "install":
        case_install(work, a.cmake, a.builddir)
    elif a.case == "tutorial":
        case_tutorial(work, a.doc)
    else:
        globals()["case_" + a.case](work)
    print(f"{a.case}: {len(FAILURES)} failures, {time.time() - t0:.1f} s")
    sys.exit(1 if FAILURES else 0)
