/* Notes from the library to whoever runs it.
 *
 * Library code never prints: lsim_log hands each message to the sink the
 * front end installed (the lunarsim command installs one writing
 * "lunarsim: ..." lines to stderr; stdout is reserved for results the user
 * asked for). With no sink installed, messages are dropped, so a program
 * linking the library decides what reaches its user. */
#ifndef LSIM_LOG_H
#define LSIM_LOG_H

#include "status.h"

typedef enum { LSIM_LOG_QUIET = 0, LSIM_LOG_WARN = 1, LSIM_LOG_INFO = 2, LSIM_LOG_DEBUG = 3 } lsim_log_level;

/* Receives one message (no trailing newline) at or below the current level. */
typedef void (*lsim_log_sink)(lsim_log_level level, const char *message, void *context);

void lsim_log_set_sink(lsim_log_sink sink, void *context); /* NULL: drop messages */
void lsim_log_set_level(lsim_log_level level);
lsim_log_level lsim_log_get_level(void);
void lsim_log(lsim_log_level level, const char *fmt, ...) LSIM_PRINTF(2, 3);

/* The sink the lunarsim command uses: "lunarsim: [warning: ]message" on stderr. */
void lsim_log_stderr_sink(lsim_log_level level, const char *message, void *context);

#endif
