#!/usr/bin/python3
"""One-page dashboard of a lunarsim run file.

    plot_run.py RUN.h5 [-o dashboard.png] [--bins auto|month|quarter|year]

Panels: delivery to orbit, installed orbital power, surface power, surface
storage, stocks between stages, what limited delivery (time shares), and the
key /summary figures; when the run wrote the table /orbit/trajectory (the
three-body flight model), also the flight to the catcher and the Monte Carlo
arrivals at its aperture.  A missing group or series leaves a note in its panel
instead of failing; NaN summary values read "not reached".
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import lsim_read as lr  # noqa: E402

# Fixed colours so the same bottleneck looks the same in every dashboard.
BOTTLENECK_COLOURS = {
    "none": "#bbbbbb", "power": "#f0c419", "mining": "#8c564b", "refining": "#d62728",
    "fabrication": "#9467bd", "launch": "#1f77b4", "assembly": "#2ca02c",
    "earth_parts": "#ff7f0e",
}

SUMMARY_KEYS = [
    # the five the dashboard must show, then context
    "installed_orbital_power", "time_to_1_GW_per_year", "energy_per_kg_delivered",
    "earth_only_launches", "growth_limited_by_earth_parts_share",
    "mass_delivered", "peak_delivery_per_year", "peak_power_installed_per_year",
    "earth_mass_total", "earth_mass_leverage", "surface_array_power", "simulated_time",
]


def note(ax, message):
    if not ax.lines and not ax.collections:  # nothing drawn: empty ticks would only mislead
        ax.set_xticks([])
        ax.set_yticks([])
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            fontsize=10, color="0.35", wrap=True,
            bbox=dict(boxstyle="round", fc="0.96", ec="0.7"))


def spans_decades(values, decades=2.0):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    return v.size > 1 and np.log10(v.max() / v.min()) >= decades


def finish_time_axis(ax, epoch):
    ax.set_xlabel(f"years since {epoch}")
    ax.grid(True, alpha=0.3)


def panel_delivery(ax, orbit, chain, massdriver):
    ax.set_title("Delivery to orbit")
    curves = []
    to_t_per_yr = lr.SECONDS_PER_YEAR / 1e3  # kg/s -> t/yr
    for grp, name, label, colour in (
            (massdriver, "mass_launch_rate", "launched (mass driver)", "0.55"),
            (orbit, "arrival_rate", "arriving at catcher", "tab:orange"),
            (orbit, "capture_rate", "caught", "tab:blue")):
        s = grp.get(name) if grp else None
        if s is not None:
            curves.append((s, label, colour))
    trailing = chain.get("mass_delivered_last_year") if chain else None
    if not curves and trailing is None:
        note(ax, "no orbit/capture_rate or orbit/arrival_rate in this file")
        return
    allv = []
    for s, label, colour in curves:
        x, y = smooth_mean(s)
        if x is not s.years:
            ax.plot(s.years, s.values * to_t_per_yr, color=colour, lw=0.3, alpha=0.15)
        ax.plot(x, y * to_t_per_yr, color=colour, lw=1.6, label=label)
        allv += [y * to_t_per_yr]
    if trailing is not None:
        ax.plot(trailing.years, trailing.values / 1e3, color="k", lw=1.8, ls="--",
                label="caught over trailing year")
        allv.append(trailing.values / 1e3)
    allv = np.concatenate(allv)
    peak = np.nanmax(allv) if np.isfinite(allv).any() else 0.0
    ax.set_ylabel("mass rate [t/yr]")
    if peak <= 0:
        ax.set_ylim(0, 1)
        note(ax, "nothing reached orbit in this run")
    elif spans_decades(allv):
        ax.set_yscale("log")
        ax.set_ylim(bottom=peak * 1e-4, top=peak * 3)
    ax.legend(fontsize=8, loc="upper left")
    if curves:
        smoothing_note(ax, curves[0][0])
    finish_time_axis(ax, (orbit or chain or massdriver).epoch)


def panel_orbital_power(ax, orbit, chain):
    ax.set_title("Installed orbital power")
    s = orbit.get("installed_power") if orbit else None
    if s is None:
        note(ax, "no orbit/installed_power in this file")
        return
    ax.plot(s.years, s.values / 1e9, color="tab:green", lw=2, label="installed (after degradation) [GW]")
    allv = [s.values / 1e9]
    c = chain.get("orbital_power_installed_last_year") if chain else None
    if c is not None:
        ax.plot(c.years, c.values / 1e9, color="tab:purple", lw=1.2, ls="--",
                label="assembled over trailing year [GW/yr]")
        allv.append(c.values / 1e9)
    ax.set_ylabel("power [GW]")
    peak = np.nanmax(np.concatenate(allv)) if np.isfinite(np.concatenate(allv)).any() else 0
    if peak <= 0:
        ax.set_ylim(0, 1)
        note(ax, "no power installed in orbit in this run")
    else:
        if spans_decades(np.concatenate(allv)):
            ax.set_yscale("log")
            ax.set_ylim(bottom=max(peak * 1e-6, np.nanmin([v[v > 0].min() for v in allv if (v > 0).any()])))
        if peak >= 0.3:
            ax.axhline(1.0, color="0.4", lw=0.8, ls=":")
            ax.text(ax.get_xlim()[0], 1.0, " 1 GW", va="bottom", fontsize=8, color="0.3")
    ax.legend(fontsize=8, loc="upper left")
    finish_time_axis(ax, orbit.epoch)


def panel_surface_power(ax, power):
    ax.set_title("Surface power")
    if power is None:
        note(ax, "no power group in this file")
        return
    wanted = [("generated", "generated", "goldenrod"),
              ("demand", "demanded", "0.4"),
              ("delivered", "delivered to loads", "tab:blue"),
              ("unmet_demand", "unmet demand", "tab:red")]
    present = [(power.get(k), lab, c) for k, lab, c in wanted if power.get(k) is not None]
    if not present:
        note(ax, "no power/generated, delivered or unmet_demand in this file")
        return
    div, unit = lr.display_scale("W", np.concatenate([s.values for s, _, _ in present]))
    for s, lab, colour in present:
        x, y = smooth_mean(s)
        if x is not s.years:
            ax.plot(s.years, s.values / div, color=colour, lw=0.3, alpha=0.25)
        ax.plot(x, y / div, color=colour, lw=1.8, label=lab, ls=":" if lab == "demanded" else "-")
    ax.set_ylabel(f"power [{unit}]")
    ax.legend(fontsize=8, loc="upper left")
    smoothing_note(ax, present[0][0])
    finish_time_axis(ax, power.epoch)


def panel_storage(ax, power):
    ax.set_title("Surface storage")
    e = power.get("stored_energy") if power else None
    cap = power.get("storage_capacity") if power else None
    soc = power.get("state_of_charge") if power else None
    if e is None and soc is None:
        note(ax, "no power/stored_energy or state_of_charge in this file")
        return
    handles = []
    if e is not None:
        div, unit = lr.display_scale("J", np.concatenate([e.values] + ([cap.values] if cap else [])))
        x, mean, lo, hi = smooth_point(e)
        ax.fill_between(x, lo / div, hi / div, color="tab:blue", alpha=0.25, lw=0)
        handles += ax.plot(x, mean / div, color="tab:blue", lw=1.6, label="stored energy (band: min-max)")
        if cap is not None:
            handles += ax.plot(cap.years, cap.values / div, color="navy", lw=1.2, ls="--",
                               label="usable capacity")
        ax.set_ylabel(f"energy [{unit}]")
    if soc is not None:
        ax2 = ax.twinx() if e is not None else ax
        x, mean, lo, hi = smooth_point(soc)
        ax2.fill_between(x, lo, hi, color="tab:red", alpha=0.07, lw=0)
        handles += ax2.plot(x, mean, color="tab:red", lw=1.2,
                            label="state of charge" + (" (right axis)" if e is not None else ""))
        ax2.set_ylim(-0.02, 1.05)
        ax2.set_ylabel("state of charge [-]")
    ax.legend(handles=handles, fontsize=8, loc="upper left")
    if smoothing_width((e or soc).years) is not None:
        ax.text(0.99, 0.02, "monthly mean, shaded: monthly min-max", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="0.3",
                bbox=dict(fc="white", ec="none", alpha=0.7))
    finish_time_axis(ax, power.epoch)


def panel_stocks(ax, chain):
    ax.set_title("Stocks between stages (end of interval)")
    if chain is None:
        note(ax, "no chain group in this file")
        return
    stocks = [s for s in chain.matching(r".*_stock|regolith_buffer|.*_waiting_launch") if s.units == "kg"]
    stocks = [s for s in stocks if np.isfinite(s.values).any() and np.nanmax(s.values) > 0]
    if not stocks:
        note(ax, "no chain/*_stock, regolith_buffer or *_waiting_launch with mass in this file")
        return
    cmap = plt.get_cmap("tab10")
    peak = max(np.nanmax(s.values) for s in stocks) / 1e3
    # Below a kilogram a stock is empty but for round-off; keep the axis on real mass.
    floor = min(1e-3, peak * 1e-3)
    stocks = [s for s in stocks if np.nanmax(s.values) / 1e3 >= floor]
    for i, s in enumerate(stocks):
        v = np.where(s.values / 1e3 >= floor, s.values / 1e3, np.nan)
        ax.plot(s.years, v, lw=1.1, color=cmap(i % 10), label=s.name.replace("_", " "))
    ax.set_yscale("log")
    ax.set_ylim(floor, peak * 3)
    ax.set_ylabel("mass [t] (log)")
    ax.legend(fontsize=7, loc="lower right", ncol=2)
    finish_time_axis(ax, chain.epoch)


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
    so uneven output intervals still give true time shares."""
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
    """Monthly windows hide the daily and lunar-day cycles in runs of a year or
    more; shorter runs are drawn raw."""
    span = years[-1] - years[0] if len(years) > 1 else 0.0
    return 1 / 12 if span >= 1.0 else None


def bin_index(years, width):
    t0 = max(0.0, np.floor(years[0] / width) * width)
    idx = np.floor((years - t0) / width - 1e-9).astype(int)
    idx -= idx.min()
    return idx, idx.max() + 1


def smooth_mean(series):
    """(years, values) of interval-mean series averaged over monthly windows, or raw."""
    width = smoothing_width(series.years)
    if width is None:
        return series.years, series.values
    edges, means = bin_means(series.years, {"v": series.values}, width)
    centres = 0.5 * (edges[:-1] + edges[1:])
    return centres, means["v"]


def smooth_point(series):
    """(years, mean, min, max) per monthly window of point samples, or raw."""
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


def smoothing_note(ax, series):
    if smoothing_width(series.years) is not None:
        ax.text(0.99, 0.02, "thin: output intervals; bold: monthly means", transform=ax.transAxes,
                ha="right", va="bottom", fontsize=7, color="0.3",
                bbox=dict(fc="white", ec="none", alpha=0.7))


def panel_bottleneck(ax, chain, bins):
    ax.set_title("What limited delivery to orbit (share of time)")
    series = chain.matching(r"bottleneck_.+") if chain else []
    series = [s for s in series if s.is_mean or s.units == "1"]
    if not series:
        note(ax, "no chain/bottleneck_<name> shares in this file")
        return
    years = series[0].years
    width = choose_bin(years[-1] - years[0], bins)
    edges, means = bin_means(years, {s.name[len("bottleneck_"):]: s.values for s in series}, width)
    total_time = years[-1] - years[0]
    bottom = np.zeros(len(edges) - 1)
    for name, share in means.items():
        if not np.nanmax(share) > 0:
            continue
        overall = np.nansum(share * np.diff(edges)) / np.sum(np.diff(edges)) if total_time > 0 else np.nan
        top = bottom + np.nan_to_num(share)
        ax.fill_between(edges, np.append(bottom, bottom[-1]), np.append(top, top[-1]), step="post",
                        color=BOTTLENECK_COLOURS.get(name), alpha=0.85, lw=0,
                        label=f"{name.replace('_', ' ')} ({overall:.0%} of run)")
        bottom = top
    if not np.any(bottom > 0):
        note(ax, "no stage recorded as limiting (all shares zero)")
        return
    ax.set_ylim(0, 1.02)
    ax.set_xlim(edges[0], edges[-1])
    ax.set_ylabel("time share [-]")
    label = {1 / 12: "monthly", 0.25: "quarterly", 1.0: "yearly"}.get(width, f"{width:g}-yr")
    ax.text(0.99, 0.02, f"{label} means", transform=ax.transAxes, ha="right", va="bottom",
            fontsize=8, color="0.2", bbox=dict(fc="white", ec="none", alpha=0.7))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    finish_time_axis(ax, chain.epoch)


def panel_summary(ax, summary, attrs, path):
    ax.axis("off")
    ax.set_title("Key figures (/summary)", loc="left")
    if not summary:
        note(ax, "no /summary group in this file")
        return
    rows = []
    for key in SUMMARY_KEYS:
        if key in summary:
            value, units, long_name = summary[key]
            rows.append((key, lr.format_quantity(value, units), long_name))
        elif key in SUMMARY_KEYS[:5]:
            rows.append((key, "n/a (not in file)", ""))
    half = (len(rows) + 1) // 2
    for col, chunk in enumerate((rows[:half], rows[half:])):
        lines = [f"{k:<36s} {v}" for k, v, _ in chunk]
        ax.text(0.0 + 0.5 * col, 0.95, "\n".join(lines), transform=ax.transAxes, va="top",
                ha="left", family="monospace", fontsize=10,
                bbox=dict(boxstyle="round", fc="#f4f7fb", ec="0.7"))
    prov = (f"file {os.path.basename(path)} | lunarsim {attrs.get('lunarsim_version', '?')} "
            f"commit {str(attrs.get('git_commit', '?'))[:10]} | seed {attrs.get('seed', '?')} | "
            f"written {attrs.get('creation_time', '?')}")
    ax.text(0.0, 0.0, prov, transform=ax.transAxes, fontsize=8, color="0.35", va="bottom")


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
    ax.set_xlabel("position along the track (km)")
    ax.set_ylabel("peak current (kA)")
    ax2 = ax.twinx()
    ax2.plot(pos[acc], stages["peak_force"][acc] / 1e3, "^-", color="tab:red", label="peak force, accelerating")
    if brake.any():
        ax2.plot(pos[brake], stages["peak_force"][brake] / 1e3, "v--", color="tab:orange",
                 label="peak force, braking")
    ax2.set_ylabel("peak force on the bucket (kN)")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [l.get_label() for l in lines], fontsize=8, loc="best")
    ax.set_title("coil launcher: current and force along the track (representative stages)")


MM = 1e6  # m per thousand km


def panel_flight(ax, traj):
    """The rotating frame's x-y plane in thousands of km, centred on the Moon."""
    ax.set_title("Flight to the catcher (rotating frame, Moon-centred)", loc="left")
    a = traj["_attrs"]
    if not all(k in traj for k in ("sample", "x", "y")):
        note(ax, "/orbit/trajectory lacks sample, x or y columns")
        return
    mx = a.get("moon_x", 0.0)
    sample = traj["sample"]
    x, y = (traj["x"] - mx) / MM, traj["y"] / MM
    dispersed = np.unique(sample[sample > 0])
    for i, k in enumerate(dispersed[:200]):  # enough to show the spread, few enough to draw fast
        sel = sample == k
        ax.plot(x[sel], y[sel], color="#1f77b4", lw=0.5, alpha=0.25,
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
    ax.set_title("Arrivals at the catcher (Monte Carlo)", loc="left")
    if arrivals is None or not all(k in arrivals for k in ("miss_1", "miss_2")):
        note(ax, "no /orbit/arrivals table (miss_1, miss_2) in this file")
        return
    m1, m2 = arrivals["miss_1"], arrivals["miss_2"]
    if m1.size == 0:
        note(ax, "/orbit/arrivals holds no arrivals")
        return
    captured = arrivals.get("captured", np.zeros_like(m1)) > 0.5
    share = f"captured share {captured.mean():.3g} of {m1.size}"
    shown = np.isfinite(m1) & np.isfinite(m2)  # NaN: a sample that never approached the catcher
    if not shown.all():
        share += f"; {(~shown).sum()} never approached (not drawn)"
    m1, m2, captured = m1[shown], m2[shown], captured[shown]
    ax.scatter(m1[~captured], m2[~captured], s=10, color="#d62728", alpha=0.7, label=f"missed ({(~captured).sum()})")
    ax.scatter(m1[captured], m2[captured], s=10, color="#2ca02c", alpha=0.7, label=f"captured ({captured.sum()})")
    if np.isfinite(catcher_radius):
        ax.add_patch(matplotlib.patches.Circle((0.0, 0.0), catcher_radius, fill=False, ec="k", lw=1.2,
                                               label=f"aperture (r = {catcher_radius:.3g} m)"))
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("miss across the arrival velocity, axis 1 (m)")
    ax.set_ylabel("miss, axis 2 (m)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=9)
    ax.text(0.02, 0.02, share, transform=ax.transAxes, fontsize=9, color="0.3")


def make_dashboard(path, out, bins="auto"):
    attrs = lr.root_attrs(path)
    groups = {g: lr.open_group(path, g) for g in ("power", "orbit", "chain", "massdriver")}
    summary = lr.read_summary(path)

    traj = read_table(path, "orbit/trajectory")
    rows = 4 if traj is not None else 3  # the flight row only when the run wrote a trajectory
    stages = read_table(path, "massdriver/stages")  # the coil launcher's stages, when it ran
    extra = 1 if stages is not None else 0

    fig = plt.figure(figsize=(16, 17 + 5 * (rows - 3 + extra)), constrained_layout=True)
    gs = fig.add_gridspec(rows + extra + 1, 2, height_ratios=[1] * (rows + extra) + [0.38])
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
    title = f"lunarsim run: {os.path.basename(path)}"
    if np.isfinite(duration):
        title += f" ({duration / lr.SECONDS_PER_YEAR:.3g} years simulated)"
    fig.suptitle(title, fontsize=15)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    ap.add_argument("run", help="lunarsim run file (HDF5)")
    ap.add_argument("-o", "--output", help="PNG to write (default: RUN stem + _dashboard.png)")
    ap.add_argument("--bins", choices=["auto", "month", "quarter", "year"], default="auto",
                    help="averaging window of the bottleneck shares (default: auto from run length)")
    args = ap.parse_args(argv)
    if not os.path.exists(args.run):
        print(f"plot_run.py: {args.run}: no such file", file=sys.stderr)
        return 2
    out = args.output or lr.default_output(args.run, "_dashboard.png")
    try:
        make_dashboard(args.run, out, args.bins)
    except OSError as e:
        print(f"plot_run.py: {args.run}: {e}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
