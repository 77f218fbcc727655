#include "illumination_curve.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *lsim_curve_trim(char *s)
{
    while (*s == ' ' || *s == '\t') ++s;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

/* A whole field as a finite number, or 0. */
static int lsim_curve_number(const char *text, double *value)
{
    char *end = NULL;
    errno = 0;
    *value = strtod(text, &end);
    return text[0] && end && *lsim_curve_trim(end) == '\0' && errno == 0 && isfinite(*value);
}

#define LSIM_CURVE_HEADER "ground_area_m2,illumination,basis"

static lsim_status lsim_curve_parse_row(const char *path, long line_no, char *text, lsim_illumination_curve *curve)
{
    int columns = 1;
    for (const char *p = text; *p; ++p) columns += *p == ',';
    if (columns != 3)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: expected 3 comma-separated columns (" LSIM_CURVE_HEADER "), found %d",
                         path, line_no, columns);
    char *fields[3];
    fields[0] = text;
    fields[1] = strchr(fields[0], ',') + 1;
    fields[2] = strchr(fields[1], ',') + 1;
    fields[1][-1] = '\0';
    fields[2][-1] = '\0';
    double area, lit;
    char *area_text = lsim_curve_trim(fields[0]), *lit_text = lsim_curve_trim(fields[1]);
    if (!lsim_curve_number(area_text, &area) || area < 0.0)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: ground_area_m2 '%s' is not a number >= 0", path, line_no, area_text);
    if (!lsim_curve_number(lit_text, &lit) || lit < 0.0 || lit > 1.0)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: illumination '%s' is not a number in [0, 1]", path, line_no, lit_text);
    size_t i = curve->count;
    if (i == 0 && area != 0.0)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: the first row's ground_area_m2 is %g; the table starts at 0", path,
                         line_no, area);
    if (i > 0 && !(area > curve->ground_area[i - 1]))
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: ground_area_m2 %g does not exceed the row before (%g)", path, line_no,
                         area, curve->ground_area[i - 1]);
    if (i > 0 && lit > curve->illumination[i - 1])
        return lsim_fail(LSIM_ERR_INPUT,
                         "%s:%ld: illumination %g rises above the row before (%g); rows go from the best-lit ground down",
                         path, line_no, lit, curve->illumination[i - 1]);
    if (i == LSIM_ILLUMINATION_CURVE_MAX)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: more than %d rows", path, line_no, LSIM_ILLUMINATION_CURVE_MAX);
    curve->ground_area[i] = area;
    curve->illumination[i] = lit;
    curve->count = i + 1;
    return LSIM_OK;
}

lsim_status lsim_illumination_curve_read(const char *path, lsim_illumination_curve *curve)
{
    memset(curve, 0, sizeof *curve);
    FILE *f = fopen(path, "r");
    if (!f) return lsim_fail(LSIM_ERR_INPUT, "%s: cannot open illumination curve: %s", path, strerror(errno));
    char line[1024];
    long line_no = 0;
    int header_seen = 0;
    lsim_status st = LSIM_OK;
    while (st == LSIM_OK && fgets(line, sizeof line, f)) {
        ++line_no;
        if (!strchr(line, '\n') && !feof(f)) {
            st = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: line longer than %zu characters", path, line_no, sizeof line - 2);
            break;
        }
        char *text = lsim_curve_trim(line);
        if (!text[0] || text[0] == '#') continue;
        if (!header_seen) {
            char header[sizeof line];
            size_t k = 0;
            for (const char *p = text; *p && k + 1 < sizeof header; ++p)
                if (*p != ' ' && *p != '\t') header[k++] = *p;
            header[k] = '\0';
            if (strcmp(header, LSIM_CURVE_HEADER) != 0)
                st = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: expected the header '" LSIM_CURVE_HEADER "', found '%s'", path,
                               line_no, text);
            header_seen = 1;
            continue;
        }
        st = lsim_curve_parse_row(path, line_no, text, curve);
    }
    fclose(f);
    if (st != LSIM_OK) return st;
    if (curve->count < 2)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%ld: %zu data rows; the curve needs at least 2", path, line_no,
                         curve->count);
    lsim_illumination_curve_integrate(curve);
    return LSIM_OK;
}

void lsim_illumination_curve_integrate(lsim_illumination_curve *curve)
{
    curve->lit_area[0] = 0.0;
    for (size_t i = 1; i < curve->count; ++i)
        curve->lit_area[i] = curve->lit_area[i - 1] + 0.5 * (curve->illumination[i - 1] + curve->illumination[i]) *
                                                          (curve->ground_area[i] - curve->ground_area[i - 1]);
}

double lsim_illumination_curve_mean(const lsim_illumination_curve *curve, double ground_area)
{
    size_t n = curve->count;
    if (!(ground_area > 0.0)) return curve->illumination[0];
    if (ground_area >= curve->ground_area[n - 1])
        return (curve->lit_area[n - 1] + curve->illumination[n - 1] * (ground_area - curve->ground_area[n - 1])) /
               ground_area;
    /* Rows are few (<= 64) and growth asks once per step: a bisection keeps it O(log n). */
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (curve->ground_area[mid] <= ground_area) lo = mid;
        else hi = mid;
    }
    double span = curve->ground_area[hi] - curve->ground_area[lo];
    double into = ground_area - curve->ground_area[lo];
    double lit_here = curve->illumination[lo] + (curve->illumination[hi] - curve->illumination[lo]) * into / span;
    return (curve->lit_area[lo] + 0.5 * (curve->illumination[lo] + lit_here) * into) / ground_area;
}
