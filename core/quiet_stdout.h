/* Silencing a library's own printing on standard output.
 *
 * Debian's Chipmunk2D is built with its debug checks, and its first
 * cpSpaceNew prints a two-line banner with printf. lunarsim's standard
 * output carries results (the run summary, the sweep table) that scripts
 * read, so that first call is made with the stdout file descriptor pointed
 * at /dev/null; Chipmunk keeps its own flag, and later spaces print nothing. */
#ifndef LSIM_QUIET_STDOUT_H
#define LSIM_QUIET_STDOUT_H

/* Calls fn(arg) with file descriptor 1 redirected to /dev/null, unless
 * *done is already set; sets it. Serialised (OpenMP critical): the
 * redirection is process-wide, for the microseconds fn takes. */
void lsim_once_without_stdout(int *done, void (*fn)(void *), void *arg);

#endif
