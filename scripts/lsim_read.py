#!/usr/bin/python3
"""Reading helpers shared by the lunarsim plot scripts.

Run files: one group per module, each with its own `time` coordinate
(seconds since the start epoch), a /summary group of scalars, root attributes.
Sweep files: the same groups with series as (run, time), parameters and
summary metrics as (run).  Everything here tolerates missing groups and
variables: callers get None and decide what to say about it.
"""
import math
import os
import re

import h5py
import numpy as np

# lunarsim's `yr` is the Julian year (run.duration=5yr -> 157788000 s).
SECONDS_PER_YEAR = 365.25 * 86400.0
JOULES_PER_WH = 3600.0


def text(value):
    """Attribute or dataset element as str (HDF5 strings come back as bytes)."""
    if value is None:
        return ""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def root_attrs(path):
    with h5py.File(path, "r") as f:
        return {k: (text(v) if isinstance(v, (bytes, np.bytes_, str)) else v) for k, v in f.attrs.items()}


def epoch_from_units(units):
    """'seconds since 2030-01-01 00:00:00' -> '2030-01-01' (for axis labels)."""
    m = re.search(r"since\s+(\S+)", units or "")
    return m.group(1) if m else "start"


class Series:
    """One 1-D (or (run, time)) series with its time axis in years since the epoch."""

    def __init__(self, name, values, years, units, long_name, cell_method):
        self.name = name
        self.values = values
        self.years = years
        self.units = units
        self.long_name = long_name
        self.cell_method = cell_method

    @property
    def is_mean(self):
        return "mean" in self.cell_method


class Group:
    """Series of one module group, read eagerly with h5py (files are small)."""

    def __init__(self, path, name):
        self.name = name
        self.series = {}
        self.attrs = {}
        self.epoch = "start"
        with h5py.File(path, "r") as f:
            if name not in f or not isinstance(f[name], h5py.Group):
                raise KeyError(name)
            g = f[name]
            self.attrs = {k: v for k, v in g.attrs.items()}
            years = None
            if "time" in g:
                t = g["time"]
                self.epoch = epoch_from_units(text(t.attrs.get("units")))
                years = np.asarray(t[()], dtype=float) / SECONDS_PER_YEAR
            for key, ds in g.items():
                if not isinstance(ds, h5py.Dataset) or key in ("time", "run"):
                    continue
                if ds.dtype.kind not in "fiu" or ds.ndim == 0:
                    continue
                if "columns" in ds.attrs:
                    # A design-time table (docs/OUTPUT.md "Tables", rows x columns): not a series,
                    # even when its column count happens to equal the row count of time.
                    continue
                if years is None or ds.shape[-1] != years.shape[0]:
                    continue
                self.series[key] = Series(
                    key, np.asarray(ds[()], dtype=float), years,
                    text(ds.attrs.get("units")), text(ds.attrs.get("long_name")) or key,
                    text(ds.attrs.get("cell_methods")))

    def get(self, name):
        return self.series.get(name)

    def matching(self, pattern):
        rx = re.compile(pattern)
        return [s for k, s in sorted(self.series.items()) if rx.fullmatch(k)]


def open_group(path, name):
    """The group's series, or None when the file has no such group."""
    try:
        return Group(path, name)
    except (KeyError, OSError):
        return None


def read_summary(path):
    """/summary as {name: (value or array, units, long_name)}; {} when absent."""
    out = {}
    with h5py.File(path, "r") as f:
        if "summary" not in f:
            return out
        for key, ds in f["summary"].items():
            if not isinstance(ds, h5py.Dataset) or key == "run" or ds.dtype.kind not in "fiu":
                continue
            val = ds[()]
            val = float(val) if np.ndim(val) == 0 else np.asarray(val, dtype=float)
            out[key] = (val, text(ds.attrs.get("units")), text(ds.attrs.get("long_name")) or key)
    return out


# ---- units for display -------------------------------------------------------

_PREFIXES = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")]


def _prefix_for(magnitude):
    for factor, p in _PREFIXES:
        if magnitude >= factor:
            return factor, p
    return 1.0, ""


def display_scale(units, values):
    """(divisor, display unit) that brings `values` (in SI `units`) to a readable range.

    Mass goes to t/kt/Mt, durations to yr, energy to Wh multiples, power to
    kW..TW; unknown units are left alone."""
    arr = np.abs(np.asarray(values, dtype=float))
    arr = arr[np.isfinite(arr) & (arr > 0)]
    magnitude = float(np.max(arr)) if arr.size else 0.0
    if units == "kg":
        if magnitude < 1e3:
            return 1.0, "kg"
        f, p = _prefix_for(magnitude / 1e3)
        return 1e3 * f, p + "t"
    if units == "s":
        return SECONDS_PER_YEAR, "yr"
    if units == "J":
        f, p = _prefix_for(magnitude / JOULES_PER_WH)
        return JOULES_PER_WH * f, p + "Wh"
    if units == "J kg-1":
        return 1e6, "MJ/kg"
    if units == "kg s-1":
        return 1e3 / SECONDS_PER_YEAR, "t/yr"
    if units in ("W", "W s-1"):
        f, p = _prefix_for(magnitude)
        return f, p + "W" + ("/s" if units == "W s-1" else "")
    if units == "1" or not units:
        return 1.0, ""
    return 1.0, units


def format_quantity(value, units, missing="n/a (not in file)"):
    """'19.04 GW', '11.3 yr', 'not reached' (NaN) for the summary text box."""
    if value is None:
        return missing
    value = float(value)
    if math.isnan(value):
        return "not reached"
    if math.isinf(value):
        return "infinite"
    div, unit = display_scale(units, [value])
    s = f"{value / div:.4g}"
    if units == "J kg-1":
        s += f" MJ/kg ({value / 3.6e6:.3g} kWh/kg)"
        return s
    return f"{s} {unit}".rstrip()


def default_output(input_path, suffix):
    stem, _ = os.path.splitext(input_path)
    return stem + suffix
