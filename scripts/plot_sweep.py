#!/usr/bin/python3
"""Summary metrics of a lunarsim sweep against its varied parameters.

    plot_sweep.py SWEEP.h5 [-o PREFIX] [--metric NAME] [--method auto|grid|regression|spearman]
                  [--sensitivity-metric NAME]... [--format png|pdf|svg]

Writes PREFIX_metrics.FMT (each summary metric against each varied parameter)
and PREFIX_tornado.FMT (sensitivity of one metric to each parameter) and, for
a Sobol' or Morris sweep, PREFIX_sensitivity.FMT (S1 and ST bars with their
confidence intervals per parameter, or Morris mu* against sigma, for the
chosen metrics), and prints the paths.  PREFIX defaults to the sweep file's
stem; FMT is png (default), pdf or svg.  Axis labels are the variables'
long names and units, never their names in the file.

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
import textwrap
from collections import namedtuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # SVG keeps its words as text (searchable, editable)
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


Indices = namedtuple("Indices", "method metrics params fields reason attrs metric_units")


class Sweep:
    def __init__(self, n_run, numeric, choices, metrics, attrs, indices=None):
        self.n_run = n_run
        self.numeric = numeric      # deck key -> Param (float array)
        self.choices = choices      # deck key -> Param (array of str)
        self.metrics = metrics      # name -> (float array, units, long_name)
        self.attrs = attrs
        self.indices = indices      # /sensitivity, or None

    def param(self, key):
        return self.numeric.get(key) or self.choices.get(key)

    @property
    def params(self):
        return list(self.numeric.values()) + list(self.choices.values())


def _read_param(name, ds):
    """(Param, is_choice).  Choices come either as CF categorical codes
    (int with flag_values / flag_meanings, what lunarsim writes) or as
    variable-length strings.  The variable is named CF-validly
    ("massdriver__exit_speed"); its deck key is the attribute deck_key
    (files written before named the variable by the deck key)."""
    name = lr.text(ds.attrs.get("deck_key")) or name
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
                (choices if is_choice else numeric)[p.name] = p
        if "summary" in f:
            for key, ds in f["summary"].items():
                if (not isinstance(ds, h5py.Dataset) or key == "run" or key in all_params or ds.ndim != 1
                        or ds.dtype.kind not in "fiu" or "flag_meanings" in ds.attrs or "deck_key" in ds.attrs):
                    continue
                metrics[key] = (np.asarray(ds[()], dtype=float), lr.text(ds.attrs.get("units")),
                                lr.text(ds.attrs.get("long_name")) or key)
                n_run = n_run or ds.shape[0]
        indices = _read_indices(f["sensitivity"]) if "sensitivity" in f else None
    return Sweep(n_run or 0, numeric, choices, metrics, attrs, indices)


def _read_indices(g):
    """/sensitivity: the (metric, parameter) arrays, with the names its int32 scales
    `metric` and `parameter` give in flag_meanings."""
    metrics = lr.text(g["metric"].attrs["flag_meanings"]).split()
    params = lr.text(g["parameter"].attrs["flag_meanings"]).split()
    units = [lr.text(u) for u in np.atleast_1d(g["metric"].attrs.get("metric_units", [""] * len(metrics)))]
    fields = {k: np.asarray(d[()], dtype=float) for k, d in g.items()
              if isinstance(d, h5py.Dataset) and d.ndim == 2}
    reason_words = lr.text(g["reason"].attrs.get("flag_meanings", "")).split()
    reason = [reason_words[c] if 0 <= c < len(reason_words) else str(c) for c in g["reason"][()]]
    attrs = {k: (lr.text(v) if isinstance(v, (bytes, np.bytes_, str)) else v) for k, v in g.attrs.items()}
    return Indices(lr.text(g.attrs.get("method")), metrics, params, fields, dict(zip(metrics, reason)), attrs,
                   dict(zip(metrics, units)))


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


# Tests set this to keep the figures open for inspection after they are saved.
KEEP_OPEN = False


def _done(fig):
    if not KEEP_OPEN:
        plt.close(fig)


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


def short_text(long_name, width=34):
    """A long name fit for an axis: up to its first ';' or parenthesis, wrapped."""
    text = str(long_name).split(";")[0]
    if " (" in text:
        text = text.split(" (")[0]
    return "\n".join(textwrap.wrap(text.strip(), width)) or str(long_name)


def _axis_label(long_name, units, values, width=34):
    """(divisor, label): the long name (never the variable's name) and the display unit."""
    div, unit = lr.display_scale(units, values)
    text = short_text(long_name, width)
    return div, (f"{text} [{unit}]" if unit else text)


def _title(text, fig, fontsize):
    """`text` wrapped to the figure's width (about 0.6 em per character)."""
    chars = max(30, int(fig.get_figwidth() * 72 / (0.6 * fontsize)))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


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
        div, ylabel = _axis_label(long_name, units, y, width=26)
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
                xlabel = short_text(p.long_name, 30)
            else:
                xdiv, xlabel = _axis_label(p.long_name, p.units, p.values, width=30)
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
                           title=short_text(colour_by.long_name, 24) if colour_by is not None else None, fontsize=8)
    fig.suptitle(_title(f"Summary metrics of {sweep.n_run} sweep members against the varied parameters", fig, 12),
                 fontsize=12)
    fig.savefig(out, dpi=90)
    _done(fig)


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
    ax.set_yticklabels([short_text(sweep.param(s.name).long_name, 30) + (" (choice)" if s.kind == "choice" else "")
                        for s in sens], fontsize=9)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlim(-1.35 * span, 1.35 * span) if not spearman else ax.set_xlim(-1.05, 1.05)
    ax.grid(True, axis="x", alpha=0.3)
    what = short_text(long_name, 60).replace("\n", " ")
    if spearman:
        ax.set_xlabel(f"Spearman rank correlation with {what} [1]")
    else:
        ax.set_xlabel(f"change of {what} from its sweep mean [{unit or '1'}]")
        handles = [plt.Rectangle((0, 0), 1, 1, fc="tab:blue", ec="k", label="at parameter's lowest value"),
                   plt.Rectangle((0, 0), 1, 1, fc="tab:orange", ec="k", label="at parameter's highest value")]
        if any(s.kind == "choice" for s in sens):
            handles.append(plt.Rectangle((0, 0), 1, 1, fc="white", ec="k", hatch="//",
                                         label="choice (hatched): blue worst, orange best category"))
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16 - 0.3 / len(sens)),
                  ncol=len(handles), frameon=False)
    nan_runs = int((~np.isfinite(y)).sum())
    title = (f"Sensitivity of {what}\n"
             f"method: {METHOD_TITLES.get(used, used)}")
    if nan_runs:
        title += f"\n{nan_runs} of {len(y)} runs without a value (not reached) left out"
    ax.set_title(_title(title, fig, 10), fontsize=10)
    ax.text(1.01, 1.0, "rho" if spearman else "total change", transform=ax.transAxes, fontsize=8, va="bottom", color="0.3")
    fig.savefig(out, dpi=90)
    _done(fig)
    return sens


REASON_TEXT = {"member_values_not_finite": "no indices: NaN (not reached) for some members",
               "output_constant": "no indices: the same value for every member"}


def choose_index_metrics(indices, wanted=None, limit=4):
    """The metrics to draw: those asked for, else the important ones that have indices,
    filled up with other metrics that have them."""
    if wanted:
        return [m for m in wanted if m in indices.metrics]
    computed = [m for m in indices.metrics if indices.reason.get(m) == "computed"]
    if "mu_star" in indices.fields:  # Morris flags no constant output: draw those that moved
        moved = [m for m in computed if np.nanmax(indices.fields["mu_star"][indices.metrics.index(m)]) > 0]
        computed = moved or computed
    chosen = [m for m in IMPORTANT_METRICS if m in computed]
    chosen += [m for m in computed if m not in chosen]
    return chosen[:limit] or indices.metrics[:limit]


def _metric_long_name(sweep, metric):
    return sweep.metrics[metric][2] if metric in sweep.metrics else metric


def plot_sensitivity(sweep, out, wanted=None):
    """Sobol': per metric, S1 and ST bars per parameter with their bootstrap intervals as
    whiskers.  Morris: per metric, mu* against sigma, one labelled point per parameter,
    mu*'s interval as a horizontal whisker."""
    ix = sweep.indices
    metrics = choose_index_metrics(ix, wanted)
    n = max(len(metrics), 1)
    ncol = 2 if n > 1 else 1
    nrow = (n + ncol - 1) // ncol
    d = len(ix.params)
    plabels = [short_text(sweep.param(k).long_name, 28) if sweep.param(k) else k for k in ix.params]
    sobol = ix.method == "sobol"
    height = (1.2 + 0.55 * d) if sobol else 3.6
    fig, axes = plt.subplots(nrow, ncol, figsize=(6.4 * ncol, height * nrow + 1.3), squeeze=False,
                             constrained_layout=True)
    level = float(ix.attrs.get("confidence_level", 0.95))
    for a, ax in enumerate(axes.ravel()):
        if a >= len(metrics):
            ax.set_visible(False)
            continue
        m = metrics[a]
        k = ix.metrics.index(m)
        ax.set_title(_title(short_text(_metric_long_name(sweep, m), 60).replace("\n", " "), fig, 10 * ncol),
                     fontsize=10)
        why = ix.reason.get(m, "computed")
        if why != "computed":
            ax.text(0.5, 0.5, REASON_TEXT.get(why, why), transform=ax.transAxes, ha="center", va="center",
                    fontsize=9, color="0.3")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        if sobol:
            ypos = np.arange(d)[::-1]
            for off, name, colour in ((0.18, "S1", "tab:blue"), (-0.18, "ST", "tab:orange")):
                est = ix.fields[name][k]
                low, high = ix.fields[name + "_conf_low"][k], ix.fields[name + "_conf_high"][k]
                err = np.vstack([np.clip(est - low, 0, None), np.clip(high - est, 0, None)])
                ax.barh(ypos + off, est, height=0.34, color=colour, edgecolor="k", linewidth=0.4,
                        xerr=err, error_kw={"elinewidth": 1.0, "capsize": 3},
                        label={"S1": "first order S1", "ST": "total order ST"}[name])
            ax.set_yticks(ypos)
            ax.set_yticklabels(plabels, fontsize=9)
            ax.axvline(0, color="k", lw=0.8)
            ax.set_xlabel(f"Sobol' index [1] ({100 * level:.0f}% bootstrap intervals)")
            ax.grid(True, axis="x", alpha=0.3)
            if a == 0:
                ax.legend(fontsize=8, loc="lower right")
        else:
            units = ix.metric_units.get(m, "")
            star, sigma = ix.fields["mu_star"][k], ix.fields["sigma"][k]
            low, high = ix.fields["mu_star_conf_low"][k], ix.fields["mu_star_conf_high"][k]
            div, unit = lr.display_scale(units, np.concatenate([star, sigma]))
            err = np.vstack([np.clip(star - low, 0, None), np.clip(high - star, 0, None)]) / div
            ax.errorbar(star / div, sigma / div, xerr=err, fmt="o", color="tab:blue", ecolor="0.4", capsize=3)
            for i, lab in enumerate(plabels):
                ax.annotate(lab.replace("\n", " "), (star[i] / div, sigma[i] / div), textcoords="offset points",
                            xytext=(5, 4), fontsize=8)
            top = np.nanmax(np.concatenate([high / div, sigma / div, star / div]))
            top = top if np.isfinite(top) and top > 0 else 1.0
            ax.plot([0, top], [0, top], color="0.6", lw=0.8, ls="--", label="sigma = mu*")
            ax.set_xlim(0, 1.15 * top)
            ax.set_ylim(0, 1.15 * top)
            u = f" [{unit} per full range]" if unit else " [per full range]"
            ax.set_xlabel("mu*, mean |elementary effect|" + u)
            ax.set_ylabel("sigma of the elementary effects" + u)
            ax.grid(True, alpha=0.3)
            if a == 0:
                ax.legend(fontsize=8, loc="upper left")
    if sobol:
        head = (f"Sobol' indices: {int(ix.attrs.get('base_samples', 0))} base rows, {sweep.n_run} members "
                f"(Saltelli 2010 first order, Jansen 1999 total order)")
    else:
        head = (f"Morris elementary effects: {int(ix.attrs.get('trajectories', 0))} trajectories on "
                f"{int(ix.attrs.get('levels', 0))} levels, {sweep.n_run} members")
    fig.suptitle(_title(head, fig, 12), fontsize=12)
    fig.savefig(out, dpi=90)
    _done(fig)
    return metrics


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("sweep", help="lunarsim sweep file (HDF5)")
    ap.add_argument("-o", "--output", help="prefix of the PNGs (default: sweep file stem)")
    ap.add_argument("--metric", default="installed_orbital_power", help="summary metric of the tornado chart")
    ap.add_argument("--method", default="auto", choices=["auto", "grid", "regression", "spearman"],
                    help="sensitivity measure (auto: grid for full factorials, else regression)")
    ap.add_argument("--sensitivity-metric", action="append", default=None,
                    help="summary metric of the Sobol'/Morris figure (repeatable; default: up to 4 with indices)")
    ap.add_argument("--format", default="png", choices=["png", "pdf", "svg"], help="figure file format")
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
    ext = "." + args.format
    metrics_png, tornado_png = prefix + "_metrics" + ext, prefix + "_tornado" + ext
    plot_metrics(sweep, metrics_png)
    print(metrics_png)
    plot_tornado(sweep, args.metric, args.method, tornado_png)
    print(tornado_png)
    if sweep.indices is not None:
        missing = [m for m in (args.sensitivity_metric or []) if m not in sweep.indices.metrics]
        if missing:
            print(f"plot_sweep.py: no indices for {', '.join(missing)}; have: {', '.join(sweep.indices.metrics)}",
                  file=sys.stderr)
            return 2
        sens_png = prefix + "_sensitivity" + ext
        plot_sensitivity(sweep, sens_png, args.sensitivity_metric)
        print(sens_png)
    elif args.sensitivity_metric:
        print("plot_sweep.py: --sensitivity-metric needs a Sobol' or Morris sweep (the file has no /sensitivity)",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
