#define _POSIX_C_SOURCE 200809L
#include "quiet_stdout.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

void lsim_once_without_stdout(int *done, void (*fn)(void *), void *arg)
{
#if defined(_OPENMP)
#pragma omp critical(lsim_quiet_stdout)
#endif
    {
        if (!*done) {
            fflush(stdout);
            int saved = dup(STDOUT_FILENO);
            int sink = open("/dev/null", O_WRONLY);
            int redirected = saved >= 0 && sink >= 0 && dup2(sink, STDOUT_FILENO) >= 0;
            fn(arg);
            fflush(stdout);
            if (redirected) dup2(saved, STDOUT_FILENO);
            if (sink >= 0) close(sink);
            if (saved >= 0) close(saved);
            *done = 1;
        }
    }
}
