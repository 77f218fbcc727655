"""Running the lunarsim command from Python."""
import os
import shutil
import subprocess
import tempfile

from ._read import open_run, open_sweep


class LunarsimError(RuntimeError):
    """The lunarsim command failed (or could not be found).

    message: the program's one-line error (without the "lunarsim: error: " prefix);
    returncode: its exit code (2 bad input or usage, 1 run failed, 3 stopped by a
    signal; None when the command could not be started); stderr: all it printed there;
    command: the argument list.
    """

    def __init__(self, message, returncode=None, stderr="", command=None):
        super().__init__(message if returncode is None else "%s (exit code %d)" % (message, returncode))
        self.message = message
        self.returncode = returncode
        self.stderr = stderr
        self.command = command


def find_executable(executable=None):
    """The lunarsim command: `executable`, else $LUNARSIM, else `lunarsim` on PATH."""
    for cand in (executable, os.environ.get("LUNARSIM")):
        if cand:
            path = shutil.which(os.fspath(cand)) or (os.fspath(cand) if os.path.isfile(cand) else None)
            if path is None:
                raise LunarsimError("lunarsim command not found at '%s'" % cand)
            return path
    path = shutil.which("lunarsim")
    if path is None:
        raise LunarsimError("lunarsim command not found: pass executable=, set LUNARSIM, or put it on PATH")
    return path


def _text(value):
    """A --set/--vary value as the command reads it. Quantities need their unit in
    the text ("2.4 km/s"): the program refuses a bare number for a dimensioned parameter."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _flatten(settings):
    """{"a.b": v} or {"a": {"b": v}} as [("a.b", v), ...]."""
    out = []
    for k, v in (settings or {}).items():
        if isinstance(v, dict):
            out.extend(("%s.%s" % (k, kk), vv) for kk, vv in _flatten(v))
        else:
            out.append((k, v))
    return out


def _one_line(stderr):
    """The program's error line (its last line starting "lunarsim: error: ", else its last line)."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if ln.startswith("lunarsim: error: "):
            return ln[len("lunarsim: error: "):]
    return lines[-1] if lines else "lunarsim failed without a message"


def _call(args, executable):
    cmd = [find_executable(executable)] + args
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise LunarsimError("cannot start %s: %s" % (cmd[0], e), None, "", cmd) from e
    if proc.returncode != 0:
        raise LunarsimError(_one_line(proc.stderr), proc.returncode, proc.stderr, cmd)
    return proc


def _set_args(set):
    args = []
    for k, v in _flatten(set):
        args += ["--set", "%s=%s" % (k, _text(v))]
    return args


def run(deck=None, set=None, out=None, executable=None, threads=None, merge=False, args=()):
    """Run `lunarsim run` and return open_run(out, merge).

    deck: a deck file (None: the built-in default scenario). set: overrides
    {"massdriver.exit_speed": "2.4 km/s"} (or nested {"massdriver": {...}}).
    out: the output file to write and keep (None: a temporary file, removed after
    reading). args: further command-line options. A failing command raises
    LunarsimError with the program's message and exit code.
    """
    cli = ["run"] + ([os.fspath(deck)] if deck is not None else []) + _set_args(set)
    if threads is not None:
        cli += ["--threads", str(int(threads))]
    cli += ["--quiet"] + list(args)
    with tempfile.TemporaryDirectory(prefix="lunarsim-") as tmp:
        path = os.fspath(out) if out is not None else os.path.join(tmp, "run.h5")
        _call(cli + ["-o", path], executable)
        return open_run(path, merge=merge)


def _vary_spec(spec):
    if isinstance(spec, (list, tuple)):
        return ",".join(_text(v) for v in spec)
    return _text(spec)


def sweep(deck=None, vary=None, set=None, out=None, samples=None, method=None, executable=None,
          threads=None, unstack=False, merge=False, args=(), design=None, levels=None):
    """Run `lunarsim sweep` and return open_sweep(out, unstack, merge).

    vary: {"massdriver.exit_speed": "2.3km/s:2.5km/s:5", "refinery.route": ["mre", "carbothermal"]}:
    a grid "a:b:n", a list (a Python list, or text "v1,v2"), or with samples=N a range
    "a:b": method "lhs" (the default with samples), "sobol" (N base rows of the Saltelli
    scheme, N (d + 2) members, indices in the result's "sensitivity") or "morris" (N
    trajectories, d + 1 members each; levels= the grid's levels, default 4).
    design: a CSV file (one column per parameter, "section.key [unit]" headers, one row
    per member) instead of vary. Values carry units as text. Other arguments as for run().
    """
    if design is not None and (vary or samples is not None or method is not None or levels is not None):
        raise ValueError("sweep(design=...) gives every member: no vary, samples, method or levels with it")
    if not vary and design is None:
        raise ValueError("sweep needs vary={key: spec, ...} or design='FILE.csv'")
    with tempfile.TemporaryDirectory(prefix="lunarsim-") as tmp:
        if deck is None:
            # An empty deck is the default scenario; naming it keeps this independent of
            # what '-' means on the command line.
            deck_path = os.path.join(tmp, "default.yaml")
            with open(deck_path, "w") as fh:
                fh.write("{}\n")
        else:
            deck_path = os.fspath(deck)
        cli = ["sweep", deck_path]
        for k, v in _flatten(vary):
            cli += ["--vary", "%s=%s" % (k, _vary_spec(v))]
        if design is not None:
            cli += ["--design", os.fspath(design)]
        if levels is not None:
            cli += ["--levels", str(int(levels))]
        cli += _set_args(set)
        if samples is not None:
            cli += ["--samples", str(int(samples))]
        if method is not None:
            cli += ["--method", str(method)]
        if threads is not None:
            cli += ["--threads", str(int(threads))]
        cli += ["--quiet"] + list(args)
        path = os.fspath(out) if out is not None else os.path.join(tmp, "sweep.h5")
        _call(cli + ["-o", path], executable)
        return open_sweep(path, unstack=unstack, merge=merge)
