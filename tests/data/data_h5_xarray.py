"""Reads the writer's output the way users will: xarray per group, netCDF4,
pandas; h5py as the reference for raw values. Fails (not skips) when a
library is missing: the setup installs Debian's python3-xarray etc."""
import os
import subprocess
import sys

import h5py
import netCDF4
import numpy as np
import xarray as xr

INTERVALS = 50
EPOCH = np.datetime64("2030-01-01T00:00:00", "ns")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAILED:", message, file=sys.stderr)


def value_at(series, step):  # keep in step with data_h5_pyfile_writer.c
    return ((step * 37 + series * 11) % 97) * 0.5


def expected(series, flow):
    rows = []
    for i in range(INTERVALS):
        a, b = value_at(series, 2 * i), value_at(series, 2 * i + 1)
        # two equal 1800 s steps: the mean is exact in binary either way
        rows.append((a * 1800.0 + b * 1800.0) / 3600.0 if flow else b)
    return np.array(rows)


writer, path = sys.argv[1], sys.argv[2]
for stale in (path, path + ".partial"):
    if os.path.exists(stale):
        os.remove(stale)
subprocess.run([writer, path], check=True)
check(os.path.exists(path) and not os.path.exists(path + ".partial"), "finished file renamed")

variables = {
    "regolith": {"mass_mined": ("kg s-1", 0, True), "stockpile": ("kg", 1, False)},
    "power": {"power_generated": ("W", 2, True)},
}
with h5py.File(path, "r") as h5:
    deck_h5 = h5.attrs["deck"]
    deck_h5 = deck_h5.decode("utf-8") if isinstance(deck_h5, bytes) else str(deck_h5)
    for group, members in variables.items():
        seconds = h5[group]["time"][()]
        check(np.array_equal(seconds, 3600.0 * np.arange(1, INTERVALS + 1)), f"{group}/time seconds (h5py)")
        ds = xr.open_dataset(path, group=group)
        check("time" in ds.coords, f"{group}: time is a coordinate")
        check(np.issubdtype(ds["time"].dtype, np.datetime64), f"{group}: time dtype {ds['time'].dtype}")
        want_time = EPOCH + (seconds * 1e9).astype("timedelta64[ns]")
        check(np.array_equal(ds["time"].values, want_time), f"{group}: time = epoch + seconds")
        for name, (units, series, flow) in members.items():
            var = ds[name]
            check(var.dims == ("time",), f"{group}/{name} dims {var.dims}")
            check(var.attrs.get("units") == units, f"{group}/{name} units {var.attrs.get('units')!r}")
            check(isinstance(var.attrs.get("long_name"), str), f"{group}/{name} long_name is str")
            check(var.attrs.get("cell_methods") == ("time: mean" if flow else "time: point"),
                  f"{group}/{name} cell_methods")
            check(np.isnan(var.encoding.get("_FillValue", 0.0)), f"{group}/{name} _FillValue is NaN")
            raw = h5[group][name][()]
            check(np.array_equal(var.values, raw), f"{group}/{name}: xarray values == h5py values")
            check(np.array_equal(raw, expected(series, flow)), f"{group}/{name}: values == formula")
        frame = ds.to_dataframe()
        check(len(frame) == INTERVALS and set(members) <= set(frame.columns), f"{group}: to_dataframe")
        if group == "regolith":
            check(float(ds.attrs.get("track_length", np.nan)) == 1234.5, "group attr track_length")
            check(ds.attrs.get("track_length_units") == "m", "group attr track_length_units")
        ds.close()

    root = xr.open_dataset(path)
    for key in ("title", "lunarsim_version", "git_commit", "creation_time", "deck", "Conventions"):
        check(isinstance(root.attrs.get(key), str), f"root attr {key} decodes to str: {type(root.attrs.get(key))}")
    check(root.attrs.get("deck") == deck_h5 and len(deck_h5.encode("utf-8")) == 100 * 1024, "deck round trip (~100 KiB, UTF-8)")
    check("m\u00b2" in root.attrs.get("deck", ""), "UTF-8 in the deck survives")
    check(int(root.attrs.get("seed", -1)) == 12345678901234567890, f"seed {root.attrs.get('seed')!r}")
    check(root.attrs.get("Conventions") == "CF-1.8", "Conventions")
    check(np.issubdtype(root["time"].dtype, np.datetime64), "root time decodes")
    root.close()

    summary = xr.open_dataset(path, group="summary")
    check(float(summary["mass_launched_total"]) == 5.25e9, "summary value")
    check(summary["mass_launched_total"].attrs.get("units") == "kg", "summary units")
    summary.close()

nc = netCDF4.Dataset(path)
check(set(nc.groups) >= {"regolith", "power", "summary"}, f"netCDF4 groups {list(nc.groups)}")
check(nc.groups["regolith"].dimensions["time"].isunlimited(), "netCDF4: time is unlimited")
check(nc.getncattr("title") == "lunarsim xarray check", "netCDF4 title")
fill = nc.groups["regolith"].variables["mass_mined"].getncattr("_FillValue")
check(np.isnan(fill), f"netCDF4 sees the NaN fill value, got {fill}")
nc.close()

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
