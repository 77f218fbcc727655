#!/usr/bin/python3
"""One-page dashboard of a lunarsim run file, fit for a paper.

    plot_run.py RUN.h5 [-o dashboard.png|.pdf|.svg] [--format png|pdf|svg]... [--dpi N]
                [--bins auto|month|quarter|year]

Panels: delivery to orbit, installed orbital power, surface power, surface
storage, stocks between stages, what limited delivery (time shares), and the
key /summary figures; when the run wrote the table /orbit/trajectory (the
three-body flight model), also the flight to the catcher and the Monte Carlo
arrivals at its aperture.  A missing group or series leaves a note in its panel
instead of failing; NaN summary values read "not reached".

What a reader sees comes from the file: legends and axis labels from each
variable's long_name and units (never its raw name), category words from
flag_meanings.  Axis limits come from the level the data hold for more than a
day (a high quantile within each smoothing window), so a one-day burst cannot
stretch them; where a curve leaves the axis a marker on its top edge gives the
highest value it reaches.
Long titles are wrapped to their panel.  The output's extension picks the
format; --format writes more than one (vector formats keep text as text and
rasterise only the dense thin lines).
"""
import argparse
import os
import re
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import lsim_read as lr  # noqa: E402

# Text stays text in vector output (editable, searchable in a paper's PDF).
matplotlib.rcParams["pdf.fonttype"] = 42
matplotlib.rcParams["ps.fonttype"] = 42
matplotlib.rcParams["svg.fonttype"] = "none"

FORMATS = ("png", "pdf", "svg")
FIGURE_WIDTH = 16.0  # in; two panel columns
DAY_YEARS = 1.0 / 365.25

# Fixed colours so the same bottleneck looks the same in every dashboard.
BOTTLENECK_COLOURS = {
    "none": "#bbbbbb", "power": "#f0c419", "mining": "#8c564b", "refining": "#d62728",
    "fabrication": "#9467bd", "launch": "#1f77b4", "assembly": "#2ca02c",
    "earth_parts": "#ff7f0e", "manufacturing": "#17becf",
}

SUMMARY_KEYS = [
    # the five the dashboard must show, then context
    "installed_orbital_power", "time_to_1_GW_per_year", "energy_per_kg_delivered",
    "earth_only_launches", "growth_limited_by_earth_parts_share",
    "mass_delivered", "peak_delivery_per_year", "peak_power_installed_per_year",
    "earth_mass_total", "earth_mass_leverage", "surface_array_power", "simulated_time",
]

# What a UDUNITS unit measures, for an axis that shows several variables of that unit.
QUANTITY = {"kg s-1": "mass rate", "kg": "mass", "W": "power", "W s-1": "power added per second",
            "J": "energy", "s": "time", "1": "fraction"}


# ---- words -------------------------------------------------------------------

def sentence(text):
    """First letter up, the rest as written ('Earth' and 'GW' keep their case)."""
    return text[:1].upper() + text[1:] if text else text


def describe(long_name):
    """A long_name for display: without a trailing '(NaN: ...)' or other parenthetical aside."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", long_name or "").strip() or (long_name or "")


def axis_label(what, unit):
    """'Mass rate (t/yr)'; a dimensionless quantity takes no unit."""
    return sentence(what) + (f" ({unit})" if unit else "")


def quantity_of(units):
    return QUANTITY.get(units, "value")


def legend_label(series, width=46):
    return "\n".join(textwrap.wrap(sentence(describe(series.long_name)), width)) or series.long_name


def set_title(ax, text, width_in=None, loc="center", fontsize=12):
    """A title wrapped to the panel's width (a long one would run into its neighbour)."""
    if width_in is None:
        width_in = FIGURE_WIDTH * ax.get_position().width * 0.95
    chars = max(20, int(width_in * 72.0 / (fontsize * 0.56)))
    ax.set_title("\n".join(textwrap.wrap(text, chars)), loc=loc, fontsize=fontsize)


def note(ax, message):
    if not ax.lines and not ax.collections:  # nothing drawn: empty ticks would only mislead
        ax.set_xticks([])
        ax.set_yticks([])
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            fontsize=10, color="0.35", wrap=True,
            bbox=dict(boxstyle="round", fc="0.96", ec="0.7"))


def finish_time_axis(ax, epoch):
    ax.set_xlabel(f"Years since {epoch}")
    ax.grid(True, alpha=0.3)


# ---- averaging and limits ----------------------------------------------------

def spans_decades(values, decades=2.0):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    return v.size > 1 and np.log10(v.max() / v.min()) >= decades


def choose_bin(years_span, request):
    if request != "auto":
        return {"month": 1 / 12, "quarter": 0.25, "year": 1.0}[request]
    if years_span <= 4:
        return 1 / 12
    if years_span <= 12:
        return 0.25
    return 1.0


def bin_means(years, values, width):
    """Time-weighted means of interval-mean values over bins of `width` years.

    Each sample covers (previous end, its end]; weights are interval lengths,
    so uneven output intervals (a shorter last row) still give true means."""
    ends = np.asarray(years, dtype=float)
    starts = np.concatenate([[ends[0] - (ends[1] - ends[0]) if ends.size > 1 else 0.0], ends[:-1]])
    dt = ends - starts
    mids = 0.5 * (starts + ends)
    t0 = max(0.0, np.floor(starts[0] / width) * width)
    idx = np.floor((mids - t0) / width).astype(int)
    nbins = idx.max() + 1
    w = np.bincount(idx, weights=dt, minlength=nbins)
    out = {}
    for k, v in values.items():
        vv = np.where(np.isfinite(v), v, 0.0)
        out[k] = np.bincount(idx, weights=vv * dt, minlength=nbins) / np.where(w > 0, w, np.nan)
    edges = t0 + width * np.arange(nbins + 1)
    edges[-1] = min(edges[-1], ends[-1])  # last bin may be partial
    return edges, out


def smoothing_width(years):
    """Monthly windows for runs of a year or more (they hide the daily and lunar-day cycles),
    weekly ones for runs of eight weeks or more; shorter runs are drawn raw."""
    span = years[-1] - years[0] if len(years) > 1 else 0.0
    if span >= 1.0:
        return 1 / 12
    if span >= 8 * 7 * DAY_YEARS:
        return 7 * DAY_YEARS
    return None


def smoothing_name(width):
    return {1 / 12: "monthly", 7 * DAY_YEARS: "weekly"}.get(width, f"{width * 365.25:.3g}-day")


def bin_index(years, width):
    t0 = max(0.0, np.floor(years[0] / width) * width)
    idx = np.floor((years - t0) / width - 1e-9).astype(int)
    idx -= idx.min()
    return idx, idx.max() + 1


def smooth_mean(series):
    """(years, values) of interval-mean series averaged over the smoothing windows, or raw."""
    width = smoothing_width(series.years)
    if width is None:
        return series.years, series.values
    edges, means = bin_means(series.years, {"v": series.values}, width)
    centres = 0.5 * (edges[:-1] + edges[1:])
    return centres, means["v"]


def smooth_point(series):
    """(years, mean, min, max) per smoothing window of point samples, or raw."""
    width = smoothing_width(series.years)
    if width is None:
        return series.years, series.values, series.values, series.values
    idx, n = bin_index(series.years, width)
    v = series.values
    ok = np.isfinite(v)
    cnt = np.bincount(idx[ok], minlength=n)
    mean = np.bincount(idx[ok], weights=v[ok], minlength=n) / np.where(cnt > 0, cnt, np.nan)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    np.fmin.at(lo, idx[ok], v[ok])
    np.fmax.at(hi, idx[ok], v[ok])
    yrs = np.bincount(idx, weights=series.years, minlength=n) / np.maximum(np.bincount(idx, minlength=n), 1)
    return yrs, mean, lo, hi


def sustained_top(evidence):
    """The highest level the data hold for more than a day: within each window (the
    smoothing window, a week for short runs, the whole run below a week) the quantile
    1 - 1.5 d / window (between the median and the 90th percentile), so that one day of a
    burst lies above it; the largest over windows and series. NaN when there is nothing.

    `evidence`: (years, values) pairs in display units."""
    tops = []
    for years, values in evidence:
        years = np.asarray(years, dtype=float)
        v = np.asarray(values, dtype=float)
        ok = np.isfinite(v)
        if not ok.any():
            continue
        span = years[-1] - years[0] if years.size > 1 else 0.0
        width = smoothing_width(years) or (7 * DAY_YEARS if span >= 7 * DAY_YEARS else max(span, DAY_YEARS))
        row = float(np.median(np.diff(years))) if years.size > 1 else DAY_YEARS
        q = float(np.clip(1.0 - 1.5 * max(DAY_YEARS, row) / width, 0.5, 0.9))
        idx, n = bin_index(years, width)
        for b in range(n):
            sel = ok & (idx == b)
            if sel.any():
                tops.append(float(np.quantile(v[sel], q)))
    return max(tops) if tops else np.nan


def mark_off_scale(ax, curves, top, unit):
    """A marker on the top edge where a curve leaves the axis (a burst), and the highest value
    it reaches: the burst stays visible without stretching the axis or covering the data."""
    highest = None
    for years, values, colour in curves:
        v = np.asarray(values, dtype=float)
        if not (np.isfinite(v).any() and np.nanmax(v) > top * (1 + 1e-9)):
            continue
        k = int(np.nanargmax(v))
        ax.plot([years[k]], [top], marker="v", ms=7, color=colour, clip_on=False, zorder=6, ls="none",
                gid="off scale")
        if highest is None or v[k] > highest[1]:
            highest = (years[k], v[k], colour)
    if highest is not None:
        ax.annotate(f"off scale: up to {highest[1]:.3g}" + (f" {unit}" if unit else ""), (highest[0], top),
                    xytext=(6, -12), textcoords="offset points", fontsize=7, color="0.2", gid="off scale",
                    bbox=dict(fc="white", ec="none", alpha=0.8))
    return highest


def apply_limits(ax, evidence, curves, unit="", log=False, pad=1.15, floor=None):
    """Main axis up to `pad` times (3 times on a log axis) the sustained top of `evidence`;
    the curves ((years, values, colour), display units) that reach beyond are marked on the
    top edge with the highest value. Returns the top (None when there is nothing to scale)."""
    top = sustained_top(evidence)
    if not (np.isfinite(top) and top > 0):
        return None
    top *= 3.0 if log else pad
    if log:
        ax.set_ylim(floor if floor is not None else top * 1e-4, top)
    else:
        ax.set_ylim(0.0 if floor is None else floor, top)
    mark_off_scale(ax, curves, top, unit)
    return top


# ---- panels ------------------------------------------------------------------

def panel_delivery(ax, orbit, chain, massdriver):
    set_title(ax, "Delivery to orbit")
    curves = []
    to_t_per_yr = lr.SECONDS_PER_YEAR / 1e3  # kg/s -> t/yr
    for grp, name, colour in ((massdriver, "mass_launch_rate", "0.55"), (orbit, "arrival_rate", "tab:orange"),
                              (orbit, "capture_rate", "tab:blue")):
        s = grp.get(name) if grp else None
        if s is not None:
            curves.append((s, colour))
    trailing = chain.get("mass_delivered_last_year") if chain else None
    if not curves and trailing is None:
        note(ax, "no orbit capture or arrival rate in this file")
        return
    evidence, raw, smooth = [], [], []
    for s, colour in curves:
        x, y = smooth_mean(s)
        if x is not s.years:
            ax.plot(s.years, s.values * to_t_per_yr, color=colour, lw=0.3, alpha=0.15, rasterized=True)
        ax.plot(x, y * to_t_per_yr, color=colour, lw=1.6, label=legend_label(s))
        evidence.append((s.years, s.values * to_t_per_yr))
        raw.append((s.years, s.values * to_t_per_yr, colour))
        smooth.append(y * to_t_per_yr)
    if trailing is not None:
        # kg caught over the trailing year: read as t/yr
        ax.plot(trailing.years, trailing.values / 1e3, color="k", lw=1.8, ls="--", label=legend_label(trailing))
        evidence.append((trailing.years, trailing.values / 1e3))
        raw.append((trailing.years, trailing.values / 1e3, "k"))
        smooth.append(trailing.values / 1e3)
    ax.set_ylabel(axis_label(quantity_of("kg s-1"), "t/yr"))
    top = sustained_top(evidence)
    if not (np.isfinite(top) and top > 0):
        ax.set_ylim(0, 1)
        note(ax, "nothing reached orbit in this run")
    else:
        shown = np.concatenate([np.minimum(v, top) for v in smooth])
        apply_limits(ax, evidence, raw, "t/yr", log=spans_decades(shown))
        if spans_decades(shown):
            ax.set_yscale("log")
    ax.legend(fontsize=8, loc="upper left")
    if curves:
        smoothing_note(ax, curves[0][0])
    finish_time_axis(ax, (orbit or chain or massdriver).epoch)


def panel_orbital_power(ax, orbit, chain):
    set_title(ax, "Installed orbital power")
    s = orbit.get("installed_power") if orbit else None
    if s is None:
        note(ax, "no installed orbital power in this file")
        return
    ax.plot(s.years, s.values / 1e9, color="tab:green", lw=2, label=legend_label(s))
    evidence = [(s.years, s.values / 1e9)]
    raw = [(s.years, s.values / 1e9, "tab:green")]
    c = chain.get("orbital_power_installed_last_year") if chain else None
    if c is not None:
        ax.plot(c.years, c.values / 1e9, color="tab:purple", lw=1.2, ls="--", label=legend_label(c))
        evidence.append((c.years, c.values / 1e9))
        raw.append((c.years, c.values / 1e9, "tab:purple"))
    ax.set_ylabel(axis_label(quantity_of("W"), "GW") + "; dashed: GW per year")
    top = sustained_top(evidence)
    if not (np.isfinite(top) and top > 0):
        ax.set_ylim(0, 1)
        note(ax, "no power installed in orbit in this run")
    else:
        shown = np.concatenate([np.minimum(v, top) for _, v in evidence])
        log = spans_decades(shown)
        positive = shown[np.isfinite(shown) & (shown > 0)]
        apply_limits(ax, evidence, raw, "GW", log=log, floor=max(top * 1e-6, positive.min()) if log else None)
        if log:
            ax.set_yscale("log")
        if top >= 0.3:
            ax.axhline(1.0, color="0.4", lw=0.8, ls=":")
            ax.text(ax.get_xlim()[0], 1.0, " 1 GW", va="bottom", fontsize=8, color="0.3")
    ax.legend(fontsize=8, loc="upper left")
    finish_time_axis(ax, orbit.epoch)


def panel_surface_power(ax, power):
    set_title(ax, "Surface power")
    if power is None:
        note(ax, "no surface power group in this file")
        return
    wanted = [("generated", "goldenrod", "-"), ("demand", "0.4", ":"), ("delivered", "tab:blue", "-"),
              ("unmet_demand", "tab:red", "-")]
    present = [(power.get(k), c, ls) for k, c, ls in wanted if power.get(k) is not None]
    if not present:
        note(ax, "no generated, delivered or unmet surface power in this file")
        return
    # The display unit from the sustained level: a burst must not turn MW into GW either.
    level = sustained_top([(s.years, s.values) for s, _, _ in present])
    div, unit = lr.display_scale("W", [level if np.isfinite(level) else 0.0])
    evidence, raw = [], []
    for s, colour, style in present:
        x, y = smooth_mean(s)
        if x is not s.years:
            ax.plot(s.years, s.values / div, color=colour, lw=0.3, alpha=0.25, rasterized=True)
        ax.plot(x, y / div, color=colour, lw=1.8, label=legend_label(s), ls=style)
        evidence.append((s.years, s.values / div))
        raw.append((s.years, s.values / div, colour))
    ax.set_ylabel(axis_label(quantity_of("W"), unit))
    apply_limits(ax, evidence, raw, unit)
    ax.legend(fontsize=8, loc="upper left")
    smoothing_note(ax, present[0][0])
    finish_time_axis(ax, power.epoch)


def panel_storage(ax, power):
    set_title(ax, "Surface storage")
    e = power.get("stored_energy") if power else None
    cap = power.get("storage_capacity") if power else None
    soc = power.get("state_of_charge") if power else None
    if e is None and soc is None:
        note(ax, "no stored energy or state of charge in this file")
        return
    handles = []
    width = smoothing_width((e or soc).years)
    band = f"band: {smoothing_name(width)} min to max" if width else None
    if e is not None:
        sources = [e] + ([cap] if cap is not None else [])
        level = sustained_top([(s.years, s.values) for s in sources])
        div, unit = lr.display_scale("J", [level if np.isfinite(level) else 0.0])
        x, mean, lo, hi = smooth_point(e)
        ax.fill_between(x, lo / div, hi / div, color="tab:blue", alpha=0.25, lw=0)
        handles += ax.plot(x, mean / div, color="tab:blue", lw=1.6,
                           label=legend_label(e) + (f" ({band})" if band else ""))
        raw = [(e.years, e.values / div, "tab:blue")]
        if cap is not None:
            handles += ax.plot(cap.years, cap.values / div, color="navy", lw=1.2, ls="--", label=legend_label(cap))
            raw.append((cap.years, cap.values / div, "navy"))
        ax.set_ylabel(axis_label(quantity_of("J"), unit))
        apply_limits(ax, [(s.years, s.values / div) for s in sources], raw, unit, pad=1.08)
    if soc is not None:
        ax2 = ax.twinx() if e is not None else ax
        x, mean, lo, hi = smooth_point(soc)
        ax2.fill_between(x, lo, hi, color="tab:red", alpha=0.07, lw=0)
        handles += ax2.plot(x, mean, color="tab:red", lw=1.2,
                            label=legend_label(soc) + (" (right axis)" if e is not None else ""))
        ax2.set_ylim(-0.02, 1.05)
        ax2.set_ylabel(axis_label(describe(soc.long_name), ""))
    ax.legend(handles=handles, fontsize=8, loc="upper left")
    if width is not None:
        ax.text(0.99, 0.02, f"lines: {smoothing_name(width)} means; shaded: {smoothing_name(width)} min to max",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="0.3",
                bbox=dict(fc="white", ec="none", alpha=0.7))
    finish_time_axis(ax, power.epoch)


def panel_stocks(ax, chain):
    set_title(ax, "Stocks between stages (end of each output interval)")
    if chain is None:
        note(ax, "no chain group in this file")
        return
    stocks = [s for s in chain.matching(r".*_stock|regolith_buffer|.*_waiting_launch") if s.units == "kg"]
    stocks = [s for s in stocks if np.isfinite(s.values).any() and np.nanmax(s.values) > 0]
    if not stocks:
        note(ax, "no stock between stages holds mass in this file")
        return
    cmap = plt.get_cmap("tab10")
    peak = sustained_top([(s.years, s.values / 1e3) for s in stocks])
    if not (np.isfinite(peak) and peak > 0):
        peak = max(np.nanmax(s.values) for s in stocks) / 1e3
    # Below a kilogram a stock is empty but for round-off; keep the axis on real mass.
    floor = min(1e-3, peak * 1e-3)
    stocks = [s for s in stocks if np.nanmax(s.values) / 1e3 >= floor]
    raw = []
    for i, s in enumerate(stocks):
        v = np.where(s.values / 1e3 >= floor, s.values / 1e3, np.nan)
        ax.plot(s.years, v, lw=1.1, color=cmap(i % 10), label=legend_label(s, 34))
        raw.append((s.years, v, cmap(i % 10)))
    ax.set_yscale("log")
    apply_limits(ax, [(s.years, s.values / 1e3) for s in stocks], raw, "t", log=True, floor=floor)
    ax.set_ylabel(axis_label(quantity_of("kg"), "t, log scale"))
    ax.legend(fontsize=7, loc="lower right", ncol=2)
    finish_time_axis(ax, chain.epoch)


def smoothing_note(ax, series):
    width = smoothing_width(series.years)
    if width is not None:
        ax.text(0.99, 0.02, f"thin: output intervals; bold: {smoothing_name(width)} means", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="0.3", bbox=dict(fc="white", ec="none", alpha=0.7))


def panel_bottleneck(ax, chain, bins):
    set_title(ax, "What limited delivery to orbit (share of time)")
    series = chain.matching(r"bottleneck_.+") if chain else []
    series = [s for s in series if s.is_mean or s.units == "1"]
    if not series:
        note(ax, "no shares of what limited delivery in this file")
        return
    years = series[0].years
    width = choose_bin(years[-1] - years[0], bins)
    edges, means = bin_means(years, {s.name[len("bottleneck_"):]: s.values for s in series}, width)
    total_time = years[-1] - years[0]
    bottom = np.zeros(len(edges) - 1)
    for cause, share in means.items():
        if not np.nanmax(share) > 0:
            continue
        overall = np.nansum(share * np.diff(edges)) / np.sum(np.diff(edges)) if total_time > 0 else np.nan
        top = bottom + np.nan_to_num(share)
        # The cause's word (chain/bottleneck's flag_meanings are the same words), read as prose.
        ax.fill_between(edges, np.append(bottom, bottom[-1]), np.append(top, top[-1]), step="post",
                        color=BOTTLENECK_COLOURS.get(cause), alpha=0.85, lw=0,
                        label=f"{sentence(cause.replace('_', ' '))} ({overall:.0%} of run)")
        bottom = top
    if not np.any(bottom > 0):
        note(ax, "no stage recorded as limiting (all shares zero)")
        return
    ax.set_ylim(0, 1.02)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylabel(axis_label("share of time", ""))
    label = {1 / 12: "monthly", 0.25: "quarterly", 1.0: "yearly"}.get(width, f"{width:g}-yr")
    ax.text(0.99, 0.02, f"{label} means", transform=ax.transAxes, ha="right", va="bottom",
            fontsize=8, color="0.2", bbox=dict(fc="white", ec="none", alpha=0.7))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    finish_time_axis(ax, chain.epoch)


def summary_lines(long_name, value, width=62):
    """A summary figure as text lines: its long_name (aside dropped) wrapped to `width`,
    the value after the first line, continuation lines indented."""
    label = textwrap.wrap(sentence(describe(long_name)), width, subsequent_indent="  ") or [""]
    return [f"{label[0]:<{width + 1}s} {value}"] + label[1:]


def panel_summary(ax, summary, attrs, path):
    ax.axis("off")
    set_title(ax, "Key figures of the run", loc="left")
    if not summary:
        note(ax, "no summary figures in this file")
        return
    rows = []
    for key in SUMMARY_KEYS:
        if key in summary:
            value, units, long_name = summary[key]
            rows.append(summary_lines(long_name, lr.format_quantity(value, units)))
    if not rows:
        note(ax, "none of the key summary figures is in this file")
        return
    half = (len(rows) + 1) // 2
    for col, chunk in enumerate((rows[:half], rows[half:])):
        ax.text(0.0 + 0.5 * col, 0.95, "\n".join(line for entry in chunk for line in entry), transform=ax.transAxes,
                va="top", ha="left", family="monospace", fontsize=8.5,
                bbox=dict(boxstyle="round", fc="#f4f7fb", ec="0.7"))
    prov = (f"file {short_name(path, 60)} | {lr.text(attrs.get('source', '')) or 'lunarsim ' + str(attrs.get('lunarsim_version', '?'))}"
            f" | seed {attrs.get('seed', '?')} | written {attrs.get('creation_time', '?')}")
    ax.text(0.0, 0.0, textwrap.shorten(prov, 190, placeholder=" …"), transform=ax.transAxes, fontsize=8,
            color="0.35", va="bottom")


def short_name(path, width):
    """The file's base name, its middle elided past `width` characters."""
    name = os.path.basename(path)
    if len(name) <= width:
        return name
    keep = (width - 1) // 2
    return name[:keep] + "…" + name[len(name) - (width - 1 - keep):]


def read_table(path, key):
    """A design-time table as {column: array} plus the group's scalar attrs; None if absent."""
    with h5py.File(path, "r") as f:
        ds = f.get(key)
        if not isinstance(ds, h5py.Dataset) or ds.ndim != 2 or "columns" not in ds.attrs:
            return None
        names = lr.text(ds.attrs["columns"]).split(",")
        data = np.asarray(ds[()], dtype=float)
        attrs = {k: float(v) for k, v in ds.parent.attrs.items()
                 if np.ndim(v) == 0 and np.asarray(v).dtype.kind in "fiu"}
    if len(names) != data.shape[1]:
        return None
    table = {n: data[:, j] for j, n in enumerate(names)}
    table["_attrs"] = attrs
    return table


def panel_coil_stages(ax, stages):
    """Current and force along the track, from the coil launcher's representative stages
    (/massdriver/stages: accelerating, then braking rows)."""
    pos = stages["position"] / 1e3
    brake = stages.get("braking", np.zeros_like(pos)) > 0.5
    acc = ~brake
    ax.plot(pos[acc], stages["peak_current"][acc] / 1e3, "o-", color="tab:blue", label="peak current, accelerating")
    if brake.any():
        ax.plot(pos[brake], stages["peak_current"][brake] / 1e3, "s--", color="tab:cyan",
                label="peak current, braking")
    ax.set_xlabel("Position along the track (km)")
    ax.set_ylabel("Peak current (kA)")
    ax2 = ax.twinx()
    ax2.plot(pos[acc], stages["peak_force"][acc] / 1e3, "^-", color="tab:red", label="peak force, accelerating")
    if brake.any():
        ax2.plot(pos[brake], stages["peak_force"][brake] / 1e3, "v--", color="tab:orange",
                 label="peak force, braking")
    ax2.set_ylabel("Peak force on the bucket (kN)")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [l.get_label() for l in lines], fontsize=8, loc="best")
    set_title(ax, "Coil launcher: current and force along the track (representative stages)")


MM = 1e6  # m per thousand km


def panel_flight(ax, traj):
    """The rotating frame's x-y plane in thousands of km, centred on the Moon."""
    set_title(ax, "Flight to the catcher (rotating frame, Moon-centred)", loc="left")
    a = traj["_attrs"]
    if not all(k in traj for k in ("sample", "x", "y")):
        note(ax, "the trajectory table lacks its sample, x or y columns")
        return
    mx = a.get("moon_x", 0.0)
    sample = traj["sample"]
    x, y = (traj["x"] - mx) / MM, traj["y"] / MM
    dispersed = np.unique(sample[sample > 0])
    for i, k in enumerate(dispersed[:200]):  # enough to show the spread, few enough to draw fast
        sel = sample == k
        ax.plot(x[sel], y[sel], color="#1f77b4", lw=0.5, alpha=0.25, rasterized=True,
                label=f"dispersed ({len(dispersed)})" if i == 0 else None)
    nominal = sample == 0
    if nominal.any():
        ax.plot(x[nominal], y[nominal], color="k", lw=1.6, label="nominal")
    radius = a.get("moon_radius", np.nan)
    if np.isfinite(radius):
        ax.add_patch(matplotlib.patches.Circle((0.0, 0.0), radius / MM, color="0.55", zorder=3, label="Moon"))
    else:
        ax.plot([0.0], [0.0], "o", color="0.55", label="Moon")
    for key, marker, label in (("l1_x", "x", "L1"), ("l2_x", "+", "L2")):
        if np.isfinite(a.get(key, np.nan)):
            lx = (a[key] - mx) / MM
            ax.plot([lx], [0.0], marker, color="#d62728", ms=9, mew=2, zorder=4)
            ax.annotate(label, (lx, 0.0), textcoords="offset points", xytext=(4, 6), color="#d62728")
    if np.isfinite(a.get("catcher_x", np.nan)):
        ax.plot([(a["catcher_x"] - mx) / MM], [a.get("catcher_y", 0.0) / MM], "*", color="#2ca02c", ms=14,
                zorder=5, label="catcher")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("x from the Moon (thousand km)")
    ax.set_ylabel("y (thousand km)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=9)


def panel_arrivals(ax, arrivals, catcher_radius):
    """Monte Carlo arrivals in the plane across the arrival velocity, with the aperture."""
    set_title(ax, "Arrivals at the catcher (Monte Carlo)", loc="left")
    if arrivals is None or not all(k in arrivals for k in ("miss_1", "miss_2")):
        note(ax, "no arrivals table (misses across the arrival velocity) in this file")
        return
    m1, m2 = arrivals["miss_1"], arrivals["miss_2"]
    if m1.size == 0:
        note(ax, "the arrivals table holds no arrivals")
        return
    captured = arrivals.get("captured", np.zeros_like(m1)) > 0.5
    share = f"captured share {captured.mean():.3g} of {m1.size}"
    shown = np.isfinite(m1) & np.isfinite(m2)  # NaN: a sample that never approached the catcher
    if not shown.all():
        share += f"; {(~shown).sum()} never approached (not drawn)"
    m1, m2, captured = m1[shown], m2[shown], captured[shown]
    ax.scatter(m1[~captured], m2[~captured], s=10, color="#d62728", alpha=0.7, rasterized=True,
               label=f"missed ({(~captured).sum()})")
    ax.scatter(m1[captured], m2[captured], s=10, color="#2ca02c", alpha=0.7, rasterized=True,
               label=f"captured ({captured.sum()})")
    if np.isfinite(catcher_radius):
        ax.add_patch(matplotlib.patches.Circle((0.0, 0.0), catcher_radius, fill=False, ec="k", lw=1.2,
                                               label=f"aperture (r = {catcher_radius:.3g} m)"))
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("Miss across the arrival velocity, axis 1 (m)")
    ax.set_ylabel("Miss, axis 2 (m)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    ax.text(0.02, 0.02, share, transform=ax.transAxes, fontsize=9, color="0.3")


def build_dashboard(path, bins="auto"):
    """The dashboard of the run file `path` as a matplotlib Figure (not saved)."""
    attrs = lr.root_attrs(path)
    groups = {g: lr.open_group(path, g) for g in ("power", "orbit", "chain", "massdriver")}
    summary = lr.read_summary(path)

    traj = read_table(path, "orbit/trajectory")
    rows = 4 if traj is not None else 3  # the flight row only when the run wrote a trajectory
    stages = read_table(path, "massdriver/stages")  # the coil launcher's stages, when it ran
    extra = 1 if stages is not None else 0

    fig = plt.figure(figsize=(FIGURE_WIDTH, 17 + 5 * (rows - 3 + extra)), constrained_layout=True)
    gs = fig.add_gridspec(rows + extra + 1, 2, height_ratios=[1] * (rows + extra) + [0.45])
    axes = [fig.add_subplot(gs[r, c]) for r in range(rows) for c in range(2)]
    panel_delivery(axes[0], groups["orbit"], groups["chain"], groups["massdriver"])
    panel_orbital_power(axes[1], groups["orbit"], groups["chain"])
    panel_surface_power(axes[2], groups["power"])
    panel_storage(axes[3], groups["power"])
    panel_stocks(axes[4], groups["chain"])
    panel_bottleneck(axes[5], groups["chain"], bins)
    if traj is not None:
        panel_flight(axes[6], traj)
        panel_arrivals(axes[7], read_table(path, "orbit/arrivals"), traj["_attrs"].get("catcher_radius", np.nan))
    if stages is not None:
        panel_coil_stages(fig.add_subplot(gs[rows, :]), stages)
    panel_summary(fig.add_subplot(gs[rows + extra, :]), summary, attrs, path)

    duration = summary.get("simulated_time", (np.nan, "s", ""))[0]
    title = f"lunarsim run {short_name(path, 70)}"
    if np.isfinite(duration):
        title += f": {duration / lr.SECONDS_PER_YEAR:.3g} years simulated"
    fig.suptitle(title, fontsize=15)
    return fig


def output_paths(run, output, formats):
    """The files to write: `output` (default RUN stem + _dashboard.png) in its own format, or
    its stem in each of `formats`."""
    out = output or lr.default_output(run, "_dashboard.png")
    stem, ext = os.path.splitext(out)
    if not formats:
        return [out if ext.lower().lstrip(".") in FORMATS else out + ".png"]
    if ext.lower().lstrip(".") not in FORMATS:
        stem = out
    return [f"{stem}.{fmt}" for fmt in dict.fromkeys(formats)]


def make_dashboard(path, out, bins="auto", dpi=100):
    """Writes the dashboard to `out` (a path, or a list of paths; each extension picks the
    format) and returns `out`."""
    fig = build_dashboard(path, bins)
    for target in [out] if isinstance(out, str) else out:
        fig.savefig(target, dpi=dpi)
    plt.close(fig)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("run", help="lunarsim run file (HDF5)")
    ap.add_argument("-o", "--output",
                    help="figure to write; .png, .pdf or .svg picks the format (default: RUN stem + _dashboard.png)")
    ap.add_argument("--format", action="append", choices=FORMATS, dest="formats",
                    help="write this format (repeat for several: the output's extension is replaced)")
    ap.add_argument("--dpi", type=float, default=100.0, help="PNG resolution, dots per inch (default 100)")
    ap.add_argument("--bins", choices=["auto", "month", "quarter", "year"], default="auto",
                    help="averaging window of the bottleneck shares (default: auto from run length)")
    args = ap.parse_args(argv)
    if not os.path.exists(args.run):
        print(f"plot_run.py: {args.run}: no such file", file=sys.stderr)
        return 2
    if not args.dpi > 0:
        print(f"plot_run.py: --dpi {args.dpi:g}: expected a positive resolution", file=sys.stderr)
        return 2
    outs = output_paths(args.run, args.output, args.formats)
    try:
        make_dashboard(args.run, outs, args.bins, args.dpi)
    except OSError as e:
        print(f"plot_run.py: {args.run}: {e}", file=sys.stderr)
        return 1
    for out in outs:
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
