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

/* The one way a programmer's mistake fails (a user's mistake is a status and
 * a message, above): the condition, where, and why, on stderr, then abort,
 * in every build type (unlike assert, NDEBUG does not remove it). */
#if defined(__GNUC__)
#define LSIM_NORETURN __attribute__((noreturn))
#else
#define LSIM_NORETURN
#endif
LSIM_NORETURN void lsim_assert_fail(const char *file, int line, const char *fmt, ...) LSIM_PRINTF(3, 4);
#define LSIM_ASSERT(condition, ...) ((condition) ? (void)0 : lsim_assert_fail(__FILE__, __LINE__, __VA_ARGS__))

#endif
