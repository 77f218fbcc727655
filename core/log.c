#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static lsim_log_level lsim_current_level = LSIM_LOG_INFO;

void lsim_log_set_level(lsim_log_level level) { lsim_current_level = level; }

lsim_log_level lsim_log_get_level(void) { return lsim_current_level; }

void lsim_log(lsim_log_level level, const char *fmt, ...)
{
    if (level > lsim_current_level || level == LSIM_LOG_QUIET) return;
    static const char *const prefix[] = {"", "warning: ", "", "debug: "};
    va_list args;
    va_start(args, fmt);
    fputs("lunarsim: ", stderr);
    fputs(prefix[level], stderr);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}
