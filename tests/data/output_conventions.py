#!/usr/bin/python3
"""Output conventions of a `lunarsim run` file, on real files (docs/OUTPUT.md):

  codes       category codes are int32 with CF flag_values/flag_meanings and _FillValue -1, read
              alike by h5py, netCDF4 and xarray, and name the cause the time-share series saw
  provenance  root attributes source, references (CITATION.cff's title) and history (the
              command, shell-quoted); a --restart adds one line to the history
  hdf5_18     --hdf5-1.8: superblock version 0, opens in h5py, netCDF4 and xarray, same values
              as the default file; resumable in that format; a SWMR-started run is not
  intervals   row times and lengths: rows end every run.output_interval, the last one at
              run.duration (shorter when the duration is not a whole number of intervals), and a
              row's means are over its own length

Usage: output_conventions.py --lunarsim BIN --source SRC --workdir DIR CASE
"""
import argparse
import os
import re
import subprocess
import sys

import h5py
import netCDF4
import numpy as np
import xarray as xr

FAILURES = []
LUNARSIM = None
SOURCE = None

# Every code the default chain writes (docs/OUTPUT.md "Codes").
CODE_VARIABLES = ["chain/bottleneck", "chain/surface_bottleneck", "fabrication/limit", "massdriver/limit",
                  "orbit/limit", "orbit/earth_bound"]
SHORT = ["--set", "run.duration=60 d", "--quiet"]


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAILED:", msg, file=sys.stderr)
    return cond


def run(args):
    return subprocess.run([LUNARSIM] + args, capture_output=True, text=True, timeout=600)


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def fresh(*paths):
    for p in paths:
        for q in (p, p + ".partial", p + ".ckpt", p + ".ckpt.tmp"):
            if os.path.exists(q):
                os.remove(q)


def make_run(path, *extra):
    fresh(path)
    proc = run(["run", "-o", path, *SHORT, *extra])
    check(proc.returncode == 0, f"lunarsim run {' '.join(extra)}: {proc.stderr}")
    return proc.returncode == 0


def case_codes(work):
    path = os.path.join(work, "codes.h5")
    if not make_run(path):
        return
    with h5py.File(path, "r") as f:
        # Every int variable is a code, and every code of the default chain is an int variable.
        ints = []
        f.visititems(lambda n, o: ints.append(n) if isinstance(o, h5py.Dataset) and o.dtype.kind == "i"
                     and "flag_values" in o.attrs else None)
        check(sorted(ints) == sorted(CODE_VARIABLES + ["summary/final_bottleneck"]),
              f"int32 code variables: {sorted(ints)}")
        loose = []
        f.visititems(lambda n, o: loose.append(n) if isinstance(o, h5py.Dataset) and "long_name" in o.attrs
                     and re.match(r"(code of|what )", text(o.attrs["long_name"])) and o.dtype.kind != "i" else None)
        check(not loose, f"variables described as codes but not written as codes: {loose}")
        for name in CODE_VARIABLES + ["summary/final_bottleneck"]:
            d = f[name]
            check(d.dtype == np.dtype("<i4"), f"{name}: dtype {d.dtype}, expected int32")
            values = np.asarray(d.attrs.get("flag_values"))
            meanings = text(d.attrs.get("flag_meanings", b"")).split()
            check(values.dtype == np.dtype("<i4") and values.ndim == 1 and len(values) == len(meanings) > 1,
                  f"{name}: {len(values)} int32 flag_values for {len(meanings)} flag_meanings")
            check(bool(np.all(np.diff(values) > 0)), f"{name}: flag_values ascending {values}")
            check(all(re.fullmatch(r"[A-Za-z0-9_.+@-]+", w) for w in meanings), f"{name}: CF words {meanings}")
            fill = d.attrs.get("_FillValue")
            check(fill is not None and np.asarray(fill).dtype == np.dtype("<i4") and int(fill) == -1,
                  f"{name}: _FillValue -1 of the variable's type ({fill!r})")
            check(d.fillvalue == -1 if d.ndim else True, f"{name}: HDF5 fill value -1 (unwritten rows read missing)")
            raw = np.atleast_1d(d[()])
            check(bool(np.all(np.isin(raw, np.append(values, -1)))),
                  f"{name}: values {np.unique(raw)} outside flag_values {values} and -1")
        check(not any(k.startswith("bottleneck_code_") for k in f["chain"].attrs),
              "the bottleneck_code_* attributes are gone (flag_values/flag_meanings replace them)")

        # The code names the cause the one-hot shares counted in the interval's last step, so the
        # share of that cause in the row is at least one step of 24 (exact comparison: > 0).
        for code_name, share_prefix in (("chain/bottleneck", "chain/bottleneck_"), ("orbit/limit", "orbit/limit_")):
            d = f[code_name]
            meanings = text(d.attrs["flag_meanings"]).split()
            lookup = dict(zip(np.asarray(d.attrs["flag_values"]).tolist(), meanings))
            raw = d[()]
            bad = [k for k, c in enumerate(raw) if c >= 0 and not f[share_prefix + lookup[int(c)]][k] > 0.0]
            check(not bad, f"{code_name}: rows whose code's share is zero: {bad[:5]}")
            check(len(set(raw.tolist())) >= 1 and len(raw) == 60, f"{code_name}: 60 daily rows")
        last = int(f["chain/bottleneck"][-1])
        check(int(f["summary/final_bottleneck"][()]) == last,
              f"final_bottleneck {int(f['summary/final_bottleneck'][()])} is the last row's code {last}")
        raw_codes = {n: np.atleast_1d(f[n][()]) for n in CODE_VARIABLES}

    # netCDF4 reads the same integers, as int32, with the flags.
    with netCDF4.Dataset(path) as nc:
        for name in CODE_VARIABLES:
            g, v = name.split("/")
            var = nc[g][v]
            check(var.dtype == np.dtype("int32"), f"netCDF4 {name}: dtype {var.dtype}")
            check(list(var.flag_values) == list(np.asarray(h5py.File(path, "r")[name].attrs["flag_values"])),
                  f"netCDF4 {name}: flag_values")
            check(np.array_equal(np.ma.filled(var[:], -1), raw_codes[name]), f"netCDF4 {name}: values")
    # xarray: CF decoding masks the fill value (float with NaN where -1); the encoding keeps int32.
    for group in sorted({n.split("/")[0] for n in CODE_VARIABLES}):
        ds = xr.open_dataset(path, group=group)
        plain = xr.open_dataset(path, group=group, mask_and_scale=False)
        for name in [n for n in CODE_VARIABLES if n.startswith(group + "/")]:
            v = name.split("/")[1]
            raw = raw_codes[name]
            decoded = ds[v].values
            check(ds[v].encoding.get("dtype") == np.dtype("int32"), f"xarray {name}: encoding dtype int32")
            check(np.array_equal(np.where(raw == -1, np.nan, raw), decoded, equal_nan=True),
                  f"xarray {name}: decoded values are the codes, NaN where -1")
            check(isinstance(ds[v].attrs.get("flag_meanings"), str) and "flag_values" in ds[v].attrs,
                  f"xarray {name}: flag attributes kept")
            check(plain[v].dtype == np.dtype("int32") and np.array_equal(plain[v].values, raw),
                  f"xarray {name} (mask_and_scale=False): int32, the file's values")
        ds.close()
        plain.close()
    summary = xr.open_dataset(path, group="summary")
    check(float(summary["final_bottleneck"]) == last, "xarray reads /summary/final_bottleneck")
    summary.close()


def citation_title():
    with open(os.path.join(SOURCE, "CITATION.cff"), encoding="utf-8") as f:
        m = re.search(r'^title:\s*"(.*)"\s*$', f.read(), re.M)
    return m.group(1) if m else None


def shell_words(command):
    """The words bash reads from `command` (the history's quoting is bash's: '...' and $'...')."""
    proc = subprocess.run(["bash", "-c", "printf '%s\\0' " + command], capture_output=True, timeout=60)
    check(proc.returncode == 0, f"bash reads the history's command: {proc.stderr!r}")
    return proc.stdout.decode("utf-8").split("\0")[:-1]


def history_lines(path):
    with h5py.File(path, "r") as f:
        return text(f.attrs.get("history", b"")).split("\n")


def case_provenance(work):
    # Words with blanks, a quote and a line break must come back as the same words, on one line.
    path = os.path.join(work, "prov it's\nhere.h5")
    args = ["run", "-o", path, "--set", "run.duration=30 d", "--quiet", "--set",
            "run.start_epoch=2030-01-01 00:00:00", "--set", "refinery.route=mre"]
    fresh(path)
    proc = run(args)
    if not check(proc.returncode == 0, f"run: {proc.stderr}"):
        return
    with h5py.File(path, "r") as f:
        attrs = {k: text(v) for k, v in f.attrs.items() if k in ("source", "references", "history",
                                                                  "lunarsim_version", "git_commit")}
    check(attrs.get("source") == f"lunarsim {attrs.get('lunarsim_version')} (commit {attrs.get('git_commit')})",
          f"source names the version and commit: {attrs.get('source')!r}")
    title = citation_title()
    ref = attrs.get("references", "")
    check(title is not None and title in ref, f"references carry CITATION.cff's title {title!r}: {ref!r}")
    check("docs/REFERENCES.md" in ref and "CITATION.cff" in ref, f"references point to the sources: {ref!r}")
    lines = history_lines(path)
    check(len(lines) == 1, f"a fresh run has one history line: {lines}")
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ): (.*)", lines[0])
    if check(m is not None, f"history line is 'ISO-TIME: COMMAND': {lines[0]!r}"):
        check(shell_words(m.group(2)) == [LUNARSIM] + args, f"the command reads back to its words: {m.group(2)!r}")

    # A run stopped and resumed: the resumed command is a second line, the first kept as it was.
    out = os.path.join(work, "prov_restart.h5")
    fresh(out)
    base = ["run", "-o", out, "--set", "run.duration=10 d", "--quiet"]
    proc = run(base + ["--stop-after-steps", "100"])
    if not check(proc.returncode == 3, f"stopped run exits 3: {proc.returncode} {proc.stderr}"):
        return
    before = history_lines(out + ".partial")
    proc = run(base + ["--restart", out + ".ckpt"])
    if not check(proc.returncode == 0, f"restart: {proc.stderr}"):
        return
    after = history_lines(out)
    check(len(after) == 2 and after[0] == before[0] and len(before) == 1,
          f"the restart adds one line and keeps the first: {before} -> {after}")
    if len(after) == 2:
        m = re.fullmatch(r"\S+Z: (.*) \(resumed at output row (\d+)\)", after[1])
        # 100 hourly steps stop after 4 whole daily rows: the checkpoint keeps 4.
        check(m is not None and shell_words(m.group(1)) == [LUNARSIM] + base + ["--restart", out + ".ckpt"]
              and m.group(2) == "4", f"the second line is the restart command, resumed at row 4: {after[1]!r}")


def superblock_version(path):
    """The superblock version byte: right after the 8-byte signature (no user block here)."""
    with open(path, "rb") as f:
        head = f.read(9)
    check(head[:8] == b"\x89HDF\r\n\x1a\n", f"{path}: HDF5 signature at offset 0")
    return head[8]


def all_datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
    return out


def case_hdf5_18(work):
    old, new = os.path.join(work, "v18.h5"), os.path.join(work, "default.h5")
    if not (make_run(old, "--hdf5-1.8") and make_run(new)):
        return
    check(superblock_version(old) in (0, 1), f"--hdf5-1.8: superblock version {superblock_version(old)}, expected 0 or 1")
    check(superblock_version(new) == 3, "the default (SWMR) file is the 1.10 format (superblock 3)")
    a, b = all_datasets(old), all_datasets(new)
    differ = [k for k in a if k not in b or a[k].tobytes() != b[k].tobytes() or a[k].dtype != b[k].dtype]
    check(sorted(a) == sorted(b) and not differ, f"the format changes no value: differ {differ[:5]}")
    with netCDF4.Dataset(old) as nc:
        check(set(nc.groups) >= {"chain", "orbit", "power", "summary"}, f"netCDF4 groups {sorted(nc.groups)}")
        check(np.array_equal(nc["power"]["generated"][:].filled(np.nan), a["power/generated"], equal_nan=True),
              "netCDF4 reads power/generated")
        check(np.array_equal(np.ma.filled(nc["chain"]["bottleneck"][:], -1), a["chain/bottleneck"]),
              "netCDF4 reads the codes")
        check("history" in nc.ncattrs() and "source" in nc.ncattrs(), "netCDF4 sees the global attributes")
    ds = xr.open_dataset(old, group="orbit")
    check(np.issubdtype(ds["time"].dtype, np.datetime64) and ds.sizes["time"] == 60, "xarray decodes the 1.8 file")
    ds.close()

    # A --hdf5-1.8 run stopped and resumed stays in the format; a SWMR-started one is refused.
    out = os.path.join(work, "v18_restart.h5")
    fresh(out)
    base = ["run", "-o", out, "--set", "run.duration=10 d", "--quiet", "--hdf5-1.8"]
    proc = run(base + ["--stop-after-steps", "100"])
    check(proc.returncode == 3, f"stopped --hdf5-1.8 run exits 3: {proc.stderr}")
    proc = run(base + ["--restart", out + ".ckpt"])
    if check(proc.returncode == 0, f"--hdf5-1.8 restart: {proc.stderr}"):
        check(superblock_version(out) in (0, 1) and len(history_lines(out)) == 2,
              "a resumed --hdf5-1.8 run is still superblock 0 or 1, with two history lines")
    swmr = os.path.join(work, "swmr_restart.h5")
    fresh(swmr)
    proc = run(["run", "-o", swmr, "--set", "run.duration=10 d", "--quiet", "--stop-after-steps", "100"])
    check(proc.returncode == 3, f"stopped SWMR run: {proc.stderr}")
    proc = run(["run", "-o", swmr, "--set", "run.duration=10 d", "--quiet", "--hdf5-1.8", "--restart", swmr + ".ckpt"])
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode == 2 and len(lines) == 1 and "--hdf5-1.8" in lines[0],
          f"a SWMR-started run resumed with --hdf5-1.8: refused on one line: {proc.returncode} {lines}")
    check(os.path.exists(swmr + ".partial") and os.path.exists(swmr + ".ckpt"), "the refusal deletes nothing")
    proc = run(["run", "--hdf5-1.8=yes"])
    check(proc.returncode == 2 and "takes no value" in proc.stderr, f"--hdf5-1.8 is a flag: {proc.stderr!r}")
    usage = run(["--help"])
    check("--hdf5-1.8" in usage.stdout + usage.stderr, "--help documents --hdf5-1.8")


def row_lengths(path):
    with h5py.File(path, "r") as f:
        t = f["time"][()]
        rate, mined = f["regolith/mining_rate"][()], f["chain/mined_total"][()]
        generated = f["power/generated"][()]
        energy = float(f["summary/surface_energy_generated"][()])
    return t, np.diff(np.concatenate([[0.0], t])), rate, mined, generated, energy


def check_interval_rule(work, label, duration_s, interval_s):
    path = os.path.join(work, f"intervals_{label}.h5")
    fresh(path)
    proc = run(["run", "-o", path, "--quiet", "--set", f"run.duration={duration_s} s",
                "--set", f"run.output_interval={interval_s} s"])
    if not check(proc.returncode == 0, f"{label}: {proc.stderr}"):
        return
    t, length, rate, mined, generated, energy = row_lengths(path)
    rows = -(-duration_s // interval_s)
    # The documented rule, exactly (times are whole seconds, exact in binary).
    want = np.minimum(np.arange(1, rows + 1) * float(interval_s), float(duration_s))
    check(len(t) == rows and np.array_equal(t, want), f"{label}: row k ends at min((k+1) I, D): {t} vs {want}")
    check(length[0] == interval_s and length[-1] == duration_s - (rows - 1) * interval_s,
          f"{label}: first row {length[0]} s, last {length[-1]} s")
    # A row's mean times its own length is what it holds: mass mined per row against the
    # cumulative stock, and energy generated over the run. Different summation orders of the
    # same steps: 1e-12 relative covers the round-off.
    delta = np.diff(np.concatenate([[0.0], mined]))
    err = np.abs(rate * length - delta) / np.maximum(np.abs(delta), 1.0)
    check(float(err.max()) < 1e-12, f"{label}: mining_rate x row length = mined per row (max rel err {err.max():.2g})")
    check(abs(float(np.sum(generated * length)) / energy - 1.0) < 1e-12,
          f"{label}: sum of generated x row length = surface_energy_generated")
    if length[-1] != interval_s:
        # The rule this replaces (every row a full interval) must fail here, or the check proves nothing.
        wrong = abs(rate[-1] * interval_s - delta[-1]) / delta[-1]
        check(wrong > 0.1, f"{label}: a full-interval last row would be off by {wrong:.3g} (discriminates)")


def case_intervals(work):
    day = 86400
    check_interval_rule(work, "short_last_row", 10 * day + 6 * 3600, day)  # 11 rows, the last 6 h
    check_interval_rule(work, "weekly", 30 * day, 7 * day)                # 7, 14, 21, 28, 30 d
    check_interval_rule(work, "whole", 10 * day, day)                     # 10 full rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--lunarsim", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("case")
    a = ap.parse_args()
    LUNARSIM, SOURCE = a.lunarsim, a.source
    work = os.path.join(a.workdir, "work_output_" + a.case)
    os.makedirs(work, exist_ok=True)
    globals()["case_" + a.case](work)
    print(f"{a.case}: {len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)
