#!/usr/bin/python3
"""Paper-quality checks of scripts/plot_run.py on a real run (issue 11, "Plots").

- Words: no text of the figure contains a variable's raw name (any dataset name of the
  file with an underscore); the surface power legend is the variables' long names; every
  time panel's y label names a quantity and, but for shares, its unit.
- Titles fit: each panel title lies within its panel, the figure title within the figure,
  also for a file whose name is 150 characters long.
- Formats: --format png/pdf/svg writes all three (PDF and PNG signatures, SVG as XML with
  the titles kept as text); -o NAME.pdf alone writes a PDF.
- Limits: a synthetic one-day burst (1000 times the largest value) in surface power, in the
  delivery rates and in a stock leaves the panel's y limit and unit where they were without
  it (the limit within 5%: the burst moves one sample of the window quantile it comes from)
  and far below the burst, and a marker on the top edge gives the burst's value.

Usage: plots_run_test.py --lunarsim BIN --scripts DIR --workdir DIR
"""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np

FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)
    return cond


def load_plot_run(scripts):
    sys.path.insert(0, scripts)
    spec = importlib.util.spec_from_file_location("plot_run", os.path.join(scripts, "plot_run.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def raw_names(path):
    """Every dataset name of the file that cannot be prose: those with an underscore."""
    names = set()
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: names.add(n.rsplit("/", 1)[-1]) if isinstance(o, h5py.Dataset) else None)
    return sorted(n for n in names if "_" in n)


def figure_texts(fig):
    import matplotlib.text
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def check_words(pr, path):
    import matplotlib.pyplot as plt
    fig = pr.build_dashboard(path)
    fig.canvas.draw()
    texts = figure_texts(fig)
    names = raw_names(path)
    found = sorted({n for n in names for t in texts if re.search(r"(?<![A-Za-z0-9_])" + re.escape(n) + r"(?![A-Za-z0-9_])", t)})
    check(len(names) > 50 and not found, f"raw variable names in the figure's text: {found}")
    with h5py.File(path, "r") as f:
        long_names = {k: f["power"][k].attrs["long_name"].decode() for k in ("generated", "demand", "delivered",
                                                                          "unmet_demand")}
    axes = {a.get_title(): a for a in fig.axes}
    power = axes.get("Surface power")
    if check(power is not None, f"a panel titled 'Surface power' ({sorted(axes)})"):
        legend = sorted(t.get_text() for t in power.get_legend().get_texts())
        want = sorted(pr.sentence(pr.describe(v)) for v in long_names.values())
        check(legend == want, f"surface power legend from long_name: {legend} vs {want}")
        check(power.get_ylabel() in ("Power (W)", "Power (kW)", "Power (MW)", "Power (GW)"),
              f"surface power y label: quantity and unit ({power.get_ylabel()!r})")
    for title, ax in axes.items():
        if ax.get_xlabel().startswith("Years since"):
            label = ax.get_ylabel()
            check(bool(label) and (re.search(r"\(.+\)", label) or label.startswith("Share")),
                  f"panel {title!r}: y label {label!r} names a quantity and its unit")
    plt.close(fig)


def check_titles_fit(pr, path, what):
    import matplotlib.pyplot as plt
    fig = pr.build_dashboard(path)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    for ax in fig.axes:
        for title in (ax.title, ax._left_title, ax._right_title):
            if not title.get_text():
                continue
            box = title.get_window_extent(renderer)
            panel = ax.get_window_extent(renderer)
            # 2 px: antialiasing at the glyph edges
            inside = box.x0 >= panel.x0 - 2 and box.x1 <= panel.x1 + 2
            check(inside and box.x0 >= fig_box.x0 - 2 and box.x1 <= fig_box.x1 + 2,
                  f"{what}: title {title.get_text()!r} spans x {box.x0:.0f}-{box.x1:.0f} px, panel {panel.x0:.0f}-{panel.x1:.0f}")
    sup = fig._suptitle
    if check(sup is not None and sup.get_text(), f"{what}: a figure title"):
        box = sup.get_window_extent(renderer)
        check(box.x0 >= fig_box.x0 and box.x1 <= fig_box.x1,
              f"{what}: figure title {sup.get_text()!r} spans {box.x0:.0f}-{box.x1:.0f} of {fig_box.x1:.0f} px")
    plt.close(fig)


def check_formats(py, script, path, work):
    stem = os.path.join(work, "formats")
    proc = subprocess.run([py, script, path, "-o", stem + ".png", "--format", "png", "--format", "pdf",
                           "--format", "svg"], capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"--format png pdf svg: {proc.stderr[-1500:]}")
    printed = proc.stdout.split()
    for ext, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")):
        out = f"{stem}.{ext}"
        check(out in printed, f"the script prints {out}: {printed}")
        if check(os.path.isfile(out), f"{out} written"):
            with open(out, "rb") as f:
                check(f.read(len(magic)) == magic, f"{out}: {ext.upper()} signature")
            check(os.path.getsize(out) > 10_000, f"{out}: {os.path.getsize(out)} bytes, a real figure is > 10 kB")
    svg = stem + ".svg"
    if check(os.path.isfile(svg) and svg in printed, f"{svg} written and printed"):
        root = ET.parse(svg).getroot()
        check(root.tag.endswith("svg"), f"{svg}: root element {root.tag}")
        body = open(svg, encoding="utf-8").read()
        check("Delivery to orbit" in body and "Surface power" in body, f"{svg}: titles kept as text")
    alone = os.path.join(work, "alone.pdf")
    proc = subprocess.run([py, script, path, "-o", alone], capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0 and proc.stdout.split() == [alone], f"-o NAME.pdf: {proc.stdout!r} {proc.stderr[-500:]}")
    if os.path.isfile(alone):
        with open(alone, "rb") as f:
            check(f.read(5) == b"%PDF-", "-o NAME.pdf writes a PDF")


def burst(path, out, edits):
    """A copy of `path` with `edits` {dataset: function(values) -> values} applied."""
    shutil.copyfile(path, out)
    with h5py.File(out, "r+") as f:
        for name, fn in edits.items():
            f[name][...] = fn(f[name][()])
    return out


def panel_limits(pr, path, panel):
    """(y top of the panel, its y label, the value its off-scale note gives or None) drawn for the file `path`."""
    import matplotlib.pyplot as plt
    lr = pr.lr
    groups = {g: lr.open_group(path, g) for g in ("power", "orbit", "chain", "massdriver")}
    fig, ax = plt.subplots(figsize=(8, 5))
    if panel == "surface power":
        pr.panel_surface_power(ax, groups["power"])
    elif panel == "delivery":
        pr.panel_delivery(ax, groups["orbit"], groups["chain"], groups["massdriver"])
    else:
        pr.panel_stocks(ax, groups["chain"])
    markers = [ln for ln in ax.lines if ln.get_gid() == "off scale"]
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "off scale"]
    top, label = ax.get_ylim()[1], ax.get_ylabel()
    value = None
    if markers and notes:
        m = re.search(r"up to ([-+0-9.e]+)", notes[0])
        value = float(m.group(1)) if m else None
        check(all(ln.get_ydata()[0] == top for ln in markers), "off-scale markers sit on the top edge")
    plt.close(fig)
    return top, label, value


def check_burst(pr, path, work):
    day = 200  # a row well inside the run, in a full window
    with h5py.File(path, "r") as f:
        rows = f["power/generated"].shape[0]
        generated_max = float(np.nanmax(f["power/generated"][()]))
        slag_max = float(np.nanmax(f["chain/slag_stock"][()]))
    t = np.arange(rows) / rows

    def spike(values, peak):
        v = values.copy()
        v[day] = peak
        return v

    # Surface power: one day of 1000 times the largest output.
    cases = [("surface power", {}, {"power/generated": lambda v: spike(v, 1000 * generated_max)},
              1000 * generated_max / 1e6)]
    # Delivery: a smooth ramp to ~32 t/yr in every delivery rate (the default's first two years deliver
    # nothing), then one day of 1000 times its end in the caught rate.
    ramp = {n: (lambda v: 1e-3 * t) for n in ("orbit/capture_rate", "orbit/arrival_rate", "massdriver/mass_launch_rate")}
    cases.append(("delivery", ramp, {"orbit/capture_rate": lambda v: spike(1e-3 * t, 1.0)}, 1.0 * 365.25 * 86400 / 1e3))
    # Stocks (log axis): one day of 10^4 times the largest slag stock.
    cases.append(("stocks", {}, {"chain/slag_stock": lambda v: spike(v, 1e4 * slag_max)}, 1e4 * slag_max / 1e3))
    for panel, base_edits, spike_edits, spike_value in cases:
        base = burst(path, os.path.join(work, f"base_{panel.replace(' ', '_')}.h5"), base_edits)
        spiked = burst(base, os.path.join(work, f"burst_{panel.replace(' ', '_')}.h5"), spike_edits)
        top, label, inset = panel_limits(pr, base, panel)
        top_b, label_b, inset_b = panel_limits(pr, spiked, panel)
        check(label_b == label, f"{panel}: a one-day burst changed the axis label (unit) from {label!r} to {label_b!r}")
        check(abs(top_b / top - 1.0) <= 0.05,
              f"{panel}: a one-day burst moved the y limit from {top:.4g} to {top_b:.4g} (allowed: 5%)")
        check(top_b < spike_value / 50, f"{panel}: y limit {top_b:.4g} stays far below the burst {spike_value:.4g}")
        check(inset is None, f"{panel}: no off-scale mark without the burst (its values all fit)")
        # the note gives 3 significant figures: 0.5% relative
        check(inset_b is not None and abs(inset_b / spike_value - 1.0) <= 5e-3,
              f"{panel}: the off-scale note gives the burst's value ({inset_b} vs {spike_value:.4g})")
        print(f"{panel}: y limit {top:.4g} without the burst, {top_b:.4g} with it; off scale up to {inset_b}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--scripts", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    import matplotlib  # an ImportError fails the test (no skip)
    matplotlib.use("Agg")
    work = os.path.join(args.workdir, "work_plots_run")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    path = os.path.join(work, "run.h5")
    proc = subprocess.run([args.lunarsim, "run", "-o", path, "--set", "run.duration=2yr", "--quiet"],
                          capture_output=True, text=True, timeout=600)
    if not check(proc.returncode == 0, f"lunarsim run: {proc.stderr}"):
        return 1
    pr = load_plot_run(args.scripts)
    check_words(pr, path)
    check_titles_fit(pr, path, "run.h5")
    long_name = os.path.join(work, "a_run_with_a_name_long_enough_to_overflow_any_title_" + "x" * 96 + ".h5")
    shutil.copyfile(path, long_name)
    check_titles_fit(pr, long_name, "150-character file name")
    check_formats(sys.executable, os.path.join(args.scripts, "plot_run.py"), path, work)
    check_burst(pr, path, work)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed; files kept in {work}", file=sys.stderr)
        return 1
    print("all run-plot checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
