"""Reading lunarsim HDF5 files (runs, sweeps, live SWMR files) into xarray.

Everything is read eagerly with h5py, so the file is closed (and may be removed)
when a function returns. Datasets are built from h5py and decoded with
xarray.decode_cf: the time axis becomes datetime64, `units` and `long_name`
stay in each variable's attrs, `_FillValue` NaN stays NaN.
"""
import os
import time
import warnings

import h5py
import numpy as np
import xarray as xr

# HDF5 dimension-scale and netCDF bookkeeping attributes: not data.
_HIDDEN_ATTRS = {"CLASS", "NAME", "DIMENSION_LIST", "REFERENCE_LIST", "_Netcdf4Dimid",
                 "_Netcdf4Coordinates", "_nc3_strict", "_NCProperties"}

# Separator between group and name in a merged dataset: "orbit/installed_power"
# becomes "orbit__installed_power" (a valid Python identifier and netCDF name).
SEP = "__"


def _attr(v):
    """An HDF5 attribute value as plain Python: text as str, scalars as int/float."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "SO":
            return [_attr(x) for x in v.tolist()]
        return v
    if isinstance(v, np.generic):
        return v.item()
    return v


def _attrs(obj):
    out = {}
    for k in obj.attrs.keys():
        if k in _HIDDEN_ATTRS:
            continue
        try:
            out[k] = _attr(obj.attrs[k])
        except (OSError, TypeError):  # an attribute type h5py cannot read: skip it
            continue
    return out


def _is_scale(ds):
    return _attr(ds.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def _scale_name(ds):
    name = _attr(ds.attrs.get("NAME", b""))
    if not name or name.startswith("This is a netCDF dimension"):
        name = ds.name.rsplit("/", 1)[-1]
    return name


def _dim_names(ds):
    base = ds.name.rsplit("/", 1)[-1]
    if _is_scale(ds) and ds.ndim == 1:
        return (_scale_name(ds),)
    names = []
    for i, d in enumerate(ds.dims):
        n = None
        try:
            if len(d) > 0:
                n = _scale_name(d[0])
        except (OSError, KeyError, ValueError):
            n = None
        names.append(n or d.label or "%s_dim%d" % (base, i))
    return tuple(names)


def _data(ds):
    if ds.dtype.kind == "O" and h5py.check_string_dtype(ds.dtype) is not None:
        return np.asarray(ds.asstr()[()], dtype=str)
    data = ds[()]
    if isinstance(data, bytes):
        return np.asarray(data.decode("utf-8", "replace"))
    data = np.asarray(data)
    if data.dtype.kind == "S":
        data = np.char.decode(data, "utf-8")
    return data


def _is_table(obj):
    """A design-time table (2-D, one column per name in its `columns` attribute): read by
    open_table, not part of a group's time-series Dataset."""
    return isinstance(obj, h5py.Dataset) and obj.ndim == 2 and "columns" in obj.attrs


def _group_dataset(grp, live):
    """One HDF5 group as an undecoded xarray Dataset (None if it holds no time series)."""
    raw = {}
    for name, obj in grp.items():
        if not isinstance(obj, h5py.Dataset) or _is_table(obj):
            continue
        if live:
            obj.refresh()
        raw[name] = (_dim_names(obj), _data(obj), _attrs(obj))
    if not raw:
        return None
    if live:
        # A file being written may have extended one dataset before another:
        # keep, for every dimension, only the rows all datasets already hold.
        size = {}
        for dims, data, _ in raw.values():
            for d, n in zip(dims, data.shape):
                size[d] = min(size.get(d, n), n)
        for name, (dims, data, attrs) in raw.items():
            sl = tuple(slice(0, size[d]) for d in dims)
            raw[name] = (dims, data[sl], attrs)
    variables = {n: xr.Variable(dims, data, attrs) for n, (dims, data, attrs) in raw.items()}
    coords = [n for n, v in variables.items() if v.dims == (n,)]
    ds = xr.Dataset({n: v for n, v in variables.items() if n not in coords},
                    coords={n: variables[n] for n in coords})
    # Category codes (flag_values / flag_meanings) stay the file's int32, -1 where no category applies:
    # masking the _FillValue would turn them into float64 NaN. decode_flags() gives their words.
    return xr.decode_cf(ds, decode_timedelta=False, mask_and_scale=False)


def _open_h5(path, live):
    """(h5py.File, opened as SWMR reader?) trying, in order: for a live file an SWMR read, the
    same without HDF5's file lock (a writer just killed may leave it briefly unavailable), then a
    plain read (a file written with --no-swmr); for a finished file a plain read first, then the
    SWMR reads (an unfinished or killed run's file still carries the writer's SWMR flag)."""
    path = os.fspath(path)
    swmr = [dict(libver="latest", swmr=True), dict(libver="latest", swmr=True, locking=False)]
    tries = swmr + [{}] if live else [{}] + swmr
    first = None
    for kw in tries:
        try:
            return h5py.File(path, "r", **kw), bool(kw)
        except (OSError, TypeError) as e:  # TypeError: an h5py without locking=
            first = first or e
    raise first


def _walk_groups(f):
    """(key, group) for every group holding datasets, in file order; root datasets under "/"."""
    out = [("/", f)]

    def visit(name, obj):
        if isinstance(obj, h5py.Group):
            out.append((name, obj))
    f.visititems(visit)
    return out


def _read(path, live):
    f, live = _open_h5(path, live)
    with f:
        root_attrs = _attrs(f)
        groups = {}
        for key, grp in _walk_groups(f):
            if key == "/":
                # The root holds only a shared time scale in today's files; keep anything else.
                if not any(isinstance(o, h5py.Dataset) and not _is_scale(o) for o in grp.values()):
                    continue
            ds = _group_dataset(grp, live)
            if ds is None:
                continue
            ds.attrs = dict(root_attrs)
            ds.attrs.update(_attrs(grp) if key != "/" else {})
            ds.attrs["lunarsim_group"] = key
            groups[key] = ds
    return groups, root_attrs


# ---------------------------------------------------------------- sweeps

def _param_keys(groups):
    """Varied parameters of a sweep: {variable name in the file: deck key}.

    The file names them CF-validly ("massdriver__exit_speed") with the deck key
    ("massdriver.exit_speed") in the attribute `deck_key`; files written before that
    named them by the deck key itself."""
    p = groups.get("parameters")
    if p is None:
        return {}
    keys = {}
    for name in list(p.data_vars) + list(p.coords):
        if name == "run":
            continue
        attrs = p[name].attrs
        # The deck key: the variable's name today; an attribute if names become CF-valid.
        key = next((attrs[a] for a in ("deck_key",) if a in attrs), name)
        keys[name] = str(key)
    return keys


def decode_flags(da):
    """A CF category variable (flag_values/flag_meanings) as its words.

    Codes not in flag_values become "" (there are none in lunarsim files).
    The words go in `categories` of the result's attrs.
    """
    values = np.asarray(da.attrs["flag_values"]).ravel()
    meanings = str(da.attrs["flag_meanings"]).split()
    if len(meanings) != len(values):
        raise ValueError("%s: %d flag_values but %d flag_meanings"
                         % (da.name, len(values), len(meanings)))
    lookup = dict(zip(values.tolist(), meanings))
    words = np.array([lookup.get(c, "") for c in np.asarray(da.values).ravel().tolist()],
                     dtype=str).reshape(da.shape)
    attrs = {k: v for k, v in da.attrs.items() if k not in ("flag_values", "flag_meanings", "units")}
    attrs["categories"] = " ".join(meanings)
    return xr.DataArray(words, dims=da.dims, attrs=attrs, name=da.name)


def _decode_index_coords(ds):
    """Dimension coordinates stored as int32 indices with flag_meanings (/sensitivity's
    `metric` and `parameter`) as their words, so ds.sel(metric="installed_orbital_power",
    parameter="massdriver.exit_speed") works."""
    for name in list(ds.dims):
        if name in ds.coords and "flag_meanings" in ds[name].attrs and "flag_values" in ds[name].attrs:
            words = decode_flags(ds[name])
            attrs = dict(words.attrs)
            ds = ds.assign_coords({name: (name, words.values.astype(object), attrs)})
    return ds


def _decorate_sweep(ds, params, keys):
    """Parameter coordinates (as deck keys, words decoded) indexed along `run`."""
    if "run" not in ds.dims:
        return _decode_index_coords(ds)  # /sensitivity: over metric and parameter, not run
    for name, key in keys.items():
        if name in ds.variables:
            var = ds[name]
        else:
            var = params[name]  # a group written without them: take /parameters' copy
        if "flag_values" in var.attrs and "flag_meanings" in var.attrs:
            var = decode_flags(var)
        if name in ds.variables:
            ds = ds.drop_vars(name)
        ds = ds.assign_coords({key: (var.dims, var.values, dict(var.attrs))})
    return ds


def _index(ds, keys):
    """An index on every parameter coordinate along `run`, so .sel() works by value."""
    if "run" in ds.dims:
        for key in keys:
            if key in ds.coords and key not in ds.indexes:
                ds = ds.set_xindex(key)
    return ds


def _unstack(ds, keys):
    """One dimension per parameter instead of `run` (full grids only)."""
    keys = list(keys)
    if "run" not in ds.dims:
        return ds
    cols = [np.asarray(ds[k].values) for k in keys]
    n = ds.sizes["run"]
    combos = set(zip(*[c.tolist() for c in cols]))
    full = 1
    for c in cols:
        full *= len(set(c.tolist()))
    if len(combos) != n or full != n:
        raise ValueError("unstack=True needs a full grid sweep: %d members, %d distinct parameter "
                         "combinations, a full grid of these values would have %d"
                         % (n, len(combos), full))
    ds = ds.drop_indexes([k for k in keys if k in ds.indexes])
    ds = ds.assign_coords(member=("run", ds["run"].values, {"long_name": "sweep member index"}))
    ds = ds.drop_vars("run")
    if len(keys) == 1:  # one parameter: it becomes the dimension (no MultiIndex needed)
        return ds.swap_dims({"run": keys[0]})
    with warnings.catch_warnings():
        # xarray casts a NaN fill to int while unstacking `member`; a full grid leaves no hole.
        warnings.simplefilter("ignore", RuntimeWarning)
        return ds.set_index(run=list(keys)).unstack("run")


def _merge(groups, root_attrs):
    parts = []
    attrs = dict(root_attrs)
    for key, ds in groups.items():
        prefix = "" if key == "/" else key.replace("/", SEP) + SEP
        renamed = ds.rename({v: prefix + v for v in ds.data_vars})
        renamed.attrs = {}
        parts.append(renamed)
        for k, v in ds.attrs.items():
            if k not in root_attrs and k != "lunarsim_group":
                attrs[prefix + k] = v
    merged = xr.merge(parts, compat="no_conflicts", combine_attrs="drop")
    merged.attrs = attrs
    return merged


def _assemble(groups, root_attrs, merge, unstack):
    keys = _param_keys(groups)
    if keys:
        params = groups["parameters"]
        groups = {g: _decorate_sweep(ds, params, keys) for g, ds in groups.items()}
    elif unstack:
        raise ValueError("unstack=True: the file is not a sweep (it has no /parameters group)")
    finish = (lambda ds: _unstack(ds, list(keys.values()))) if unstack else \
        (lambda ds: _index(ds, list(keys.values())))
    if merge:
        return finish(_merge(groups, root_attrs))
    return {g: finish(ds) for g, ds in groups.items()}


def open_run(path, merge=False):
    """Open a lunarsim run file.

    Returns a dict {group: xarray.Dataset} ("chain", "orbit", ..., "summary") in file
    order, or with merge=True one Dataset whose variables are named GROUP__NAME
    ("orbit__installed_power"; "summary__mass_delivered"). Each Dataset's attrs hold
    the file's root attributes (the effective deck is attrs["deck"]) and, per group,
    the group's design figures; merged, a group's attribute is GROUP__NAME.
    A sweep file opens too (as open_sweep without unstacking).
    """
    groups, root_attrs = _read(path, live=False)
    return _assemble(groups, root_attrs, merge, unstack=False)


def open_sweep(path, unstack=False, merge=False):
    """Open a lunarsim sweep file.

    Per group a Dataset over `run` (and `time`) whose varied parameters are coordinates
    named by their deck keys ("massdriver.exit_speed"), each with an index, so
    ds.sel({"massdriver.exit_speed": 2400.0}) selects the members with that value (SI).
    Choice and text parameters are decoded from their codes to their words.
    unstack=True (full grids only) replaces `run` by one dimension per parameter;
    the member index is then the coordinate `member`.
    A Sobol' or Morris sweep also has "sensitivity": S1, ST and their confidence
    bounds (or mu_star, mu, sigma) over the coordinates `metric` (summary names) and
    `parameter` (deck keys), e.g. sw["sensitivity"]["ST"].sel(metric="installed_orbital_power").
    """
    groups, root_attrs = _read(path, live=False)
    if "parameters" not in groups:
        raise ValueError("%s: not a sweep file (no /parameters group)" % os.fspath(path))
    return _assemble(groups, root_attrs, merge, unstack)


def follow(path, merge=False, retry_s=2.0):
    """What a file still being written holds so far (SWMR read).

    `path` may be the output name OUT.h5 while OUT.h5.partial exists, or the
    .partial itself. Every group is cut to the rows all its datasets already
    hold. Call again to see more rows.
    """
    path = os.fspath(path)
    if not os.path.exists(path) and os.path.exists(path + ".partial"):
        path = path + ".partial"
    # While the writer creates a group or extends a dataset, an SWMR read can fail on
    # metadata it has not flushed yet: try again for up to `retry_s` seconds.
    give_up = time.monotonic() + retry_s
    while True:
        try:
            groups, root_attrs = _read(path, live=True)
            break
        except (OSError, KeyError, RuntimeError):
            if time.monotonic() >= give_up:
                raise
            time.sleep(0.1)
    return _assemble(groups, root_attrs, merge, unstack=False)


# ---------------------------------------------------------------- tables

def _table_names(f):
    found = []
    f.visititems(lambda name, obj: found.append(name) if _is_table(obj) else None)
    return found


def list_tables(path):
    """The design-time tables of a run file: {"orbit/trajectory": (rows, columns), ...}."""
    f, _ = _open_h5(_existing(path), live=False)
    with f:
        return {n: tuple(f[n].shape) for n in _table_names(f)}


def _existing(path):
    path = os.fspath(path)
    if not os.path.exists(path) and os.path.exists(path + ".partial"):
        return path + ".partial"
    return path


def open_table(path, name, as_frame=False):
    """A design-time table of a run file (e.g. "orbit/trajectory") as an xarray Dataset.

    One float64 variable per column along the dimension `row`, named as in the table's
    `columns` attribute and carrying its `units` from `column_units`; the Dataset's attrs
    hold the table's `long_name` and its path (`lunarsim_table`). Values are the file's,
    bit for bit. as_frame=True gives a pandas DataFrame instead (units in
    df.attrs["units"], a dict by column). Tables are written when the run starts, so a
    run still being written (OUT.h5.partial) can be read too.
    """
    path = _existing(path)
    key = str(name).strip("/")
    f, _ = _open_h5(path, live=False)
    with f:
        obj = f.get(key)
        if not _is_table(obj):
            raise KeyError("%s: no table %r (tables: %s)"
                           % (path, key, ", ".join(_table_names(f)) or "none"))
        data = np.asarray(obj[()], dtype=np.float64)
        attrs = _attrs(obj)
    columns = str(attrs.get("columns", "")).split(",")
    units = str(attrs.get("column_units", "")).split(",")
    if len(columns) != data.shape[1] or len(set(columns)) != len(columns) or "" in columns:
        columns = ["column_%d" % j for j in range(data.shape[1])]
    if len(units) != data.shape[1]:
        units = [""] * data.shape[1]
    ds = xr.Dataset(
        {c: ("row", np.ascontiguousarray(data[:, j]), {"units": u}) for j, (c, u) in enumerate(zip(columns, units))},
        attrs={"long_name": attrs.get("long_name", ""), "lunarsim_table": key})
    if not as_frame:
        return ds
    frame = ds.to_dataframe()
    frame.attrs = {"units": dict(zip(columns, units)), **ds.attrs}
    return frame


def sel(ds, params=None, **kwargs):
    """Select by several parameter values at once: sel(ds, {"a.b": 1, "c.d": "x"}).

    xarray selects by one indexed non-dimension coordinate at a time; this chains them.
    """
    params = dict(params or {}, **kwargs)
    for k, v in params.items():
        ds = ds.sel({k: v})
    return ds
