"""lunarsim: open lunarsim's HDF5 output as xarray, and run the command from Python.

    import lunarsim
    run = lunarsim.open_run("lunarsim.h5")            # {"chain": Dataset, ..., "summary": Dataset}
    sw = lunarsim.open_sweep("sweep.h5")              # parameters as indexed coordinates
    sw["summary"].sel({"massdriver.exit_speed": 2400.0})
    traj = lunarsim.open_table("lunarsim.h5", "orbit/trajectory")  # a design-time table, by column
    lunarsim.run(set={"run.duration": "1 yr"})        # runs `lunarsim run`, returns open_run()

See docs/PYTHON.md for a tutorial.
"""
from ._command import LunarsimError, find_executable, run, sweep
from ._read import SEP, decode_flags, follow, list_tables, open_run, open_sweep, open_table, sel

__all__ = ["open_run", "open_sweep", "open_table", "list_tables", "follow", "run", "sweep", "sel", "decode_flags",
           "find_executable", "LunarsimError", "SEP"]
__version__ = "0.1.0"
