#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static lsim_log_level lsim_current_level = LSIM_LOG_INFO;
static lsim_log_sink lsim_current_sink = NULL;
static void *lsim_sink_context = NULL;

void lsim_log_set_sink(lsim_log_sink sink, void *context)
{
    lsim_current_sink = sink;
    lsim_sink_context = context;
}

void lsim_log_set_level(lsim_log_level level) { lsim_current_level = level; }

lsim_log_level lsim_log_get_level(void) { return lsim_current_level; }

void lsim_log(lsim_log_level level, const char *fmt, ...)
{
    if (level > lsim_current_level || level == LSIM_LOG_QUIET || lsim_current_sink == NULL) return;
    char message[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    lsim_current_sink(level, message, lsim_sink_context);
}

void lsim_log_stderr_sink(lsim_log_level level, const char *message, void *context)
{
    (void)context;
    static const char *const prefix[] = {"", "warning: ", "", "debug: "};
    fprintf(stderr, "lunarsim: %s%s\n", prefix[level], message);
}
