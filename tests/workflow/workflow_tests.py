#!/usr/bin/python3
"""Workflow tests: sweeps (layout, members equal single runs, LHS strata),
checkpoint/restart (bitwise equal to an uninterrupted run), signals, refused
checkpoints, live SWMR reading and kill -9, and MPI = OpenMP sweeps."""
import argparse
import os
import random
import signal
import subprocess
import sys
import time

import h5py
import numpy as np

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)


def run(args, timeout=600, **kw):
    return subprocess.run([LUNARSIM] + args, capture_output=True, text=True, timeout=timeout, **kw)


def datasets(path, skip_root_time=False):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
    return out


def same_bits(a, b):
    return np.asarray(a).tobytes() == np.asarray(b).tobytes() and np.asarray(a).dtype == np.asarray(b).dtype


def compare_files(p, q, what):
    a, b = datasets(p), datasets(q)
    check(sorted(a) == sorted(b), f"{what}: same datasets ({len(a)} vs {len(b)})")
    diff = [k for k in a if k in b and not same_bits(a[k], b[k])]
    check(not diff, f"{what}: datasets differ: {diff[:8]}")


def clean(*paths):
    for p in paths:
        for q in (p, p + ".partial", p + ".ckpt", p + ".ckpt.tmp"):
            if os.path.exists(q):
                os.remove(q)


SHORT = ["--set", "run.duration=1yr"]
# Exit speeds the default (three-body) flight carries from the launch site to the catcher at
# L2: the neck opens at 2323.3 m/s, and from about 2.45 km/s no track within
# orbit.track_elevation_max reaches the catcher (the run refuses). 2.34:2.42:3 is 2340, 2380,
# 2420 m/s.
SPEEDS = "massdriver.exit_speed=2.34km/s:2.42km/s"
VARY = ["--vary", SPEEDS + ":3", "--vary", "refinery.route=mre,carbothermal"]
# Every member targets its flight and runs the release Monte Carlo at init (about 0.3 s at the
# default 10^4 samples; a 16-member LHS took 17 s instead of 2). The sweep tests check layout,
# member = single run and strata, not capture statistics, so they run 10^3 samples; likewise 16 Chipmunk
# release cases instead of 128 (each member's exit speed is its own release design: ~0.7 s of cases).
FEW = ["--set", "orbit.dispersion_samples=1000", "--set", "massdriver.release_cases=16"]


def table_names(path):
    """Paths of the design-time tables (docs/OUTPUT.md "Tables": 2-D datasets carrying a
    `columns` attribute), which single runs write and sweep files do not."""
    out = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.append(n) if isinstance(o, h5py.Dataset) and "columns" in o.attrs else None)
    return out


def case_sweep_layout(work):
    out = os.path.join(work, "sweep.h5")
    clean(out)
    proc = run(["sweep", *VARY, *SHORT, *FEW, "-o", out, "--threads", "2", "--quiet"])
    check(proc.returncode == 0, f"sweep failed: {proc.stderr}")
    import xarray as xr
    ds = xr.open_dataset(out, group="orbit")
    check(dict(ds.sizes) == {"run": 6, "time": 366}, f"orbit dims {dict(ds.sizes)}")
    check(np.issubdtype(ds["time"].dtype, np.datetime64), "decoded time coordinate")
    # CF-valid names (no dots): section__key, the deck key in the attribute deck_key.
    for c in ("massdriver__exit_speed", "refinery__route", "run", "time"):
        check(c in ds.coords, f"coordinate {c} present")
    check(ds["massdriver__exit_speed"].attrs.get("deck_key") == "massdriver.exit_speed", "deck key in deck_key")
    check(ds["installed_power"].dims == ("run", "time"), "series are (run, time)")
    speeds = ds["massdriver__exit_speed"].values
    check(np.allclose(sorted(set(speeds)), [2340.0, 2380.0, 2420.0]), f"grid values in SI: {speeds}")
    route = ds["refinery__route"]
    # A route is named by the routes data file, so the codes mean the words
    # the sweep listed, in the order given.
    check(route.attrs.get("flag_meanings", "").split() == ["mre", "carbothermal"],
          f"choice meanings {route.attrs.get('flag_meanings')}")
    check(list(route.values) == [0, 1, 0, 1, 0, 1], f"last axis fastest: {list(route.values)}")
    ds.close()
    s = xr.open_dataset(out, group="summary")
    check(s["installed_orbital_power"].dims == ("run",), "summary metrics are (run)")
    check("massdriver__exit_speed" in s.coords, "summary carries the parameters as coordinates")
    s.close()
    with h5py.File(out) as f:
        check(f.attrs["run_count"] == 6, "run_count attribute")
        spec = f.attrs["sweep_spec"]
        spec = spec.decode() if isinstance(spec, bytes) else spec
        check(SPEEDS + ":3" in spec, f"sweep_spec recorded: {spec}")
        check("deck" in f.attrs, "base deck at the root")
        check("parameters" in f and "refinery__route" in f["parameters"], "/parameters group")
        coords = f["orbit/installed_power"].attrs["coordinates"]
        coords = coords.decode() if isinstance(coords, bytes) else coords
        check(coords.split() == ["massdriver__exit_speed", "refinery__route"], f"coordinates attribute: {coords}")
        names = []
        f.visit(names.append)
        check(not any("." in n for n in names), f"no variable or group name holds a dot: {[n for n in names if '.' in n]}")


def case_sweep_members_equal_runs(work):
    out = os.path.join(work, "members.h5")
    clean(out)
    vary = ["--vary", SPEEDS + ":2", "--vary", "chain.earth_resupply_rate=100t/yr:400t/yr:2"]
    base = ["--set", "run.duration=2yr", "--set", "massdriver.drivers=1", *FEW]
    proc = run(["sweep", *vary, *base, "-o", out, "--threads", "2", "--quiet"])
    check(proc.returncode == 0, f"sweep failed: {proc.stderr}")
    sweep = datasets(out)
    members = [(2340, 100), (2340, 400), (2420, 100), (2420, 400)]
    for i, (speed, resupply) in enumerate(members):
        single = os.path.join(work, f"member{i}.h5")
        clean(single)
        proc = run(["run", "-o", single, *base, "--set", f"massdriver.exit_speed={speed} m/s",
                    "--set", f"chain.earth_resupply_rate={resupply} t/yr", "--quiet"])
        check(proc.returncode == 0, f"single run {i} failed: {proc.stderr}")
        one = datasets(single)
        tables = table_names(single)
        check(not any(t in sweep for t in tables), f"member {i}: the sweep file holds no tables ({tables})")
        compared = 0
        for name, values in one.items():
            group, _, leaf = name.rpartition("/")
            if not group or leaf == "time" or name in tables:
                continue
            if group == "summary":
                check(same_bits(sweep[name][i], values), f"member {i}: summary {leaf} differs")
            else:
                check(same_bits(sweep[name][i, :], values), f"member {i}: series {name} differs")
            compared += 1
        check(compared > 100, f"member {i}: compared {compared} datasets")
        # Design figures: each member's own, bit for bit. A figure that differs
        # between members is a (run) variable of its group; one that does not
        # stays an attribute (it was once the base deck's value for everyone).
        with h5py.File(single) as f1, h5py.File(out) as fs:
            figures = 0
            for group in ("massdriver", "refinery", "chain", "orbit"):
                for key, value in f1[group].attrs.items():
                    if key.endswith("_units") or not np.isscalar(value) or isinstance(value, (bytes, str)):
                        continue
                    if key in fs[group].attrs:
                        check(same_bits(fs[group].attrs[key], value), f"member {i}: {group} attribute {key} differs")
                    else:
                        name = key if key in fs[group] and fs[group][key].ndim == 1 else key + "_design"
                        check(name in fs[group] and fs[group][name].dims[0].label in ("run", ""),
                              f"member {i}: {group}/{key} is neither an attribute nor a (run) variable")
                        if name in fs[group]:
                            check(same_bits(fs[group][name][i], value), f"member {i}: design figure {group}/{key}")
                    figures += 1
            check(figures > 20, f"member {i}: compared {figures} design figures")
            check("electrical_energy_per_kg" not in fs["massdriver"].attrs,
                  "a figure that differs between members is not an attribute")


def case_lhs_strata(work):
    out = os.path.join(work, "lhs.h5")
    clean(out)
    n = 16
    proc = run(["sweep", "--samples", str(n), "--method", "lhs", "--vary", SPEEDS,
                "--vary", "chain.panel_surface_share=0.1:0.6", "--set", "run.duration=30d", *FEW, "-o", out, "--quiet"])
    check(proc.returncode == 0, f"lhs sweep failed: {proc.stderr}")
    with h5py.File(out) as f:
        for name, lo, hi in (("massdriver__exit_speed", 2340.0, 2420.0), ("chain__panel_surface_share", 0.1, 0.6)):
            v = f["parameters"][name][()]
            check(len(v) == n, f"{name}: {len(v)} samples")
            strata = np.floor((v - lo) / (hi - lo) * n).astype(int)
            check(sorted(strata) == list(range(n)), f"{name}: one sample per stratum, got {sorted(strata)}")
    # Seeded: the same command gives the same samples; another seed others.
    again = os.path.join(work, "lhs2.h5")
    clean(again)
    run(["sweep", "--samples", str(n), "--method", "lhs", "--vary", SPEEDS,
         "--vary", "chain.panel_surface_share=0.1:0.6", "--set", "run.duration=30d", *FEW, "-o", again, "--quiet"])
    with h5py.File(out) as f, h5py.File(again) as g:
        check(same_bits(f["parameters/massdriver__exit_speed"][()], g["parameters/massdriver__exit_speed"][()]),
              "LHS is reproducible for a seed")


def case_sweep_bad_input(work):
    out = os.path.join(work, "bad_sweep.h5")
    for args, needle in ((["--vary", "massdriver.exit_sped=2:3:2"], "exit_speed"),
                         (["--vary", "massdriver.exit_speed=2.3km/s:9km/s:2"], "massdriver.exit_speed"),
                         (["--vary", "run.duration=1:2:2"], "run.duration"),
                         (["--vary", "massdriver.exit_speed=2.3km/s:2.5km/s"], "--samples"),
                         (["--vary", "refinery.route=mre,cabothermal"], "carbothermal"),
                         (["--samples", "4", "--method", "halton", "--vary", "massdriver.exit_speed=2.3km/s:2.5km/s"], "sobol"),
                         (["--samples", "4", "--method", "morris", "--vary", "refinery.route=mre,carbothermal"], "range"),
                         (["--samples", "4", "--method", "sobol", "--levels", "4",
                           "--vary", "massdriver.exit_speed=2.3km/s:2.5km/s"], "morris"),
                         (["--design", "x.csv", "--vary", "massdriver.exit_speed=2.3km/s:2.5km/s"], "--design"),
                         # A bare number for a quantity is refused, not read in a guessed unit (it once ran
                         # chain.earth_resupply_rate=0.005 as 0.005 t/yr).
                         (["--vary", "chain.earth_resupply_rate=0.005,0.01"], "has no unit"),
                         (["--vary", "massdriver.exit_speed=2.3:2.5:3"], "km/s"),
                         # a:b:1 names neither end (it once ran b).
                         (["--vary", "massdriver.exit_speed=2.3km/s:2.5km/s:1"], "ambiguous")):
        clean(out)
        proc = run(["sweep", *args, "-o", out, "--set", "run.duration=30d"])
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        check(proc.returncode == 2, f"{args}: exit {proc.returncode}, expected 2")
        check(len(lines) == 1 and needle in proc.stderr, f"{args}: one line naming {needle!r}: {lines}")
        check(not os.path.exists(out) and not os.path.exists(out + ".partial"), f"{args}: no file left")


def case_sweep_long_list(work):
    """A --vary list of any length runs every value given: 150 values, about
    1,200 characters (a list past ~1,000 characters was once cut short, so
    the last member ran a value nobody gave)."""
    out = os.path.join(work, "long_list.h5")
    clean(out)
    values = [100 + i for i in range(150)]
    spec = ",".join(f"{v}t/yr" for v in values)
    check(len(spec) > 1100, f"the list is long: {len(spec)} characters")
    # 150 members each target the flight and run the release Monte Carlo at init: at the
    # default 10^4 samples that took 66 s (2 s with the old fixed flight). The test checks the
    # values each member ran, so 10^2 samples do.
    proc = run(["sweep", "--vary", f"chain.earth_resupply_rate={spec}", "--set", "run.duration=1d",
                "--set", "orbit.dispersion_samples=100", "-o", out, "--quiet"])
    check(proc.returncode == 0, f"sweep failed: {proc.stderr}")
    if proc.returncode == 0:
        with h5py.File(out) as f:
            got = f["parameters/chain__earth_resupply_rate"][()]
        year = 365.25 * 86400.0
        # Each value is t/yr converted once to kg/s: 1e-12 relative covers that one rounding.
        check(len(got) == len(values), f"{len(got)} members for {len(values)} values")
        check(np.allclose(got * year / 1e3, values, rtol=1e-12, atol=0.0), "every member ran the value given")


def attributes(path):
    """Every attribute of the file, by object path; the creation time aside."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            for k, v in obj.attrs.items():
                if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    continue
                if isinstance(v, np.ndarray) and v.dtype == object:  # variable-length strings: compare the text
                    v = "\x00".join(x.decode() if isinstance(x, bytes) else str(x) for x in v.tolist())
                out[f"{name}@{k}"] = np.asarray(v).tobytes() if not isinstance(v, str) else v
        visit("/", f)
        f.visititems(visit)
    out.pop("/@creation_time", None)
    out.pop("/@history", None)  # a --restart adds its command line
    return out


# A sweep long enough to signal mid-way: 6 members of 8 simulated years.
# 10^2 flight samples: each member's init (run twice: checked, then run) stays short, the members' stepping
# (~0.3 s each) long enough that a signal sent at the first "done" finds the others unfinished.
STOP_SWEEP = ["sweep", "--vary", "chain.panel_surface_share=0.1:0.3:6", "--set", "run.duration=8yr",
              "--set", "orbit.dispersion_samples=100", "--threads", "2"]


def signal_sweep(out, signals):
    """Starts STOP_SWEEP, sends `signals` SIGTERMs once the first member is
    written, returns (exit code, stderr)."""
    proc = subprocess.Popen([LUNARSIM] + STOP_SWEEP + ["-o", out], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "member" in line and " done" in line:
            for _ in range(signals):
                proc.send_signal(signal.SIGTERM)
                time.sleep(0.05)
            break
    rest = proc.communicate(timeout=600)[1]
    return proc.returncode, "".join(seen) + rest


def case_sweep_stop_restart(work):
    """Item 11: a signalled sweep keeps what it finished and a --restart runs only the rest.
    SIGTERM once: the members in flight finish, exit 3, the .partial opens and records them;
    twice: they are abandoned. Either way the same command plus --restart gives every dataset
    and attribute bitwise equal to an uninterrupted sweep (before, SIGTERM left an unreadable
    .partial and nothing resumed)."""
    ref = os.path.join(work, "ref.h5")
    clean(ref)
    proc = run(STOP_SWEEP + ["-o", ref, "--quiet"])
    check(proc.returncode == 0, f"uninterrupted sweep: {proc.stderr}")
    for signals in (1, 2):
        out = os.path.join(work, f"stopped_{signals}.h5")
        clean(out)
        code, err = signal_sweep(out, signals)
        check(code == 3, f"{signals} signal(s): exit {code}, expected 3: {err[-400:]}")
        check("--restart" in err.splitlines()[-1], f"{signals} signal(s): the last line says how to resume: {err[-300:]}")
        check(not os.path.exists(out) and os.path.exists(out + ".partial"), f"{signals} signal(s): only the .partial")
        if not os.path.exists(out + ".partial"):
            continue
        with h5py.File(out + ".partial", "r") as f:
            done = f["sweep_progress/member_done"][()]
        written = [int(l.split("member ")[1].split()[0]) for l in err.splitlines() if " done, " in l]
        check(0 < done.sum() < 6, f"{signals} signal(s): some but not all members kept: {done}")
        check(sorted(np.flatnonzero(done).tolist()) == sorted(written),
              f"{signals} signal(s): the members recorded are those reported done: {done} vs {written}")
        # A fresh start must not overwrite them; another sweep may not resume them.
        before = open(out + ".partial", "rb").read()
        proc = run(STOP_SWEEP + ["-o", out, "--quiet"])
        check(proc.returncode == 2 and "--restart" in proc.stderr, f"fresh start over a .partial refused: {proc.stderr}")
        proc = run(STOP_SWEEP + ["-o", out, "--quiet", "--restart", "--set", "run.seed=7"])
        check(proc.returncode == 2 and "not this sweep" in proc.stderr, f"another sweep's restart refused: {proc.stderr}")
        check(open(out + ".partial", "rb").read() == before, "a refused restart leaves the .partial byte for byte")
        proc = run(STOP_SWEEP + ["-o", out, "--restart"])
        check(proc.returncode == 0, f"{signals} signal(s): restart failed: {proc.stderr[-400:]}")
        ran = [int(l.split("member ")[1].split()[0]) for l in proc.stderr.splitlines() if " done, " in l]
        check(sorted(ran) == sorted(np.flatnonzero(done == 0).tolist()),
              f"{signals} signal(s): the restart ran only the missing members: {ran}")
        if proc.returncode == 0:
            compare_files(ref, out, f"{signals} signal(s) + --restart vs uninterrupted")
            a, b = attributes(ref), attributes(out)
            check(a == b, f"{signals} signal(s): attributes differ: "
                          f"{sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))[:6]}")
            with h5py.File(out, "r") as f:
                check("sweep_progress" not in f, "the finished file holds no restart record")
                history = f.attrs["history"]
                history = (history.decode() if isinstance(history, bytes) else str(history)).splitlines()
                check(len(history) == 2 and "--restart" in history[1] and "--restart" not in history[0],
                      f"{signals} signal(s): the history holds the sweep and its restart: {history}")
    # kill -9 (a job past its time limit): no member reported done is lost, and the restart
    # gives the same file (before, the .partial could not even be opened).
    out = os.path.join(work, "killed.h5")
    clean(out)
    proc = subprocess.Popen([LUNARSIM] + STOP_SWEEP + ["-o", out], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    reported = []
    for line in proc.stderr:
        if " done, " in line:
            reported.append(int(line.split("member ")[1].split()[0]))
            if len(reported) == 3:
                proc.kill()
                break
    proc.communicate(timeout=600)
    check(os.path.exists(out + ".partial") and not os.path.exists(out), "kill -9: the .partial is left")
    if os.path.exists(out + ".partial"):
        # The writer died in SWMR mode: the file says it is open for writing, and reads as SWMR.
        with h5py.File(out + ".partial", "r", swmr=True) as f:
            done = f["sweep_progress/member_done"][()]
        check(all(done[m] for m in reported), f"kill -9: every member reported done is kept: {reported} {done}")
        proc = run(STOP_SWEEP + ["-o", out, "--restart", "--quiet"])
        check(proc.returncode == 0, f"kill -9 + --restart: {proc.stderr[-400:]}")
        if proc.returncode == 0:
            compare_files(ref, out, "kill -9 + --restart vs uninterrupted")
    proc = run(STOP_SWEEP + ["-o", os.path.join(work, "none.h5"), "--restart", "--quiet"])
    check(proc.returncode == 2 and "no" in proc.stderr and ".partial" in proc.stderr,
          f"--restart with nothing to resume: one line: {proc.stderr}")


def case_sweep_checks_members_first(work):
    """Item 11: every member is initialised (every check between parameters) before any
    runs. A member whose exit speed reaches no catcher orbit, listed last, is reported with
    its values and nothing runs or is left behind (before, it was found after the others
    had run, and their results were discarded)."""
    out = os.path.join(work, "bad_member.h5")
    clean(out)
    proc = run(["sweep", "--vary", "massdriver.exit_speed=2.34km/s,2.36km/s,2.38km/s,2.6km/s",
                "--set", "run.duration=10yr", "-o", out, "--threads", "2"])
    errors = [l for l in proc.stderr.splitlines() if "error" in l]
    check(proc.returncode == 2, f"exit {proc.returncode}, expected 2")
    check(len(errors) == 1 and "member 3" in errors[0] and "2600 m s-1" in errors[0],
          f"one error line naming member 3 and its value: {errors}")
    check(not any(" done, " in l for l in proc.stderr.splitlines()), "no member ran")
    check(not os.path.exists(out) and not os.path.exists(out + ".partial"), "no file left")


def case_sweep_estimate_limits(work):
    """Item 11: a sweep prints its size and time before it starts and is refused beyond the
    free space (or 1 TB or 7 days) unless --force: 10^7 Latin-hypercube members of the
    default 30 years are ~10^14 bytes (before, it started writing gigabytes)."""
    out = os.path.join(work, "huge.h5")
    clean(out)
    start = time.time()
    proc = run(["sweep", "--samples", "10000000", "--method", "lhs", "--vary",
                "chain.panel_surface_share=0.1:0.3", "-o", out])
    check(proc.returncode == 2, f"exit {proc.returncode}, expected 2: {proc.stderr[-300:]}")
    errors = [l for l in proc.stderr.splitlines() if "error" in l]
    check(len(errors) == 1 and "--force" in errors[0] and "TB" in errors[0], f"one line with the size: {errors}")
    check(any("10000000 members" in l and "before compression" in l for l in proc.stderr.splitlines()),
          "the estimate is printed")
    check(not os.path.exists(out) and not os.path.exists(out + ".partial"), "nothing written")
    # Refused before any member is checked: 10^7 inits would take days.
    check(time.time() - start < 60, f"refused at once ({time.time() - start:.1f} s)")
    # The estimate of a small sweep is within a factor of a few of its size (deflate
    # shrinks the file; the estimate is the raw bytes, an upper bound).
    small = os.path.join(work, "small.h5")
    clean(small)
    proc = run(["sweep", "--vary", "chain.panel_surface_share=0.1,0.2", "--set", "run.duration=2yr", "-o", small])
    check(proc.returncode == 0, f"small sweep: {proc.stderr[-300:]}")
    line = [l for l in proc.stderr.splitlines() if "before compression" in l]
    check(len(line) == 1, f"one estimate line: {line}")
    if line and proc.returncode == 0:
        word = line[0].split("about ")[1].split(" before")[0]
        number, unit = word.split()
        scale = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
        estimated = float(number) * scale
        actual = os.path.getsize(small)
        check(actual <= 1.2 * estimated and estimated < 20 * actual,
              f"estimate {estimated:.3g} B bounds the file {actual} B within a factor 20")


def restart_case(work, threads, stop_step, extra):
    ref = os.path.join(work, f"ref_{threads}.h5")
    out = os.path.join(work, f"restarted_{threads}.h5")
    clean(ref, out)
    args = ["--threads", str(threads), "--quiet", *extra]
    proc = run(["run", "-o", ref, *args])
    check(proc.returncode == 0, f"reference run failed: {proc.stderr}")
    proc = run(["run", "-o", out, *args, "--stop-after-steps", str(stop_step)])
    check(proc.returncode == 3, f"stopped run exits 3, got {proc.returncode}: {proc.stderr}")
    check(os.path.exists(out + ".ckpt") and os.path.exists(out + ".partial") and not os.path.exists(out),
          "checkpoint and partial output after the stop, no final file")
    proc = run(["run", "-o", out, *args, "--restart", out + ".ckpt"])
    check(proc.returncode == 0, f"restart failed: {proc.stderr}")
    check(os.path.exists(out) and not os.path.exists(out + ".partial"), "restart completed the file")
    compare_files(ref, out, f"restart at step {stop_step} with {threads} thread(s)")


def case_restart_random_step(work):
    # A fleet above the OpenMP threshold (4096) so threads really share the work.
    extra = ["--set", "run.duration=120d", "--set", "regolith.initial_excavators=6000",
             "--set", "massdriver.drivers=1"]
    rng = random.Random(20261130)
    steps = 120 * 24
    for threads in (1, 2):
        restart_case(work, threads, rng.randrange(1, steps), extra)
    # A checkpoint every simulated month, then a restart from the last one.
    out = os.path.join(work, "periodic.h5")
    clean(out)
    proc = run(["run", "-o", out, "--quiet", *extra, "--checkpoint-every", "30d", "--stop-after-steps", "2000"])
    check(proc.returncode == 3, f"periodic checkpoint run: {proc.returncode} {proc.stderr}")
    proc = run(["run", "-o", out, "--quiet", *extra, "--restart", out + ".ckpt"])
    check(proc.returncode == 0, f"restart after periodic checkpoints: {proc.stderr}")
    compare_files(os.path.join(work, "ref_1.h5"), out, "periodic checkpoints")


def case_restart_after_signal(work):
    # 300 s steps: the time loop lasts a few seconds, so the signal sent once
    # the first rows are flushed (1 s into it) lands inside it, not in the
    # finish (with 600 s steps the loop had become short enough to end first).
    extra = ["--set", "run.duration=10yr", "--set", "run.time_step=300 s", "--quiet"]
    ref = os.path.join(work, "sig_ref.h5")
    out = os.path.join(work, "sig.h5")
    clean(ref, out)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference: {proc.stderr}")
    for sig in (signal.SIGTERM, signal.SIGUSR1, signal.SIGINT):
        clean(out)
        p = subprocess.Popen([LUNARSIM, "run", "-o", out, *extra, "--flush-every", "1s"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        # In the time loop, where a signal is checkpointed (outside it, during
        # init or finish, a signal ends the run at once): wait for rows.
        deadline = time.monotonic() + 120.0
        while time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.1)
            try:
                with h5py.File(out + ".partial", "r", libver="latest", swmr=True) as f:
                    if f["power/generated"].shape[0] > 0:
                        break
            except (OSError, KeyError):
                pass
        p.send_signal(sig)
        _, err = p.communicate(timeout=300)
        if p.returncode == 0:
            print(f"note: run finished before {sig.name}; machine too fast for this timing", file=sys.stderr)
            continue
        check(p.returncode == 3, f"{sig.name}: exit {p.returncode}, expected 3: {err}")
        check(len([l for l in err.splitlines() if l.strip()]) == 1 and "--restart" in err,
              f"{sig.name}: one line telling how to resume: {err!r}")
        proc = run(["run", "-o", out, *extra, "--restart", out + ".ckpt"])
        check(proc.returncode == 0, f"{sig.name}: restart failed: {proc.stderr}")
        compare_files(ref, out, f"resumed after {sig.name}")


def case_checkpoint_refused(work):
    out = os.path.join(work, "refuse.h5")
    clean(out)
    base = ["--set", "run.duration=30d", "--quiet"]
    proc = run(["run", "-o", out, *base, "--stop-after-steps", "100"])
    check(proc.returncode == 3, "stopped")
    ckpt = out + ".ckpt"
    proc = run(["run", "-o", out, *base, "--set", "power.base_load=60 kW", "--restart", ckpt])
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "another deck" in proc.stderr,
          f"mismatched deck refused with one line: {proc.returncode} {lines}")
    data = open(ckpt, "rb").read()
    truncated = os.path.join(work, "truncated.ckpt")
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 2])
    proc = run(["run", "-o", out, *base, "--restart", truncated])
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "truncated" in proc.stderr,
          f"truncated checkpoint refused: {proc.returncode} {lines}")
    proc = run(["run", "-o", out, *base, "--restart", os.path.join(work, "nothing.ckpt")])
    check(proc.returncode == 2 and "nothing.ckpt" in proc.stderr, "missing checkpoint refused")
    # Another run's NAME.partial: two runs with the same -o and their own
    # checkpoints; resuming the first must not take the second's rows (it
    # once did, and finished with the other run's rows and deck).
    other_ckpt = os.path.join(work, "other.ckpt")
    first = open(out + ".partial", "rb").read()
    proc = run(["run", "-o", out, *base, "--set", "run.seed=7", "--checkpoint", other_ckpt, "--stop-after-steps", "150"])
    check(proc.returncode == 3, f"second run with the same -o stopped: {proc.stderr}")
    second = open(out + ".partial", "rb").read()
    proc = run(["run", "-o", out, *base, "--restart", ckpt])
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "another run" in proc.stderr,
          f"another run's .partial refused with one line: {proc.returncode} {lines}")
    check(open(out + ".partial", "rb").read() == second, "the other run's .partial is left as it was")
    proc = run(["run", "-o", out, *base, "--set", "run.seed=7", "--restart", other_ckpt])
    check(proc.returncode == 0, f"the run that owns the .partial resumes it: {proc.stderr}")
    # The first run's rows are gone (the second run replaced them), so its
    # checkpoint starts over from a copy of its own partial.
    with open(out + ".partial", "wb") as f:
        f.write(first)
    # The partial output is still resumable after the refusals.
    proc = run(["run", "-o", out, *base, "--restart", ckpt])
    check(proc.returncode == 0, f"valid checkpoint still resumes: {proc.stderr}")


def case_checkpoint_data_changed(work):
    """A data file edited between the checkpoint and the restart is refused on
    one line naming the files (it went undetected: the finished file then
    matched neither data set)."""
    import shutil
    data = os.path.join(work, "data")
    if os.path.exists(data):
        shutil.rmtree(data)
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data")
    shutil.copytree(os.path.join(source, "sites"), os.path.join(data, "sites"))
    shutil.copytree(os.path.join(source, "routes"), os.path.join(data, "routes"))
    env = {**os.environ, "LSIM_DATA_DIR": data}
    out = os.path.join(work, "data_changed.h5")
    clean(out)
    base = ["--set", "run.duration=30d", "--quiet", *FEW]
    proc = run(["run", "-o", out, *base, "--stop-after-steps", "100"], env=env)
    check(proc.returncode == 3, f"stopped: {proc.stderr}")
    routes = os.path.join(data, "routes", "refinery_routes.csv")
    text = open(routes).read()
    with open(routes, "a") as f:
        f.write("\n")
    proc = run(["run", "-o", out, *base, "--restart", out + ".ckpt"], env=env)
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "data file changed" in proc.stderr and "refinery_routes.csv" in proc.stderr,
          f"edited data file refused with one line: {proc.returncode} {lines}")
    check(os.path.exists(out + ".partial") and os.path.exists(out + ".ckpt"), "nothing deleted by the refusal")
    with open(routes, "w") as f:
        f.write(text)
    proc = run(["run", "-o", out, *base, "--restart", out + ".ckpt"], env=env)
    check(proc.returncode == 0, f"the same data resumes: {proc.stderr}")


def case_live_reader_and_kill9(work):
    out = os.path.join(work, "live.h5")
    clean(out)
    p = subprocess.Popen([LUNARSIM, "run", "-o", out, "--set", "run.duration=200yr", "--set", "run.time_step=300 s",
                          "--flush-every", "1 s", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    partial = out + ".partial"
    seen = 0
    deadline = time.time() + 60
    try:
        while time.time() < deadline and seen < 50:
            time.sleep(0.5)
            if not os.path.exists(partial):
                continue
            try:
                with h5py.File(partial, "r", libver="latest", swmr=True) as f:
                    d = f["power/generated"]
                    d.refresh()
                    n = d.shape[0]
                    if n:
                        values = d[:n]
                        check(np.all(np.isfinite(values)), "live rows are finite")
                        t = f["power/time"]
                        t.refresh()
                        check(t.shape[0] >= n, "time scale keeps up with the series")
                    seen = max(seen, n)
            except OSError as e:
                print("reader retry:", e, file=sys.stderr)
        check(seen > 0, f"a live reader saw flushed rows (saw {seen})")
        check(p.poll() is None, "the run was still going while read")
        time.sleep(0.8)  # past one more flush interval
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    check(not os.path.exists(out), "a killed run leaves no final file")
    # A run killed while writing in SWMR mode leaves the file's "open for
    # write" flag set: SWMR readers open it as is; h5clear -s makes it a
    # plain file again for netCDF/xarray.
    with h5py.File(partial, "r", libver="latest", swmr=True) as f:
        n = f["power/generated"].shape[0]
        check(n >= seen, f"after kill -9 the file opens and holds the flushed rows ({n} >= {seen})")
        check(np.all(np.isfinite(f["power/generated"][:n])), "rows after kill -9 are complete")
    proc = subprocess.run(["h5clear", "-s", partial], capture_output=True, text=True)
    check(proc.returncode == 0, f"h5clear -s: {proc.stderr}")
    import xarray as xr
    ds = xr.open_dataset(partial, group="power")
    check(ds.sizes["time"] == n, "xarray opens the killed file after h5clear -s")
    ds.close()


def case_restart_after_kill9(work):
    extra = ["--set", "run.duration=12yr", "--set", "run.time_step=900 s", "--quiet"]
    ref = os.path.join(work, "k9_ref.h5")
    out = os.path.join(work, "k9.h5")
    clean(ref, out)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference: {proc.stderr}")
    p = subprocess.Popen([LUNARSIM, "run", "-o", out, *extra, "--checkpoint-every", "1yr"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not os.path.exists(out + ".ckpt") and p.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL)
    p.wait()
    if not os.path.exists(out + ".partial"):
        print("note: run finished before kill -9", file=sys.stderr)
        return
    check(os.path.exists(out + ".ckpt"), "a periodic checkpoint exists after kill -9")
    proc = run(["run", "-o", out, *extra, "--checkpoint-every", "1yr", "--restart", out + ".ckpt"])
    check(proc.returncode == 0, f"restart after kill -9: {proc.stderr}")
    compare_files(ref, out, "resumed after kill -9")


# Every durable-write boundary of a run (core/fault.h, LSIM_FAULT_POINTS), in
# the order a run reaches them, with the hit at which the test kills it: the
# second checkpoint so that the first one exists, the third flush so that rows
# and a checkpoint exist.
FAULT_POINTS = [
    ("create_after_file", 1), ("create_after_layout", 1), ("flush_after", 3),
    ("checkpoint_after_tmp", 1), ("checkpoint_after_tmp", 2), ("checkpoint_after_rename", 1),
    ("checkpoint_after_rename", 2), ("finish_after_rows", 1), ("finish_after_reopen", 1),
    ("finish_after_attributes", 1), ("finish_after_summary", 1), ("finish_after_close", 1),
    ("finish_after_rename", 1),
]


def case_fault_points(work):
    """kill -9 at each durable-write boundary (the process kills itself there:
    LSIM_FAULT_KILL_AT, a testing aid of core/fault.h), then recover as a
    user would: --restart from the checkpoint if one exists, else run again.
    Every recovery must give the uninterrupted run's datasets bit for bit,
    and nothing a restart needs may be deleted on the way. Before the finish
    could be resumed, a kill after the design attributes or /summary went
    into NAME.partial made --restart fail ('cannot write attribute') and
    delete the .partial."""
    extra = ["--set", "run.duration=60d", "--set", "run.time_step=1h", "--quiet", "--checkpoint-every", "10d",
             "--flush-every", "1ms", *FEW]
    ref = os.path.join(work, "fault_ref.h5")
    clean(ref)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference: {proc.stderr}")
    bad = run(["run", "-o", os.path.join(work, "never.h5"), *extra],
              env={**os.environ, "LSIM_FAULT_KILL_AT": "finish_after_nothing"})
    check(bad.returncode == 2 and "LSIM_FAULT_KILL_AT" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1,
          f"an unknown fault point is refused on one line: {bad.returncode} {bad.stderr!r}")
    covered = 0
    for point, hit in FAULT_POINTS:
        out = os.path.join(work, f"fault_{point}_{hit}.h5")
        clean(out)
        env = {**os.environ, "LSIM_FAULT_KILL_AT": f"{point}#{hit}"}
        proc = run(["run", "-o", out, *extra], env=env)
        what = f"killed at {point}#{hit}"
        check(proc.returncode == -signal.SIGKILL, f"{what}: the process died there (got {proc.returncode})")
        if proc.returncode != -signal.SIGKILL:
            continue
        covered += 1
        if os.path.exists(out):
            # Killed after the rename: the run is complete; its checkpoint is
            # a leftover, and a --restart must not touch the finished file.
            check(point == "finish_after_rename", f"{what}: a final file only after the rename")
            compare_files(ref, out, what)
            before = open(out, "rb").read()
            proc = run(["run", "-o", out, *extra, "--restart", out + ".ckpt"])
            check(proc.returncode != 0 and open(out, "rb").read() == before,
                  f"{what}: a restart of a finished run is refused and leaves it as it is")
            continue
        if os.path.exists(out + ".ckpt"):
            check(os.path.exists(out + ".partial"), f"{what}: rows kept in .partial beside the checkpoint")
            proc = run(["run", "-o", out, *extra, "--restart", out + ".ckpt"])
            check(proc.returncode == 0, f"{what}: --restart: {proc.stderr}")
        else:
            proc = run(["run", "-o", out, *extra])
            check(proc.returncode == 0, f"{what}: run again (no checkpoint yet): {proc.stderr}")
        check(os.path.exists(out) and not os.path.exists(out + ".partial"), f"{what}: recovery completed the file")
        if os.path.exists(out):
            compare_files(ref, out, what)
    print(f"fault points covered: {covered} kills at {len(set(p for p, _ in FAULT_POINTS))} boundaries")


def case_write_failures(work):
    """Writes that fail (a full disk, here a file-size limit: RLIMIT_FSIZE with
    SIGXFSZ ignored, as a shell's ulimit -f gives, no root needed) end the run
    with exit 1 and one line at any fill level, never a crash (it was SIGSEGV
    in 13 of 15 runs, in HDF5's exit-time cleanup after a failed close); a
    checkpoint written before the failure stays intact and resumes to the
    uninterrupted result."""
    import resource
    extra = ["--set", "run.duration=5yr", "--quiet", "--checkpoint-every", "1yr", *FEW]
    ref = os.path.join(work, "wf_ref.h5")
    clean(ref)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference: {proc.stderr}")
    full = os.path.getsize(ref)

    def limit(n):
        def set_limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
        return set_limit

    failed = resumed = refused = 0
    for n in (20000, 100000, 300000, 600000, 1000000, 1500000, full // 2, full - 4096):
        out = os.path.join(work, f"wf_{n}.h5")
        clean(out)
        p = subprocess.run([LUNARSIM, "run", "-o", out, *extra], preexec_fn=limit(n), capture_output=True, text=True,
                           timeout=600)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        what = f"file size limit {n} B"
        check(p.returncode in (0, 1), f"{what}: exit 0 or 1, never a crash (got {p.returncode})")
        if p.returncode != 1:
            continue
        failed += 1
        check(len(lines) == 1 and lines[0].startswith("lunarsim: error:"), f"{what}: one line: {lines}")
        check(not os.path.exists(out), f"{what}: nothing passed off as complete")
        if os.path.exists(out + ".ckpt"):
            # The checkpoint is intact: it loads (its checksum holds). The
            # .partial the failed write left may not be: then the restart
            # stops on one line naming it, and the run is done again.
            proc = run(["run", "-o", out, *extra, "--restart", out + ".ckpt"])
            lines = [l for l in proc.stderr.splitlines() if l.strip()]
            if proc.returncode == 0:
                resumed += 1
                compare_files(ref, out, f"{what}, resumed")
            else:
                check(proc.returncode == 2 and len(lines) == 1 and ".partial" in proc.stderr and
                      "checkpoint" not in proc.stderr.split(".partial")[0],
                      f"{what}: the checkpoint loads; a restart refuses the damaged .partial on one line: {lines}")
                refused += 1
    check(failed >= 5, f"the limits made {failed} runs fail (expected most of them)")
    print(f"write failures: {failed} runs failed cleanly; of those with a checkpoint, {resumed} resumed and "
          f"{refused} refused a damaged .partial")


def case_damaged_partial(work):
    """A restart from a damaged NAME.partial never hangs and never finishes
    wrong: one flipped byte at each of 16 places (counter-based offsets over
    the file) gives either the uninterrupted result bit for bit, or exit 2
    with one line; a signal during such a restart ends it within seconds.
    (Flipped bits once hung 5 of 60 restarts in HDF5's metadata retries and
    let 49 of 60 finish with exit 0 and unreadable data; series chunks now
    carry Fletcher32 and a restart reads back every row it keeps.)"""
    import shutil
    extra = ["--set", "run.duration=60d", "--quiet", *FEW]
    ref = os.path.join(work, "dp_ref.h5")
    base = os.path.join(work, "dp_base.h5")
    clean(ref, base)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference: {proc.stderr}")
    proc = run(["run", "-o", base, *extra, "--stop-after-steps", "1000"])
    check(proc.returncode == 3, f"stopped run: {proc.stderr}")
    data = open(base + ".partial", "rb").read()
    rng = random.Random(20261201)
    outcomes = {"same": 0, "refused": 0}
    for k in range(16):
        out = os.path.join(work, f"dp_{k}.h5")
        clean(out)
        damaged = bytearray(data)
        offset = rng.randrange(len(damaged))
        damaged[offset] ^= 0xFF
        with open(out + ".partial", "wb") as f:
            f.write(damaged)
        shutil.copyfile(base + ".ckpt", out + ".ckpt")
        what = f"byte {offset} of {len(damaged)} flipped"
        try:
            proc = run(["run", "-o", out, *extra, "--restart", out + ".ckpt"], timeout=120)
        except subprocess.TimeoutExpired:
            check(False, f"{what}: the restart hung")
            continue
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        if proc.returncode == 0:
            outcomes["same"] += 1
            try:
                compare_files(ref, out, f"{what}: a restart that finishes")
            except OSError as e:
                check(False, f"{what}: the restart finished with exit 0 and unreadable data ({e})")
        else:
            outcomes["refused"] += 1
            check(proc.returncode in (1, 2) and len(lines) == 1, f"{what}: refused on one line: {proc.returncode} {lines}")
    print(f"damaged partials: {outcomes}")
    # A signal while the restart is busy outside the time loop ends it at once.
    out = os.path.join(work, "dp_signal.h5")
    clean(out)
    proc = run(["run", "-o", out, *extra, "--set", "orbit.dispersion_samples=200000", "--stop-after-steps", "10"])
    p = subprocess.Popen([LUNARSIM, "run", "-o", out, *extra, "--set", "orbit.dispersion_samples=200000",
                          "--restart", out + ".ckpt"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=20)
        check(p.returncode != 0 and time.monotonic() - t0 < 5.0,
              f"SIGTERM during init ends the process within seconds ({time.monotonic() - t0:.1f} s, exit {p.returncode})")
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, "SIGTERM during init was not acted on within 20 s")


def case_size_independent_of_flushes(work):
    """The output's size follows its rows, not how often they were flushed.
    Under SWMR, HDF5 never reuses the place of a chunk it rewrites, and every
    flush used to rewrite the growing compressed last chunk of every series
    elsewhere: the same rows took 1 MB flushed every 10 s and 120 MB every
    0.01 s, and restart-finished files 10 MB to 1.6 GB. A checkpoint flushes
    the rows it names, so checkpoints every 5 simulated days flush ~70 times
    here whatever the wall clock; a run stopped and resumed flushes again at
    both ends. Bound: the writer pads the unfinished chunk's place to a power
    of two and the places it outgrows sum to less than its last one, so its
    compressed rows take at most twice their size, and metadata does not grow
    with flushes: a factor 2 over the run that flushed once."""
    extra = ["--set", "run.duration=1yr", "--quiet", *FEW]
    ref = os.path.join(work, "once.h5")
    often = os.path.join(work, "checkpointed.h5")
    resumed = os.path.join(work, "resumed.h5")
    fast = os.path.join(work, "fast_flush.h5")
    clean(ref, often, resumed, fast)
    proc = run(["run", "-o", ref, *extra])
    check(proc.returncode == 0, f"reference run: {proc.stderr}")
    proc = run(["run", "-o", often, *extra, "--checkpoint-every", "5d"])
    check(proc.returncode == 0, f"checkpointed run: {proc.stderr}")
    proc = run(["run", "-o", resumed, *extra, "--checkpoint-every", "5d", "--stop-after-steps", "5000"])
    check(proc.returncode == 3, f"stopped run exits 3: {proc.returncode} {proc.stderr}")
    # What a SWMR reader sees of the stopped run: every row the checkpoint
    # names, bit for bit the reference's (the padded last chunk reads back).
    with h5py.File(resumed + ".partial", "r", libver="latest", swmr=True) as f, h5py.File(ref, "r") as g:
        d, e = f["orbit/installed_power"], g["orbit/installed_power"]
        rows = d.shape[0]
        check(rows > 0 and same_bits(d[()], e[:rows]), f"stopped run's rows readable and equal ({rows} rows)")
    proc = run(["run", "-o", resumed, *extra, "--checkpoint-every", "5d", "--restart", resumed + ".ckpt"])
    check(proc.returncode == 0, f"restart: {proc.stderr}")
    proc = run(["run", "-o", fast, *extra, "--flush-every", "0.001s"])
    warning = [line for line in proc.stderr.splitlines() if "--flush-every" in line]
    check(proc.returncode == 0 and len(warning) == 1 and "below 1 s" in warning[0],
          f"a flush interval under the floor runs with one warning: {proc.returncode} {proc.stderr!r}")
    base = os.path.getsize(ref)
    for path, what in ((often, "checkpoint every 5 d"), (resumed, "stopped and resumed"), (fast, "--flush-every 1ms")):
        if not os.path.exists(path):
            check(False, f"{what}: no output")
            continue
        compare_files(ref, path, what)
        size = os.path.getsize(path)
        print(f"{what}: {size} bytes, {size / base:.2f} x the run flushed once ({base} bytes)")
        check(size <= 2.0 * base, f"{what}: {size} bytes, more than twice the {base} of the run flushed once")


def case_mpi_sweep_equals_openmp(work, mpirun):
    a = os.path.join(work, "omp_sweep.h5")
    b = os.path.join(work, "mpi_sweep.h5")
    clean(a, b)
    args = ["sweep", *VARY, *SHORT, *FEW, "--quiet"]
    proc = run([*args, "-o", a, "--threads", "2"])
    check(proc.returncode == 0, f"OpenMP sweep: {proc.stderr}")
    proc = subprocess.run([mpirun, "-np", "2", "--oversubscribe", LUNARSIM, *args, "-o", b, "--threads", "1"],
                          capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"MPI sweep: {proc.stderr}")
    compare_files(a, b, "mpirun -np 2 sweep vs OpenMP sweep")
    # A Sobol' sweep: rank 0 gathers every member's summary and writes the same /sensitivity.
    sa, sb = os.path.join(work, "omp_sobol.h5"), os.path.join(work, "mpi_sobol.h5")
    clean(sa, sb)
    sobol = ["sweep", "--method", "sobol", "--samples", "4", *SENS_VARY, *SENS_BASE, "--quiet"]
    proc = run([*sobol, "-o", sa, "--threads", "2"])
    check(proc.returncode == 0, f"OpenMP sobol sweep: {proc.stderr[-300:]}")
    proc = subprocess.run([mpirun, "-np", "2", "--oversubscribe", LUNARSIM, *sobol, "-o", sb, "--threads", "1"],
                          capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"MPI sobol sweep: {proc.stderr[-300:]}")
    compare_files(sa, sb, "mpirun -np 2 sobol sweep vs OpenMP (with /sensitivity)")
    # Stopped under mpirun (which forwards SIGUSR1 to every rank) and resumed with --restart:
    # bitwise the OpenMP sweep, with the ranks' members split as the restart found them.
    ref = os.path.join(work, "omp_stop_ref.h5")
    out = os.path.join(work, "mpi_stopped.h5")
    clean(ref, out)
    proc = run(STOP_SWEEP + ["-o", ref, "--quiet"])
    check(proc.returncode == 0, f"OpenMP reference: {proc.stderr[-300:]}")
    mpi = [mpirun, "-np", "2", "--oversubscribe", LUNARSIM] + STOP_SWEEP[:-2] + ["--threads", "1", "-o", out]
    child = subprocess.Popen(mpi, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in child.stderr:
        if " done, " in line:
            child.send_signal(signal.SIGUSR1)
            break
    child.communicate(timeout=600)
    check(child.returncode != 0 and os.path.exists(out + ".partial"), f"mpirun stopped: exit {child.returncode}")
    proc = subprocess.run(mpi + ["--restart", "--quiet"], capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"MPI restart: {proc.stderr[-400:]}")
    if proc.returncode == 0:
        compare_files(ref, out, "mpirun -np 2 stopped + --restart vs OpenMP sweep")


# ---- Sobol' and Morris sweeps, external designs (issue 11) ----------------------------------

# Two parameters that change what a 30-day run does: the surface array's area and efficiency
# (the energy generated is their product). The fixed flight needs no targeting at init, so a
# member takes a fraction of a second.
SENS_VARY = ["--vary", "power.array_area=2000m2:3000m2", "--vary", "power.array_efficiency=0.25:0.32"]
SENS_BASE = ["--set", "run.duration=30d", "--set", "orbit.flight_model=fixed"]
SENS_RANGES = [(2000.0, 3000.0), (0.25, 0.32)]


def text_attr(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read_indices(path):
    """/sensitivity as {name: array}, with the metric and parameter names and group attributes."""
    with h5py.File(path, "r") as f:
        g = f["sensitivity"]
        data = {k: g[k][()] for k in g}
        metrics = text_attr(g["metric"].attrs["flag_meanings"]).split()
        params = text_attr(g["parameter"].attrs["flag_meanings"]).split()
        attrs = {k: (text_attr(v) if isinstance(v, (bytes, str)) else v) for k, v in g.attrs.items()}
        field_attrs = {k: {a: (text_attr(v) if isinstance(v, (bytes, str)) else v) for a, v in g[k].attrs.items()
                           if a not in ("DIMENSION_LIST", "REFERENCE_LIST")} for k in g}
        summary = {m: f["summary"][m][()] for m in metrics}
        values = np.column_stack([f["parameters"][n][()] for n in text_attr(g["parameter"].attrs["variables"]).split()])
    return data, metrics, params, attrs, field_attrs, summary, values


def saltelli_numpy(y, n, d):
    """Saltelli 2010 first order and Jansen total order, written anew from the papers'
    formulas (members per base row: A, A_B^1..A_B^d, B)."""
    y = np.asarray(y, dtype=float).reshape(n, d + 2)
    a, b, ab = y[:, 0], y[:, d + 1], y[:, 1:d + 1]
    both = np.concatenate([a, b])
    mean = both.mean()
    var = np.mean((both - mean) ** 2)
    s1 = np.mean((b - mean)[:, None] * (ab - a[:, None]), axis=0) / var
    st = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / var
    return s1, st


def case_sweep_sobol_indices(work):
    """--method sobol: N (d + 2) members laid out as A, A_B^(i), B per base row; /sensitivity holds
    S1, ST and their 95% bootstrap bounds for every summary metric, (metric, parameter), with units,
    long names and the method's attributes; the point estimates equal a numpy rewrite of the
    estimators on the file's own /summary (1e-9 relative: only the order of the sums differs); a
    metric NaN for some member (time to 1 GW/yr, never reached in 30 days) has NaN indices and
    reason 1; a signal and --restart give /sensitivity bitwise equal to an uninterrupted sweep."""
    n, d = 8, 2
    ref = os.path.join(work, "sobol.h5")
    clean(ref)
    cmd = ["sweep", "--method", "sobol", "--samples", str(n), *SENS_VARY, *SENS_BASE]
    proc = run(cmd + ["-o", ref, "--threads", "2", "--quiet"])
    check(proc.returncode == 0, f"sobol sweep failed: {proc.stderr[-500:]}")
    if proc.returncode != 0:
        return
    data, metrics, params, attrs, fattrs, summary, values = read_indices(ref)
    with h5py.File(ref, "r") as f:
        check(int(f.attrs["run_count"]) == n * (d + 2), f"N (d + 2) = {n * (d + 2)} members: {f.attrs['run_count']}")
        spec = text_attr(f.attrs["sweep_spec"])
        check("--method sobol" in spec and f"--samples {n}" in spec, f"sweep_spec records the method: {spec}")
        # Every metric but the parameters' copies and category codes (final_bottleneck: causes, not amounts).
        m_summary = sorted(k for k in f["summary"] if k != "run" and "deck_key" not in f["summary"][k].attrs
                           and "flag_meanings" not in f["summary"][k].attrs)
        check("final_bottleneck" in f["summary"] and "final_bottleneck" not in m_summary, "a code has no indices")
    check(params == ["power.array_area", "power.array_efficiency"], f"parameter coordinate names the deck keys: {params}")
    check(sorted(metrics) == m_summary, f"every summary metric has indices ({len(metrics)} vs {len(m_summary)})")
    m, shapes = len(metrics), {k: v.shape for k, v in data.items()}
    for name in ("S1", "S1_conf_low", "S1_conf_high", "ST", "ST_conf_low", "ST_conf_high"):
        check(shapes.get(name) == (m, d), f"{name} is (metric, parameter) = {(m, d)}: {shapes.get(name)}")
        check(fattrs.get(name, {}).get("units") == "1" and fattrs.get(name, {}).get("long_name"),
              f"{name} has units '1' and a long_name: {fattrs.get(name)}")
    check(shapes.get("metric") == (m,) and shapes.get("parameter") == (d,) and shapes.get("reason") == (m,),
          f"coordinates and reason: {shapes}")
    check(attrs.get("method") == "sobol" and attrs.get("base_samples") == n and attrs.get("confidence_level") == 0.95
          and attrs.get("bootstrap_resamples") == 1000, f"group attributes: {attrs}")
    # The design: A_B^(i) is A with column i from B, exactly; every value within its range.
    rows = values.reshape(n, d + 2, d)
    for i in range(d):
        expect = rows[:, 0, :].copy()
        expect[:, i] = rows[:, d + 1, i]
        check(np.array_equal(rows[:, 1 + i, :], expect), f"A_B^({i}) is A with column {i} from B")
        lo, hi = SENS_RANGES[i]
        check(bool(np.all((values[:, i] >= lo) & (values[:, i] <= hi))), f"parameter {i} within [{lo}, {hi}]")
    reason = data["reason"]
    for k, name in enumerate(metrics):
        y = summary[name]
        finite = bool(np.all(np.isfinite(y)))
        if not finite:
            check(reason[k] == 1 and np.all(np.isnan(data["S1"][k])) and np.all(np.isnan(data["ST_conf_high"][k])),
                  f"{name}: a member's NaN gives NaN indices and reason 1 ({reason[k]})")
        elif np.all(y == y[0]):
            check(reason[k] == 2 and np.all(np.isnan(data["ST"][k])), f"{name}: constant gives reason 2 ({reason[k]})")
        else:
            check(reason[k] == 0, f"{name}: varies and is finite, so computed ({reason[k]})")
            s1, st = saltelli_numpy(y, n, d)
            check(np.allclose(data["S1"][k], s1, rtol=1e-9, atol=1e-12)
                  and np.allclose(data["ST"][k], st, rtol=1e-9, atol=1e-12),
                  f"{name}: S1 {data['S1'][k]} ST {data['ST'][k]} vs numpy {s1} {st}")
            check(bool(np.all(np.isfinite(data["S1_conf_low"][k])) and np.all(data["S1_conf_low"][k] <= data["S1_conf_high"][k])),
                  f"{name}: finite, ordered bounds")
    computed = int(np.sum(reason == 0))
    check(computed >= 3, f"some metrics vary in 30 days and get indices ({computed})")
    check("time_to_1_GW_per_year" in metrics and reason[metrics.index("time_to_1_GW_per_year")] == 1,
          "time to 1 GW/yr (never reached) is flagged, not dropped")
    k = metrics.index("surface_energy_generated")
    print(f"surface_energy_generated: S1 {data['S1'][k]} [{data['S1_conf_low'][k]}, {data['S1_conf_high'][k]}], "
          f"ST {data['ST'][k]}")

    # Stopped by a signal after the first member, resumed with --restart: the same indices, bitwise.
    out = os.path.join(work, "sobol_stopped.h5")
    clean(out)
    child = subprocess.Popen([LUNARSIM] + cmd + ["-o", out, "--threads", "1"], stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True)
    for line in child.stderr:
        if " done, " in line:
            child.send_signal(signal.SIGTERM)
            break
    child.communicate(timeout=600)
    check(child.returncode == 3 and os.path.exists(out + ".partial"), f"signalled sobol sweep: exit {child.returncode}")
    proc = run(cmd + ["-o", out, "--restart", "--threads", "2", "--quiet"])
    check(proc.returncode == 0, f"sobol --restart: {proc.stderr[-400:]}")
    if proc.returncode == 0:
        compare_files(ref, out, "sobol: signal + --restart vs uninterrupted")
        a, b = attributes(ref), attributes(out)
        diff = [k for k in set(a) | set(b) if k.startswith("sensitivity") and a.get(k) != b.get(k)]
        check(not diff, f"sobol: /sensitivity attributes equal after --restart: {diff}")


def case_sweep_morris_indices(work):
    """--method morris: R (d + 1) members, one parameter moving per step on the 4-level grid;
    mu*, mu and sigma per (metric, parameter) equal a numpy rewrite from /summary and
    /parameters (1e-9 relative), mu in the metric's units."""
    r, d = 4, 2
    out = os.path.join(work, "morris.h5")
    clean(out)
    proc = run(["sweep", "--method", "morris", "--samples", str(r), *SENS_VARY, *SENS_BASE, "-o", out, "--quiet"])
    check(proc.returncode == 0, f"morris sweep failed: {proc.stderr[-500:]}")
    if proc.returncode != 0:
        return
    data, metrics, params, attrs, fattrs, summary, values = read_indices(out)
    check(values.shape == (r * (d + 1), d), f"R (d + 1) members: {values.shape}")
    check(attrs.get("method") == "morris" and attrs.get("trajectories") == r and attrs.get("levels") == 4,
          f"attributes: {attrs}")
    for name in ("mu_star", "mu", "sigma", "mu_star_conf_low", "mu_star_conf_high"):
        check(data[name].shape == (len(metrics), d), f"{name} shape {data[name].shape}")
        check("units" not in fattrs[name] and "metric_units" in fattrs[name].get("comment", ""),
              f"{name}: in each metric's units (see metric_units): {fattrs[name]}")
    with h5py.File(out, "r") as f:
        units = [text_attr(u) for u in f["sensitivity/metric"].attrs["metric_units"]]
        check(len(units) == len(metrics) and units[metrics.index("surface_energy_generated")] == "J",
              f"metric_units lists each metric's units: {units[:5]}")
    unit = np.column_stack([(values[:, i] - lo) / (hi - lo) for i, (lo, hi) in enumerate(SENS_RANGES)])
    grid = unit * 3.0
    check(np.allclose(grid, np.round(grid), atol=1e-9), "every member on the 4-level grid (0, 1/3, 2/3, 1)")
    for name in ("surface_energy_generated", "surface_energy_curtailed"):
        y = summary[name]
        k = metrics.index(name)
        effects = np.zeros((r, d))
        for t in range(r):
            for s in range(1, d + 1):
                before, after = unit[t * (d + 1) + s - 1], unit[t * (d + 1) + s]
                moved = np.flatnonzero(before != after)
                check(len(moved) == 1, f"trajectory {t} step {s}: one parameter moves ({moved})")
                i = moved[0]
                effects[t, i] = (y[t * (d + 1) + s] - y[t * (d + 1) + s - 1]) / (after[i] - before[i])
        check(np.allclose(data["mu_star"][k], np.abs(effects).mean(axis=0), rtol=1e-9)
              and np.allclose(data["mu"][k], effects.mean(axis=0), rtol=1e-9)
              and np.allclose(data["sigma"][k], effects.std(axis=0, ddof=1), rtol=1e-9),
              f"{name}: mu* {data['mu_star'][k]} vs numpy {np.abs(effects).mean(axis=0)}")
        print(f"{name}: mu* {data['mu_star'][k]}, sigma {data['sigma'][k]}")


DESIGN_CSV = (",massdriver.exit_speed [km/s],power.array_area,refinery.route,chain.panel_surface_share\n"
              "0,2.34,2000,mre,0.1\n"
              "1,2.38,2500.5,carbothermal,0.2\n"
              "2,2.42,3000,mre,0.3\n")


def case_sweep_design(work):
    """--design FILE.csv runs exactly the rows given: a unit in the header ([km/s] or (km/s)),
    a bare column in SI, a choice by word, a pandas index column skipped; ';' and quotes as
    OpenTURNS writes them. Bad files (unknown key, bad unit, ragged row, empty, a word for a
    number, an index column elsewhere) and --design mixed with --vary give one line naming
    file:line:column and exit 2, writing nothing."""
    base = ["--set", "run.duration=5d", "--set", "orbit.flight_model=fixed", "--quiet"]
    csv = os.path.join(work, "design.csv")
    with open(csv, "w") as fh:
        fh.write(DESIGN_CSV)
    out = os.path.join(work, "design.h5")
    clean(out)
    proc = run(["sweep", "--design", csv, *base, "-o", out])
    check(proc.returncode == 0, f"design sweep failed: {proc.stderr[-500:]}")
    if proc.returncode == 0:
        with h5py.File(out, "r") as f:
            p = f["parameters"]
            check(int(f.attrs["run_count"]) == 3, "one member per row")
            check(text_attr(f.attrs["sweep_spec"]) == f"--design {csv}", f"sweep_spec: {f.attrs['sweep_spec']}")
            # Exact: each value is the number times the header's unit factor (1000 for km/s), as in a deck.
            check(same_bits(p["massdriver__exit_speed"][()], np.array([2.34, 2.38, 2.42]) * 1000.0),
                  f"km/s column in SI: {p['massdriver__exit_speed'][()]}")
            check(same_bits(p["power__array_area"][()], np.array([2000.0, 2500.5, 3000.0])),
                  "a bare column is SI (m2)")
            check(same_bits(p["chain__panel_surface_share"][()], np.array([0.1, 0.2, 0.3])), "dimensionless column")
            meanings = text_attr(p["refinery__route"].attrs["flag_meanings"]).split()
            words = [meanings[c] for c in p["refinery__route"][()]]
            check(words == ["mre", "carbothermal", "mre"], f"choice column by word: {words}")
            check(text_attr(p["power__array_area"].attrs["deck_key"]) == "power.array_area", "deck_key")
            check("sensitivity" not in f, "a design sweep writes no indices")
            deck = text_attr(f.attrs["deck"])
        # Each member is the run of those values.
        single = os.path.join(work, "design_member1.h5")
        clean(single)
        proc = run(["run", *base, "--set", "massdriver.exit_speed=2.38 km/s", "--set", "power.array_area=2500.5 m2",
                    "--set", "refinery.route=carbothermal", "--set", "chain.panel_surface_share=0.2", "-o", single])
        check(proc.returncode == 0, f"single run: {proc.stderr[-300:]}")
        if proc.returncode == 0:
            a, b = datasets(out), datasets(single)
            check(same_bits(a["orbit/installed_power"][1], b["orbit/installed_power"])
                  and same_bits(a["power/generated"][1], b["power/generated"]), "member 1 equals its single run")
        del deck
    # OpenTURNS' style: ';' separated, quoted names, the unit in parentheses.
    csv2 = os.path.join(work, "design_ot.csv")
    with open(csv2, "w") as fh:
        fh.write('"massdriver.exit_speed (km/s)";"power.array_area"\r\n2.34;2000\r\n2.4;2100\r\n')
    out2 = os.path.join(work, "design_ot.h5")
    clean(out2)
    proc = run(["sweep", "--design", csv2, *base, "-o", out2])
    check(proc.returncode == 0, f"';' design failed: {proc.stderr[-300:]}")
    if proc.returncode == 0:
        with h5py.File(out2, "r") as f:
            check(same_bits(f["parameters/massdriver__exit_speed"][()], np.array([2.34, 2.4]) * 1000.0),
                  "(km/s) header and ';' separator")
    # numpy.savetxt's "# " header, tabs, a spreadsheet's byte-order mark, comment and blank lines.
    csv3 = os.path.join(work, "design_np.csv")
    with open(csv3, "wb") as fh:
        fh.write(b"\xef\xbb\xbf# power.array_area [m2]\tpower.array_efficiency\n2000\t0.3\n# note\n\n2100\t0.31\n")
    out3 = os.path.join(work, "design_np.h5")
    clean(out3)
    proc = run(["sweep", "--design", csv3, *base, "-o", out3])
    check(proc.returncode == 0, f"numpy-style design failed: {proc.stderr[-300:]}")
    if proc.returncode == 0:
        with h5py.File(out3, "r") as f:
            check(same_bits(f["parameters/power__array_efficiency"][()], np.array([0.3, 0.31])),
                  "tab-separated rows, comments and blank lines skipped")
    bad = {
        "bad_key.csv": ("massdriver.exit_sped,power.array_area\n2.34,2000\n", ":1:1:", "exit_speed"),
        "bad_unit.csv": ("power.array_area,massdriver.exit_speed [kg]\n2000,2.34\n", ":1:18:", "kg"),
        "not_unit.csv": ("massdriver.exit_speed [furlongs]\n2.34\n", ":1:1:", "furlongs"),
        "ragged.csv": ("massdriver.exit_speed [km/s],power.array_area\n2.34,2000\n2.38\n", ":3:", "fields"),
        "extra.csv": ("massdriver.exit_speed [km/s],power.array_area\n2.34,2000,7\n", ":2:", "fields"),
        "empty.csv": ("", ":1:1:", "empty"),
        "header_only.csv": ("massdriver.exit_speed [km/s]\n", ":2:1:", "no rows"),
        "word.csv": ("massdriver.exit_speed [km/s],power.array_area\n2.34,big\n", ":2:6:", "big"),
        "range.csv": ("massdriver.exit_speed [km/s]\n9\n", ":2:1:", "massdriver.exit_speed"),
        "route.csv": ("refinery.route\ncabothermal\n", ":2:1:", "cabothermal"),
        "index_late.csv": ("power.array_area,index\n2000,1\n", ":1:", "index"),
    }
    for name, (content, where, needle) in bad.items():
        path = os.path.join(work, name)
        with open(path, "w") as fh:
            fh.write(content)
        target = os.path.join(work, "bad_design.h5")
        clean(target)
        proc = run(["sweep", "--design", path, *base, "-o", target])
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        check(proc.returncode == 2, f"{name}: exit {proc.returncode}, expected 2 ({proc.stderr})")
        check(len(lines) == 1 and (path + where) in lines[0] and needle in lines[0],
              f"{name}: one line naming {path}{where} and {needle!r}: {lines}")
        check(not os.path.exists(target) and not os.path.exists(target + ".partial"), f"{name}: nothing written")
    proc = run(["sweep", "--design", csv, "--samples", "4", *base, "-o", os.path.join(work, "mixed.h5")])
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "--design" in lines[0], f"--design with --samples: {lines}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--mpirun")
    ap.add_argument("case")
    a = ap.parse_args()
    LUNARSIM = a.lunarsim
    work = os.path.join(a.workdir, "work_" + a.case)
    os.makedirs(work, exist_ok=True)
    fn = globals()["case_" + a.case]
    if a.case == "mpi_sweep_equals_openmp":
        fn(work, a.mpirun)
    else:
        fn(work)
    print(f"{a.case}: {len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)
