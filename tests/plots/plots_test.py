#!/usr/bin/python3
"""End-to-end test of the plot scripts.

A short `lunarsim run` goes through plot_run.py (also with groups removed and
summary values set to NaN, and a run with orbit.flight_model=fixed, without and
with synthetic flight tables, for the flight row); a synthetic sweep file in the documented layout
goes through plot_sweep.py, whose sensitivities are checked against the
analytic coefficients the synthetic metric was built from.  Every PNG must
exist, start with the PNG signature, exceed 10 kB and not be blank.
Fails (never skips) when matplotlib is missing.
"""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

FAILURES = []
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
YEAR = 365.25 * 86400.0


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)
    return cond


def check_close(actual, expected, rel, why):
    ok = abs(actual - expected) <= rel * abs(expected)
    check(ok, f"{why}: got {actual!r}, expected {expected!r} (relative tolerance {rel})")


def check_png(path):
    """Exists, PNG signature, > 10 kB, pixels not all one colour."""
    if not check(os.path.isfile(path), f"{path} was not written"):
        return
    with open(path, "rb") as f:
        check(f.read(8) == PNG_MAGIC, f"{path}: not a PNG (bad signature)")
    size = os.path.getsize(path)
    check(size > 10_000, f"{path}: only {size} bytes, expected > 10 kB for a real figure")
    import matplotlib.image as mpimg
    pixels = mpimg.imread(path)
    check(pixels.ndim == 3 and pixels.shape[0] > 200 and pixels.shape[1] > 200,
          f"{path}: unexpected image shape {pixels.shape}")
    check(float(np.std(pixels[..., :3])) > 0.01, f"{path}: image is blank (pixel std ~ 0)")
    print(f"ok {path}: {size} bytes, {pixels.shape[1]}x{pixels.shape[0]} px")


def run(cmd):
    print("+", " ".join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"{cmd[:2]} exit {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


def script_output(proc, path):
    check(path in proc.stdout.split(), f"script did not print the path it wrote ({path}): {proc.stdout!r}")


# ---- synthetic sweep in the documented layout -------------------------------

# The synthetic metric is linear in the numeric parameters with known
# coefficients, so the sensitivities plot_sweep computes can be checked exactly.
COEF_EXIT_SPEED = 4.0e6      # W per (m/s)
COEF_PANEL_MASS = -2.0e9     # W per (kg/m2)
ROUTE_EFFECT = {"mre": 0.0, "carbothermal": 3.0e8, "hf_acid": -1.0e8}
BASE_POWER = 2.0e9


def synthetic_metric(exit_speed, panel_mass, route):
    return (BASE_POWER + COEF_EXIT_SPEED * (exit_speed - 2300.0)
            + COEF_PANEL_MASS * (panel_mass - 0.5) + np.array([ROUTE_EFFECT[r] for r in route]))


def write_sweep(path, numeric, strings, choice_encoding, n_time=40):
    """numeric: {name: (values, units, long_name)}; strings: {name: (values, long_name)}.

    choice_encoding "flags": int32 codes with CF flag_values / flag_meanings
    (what data/h5sweep.c writes); "vlen": variable-length UTF-8 strings."""
    names = list(numeric) + list(strings)
    n_run = len(next(iter(numeric.values()))[0])
    years = np.linspace(0.05, 2.0, n_time)
    str_t = h5py.string_dtype("utf-8")
    power = synthetic_metric(numeric["massdriver.exit_speed"][0],
                             numeric.get("fabrication.panel_areal_mass", (np.full(n_run, 0.5),))[0],
                             strings["refinery.route"][0])
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["title"] = np.bytes_("lunarsim sweep")
        f.attrs["lunarsim_version"] = np.bytes_("0.1.0")
        f.attrs["git_commit"] = np.bytes_("synthetic")
        f.attrs["creation_time"] = np.bytes_("2030-01-01T00:00:00Z")
        f.attrs["seed"] = np.int64(20260101)
        f.attrs["deck"] = np.bytes_("run:\n  duration: 2 yr\n")
        f.attrs["Conventions"] = np.bytes_("CF-1.8")
        f.attrs["sweep_spec"] = "\n".join(names)
        f.attrs["run_count"] = np.int64(n_run)

        def add_params(g):
            for name, (vals, units, long_name) in numeric.items():
                d = g.create_dataset(name, data=np.asarray(vals, dtype="f8"))
                d.attrs["units"] = np.bytes_(units)
                d.attrs["long_name"] = np.bytes_(long_name)
                d.dims[0].attach_scale(g["run"])
            for name, (vals, long_name) in strings.items():
                if choice_encoding == "vlen":
                    d = g.create_dataset(name, data=np.array(vals, dtype=object), dtype=str_t)
                else:
                    levels = sorted(set(vals), reverse=True)  # codes deliberately not alphabetical
                    d = g.create_dataset(name, data=np.array([levels.index(v) for v in vals], dtype="i4"))
                    d.attrs["flag_values"] = np.arange(len(levels), dtype="i4")
                    d.attrs["flag_meanings"] = np.bytes_(" ".join(levels))
                    d.attrs["units"] = np.bytes_("1")
                d.attrs["long_name"] = np.bytes_(long_name)
                d.dims[0].attach_scale(g["run"])

        def run_scale(g):
            r = g.create_dataset("run", data=np.arange(n_run, dtype="i8"))
            r.make_scale("run")

        p = f.create_group("parameters", track_order=True)
        run_scale(p)
        add_params(p)
        for gname, series in (("orbit", {"installed_power": ("W", "installed orbital power")}),
                              ("power", {"generated": ("W", "solar array output")})):
            g = f.create_group(gname, track_order=True)
            run_scale(g)
            t = g.create_dataset("time", data=years * YEAR)
            t.make_scale("time")
            t.attrs["units"] = np.bytes_("seconds since 2030-01-01 00:00:00")
            add_params(g)
            for sname, (units, long_name) in series.items():
                data = np.outer(power, years / years[-1])
                d = g.create_dataset(sname, data=data, chunks=(1, n_time))
                d.dims[0].attach_scale(g["run"])
                d.dims[1].attach_scale(t)
                d.attrs["units"] = np.bytes_(units)
                d.attrs["long_name"] = np.bytes_(long_name)
                d.attrs["coordinates"] = np.bytes_(" ".join(names))
        s = f.create_group("summary", track_order=True)
        run_scale(s)
        add_params(s)  # data/h5sweep.c puts the parameter columns here too
        metrics = {
            "installed_orbital_power": (power, "W", "orbital power installed at the end"),
            "peak_delivery_per_year": (power * 4e-6, "kg", "highest mass caught over any trailing year"),
            # NaN where the run never reaches 1 GW/yr: the plot must cope.
            "time_to_1_GW_per_year": (np.where(power > 1.9e9, 3.0e8 - power * 0.01, np.nan), "s",
                                      "first time a trailing year installed 1 GW (NaN: not reached)"),
            "energy_per_kg_delivered": (2e8 - power * 0.01, "J kg-1", "surface energy per kg caught"),
            "earth_mass_leverage": (power / 1e9, "1", "Earth-only mass over Earth mass used"),
            "growth_limited_by_earth_parts_share": (np.linspace(0.1, 0.6, n_run), "1",
                                                    "share of time metal waited for Earth parts"),
        }
        for i in range(5):  # more than 8 metrics: the script must pick the important ones
            metrics[f"bottleneck_share_extra{i}"] = (np.full(n_run, 0.1 * i), "1", "filler")
        for name, (vals, units, long_name) in metrics.items():
            d = s.create_dataset(name, data=np.asarray(vals, dtype="f8"))
            d.attrs["units"] = np.bytes_(units)
            d.attrs["long_name"] = np.bytes_(long_name)
            d.dims[0].attach_scale(s["run"])
            d.attrs["coordinates"] = np.bytes_(" ".join(names))
    return power


def grid_sweep(path):
    speeds = np.array([2300.0, 2400.0, 2500.0])
    routes = ["mre", "carbothermal"]
    exit_speed = np.repeat(speeds, len(routes))
    route = routes * len(speeds)
    write_sweep(path, {"massdriver.exit_speed": (exit_speed, "m s-1", "speed at release")},
                {"refinery.route": (route, "refinery process route")}, "flags")
    return exit_speed, route


def lhs_sweep(path):
    # a Latin hypercube in two numeric parameters: each stratum used once
    exit_speed = np.array([2310.0, 2470.0, 2390.0, 2550.0, 2350.0, 2430.0])
    panel_mass = np.array([0.62, 0.45, 0.71, 0.52, 0.40, 0.57])
    route = ["mre", "hf_acid", "carbothermal", "mre", "carbothermal", "hf_acid"]
    write_sweep(path, {"massdriver.exit_speed": (exit_speed, "m s-1", "speed at release"),
                       "fabrication.panel_areal_mass": (panel_mass, "kg m-2", "panel areal mass")},
                {"refinery.route": (route, "refinery process route")}, "vlen")
    return exit_speed, panel_mass, route


# ---- synthetic flight tables in the run writer's layout (data/h5out.c) -------

# Earth-Moon rotating barycentric frame, SI (rounded figures; only the drawing is tested).
FLIGHT_ATTRS = {"moon_x": 3.797e8, "moon_radius": 1.7374e6, "l1_x": 3.2639e8, "l2_x": 4.4476e8,
                "catcher_x": 4.4476e8, "catcher_y": 0.0, "catcher_z": 0.0, "catcher_radius": 50.0}
FLIGHT_SAMPLES = 12  # nominal (sample 0) and 11 dispersed
FLIGHT_POINTS = 60
ARRIVALS = 300


def add_flight_tables(path):
    """/orbit/trajectory (sample,t,x,y,z,vx,vy,vz) and /orbit/arrivals, plus the orbit
    attributes the dashboard reads; returns (trajectory rows, arrival rows)."""
    a = FLIGHT_ATTRS
    rng = np.random.default_rng(3)
    rows = []
    for k in range(FLIGHT_SAMPLES):
        s = np.linspace(0.0, 1.0, FLIGHT_POINTS)
        spread = 0.0 if k == 0 else rng.normal(scale=2e6)
        x = a["moon_x"] + a["moon_radius"] + s * (a["l2_x"] - a["moon_x"] - a["moon_radius"])
        y = 3e7 * np.sin(np.pi * s) + spread * s
        t = s * 4 * 86400.0
        rows.append(np.column_stack([np.full_like(s, k), t, x, y, 0 * s, 0 * s, 0 * s, 0 * s]))
    traj = np.vstack(rows)
    miss = rng.normal(scale=40.0, size=(ARRIVALS, 2))
    captured = (np.hypot(miss[:, 0], miss[:, 1]) <= a["catcher_radius"]).astype(float)
    arrivals = np.column_stack([np.arange(ARRIVALS), np.full(ARRIVALS, 4 * 86400.0), miss[:, 0], miss[:, 1],
                                np.full(ARRIVALS, 150.0), captured, np.zeros(ARRIVALS)])
    with h5py.File(path, "r+") as f:
        g = f.require_group("orbit")
        for k, v in a.items():
            g.attrs[k] = v
        for name, data, cols, units in (
                ("trajectory", traj, "sample,t,x,y,z,vx,vy,vz", "1,s,m,m,m,m s-1,m s-1,m s-1"),
                ("arrivals", arrivals, "sample,t,miss_1,miss_2,speed,captured,correction_dv",
                 "1,s,m,m,m s-1,1,m s-1")):
            if name in g:
                del g[name]
            d = g.create_dataset(name, data=data)
            d.attrs["columns"] = np.bytes_(cols)
            d.attrs["column_units"] = np.bytes_(units)
            d.attrs["long_name"] = np.bytes_(name)
    return traj, arrivals


def check_flight_panels(pr, path):
    """What plot_run's two flight panels drew, against the synthetic tables."""
    import matplotlib.pyplot as plt
    traj, arrivals = pr.read_table(path, "orbit/trajectory"), pr.read_table(path, "orbit/arrivals")
    if not check(traj is not None and arrivals is not None, "read_table finds both synthetic tables"):
        return
    a = FLIGHT_ATTRS
    fig, (ax1, ax2) = plt.subplots(1, 2)
    pr.panel_flight(ax1, traj)
    pr.panel_arrivals(ax2, arrivals, traj["_attrs"]["catcher_radius"])
    lines = {ln.get_label(): ln for ln in ax1.lines}
    nominal = lines.get("nominal")
    if check(nominal is not None, f"a line labelled 'nominal' ({sorted(lines)})"):
        sel = traj["sample"] == 0
        # exact: the panel only subtracts moon_x and divides by 1e6, as computed here
        check(np.array_equal(nominal.get_xdata(), (traj["x"][sel] - a["moon_x"]) / 1e6)
              and np.array_equal(nominal.get_ydata(), traj["y"][sel] / 1e6),
              "the nominal line is sample 0 in thousands of km from the Moon")
        check(nominal.get_alpha() in (None, 1.0), "the nominal line is opaque")
    thin = [ln for ln in ax1.lines if ln.get_alpha() is not None and ln.get_alpha() < 1.0]
    check(len(thin) == FLIGHT_SAMPLES - 1, f"one translucent line per dispersed sample ({len(thin)})")
    moons = [p for p in ax1.patches if p.get_label() == "Moon"]
    check(len(moons) == 1 and moons[0].get_radius() == a["moon_radius"] / 1e6 and moons[0].center == (0.0, 0.0),
          "the Moon is a filled circle of moon_radius at the origin")
    texts = {t.get_text() for t in ax1.texts}
    check({"L1", "L2"} <= texts, f"L1 and L2 are marked ({texts})")
    catcher = lines.get("catcher")
    check(catcher is not None and np.allclose(catcher.get_xdata(), [(a["catcher_x"] - a["moon_x"]) / 1e6],
                                              rtol=0, atol=0), "the catcher is at catcher_x - moon_x")
    counts = {c.get_label(): len(c.get_offsets()) for c in ax2.collections}
    n_cap = int(arrivals["captured"].sum())
    check(counts.get(f"captured ({n_cap})") == n_cap and counts.get(f"missed ({ARRIVALS - n_cap})") == ARRIVALS - n_cap,
          f"arrivals scattered by captured ({counts})")
    aperture = [p for p in ax2.patches if p.get_label().startswith("aperture")]
    check(len(aperture) == 1 and aperture[0].get_radius() == a["catcher_radius"],
          "the aperture circle has catcher_radius (m)")
    plt.close(fig)


def load_plot_run(scripts):
    spec = importlib.util.spec_from_file_location("plot_run", os.path.join(scripts, "plot_run.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, scripts)
    spec.loader.exec_module(mod)
    return mod


def load_plot_sweep(scripts):
    spec = importlib.util.spec_from_file_location("plot_sweep", os.path.join(scripts, "plot_sweep.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, scripts)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--scripts", required=True)
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    import matplotlib  # an ImportError here fails the test, as it must (no skip)
    print("matplotlib", matplotlib.__version__)
    import xarray as xr

    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="plots_", dir=args.workdir)
    py = sys.executable
    plot_run = os.path.join(args.scripts, "plot_run.py")
    plot_sweep = os.path.join(args.scripts, "plot_sweep.py")

    # 1. a real run through the dashboard
    run_h5 = os.path.join(tmp, "run.h5")
    run([args.lunarsim, "run", "-o", run_h5, "--set", "run.duration=2yr", "--quiet"])
    if check(os.path.isfile(run_h5), "lunarsim run wrote no file"):
        proc = run([py, plot_run, run_h5])
        default_png = os.path.join(tmp, "run_dashboard.png")
        script_output(proc, default_png)
        check_png(default_png)

        # the same file with groups missing and NaN summary values
        broken = os.path.join(tmp, "broken.h5")
        shutil.copyfile(run_h5, broken)
        with h5py.File(broken, "r+") as f:
            for g in ("orbit", "power"):
                del f[g]
            del f["chain/bottleneck_launch"]
            if "summary/installed_orbital_power" in f:
                f["summary/installed_orbital_power"][()] = np.nan
            if "summary/earth_only_launches" in f:
                del f["summary/earth_only_launches"]
        out = os.path.join(tmp, "broken_custom.png")
        proc = run([py, plot_run, broken, "-o", out])
        script_output(proc, out)
        check_png(out)
        proc = subprocess.run([py, plot_run, os.path.join(tmp, "absent.h5")], capture_output=True)
        check(proc.returncode != 0, "plot_run.py on a missing file should fail")

        # The flight row. The default run (three_body flight) writes /orbit/trajectory; a run
        # with orbit.flight_model=fixed writes no tables, so its dashboard has no flight row.
        # Synthetic tables added to a copy of the fixed run must bring the row back, and the
        # panels must draw exactly those tables.
        import matplotlib.image as mpimg
        fixed_h5 = os.path.join(tmp, "fixed.h5")
        run([args.lunarsim, "run", "-o", fixed_h5, "--set", "run.duration=2yr",
             "--set", "orbit.flight_model=fixed", "--quiet"])
        with h5py.File(run_h5, "r") as f:
            check("trajectory" in f["orbit"], "the default run wrote /orbit/trajectory")
        if check(os.path.isfile(fixed_h5), "lunarsim run (flight_model=fixed) wrote no file"):
            with h5py.File(fixed_h5, "r") as f:
                check("trajectory" not in f["orbit"], "a fixed-flight run writes no /orbit/trajectory")
            plain_png = os.path.join(tmp, "fixed.png")
            proc = run([py, plot_run, fixed_h5, "-o", plain_png])
            script_output(proc, plain_png)
            check_png(plain_png)
            flight = os.path.join(tmp, "flight.h5")
            shutil.copyfile(fixed_h5, flight)
            add_flight_tables(flight)
            out = os.path.join(tmp, "flight.png")
            proc = run([py, plot_run, flight, "-o", out])
            script_output(proc, out)
            check_png(out)
            if all(os.path.isfile(q) for q in (out, plain_png, default_png)):
                plain = mpimg.imread(plain_png).shape[0]
                tall, real = mpimg.imread(out).shape[0], mpimg.imread(default_png).shape[0]
                # Heights are whole pixels of the same figure layout: exact comparisons.
                check(tall > plain, f"synthetic /orbit/trajectory adds the flight row ({tall} px vs {plain} px)")
                check(real == tall, f"the default run's own tables draw the same flight row ({real} px vs {tall} px)")
            check_flight_panels(load_plot_run(args.scripts), flight)

        # lsim_read takes a dataset whose last axis matches time as a series. An 8-day run has
        # 8 rows, as many as /orbit/trajectory has columns: its tables must still be left out.
        short_h5 = os.path.join(tmp, "eight_days.h5")
        run([args.lunarsim, "run", "-o", short_h5, "--set", "run.duration=8d", "--quiet"])
        if check(os.path.isfile(short_h5), "lunarsim run (8 d) wrote no file"):
            lr = load_plot_run(args.scripts).lr
            g = lr.open_group(short_h5, "orbit")
            check(g is not None and "installed_power" in g.series
                  and not any(k in g.series for k in ("trajectory", "arrivals")),
                  f"lsim_read leaves the tables out of the orbit series ({sorted(g.series) if g else None})")

    # 2. a grid sweep (3 speeds x 2 routes) and a Latin hypercube (6 runs)
    grid = os.path.join(tmp, "sweep_grid.h5")
    exit_speed, route = grid_sweep(grid)
    # The layout must give xarray the parameters as coordinates of every series.
    ds = xr.open_dataset(grid, group="orbit")
    check("massdriver.exit_speed" in ds.coords and "refinery.route" in ds.coords,
          f"synthetic sweep: parameters are not xarray coordinates: {list(ds.coords)}")
    check(ds["installed_power"].dims == ("run", "time"), f"series dims {ds['installed_power'].dims}")
    ds.close()

    prefix = os.path.join(tmp, "grid")
    proc = run([py, plot_sweep, grid, "-o", prefix])
    for suffix in ("_metrics.png", "_tornado.png"):
        script_output(proc, prefix + suffix)
        check_png(prefix + suffix)
    proc = run([py, plot_sweep, grid])  # default prefix: file stem
    check_png(os.path.join(tmp, "sweep_grid_metrics.png"))

    lhs = os.path.join(tmp, "sweep_lhs.h5")
    lhs_sweep(lhs)
    prefix = os.path.join(tmp, "lhs")
    proc = run([py, plot_sweep, lhs, "-o", prefix, "--metric", "earth_mass_leverage"])
    for suffix in ("_metrics.png", "_tornado.png"):
        script_output(proc, prefix + suffix)
        check_png(prefix + suffix)

    # 2b. a real sweep from lunarsim (grid over a number and a choice)
    real = os.path.join(tmp, "sweep_real.h5")
    run([args.lunarsim, "sweep", "--vary", "chain.earth_resupply_rate=100t/yr:1000t/yr:3", "--vary",
         "refinery.route=mre,anorthite_al", "--set", "run.duration=1yr", "--set", "massdriver.drivers=1",
         "-o", real, "--quiet"])
    if check(os.path.isfile(real), "lunarsim sweep wrote no file"):
        prefix = os.path.join(tmp, "real")
        proc = run([py, plot_sweep, real, "-o", prefix])
        for suffix in ("_metrics.png", "_tornado.png"):
            script_output(proc, prefix + suffix)
            check_png(prefix + suffix)

    # 3. the numbers behind the tornado, against the synthetic coefficients
    ps = load_plot_sweep(args.scripts)
    sweep = ps.read_sweep(grid)
    check(set(sweep.choices) == {"refinery.route"} and set(sweep.numeric) == {"massdriver.exit_speed"},
          f"varied parameters read as numeric={list(sweep.numeric)} choices={list(sweep.choices)}")
    check(list(sweep.choices["refinery.route"].values) == route,
          f"flag codes decoded to {list(sweep.choices['refinery.route'].values)}, expected {route}")
    check(not any(k in sweep.metrics for k in ("massdriver.exit_speed", "refinery.route")),
          "parameter columns in /summary taken for metrics")
    check(ps.choose_metrics(sweep) == ps.IMPORTANT_METRICS,
          f"with 11 metrics the important six should be chosen, got {ps.choose_metrics(sweep)}")
    metric = sweep.metrics["installed_orbital_power"][0]
    sens = {s.name: s for s in ps.sensitivities(sweep, metric)}
    check(sens["massdriver.exit_speed"].method == "grid", "3x2 full factorial not recognised as a grid")
    # Grid: mean over routes at 2500 m/s minus at 2300 m/s = coef * 200 exactly
    # (the route effect cancels); 1e-9 relative covers round-off only.
    check_close(sens["massdriver.exit_speed"].delta, COEF_EXIT_SPEED * 200.0, 1e-9,
                "grid sensitivity of exit speed")
    check_close(sens["refinery.route"].delta, ROUTE_EFFECT["carbothermal"] - ROUTE_EFFECT["mre"], 1e-9,
                "grid effect of route (category means differ by the route offset)")

    sweep = ps.read_sweep(lhs)
    metric = sweep.metrics["installed_orbital_power"][0]
    sens = {s.name: s for s in ps.sensitivities(sweep, metric)}
    check(sens["massdriver.exit_speed"].method == "regression", "LHS not analysed by regression")
    # Regression on exactly linear data (with route dummies) recovers the
    # coefficients; slope x sampled range, round-off tolerance 1e-6 relative.
    check_close(sens["massdriver.exit_speed"].delta, COEF_EXIT_SPEED * (2550.0 - 2310.0), 1e-6,
                "regression sensitivity of exit speed")
    check_close(sens["fabrication.panel_areal_mass"].delta, COEF_PANEL_MASS * (0.71 - 0.40), 1e-6,
                "regression sensitivity of panel areal mass")
    rho = {s.name: s for s in ps.sensitivities(sweep, metric, method="spearman")}
    check(-1.0 <= rho["massdriver.exit_speed"].delta <= 1.0, "Spearman rho outside [-1, 1]")

    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed; files kept in {tmp}", file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("all plot checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
