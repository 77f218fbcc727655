#include "units.h"
#include "clock.h"

#include <ctype.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const lsim_param_def lsim_run_param_defs[] = {
    {"run", "duration", LSIM_PARAM_REAL, "s", "yr", 30.0 * LSIM_JULIAN_YEAR, 3600.0, 500.0 * LSIM_JULIAN_YEAR,
     NULL, NULL, "simulated time span of the run",
     "design choice: decades, long enough to see whether the chain reaches terawatt scale"},
    {"run", "time_step", LSIM_PARAM_REAL, "s", "h", 3600.0, 1.0, 30.0 * 86400.0, NULL, NULL,
     "fixed time step of the chain",
     "design choice: hourly resolves the polar illumination outages and storage cycling"},
    {"run", "output_interval", LSIM_PARAM_REAL, "s", "d", 86400.0, 1.0, 366.0 * 86400.0, NULL, NULL,
     "length of an output row: flows are means over it, stocks values at its end",
     "design choice: daily rows keep a 30-year file near 10^4 rows per series"},
    {"run", "seed", LSIM_PARAM_INT, "1", NULL, 20260101.0, 0.0, 9007199254740992.0, NULL, NULL,
     "seed of the counter-based random numbers (draws depend on seed, purpose, entity and step only)",
     "design choice: any fixed value; only stochastic parts (excavator failures, LHS samples) depend on it"},
    {"run", "start_epoch", LSIM_PARAM_TEXT, NULL, NULL, 0.0, 0.0, 0.0, NULL, "2030-01-01 00:00:00",
     "calendar time (UTC) of t = 0, 'YYYY-MM-DD hh:mm:ss'", "design choice: the time axis unit is 'seconds since' it"},
};
const size_t lsim_run_param_count = sizeof lsim_run_param_defs / sizeof lsim_run_param_defs[0];

static int lsim_epoch_valid(const char *text)
{
    /* Digits exactly where the pattern has them: sscanf's %d would also take
     * signs and blanks ("2030-+1-01"), which CF time decoders then refuse. */
    static const char pattern[] = "dddd-dd-dd dd:dd:dd";
    if (strlen(text) != sizeof pattern - 1) return 0;
    for (size_t i = 0; i < sizeof pattern - 1; ++i)
        if (pattern[i] == 'd' ? !isdigit((unsigned char)text[i]) : text[i] != pattern[i]) return 0;
    int year, month, day, hour, minute, second, consumed = 0;
    if (sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second, &consumed) != 6)
        return 0;
    if (text[consumed] != '\0' || strlen(text) != 19) return 0;
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || month < 1 || month > 12) return 0;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int days = month_days[month - 1] + (month == 2 && leap);
    return day >= 1 && day <= days && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 &&
           second <= 59;
}

lsim_status lsim_clock_init(lsim_clock *clock, const lsim_params *params)
{
    memset(clock, 0, sizeof *clock);
    clock->dt = lsim_param_real(params, "run", "time_step");
    clock->duration = lsim_param_real(params, "run", "duration");
    double output_interval = lsim_param_real(params, "run", "output_interval");
    const char *epoch = lsim_param_text(params, "run", "start_epoch");

    if (!lsim_epoch_valid(epoch)) {
        /* Quoted as YAML so that a line break or a control in it keeps the message on one line. */
        char *shown = lsim_yaml_quoted(epoch);
        lsim_status status = lsim_fail(LSIM_ERR_INPUT, "%s: %s is not a time 'YYYY-MM-DD hh:mm:ss'",
                                       lsim_param_where(params, "run", "start_epoch"), shown);
        free(shown);
        return status;
    }
    snprintf(clock->epoch, sizeof clock->epoch, "%s", epoch);

    double steps = clock->duration / clock->dt;
    double whole_steps = floor(steps + 0.5);
    if (fabs(steps - whole_steps) > 1e-9 * whole_steps)
        return lsim_fail(LSIM_ERR_INPUT,
                         "run.duration: %.9g s is not a whole number of run.time_step (%.9g s); expected a multiple, "
                         "e.g. %.9g s or %.9g s",
                         clock->duration, clock->dt, floor(steps) * clock->dt, ceil(steps) * clock->dt);
    double per_output = output_interval / clock->dt;
    double whole_per_output = floor(per_output + 0.5);
    if (whole_per_output < 1.0 || fabs(per_output - whole_per_output) > 1e-9 * whole_per_output)
        return lsim_fail(LSIM_ERR_INPUT,
                         "run.output_interval: %.9g s is not a whole number of run.time_step (%.9g s); expected a "
                         "multiple",
                         output_interval, clock->dt);
    if (whole_per_output > whole_steps)
        return lsim_fail(LSIM_ERR_INPUT,
                         "run.output_interval: %.9g s is longer than run.duration (%.9g s); expected at most the "
                         "duration",
                         output_interval, clock->duration);
    clock->step_count = (int64_t)whole_steps;
    clock->steps_per_output = (int64_t)whole_per_output;
    if (clock->step_count > (int64_t)UINT32_MAX)
        return lsim_fail(LSIM_ERR_INPUT, "run.duration: %lld steps exceed the random-number counter range (2^32)",
                         (long long)clock->step_count);
    return LSIM_OK;
}
