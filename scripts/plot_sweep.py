#!/usr/bin/python3
"""Summary metrics of a lunarsim sweep against its varied parameters.

    plot_sweep.py SWEEP.h5 [-o PREFIX] [--metric NAME] [--method auto|grid|regression|spearman]

Writes PREFIX_metrics.png (each summary metric against each varied parameter)
and PREFIX_tornado.png (sensitivity of one metric to each parameter) and
prints both paths.  PREFIX defaults to the sweep file's stem.

Sensitivity: a full-factorial grid gives, per parameter, the metric averaged
over all other parameters at the parameter's highest value minus at its
lowest.  Any other design (Latin hypercube, random) uses a multiple linear
regression of the metric on all parameters (choices as indicator columns):
slope x sampled range.  --method spearman shows Spearman rank correlations.
For a choice parameter the bar spans the category with the lowest to the one
with the highest (adjusted) mean.
"""
import argparse
import os
import sys
from collections import namedtuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import numpy as np  # noqa: E402

import lsim_read as lr  # noqa: E402

IMPORTANT_METRICS = [
    "installed_orbital_power", "peak_delivery_per_year", "time_to_1_GW_per_year",
    "energy_per_kg_delivered", "earth_mass_leverage", "growth_limited_by_earth_parts_share",
]
MAX_METRICS = 8

Param = namedtuple("Param", "name values units long_name")
Sensitivity = namedtuple("Sensitivity", "name delta low_effect high_effect low_label high_label method kind")


class Sweep:
    def __init__(self, n_run, numeric, choices, metrics, attrs):
        self.n_run = n_run
        self.numeric = numeric      # name -> Param (float array)
        self.choices = choices      # name -> Param (array of str)
        self.metrics = metrics      # name -> (float array, units, long_name)
        self.attrs = attrs

    @property
    def params(self):
        return list(self.numeric.values()) + list(self.choices.values())


def _read_param(name, ds):
    """(Param, is_choice).  Choices come either as CF categorical codes
    (int with flag_values / flag_meanings, what lunarsim writes) or as
    variable-length strings."""
    long_name = lr.text(ds.attrs.get("long_name")) or name
    if ds.dtype.kind in "OSU" or h5py.check_string_dtype(ds.dtype) is not None:
        vals = np.array([lr.text(v) for v in ds[()]], dtype=object)
        return Param(name, vals, "", long_name), True
    if "flag_meanings" in ds.attrs:
        meanings = lr.text(ds.attrs["flag_meanings"]).split()
        flags = [int(v) for v in np.atleast_1d(ds.attrs.get("flag_values", np.arange(len(meanings))))]
        lookup = dict(zip(flags, meanings))
        vals = np.array([lookup.get(int(c), f"code {int(c)}") for c in ds[()]], dtype=object)
        return Param(name, vals, "", long_name), True
    return Param(name, np.asarray(ds[()], dtype=float), lr.text(ds.attrs.get("units")), long_name), False


def _param_source(f):
    if "parameters" in f:
        return f["parameters"]
    for g in f.values():
        if isinstance(g, h5py.Group) and g.name != "/summary" and "run" in g:
            return g
    return None


def read_sweep(path):
    """Parameters from /parameters (else from the (run) datasets of the first
    module group), metrics from /summary (minus the parameter columns it also
    carries).  Constant parameters are dropped: they were not varied."""
    numeric, choices, metrics = {}, {}, {}
    with h5py.File(path, "r") as f:
        attrs = {k: (lr.text(v) if isinstance(v, (bytes, np.bytes_, str)) else v) for k, v in f.attrs.items()}
        n_run = int(attrs.get("run_count", 0)) or None
        if n_run is None and "summary" in f and "run" in f["summary"]:
            n_run = f["summary/run"].shape[0]
        source = _param_source(f)
        all_params = set()
        if source is not None:
            for key, ds in source.items():
                if not isinstance(ds, h5py.Dataset) or key in ("run", "time") or ds.ndim != 1:
                    continue
                if n_run is not None and ds.shape[0] != n_run:
                    continue
                all_params.add(key)
                p, is_choice = _read_param(key, ds)
                if len(set(p.values.tolist())) < 2:
                    continue
                (choices if is_choice else numeric)[key] = p
        if "summary" in f:
            for key, ds in f["summary"].items():
                if (not isinstance(ds, h5py.Dataset) or key == "run" or key in all_params or ds.ndim != 1
                        or ds.dtype.kind not in "fiu" or "flag_meanings" in ds.attrs):
                    continue
                metrics[key] = (np.asarray(ds[()], dtype=float), lr.text(ds.attrs.get("units")),
                                lr.text(ds.attrs.get("long_name")) or key)
                n_run = n_run or ds.shape[0]
    return Sweep(n_run or 0, numeric, choices, metrics, attrs)


# ---- sensitivities -----------------------------------------------------------

def is_full_grid(sweep):
    params = sweep.params
    if not params:
        return False
    levels = [len(set(p.values.tolist())) for p in params]
    combos = set(zip(*[p.values.tolist() for p in params]))
    return int(np.prod(levels)) == sweep.n_run and len(combos) == sweep.n_run


def _fmt_value(p, v):
    if isinstance(v, str):
        return v
    div, unit = lr.display_scale(p.units, p.values)
    return f"{v / div:.4g} {unit}".rstrip()


def _grid(sweep, y):
    out = []
    mean_all = np.nanmean(y)
    for p in sweep.numeric.values():
        lo, hi = np.min(p.values), np.max(p.values)
        m_lo = np.nanmean(y[p.values == lo])
        m_hi = np.nanmean(y[p.values == hi])
        out.append(Sensitivity(p.name, m_hi - m_lo, m_lo - mean_all, m_hi - mean_all,
                               _fmt_value(p, lo), _fmt_value(p, hi), "grid", "numeric"))
    for p in sweep.choices.values():
        cats = sorted(set(p.values.tolist()))
        means = {c: np.nanmean(y[p.values == c]) for c in cats}
        worst = min(cats, key=lambda c: means[c])
        best = max(cats, key=lambda c: means[c])
        out.append(Sensitivity(p.name, means[best] - means[worst], means[worst] - mean_all,
                               means[best] - mean_all, worst, best, "grid", "choice"))
    return out


def _design(sweep, rows):
    """Columns: intercept, numeric parameters, indicators of non-baseline categories."""
    cols = [np.ones(rows.sum())]
    names = [None]
    for p in sweep.numeric.values():
        cols.append(p.values[rows])
        names.append((p.name, None))
    for p in sweep.choices.values():
        for c in sorted(set(p.values.tolist()))[1:]:
            cols.append((p.values[rows] == c).astype(float))
            names.append((p.name, c))
    return np.column_stack(cols), names


def _regression(sweep, y):
    rows = np.isfinite(y)
    X, names = _design(sweep, rows)
    out = []
    if rows.sum() > X.shape[1]:
        # Scale columns so lstsq is well conditioned whatever the units.
        scale = np.where(np.ptp(X, axis=0) > 0, np.ptp(X, axis=0), 1.0)
        coef, *_ = np.linalg.lstsq(X / scale, y[rows], rcond=None)
        coef = coef / scale
        method = "regression"
        by_name = dict(zip(names[1:], coef[1:]))
    else:
        by_name = None
        method = "simple regression"
    for p in sweep.numeric.values():
        x = p.values[rows]
        if by_name is not None:
            slope = by_name[(p.name, None)]
        else:
            slope = np.polyfit(x, y[rows], 1)[0] if np.ptp(x) > 0 else 0.0
        lo, hi, xm = np.min(p.values), np.max(p.values), np.mean(x)
        out.append(Sensitivity(p.name, slope * (hi - lo), slope * (lo - xm), slope * (hi - xm),
                               _fmt_value(p, lo), _fmt_value(p, hi), method, "numeric"))
    for p in sweep.choices.values():
        cats = sorted(set(p.values.tolist()))
        if by_name is not None:
            eff = {c: (0.0 if i == 0 else by_name[(p.name, c)]) for i, c in enumerate(cats)}
        else:
            eff = {c: np.nanmean(y[rows][p.values[rows] == c]) for c in cats}
        mean_eff = np.mean(list(eff.values()))
        worst = min(cats, key=lambda c: eff[c])
        best = max(cats, key=lambda c: eff[c])
        out.append(Sensitivity(p.name, eff[best] - eff[worst], eff[worst] - mean_eff,
                               eff[best] - mean_eff, worst, best, method, "choice"))
    return out


def _spearman(sweep, y):
    from scipy.stats import spearmanr
    rows = np.isfinite(y)
    out = []
    for p in sweep.numeric.values():
        rho = spearmanr(p.values[rows], y[rows])[0] if rows.sum() > 2 else np.nan
        rho = 0.0 if not np.isfinite(rho) else float(rho)
        out.append(Sensitivity(p.name, rho, min(rho, 0.0), max(rho, 0.0),
                               _fmt_value(p, np.min(p.values)), _fmt_value(p, np.max(p.values)),
                               "spearman", "numeric"))
    return out


def sensitivities(sweep, y, method="auto"):
    """Sensitivity of metric values `y` (one per run) to each varied parameter,
    sorted by magnitude (largest first)."""
    y = np.asarray(y, dtype=float)
    if method == "auto":
        method = "grid" if is_full_grid(sweep) else "regression"
    if method == "grid":
        res = _grid(sweep, y)
    elif method == "regression":
        res = _regression(sweep, y)
    elif method == "spearman":
        res = _spearman(sweep, y)
    else:
        raise ValueError(f"unknown method {method!r}")
    return sorted(res, key=lambda s: -abs(s.delta) if np.isfinite(s.delta) else 0.0)


METHOD_TITLES = {
    "grid": "full grid: mean at highest minus mean at lowest value, averaged over the other parameters",
    "regression": "linear regression on all parameters: slope x sampled range",
    "simple regression": "one-parameter linear regression (too few runs for all at once): slope x range",
    "spearman": "Spearman rank correlation of metric and parameter",
}


# ---- figures -----------------------------------------------------------------

def choose_metrics(sweep):
    names = list(sweep.metrics)
    if len(names) > MAX_METRICS:
        names = [m for m in IMPORTANT_METRICS if m in sweep.metrics] or names[:MAX_METRICS]
    return names


def _axis_label(name, units, values):
    div, unit = lr.display_scale(units, values)
    return div, (f"{name}\n[{unit}]" if unit else name)


def plot_metrics(sweep, out):
    metrics = choose_metrics(sweep)
    params = sweep.params
    nrow, ncol = max(len(metrics), 1), max(len(params), 1)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol + 1.8, 2.5 * nrow + 1.2),
                             squeeze=False, constrained_layout=True)
    colour_by = next(iter(sweep.choices.values()), None)
    cats = sorted(set(colour_by.values.tolist())) if colour_by is not None else []
    palette = {c: plt.get_cmap("tab10")(i % 10) for i, c in enumerate(cats)}
    colours = [palette[c] for c in colour_by.values] if colour_by is not None else "tab:blue"
    any_nan = False
    for i, m in enumerate(metrics):
        y, units, long_name = sweep.metrics[m]
        div, ylabel = _axis_label(m, units, y)
        finite = np.isfinite(y)
        for j, p in enumerate(params):
            ax = axes[i, j]
            if p.name in sweep.choices:
                levels = sorted(set(p.values.tolist()))
                pos = np.array([levels.index(v) for v in p.values], dtype=float)
                # spread coincident points so repeated runs stay visible
                for lv in range(len(levels)):
                    idx = np.flatnonzero(pos == lv)
                    if idx.size > 1:
                        pos[idx] += np.linspace(-0.15, 0.15, idx.size)
                x = pos
                ax.set_xticks(range(len(levels)))
                ax.set_xticklabels(levels, rotation=20 if len(levels) > 3 else 0)
                ax.set_xlim(-0.5, len(levels) - 0.5)
                xlabel = p.name
            else:
                xdiv, xlabel = _axis_label(p.name, p.units, p.values)
                xlabel = xlabel.replace("\n", " ")
                x = p.values / xdiv
                pad = 0.06 * (np.max(x) - np.min(x))
                ax.set_xlim(np.min(x) - pad, np.max(x) + pad)  # NaN runs too: they are drawn outside autoscale
            c = np.array(colours, dtype=object)[finite] if colour_by is not None else colours
            ax.scatter(x[finite], y[finite] / div, c=list(c) if colour_by is not None else c,
                       s=28, edgecolor="k", linewidth=0.4, zorder=3)
            if (~finite).any():
                any_nan = True
                trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
                ax.scatter(x[~finite], np.full((~finite).sum(), 0.97), marker="x", color="tab:red",
                           transform=trans, s=30, zorder=4, clip_on=False)
            if finite.any() and (y[finite] > 0).all() and np.ptp(np.log10(y[finite])) >= 2:
                ax.set_yscale("log")
            if not finite.any():
                ax.text(0.5, 0.5, "not reached in any run", transform=ax.transAxes,
                        ha="center", va="center", fontsize=8, color="0.4")
            ax.grid(True, alpha=0.3)
            if i == nrow - 1:
                ax.set_xlabel(xlabel)
            if j == 0:
                ax.set_ylabel(ylabel, fontsize=9)
            ax.tick_params(labelsize=8)
    handles = []
    if colour_by is not None:
        handles += [plt.Line2D([], [], ls="", marker="o", mfc=palette[c], mec="k", label=c) for c in cats]
    if any_nan:
        handles.append(plt.Line2D([], [], ls="", marker="x", color="tab:red", label="not reached (NaN)"))
    if handles:
        axes[0, -1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                           title=colour_by.name if colour_by is not None else None, fontsize=8)
    fig.suptitle(f"Sweep {os.path.basename(sweep.attrs.get('_path', ''))}: {sweep.n_run} runs, "
                 f"summary metrics against varied parameters", fontsize=12)
    fig.savefig(out, dpi=90)
    plt.close(fig)


def plot_tornado(sweep, metric, method, out):
    y, units, long_name = sweep.metrics[metric]
    sens = sensitivities(sweep, y, method)
    used = sens[0].method if sens else method
    spearman = used == "spearman"
    div, unit = (1.0, "") if spearman else lr.display_scale(units, y)
    fig, ax = plt.subplots(figsize=(11, 1.0 + 0.75 * max(len(sens), 2)), constrained_layout=True)
    if not sens:
        ax.text(0.5, 0.5, "no varied parameters", transform=ax.transAxes, ha="center")
    ypos = np.arange(len(sens))[::-1]
    span = max([abs(s.low_effect) for s in sens] + [abs(s.high_effect) for s in sens] + [1e-300]) / div
    for yp, s in zip(ypos, sens):
        lo, hi = s.low_effect / div, s.high_effect / div
        hatch = "//" if s.kind == "choice" else None
        if spearman:
            ax.barh(yp, hi + lo, color="tab:green" if s.delta >= 0 else "tab:red", height=0.6,
                    edgecolor="k", linewidth=0.5)
        else:
            ax.barh(yp, lo, color="tab:blue", height=0.6, hatch=hatch, edgecolor="k", linewidth=0.5)
            ax.barh(yp, hi, color="tab:orange", height=0.6, hatch=hatch, edgecolor="k", linewidth=0.5)
            ax.text(lo - 0.02 * span if lo < 0 else lo + 0.02 * span, yp, s.low_label,
                    ha="right" if lo < 0 else "left", va="center", fontsize=8, color="navy")
            ax.text(hi + 0.02 * span if hi >= 0 else hi - 0.02 * span, yp, s.high_label,
                    ha="left" if hi >= 0 else "right", va="center", fontsize=8, color="saddlebrown")
        change = f"{s.delta:+.3g}" if spearman else f"{s.delta / div:+.3g} {unit}"
        ax.text(1.01, yp, change, transform=mtransforms.blended_transform_factory(ax.transAxes, ax.transData),
                va="center", fontsize=9)
    ax.set_yticks(ypos)
    ax.set_yticklabels([s.name + (" (choice)" if s.kind == "choice" else "") for s in sens])
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlim(-1.35 * span, 1.35 * span) if not spearman else ax.set_xlim(-1.05, 1.05)
    ax.grid(True, axis="x", alpha=0.3)
    if spearman:
        ax.set_xlabel(f"Spearman rank correlation with {metric} [-]")
    else:
        ax.set_xlabel(f"change of {metric} from its sweep mean [{unit}]" if unit else
                      f"change of {metric} from its sweep mean [-]")
        handles = [plt.Rectangle((0, 0), 1, 1, fc="tab:blue", ec="k", label="at parameter's lowest value"),
                   plt.Rectangle((0, 0), 1, 1, fc="tab:orange", ec="k", label="at parameter's highest value")]
        if any(s.kind == "choice" for s in sens):
            handles.append(plt.Rectangle((0, 0), 1, 1, fc="white", ec="k", hatch="//",
                                         label="choice (hatched): blue worst, orange best category"))
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.3 / len(sens)),
                  ncol=len(handles), frameon=False)
    nan_runs = int((~np.isfinite(y)).sum())
    title = (f"Sensitivity of {metric} ({long_name})\n"
             f"method: {METHOD_TITLES.get(used, used)}")
    if nan_runs:
        title += f"\n{nan_runs} of {len(y)} runs without a value (not reached) left out"
    ax.set_title(title, fontsize=10)
    ax.text(1.01, 1.0, "rho" if spearman else "total change", transform=ax.transAxes, fontsize=8, va="bottom", color="0.3")
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return sens


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("sweep", help="lunarsim sweep file (HDF5)")
    ap.add_argument("-o", "--output", help="prefix of the PNGs (default: sweep file stem)")
    ap.add_argument("--metric", default="installed_orbital_power", help="summary metric of the tornado chart")
    ap.add_argument("--method", default="auto", choices=["auto", "grid", "regression", "spearman"],
                    help="sensitivity measure (auto: grid for full factorials, else regression)")
    args = ap.parse_args(argv)
    if not os.path.exists(args.sweep):
        print(f"plot_sweep.py: {args.sweep}: no such file", file=sys.stderr)
        return 2
    try:
        sweep = read_sweep(args.sweep)
    except OSError as e:
        print(f"plot_sweep.py: {args.sweep}: {e}", file=sys.stderr)
        return 1
    sweep.attrs["_path"] = args.sweep
    if not sweep.metrics:
        print(f"plot_sweep.py: {args.sweep}: no /summary metrics of shape (run)", file=sys.stderr)
        return 1
    if args.metric not in sweep.metrics:
        print(f"plot_sweep.py: no summary metric {args.metric!r}; have: {', '.join(sweep.metrics)}",
              file=sys.stderr)
        return 2
    if args.method == "grid" and not is_full_grid(sweep):
        print("plot_sweep.py: --method grid needs a full-factorial sweep", file=sys.stderr)
        return 2
    prefix = args.output or os.path.splitext(args.sweep)[0]
    metrics_png, tornado_png = prefix + "_metrics.png", prefix + "_tornado.png"
    plot_metrics(sweep, metrics_png)
    print(metrics_png)
    plot_tornado(sweep, args.metric, args.method, tornado_png)
    print(tornado_png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
