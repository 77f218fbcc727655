#include "run.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "h5out.h"
#include "log.h"
#include "lsim_version.h"

static volatile sig_atomic_t lsim_stop_signal = 0;

void lsim_run_request_stop(int signal_number) { lsim_stop_signal = signal_number; }

lsim_status lsim_run_simulation(const lsim_params *params, const lsim_run_options *options,
                                lsim_series_registry **summary_out)
{
    *summary_out = NULL;
    lsim_series_registry *series = lsim_series_new(1024);
    if (!series) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_chain chain;
    lsim_status st = lsim_chain_init(&chain, params, series);
    if (st != LSIM_OK) {
        lsim_chain_free(&chain);
        lsim_series_free(series);
        return st;
    }

    char *deck_yaml = lsim_params_to_yaml(params, NULL, 0);
    lsim_run_metadata meta = {LSIM_VERSION, LSIM_GIT_COMMIT, chain.seed, deck_yaml, chain.clock.epoch,
                              options->title ? options->title : "lunarsim run"};
    lsim_h5_output *out = NULL;
    st = lsim_h5_create(&out, options->output_path, &meta, series);
    free(deck_yaml);
    if (st != LSIM_OK) {
        lsim_chain_free(&chain);
        lsim_series_free(series);
        return st;
    }

    const int64_t total = chain.clock.step_count;
    int64_t next_report = 0;
    int64_t report_every = total / 20 > 0 ? total / 20 : 1;
    while (chain.clock.step < total) {
        if (lsim_stop_signal) break;
        st = lsim_chain_step(&chain);
        if (st != LSIM_OK) break;
        lsim_series_end_step(series, chain.clock.dt);
        if (chain.clock.step % chain.clock.steps_per_output == 0 || chain.clock.step == total) {
            if (lsim_series_end_interval(series, lsim_clock_time(&chain.clock))) {
                st = lsim_h5_write_rows(out, series);
                if (st != LSIM_OK) break;
            }
        }
        if (!options->quiet && chain.clock.step >= next_report) {
            lsim_log(LSIM_LOG_INFO, "%3.0f%% simulated %.2f of %.2f years", 100.0 * (double)chain.clock.step / (double)total,
                     lsim_clock_time(&chain.clock) / (365.25 * 86400.0), chain.clock.duration / (365.25 * 86400.0));
            next_report += report_every;
        }
    }

    if (st == LSIM_OK && lsim_stop_signal) {
        /* Keep every row already computed, but leave the file as NAME.partial:
         * an interrupted run is never passed off as complete. */
        st = lsim_fail(LSIM_ERR_RUN, "interrupted by signal %d at step %lld of %lld; rows so far kept in '%s.partial'",
                       (int)lsim_stop_signal, (long long)chain.clock.step, (long long)total, options->output_path);
        lsim_h5_close_partial(out, series);
    } else if (st == LSIM_OK) {
        lsim_chain_summarise(&chain);
        st = lsim_h5_finish(out, series);
    } else {
        lsim_h5_abort(out);
    }
    lsim_chain_free(&chain);
    if (st != LSIM_OK) {
        lsim_series_free(series);
        return st;
    }
    *summary_out = series;
    return LSIM_OK;
}

/* Scales a value to an SI prefix for reading; units stay SI. */
static void lsim_format_quantity(char *buf, size_t size, double value, const char *units)
{
    static const struct { double factor; const char *prefix; } prefixes[] = {
        {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    if (!isfinite(value)) {
        snprintf(buf, size, "%s", isnan(value) ? "not reached" : "inf");
        return;
    }
    if (strcmp(units, "s") == 0 && fabs(value) >= 86400.0 * 365.25 / 12.0) {
        snprintf(buf, size, "%.3g yr", value / (365.25 * 86400.0));
        return;
    }
    if (strcmp(units, "kg") == 0 && fabs(value) >= 1e3) {
        value /= 1e3;
        units = "t";
    }
    if (strcmp(units, "1") == 0) {
        snprintf(buf, size, "%.4g", value);
        return;
    }
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
        if (fabs(value) >= prefixes[i].factor || i + 1 == sizeof prefixes / sizeof prefixes[0]) {
            snprintf(buf, size, "%.4g %s%s", value / prefixes[i].factor, prefixes[i].prefix, units);
            return;
        }
    }
}

void lsim_print_summary(FILE *out, const lsim_series_registry *series)
{
    for (size_t i = 0; i < lsim_summary_count(series); ++i) {
        const lsim_summary_entry *e = lsim_summary_at(series, i);
        char value[64];
        lsim_format_quantity(value, sizeof value, e->value, e->units);
        fprintf(out, "  %-44s %16s   (%s)\n", e->name, value, e->long_name);
    }
}
