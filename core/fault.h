/* Fault points: named durable-write boundaries (checkpoint writes, the run
 * file's creation, flushes and finish) at which a fault-injection test can
 * make the process die as kill -9 would, to prove that a restart from
 * whatever is on disk gives the uninterrupted result.
 *
 * Testing aid only. With the environment variable LSIM_FAULT_KILL_AT unset
 * (every normal run) a point costs one cached pointer test. Set to NAME, the
 * process raises SIGKILL the first time it reaches point NAME; set to
 * NAME#N, the N-th time. NAME must be one of LSIM_FAULT_POINTS
 * (lsim_fault_check_environment says so on one line otherwise). */
#ifndef LSIM_FAULT_H
#define LSIM_FAULT_H

#include "status.h"

/* Every point, in the order a run reaches them. */
#define LSIM_FAULT_POINTS(X)                                                                                   \
    X(create_after_file, "the run file NAME.partial created, nothing in it yet")                              \
    X(create_after_layout, "groups, series, tables and root attributes written, SWMR not started")           \
    X(flush_after, "rows written and the file flushed (H5Fflush)")                                           \
    X(checkpoint_after_tmp, "checkpoint written and fsynced to NAME.tmp, not yet renamed")                    \
    X(checkpoint_after_rename, "checkpoint renamed into place")                                               \
    X(finish_after_rows, "the last rows written, the file still in SWMR mode")                               \
    X(finish_after_reopen, "file closed and reopened out of SWMR mode to finish it")                         \
    X(finish_after_attributes, "design figures written as group attributes")                                 \
    X(finish_after_summary, "/summary written")                                                              \
    X(finish_after_close, "the finished file closed, still named NAME.partial")                              \
    X(finish_after_rename, "NAME.partial renamed to NAME, the checkpoint not yet removed")

/* At point `name`: kill the process if LSIM_FAULT_KILL_AT asks for it here. */
void lsim_fault_point(const char *name);

/* LSIM_OK if LSIM_FAULT_KILL_AT is unset or names a point (NAME or NAME#N,
 * N >= 1); LSIM_ERR_INPUT with one line otherwise. */
lsim_status lsim_fault_check_environment(void);

#endif
