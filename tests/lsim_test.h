/* A minimal assertion kit for the C tests. Every numeric check names its
 * tolerance and the reason for it, so a failure explains itself. */
#ifndef LSIM_TEST_H
#define LSIM_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lsim_test_failures = 0;
static int lsim_test_checks = 0;

#define LSIM_CHECK(cond, ...)                                                        \
    do {                                                                             \
        ++lsim_test_checks;                                                          \
        if (!(cond)) {                                                               \
            ++lsim_test_failures;                                                    \
            fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
        }                                                                            \
    } while (0)

/* |actual - expected| <= abs_tol + rel_tol*|expected|; `why` says where the tolerance comes from. */
#define LSIM_CHECK_CLOSE(actual, expected, rel_tol, abs_tol, why)                                 \
    do {                                                                                          \
        double lsim_a_ = (double)(actual), lsim_e_ = (double)(expected);                          \
        double lsim_tol_ = (double)(abs_tol) + (double)(rel_tol) * fabs(lsim_e_);                 \
        ++lsim_test_checks;                                                                       \
        if (!(fabs(lsim_a_ - lsim_e_) <= lsim_tol_)) {                                            \
            ++lsim_test_failures;                                                                 \
            fprintf(stderr, "%s:%d: FAILED %s = %.17g, expected %s = %.17g (tol %.3g: %s)\n",     \
                    __FILE__, __LINE__, #actual, lsim_a_, #expected, lsim_e_, lsim_tol_, why);    \
        }                                                                                         \
    } while (0)

/* Writes `text` to the file `name` (in the test's working directory) and
 * returns the name; a test that cannot write its own input stops at once. */
static inline const char *lsim_test_write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    if (!f) {
        perror(name);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
    return name;
}

#define LSIM_TEST_MAIN_END()                                                          \
    do {                                                                              \
        printf("%d checks, %d failed\n", lsim_test_checks, lsim_test_failures);       \
        return lsim_test_failures ? 1 : 0;                                            \
    } while (0)

#endif
