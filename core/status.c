#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* Per thread so sweep members failing concurrently keep their own message. */
static _Thread_local char lsim_error_text[2048];

lsim_status lsim_fail(lsim_status code, const char *fmt, ...)
{
    /* Formatted apart first: callers may pass lsim_last_error() itself as an
     * argument ("context: %s"), and formatting into the buffer being read is
     * undefined behaviour (it garbled every such message). */
    char formatted[sizeof lsim_error_text];
    va_list args;
    va_start(args, fmt);
    vsnprintf(formatted, sizeof formatted, fmt, args);
    va_end(args);
    memcpy(lsim_error_text, formatted, sizeof formatted);
    /* One line, always: a message is read in logs and grepped in batch output. */
    for (char *c = lsim_error_text; *c; ++c) {
        if (*c == '\n' || *c == '\r') *c = ' ';
    }
    return code;
}

const char *lsim_last_error(void) { return lsim_error_text; }

void lsim_clear_error(void) { lsim_error_text[0] = '\0'; }

void lsim_assert_fail(const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "lunarsim: programming error at %s:%d: ", file, line);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}
