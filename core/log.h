/* Logging to stderr. stdout is reserved for results the user asked for. */
#ifndef LSIM_LOG_H
#define LSIM_LOG_H

#include "status.h"

typedef enum { LSIM_LOG_QUIET = 0, LSIM_LOG_WARN = 1, LSIM_LOG_INFO = 2, LSIM_LOG_DEBUG = 3 } lsim_log_level;

void lsim_log_set_level(lsim_log_level level);
lsim_log_level lsim_log_get_level(void);
void lsim_log(lsim_log_level level, const char *fmt, ...) LSIM_PRINTF(2, 3);

#endif
