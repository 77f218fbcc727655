#!/usr/bin/python3
"""scripts/plot_sweep.py on real Sobol' and Morris sweeps (issue 11, "Designs and sensitivity",
"Plots").

- The sensitivity figure draws the file's numbers: each S1 and ST bar is as long as the index
  in /sensitivity and its whisker spans the stored confidence bounds (exact: the script only
  subtracts and adds them back, a few ulps); each Morris point sits at (mu*, sigma) over the
  display unit's factor (1e-12 relative).
- Words: no text of any sweep figure holds a raw name of the file (a parameter's variable
  name or deck key, a metric's name); every axis label is a long name (and unit).
- Titles fit: every panel title and the figure title lie within the figure.
- Formats: --format png, pdf and svg write PNG, PDF and SVG (XML, titles kept as text).

Usage: plots_sweep_test.py --lunarsim BIN --scripts DIR --workdir DIR
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import h5py
import numpy as np

FAILURES = []
SHORT = ["--set", "run.duration=30d", "--set", "orbit.flight_model=fixed", "--quiet"]
VARY = ["--vary", "power.array_area=2000m2:3000m2", "--vary", "power.array_efficiency=0.25:0.32"]


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)
    return cond


def load(scripts):
    spec = importlib.util.spec_from_file_location("plot_sweep", os.path.join(scripts, "plot_sweep.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, scripts)
    spec.loader.exec_module(mod)
    return mod


def raw_names(path):
    """Names a reader of the figure should never meet: variables, deck keys, metric names."""
    names = set()
    with h5py.File(path, "r") as f:
        for g in ("parameters", "summary"):
            for k, d in f[g].items():
                if k != "run":
                    names.add(k)
                    if "deck_key" in d.attrs:
                        key = d.attrs["deck_key"]
                        names.add(key.decode() if isinstance(key, bytes) else key)
    return {n for n in names if "_" in n or "." in n}


def figure_texts(fig):
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return [t for t in texts if t]


def check_words_and_fit(fig, names, what):
    import matplotlib
    texts = figure_texts(fig)
    bad = sorted({n for n in names for t in texts if n in t})
    check(not bad, f"{what}: raw names in the figure's text: {bad}")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    titles = [ax.title for ax in fig.axes if ax.get_visible() and ax.title.get_text()]
    if fig._suptitle is not None:
        titles.append(fig._suptitle)
    for t in titles:
        e = t.get_window_extent(renderer)
        check(e.x0 >= box.x0 - 1 and e.x1 <= box.x1 + 1 and e.y1 <= box.y1 + 1,
              f"{what}: title {t.get_text()[:40]!r} leaves the figure ({e} vs {box})")
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for label in (ax.get_xlabel(), ax.get_ylabel()):
            check(label == "" or " " in label or label.islower(), f"{what}: axis label {label!r} reads as a name")
    del matplotlib


def check_formats(py, script, path, prefix, names):
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", None)):
        proc = subprocess.run([py, script, path, "-o", prefix, "--format", fmt], capture_output=True, text=True)
        check(proc.returncode == 0, f"--format {fmt}: {proc.stderr[-300:]}")
        for part in names:
            out = f"{prefix}_{part}.{fmt}"
            if not check(os.path.isfile(out) and out in proc.stdout.split(), f"{out} written and printed"):
                continue
            head = open(out, "rb").read(8)
            if magic:
                check(head.startswith(magic), f"{out}: a {fmt.upper()} file")
            else:
                root = ET.parse(out).getroot()
                words = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
                check(root.tag.endswith("svg") and len(words) > 20, f"{out}: SVG with its words as text")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--scripts", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="plots_sweep_", dir=args.workdir)
    script = os.path.join(args.scripts, "plot_sweep.py")
    ps = load(args.scripts)
    ps.KEEP_OPEN = True
    import matplotlib.pyplot as plt

    sobol = os.path.join(tmp, "sobol.h5")
    proc = subprocess.run([args.lunarsim, "sweep", "--method", "sobol", "--samples", "8", *VARY, *SHORT, "-o", sobol],
                          capture_output=True, text=True)
    check(proc.returncode == 0, f"sobol sweep: {proc.stderr[-300:]}")
    morris = os.path.join(tmp, "morris.h5")
    proc = subprocess.run([args.lunarsim, "sweep", "--method", "morris", "--samples", "4", *VARY, *SHORT, "-o",
                           morris], capture_output=True, text=True)
    check(proc.returncode == 0, f"morris sweep: {proc.stderr[-300:]}")
    if FAILURES:
        return 1

    # Sobol': the bars and whiskers are the file's numbers.
    sweep = ps.read_sweep(sobol)
    ix = sweep.indices
    plt.close("all")
    chosen = ps.plot_sensitivity(sweep, os.path.join(tmp, "s.png"))
    fig = plt.gcf()
    check(len(chosen) >= 1 and all(ix.reason[m] == "computed" for m in chosen),
          f"metrics with indices are drawn first ({chosen})")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    for m, ax in zip(chosen, panels):
        k = ix.metrics.index(m)
        bars = [p for p in ax.patches if hasattr(p, "get_width")]
        widths = sorted(round(b.get_width(), 12) for b in bars)
        want = sorted(round(v, 12) for v in np.concatenate([ix.fields["S1"][k], ix.fields["ST"][k]]))
        check(widths == want, f"{m}: bar lengths {widths} are S1 and ST {want}")
        ends = []
        for coll in ax.collections:
            for seg in coll.get_segments():
                ends.append((round(min(seg[:, 0]), 9), round(max(seg[:, 0]), 9)))
        for name in ("S1", "ST"):
            for i in range(len(ix.params)):
                lo, hi = ix.fields[name + "_conf_low"][k][i], ix.fields[name + "_conf_high"][k][i]
                est = ix.fields[name][k][i]
                want_end = (round(min(lo, est), 9), round(max(hi, est), 9))
                check(want_end in ends, f"{m} {name}[{i}]: a whisker from {want_end[0]} to {want_end[1]} ({ends})")
    names = raw_names(sobol)
    check_words_and_fit(fig, names, "sobol sensitivity figure")
    plt.close("all")
    ps.plot_metrics(sweep, os.path.join(tmp, "m.png"))
    check_words_and_fit(plt.gcf(), names, "metrics figure")
    plt.close("all")
    ps.plot_tornado(sweep, "surface_energy_generated", "auto", os.path.join(tmp, "t.png"))
    check_words_and_fit(plt.gcf(), names, "tornado figure")
    plt.close("all")
    check_formats(sys.executable, script, sobol, os.path.join(tmp, "sobol"), ("metrics", "tornado", "sensitivity"))
    # A metric without indices (never reached in 30 days) says why instead of drawing bars.
    chosen = ps.plot_sensitivity(sweep, os.path.join(tmp, "nan.png"), ["time_to_1_GW_per_year"])
    texts = figure_texts(plt.gcf())
    check(chosen == ["time_to_1_GW_per_year"] and any("not reached" in t for t in texts),
          f"a metric without indices says why: {texts}")
    plt.close("all")
    proc = subprocess.run([sys.executable, script, sobol, "-o", os.path.join(tmp, "x"), "--sensitivity-metric",
                           "no_such_metric"], capture_output=True, text=True)
    check(proc.returncode == 2 and "no_such_metric" in proc.stderr, f"an unknown metric is refused: {proc.stderr}")

    # Morris: each point at (mu*, sigma) in the display unit.
    sweep = ps.read_sweep(morris)
    ix = sweep.indices
    chosen = ps.plot_sensitivity(sweep, os.path.join(tmp, "mo.png"))
    fig = plt.gcf()
    for m, ax in zip(chosen, [a for a in fig.axes if a.get_visible()]):
        k = ix.metrics.index(m)
        star, sigma = ix.fields["mu_star"][k], ix.fields["sigma"][k]
        div, _ = ps.lr.display_scale(ix.metric_units[m], np.concatenate([star, sigma]))
        line = ax.lines[0]
        check(np.allclose(line.get_xdata(), star / div, rtol=1e-12) and
              np.allclose(line.get_ydata(), sigma / div, rtol=1e-12), f"{m}: points at (mu*, sigma)")
    check_words_and_fit(fig, raw_names(morris), "morris sensitivity figure")
    plt.close("all")
    check_formats(sys.executable, script, morris, os.path.join(tmp, "morris"), ("sensitivity",))
    print(f"plots_sweep: {len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
