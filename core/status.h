/* Status codes and the per-thread error message.
 *
 * Library functions never print or exit: they return a status and leave a
 * one-line message here; only the command-line front end prints it. */
#ifndef LSIM_STATUS_H
#define LSIM_STATUS_H

typedef enum {
    LSIM_OK = 0,
    LSIM_ERR_RUN = 1,   /* the run itself failed (I/O, numerics) */
    LSIM_ERR_INPUT = 2, /* bad input or usage */
    LSIM_CHECKPOINTED = 3 /* stopped by a signal after writing a checkpoint: resume with --restart */
} lsim_status;

#if defined(__GNUC__)
#define LSIM_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define LSIM_PRINTF(fmt_index, first_arg)
#endif

/* Records a one-line message (newlines are replaced) and returns `code`, so
 * callers can write `return lsim_fail(LSIM_ERR_INPUT, "...", ...);`. */
lsim_status lsim_fail(lsim_status code, const char *fmt, ...) LSIM_PRINTF(2, 3);
const char *lsim_last_error(void);
void lsim_clear_error(void);

#endif
