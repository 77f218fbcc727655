#define _POSIX_C_SOURCE 200809L
#include "units.h"
#include "run.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "h5out.h"
#include "log.h"
#include "lsim_version.h"
#include "state.h"

static volatile sig_atomic_t lsim_stop_signal = 0;

void lsim_run_request_stop(int signal_number) { lsim_stop_signal = signal_number; }

void lsim_run_options_default(lsim_run_options *options)
{
    memset(options, 0, sizeof *options);
    options->output_path = "lunarsim.h5";
    options->title = "lunarsim run";
    options->swmr = 1;
    options->flush_every_wall = 10.0;
}

static double lsim_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Everything that evolves, in one visit: the chain and its modules, then the
 * series accumulators. */
static lsim_status lsim_run_visit(lsim_chain *chain, lsim_series_registry *series, lsim_state *state)
{
    lsim_status st = lsim_chain_state_visit(chain, state);
    if (st == LSIM_OK) st = lsim_series_state(series, state);
    return st;
}

static lsim_status lsim_write_checkpoint(lsim_chain *chain, lsim_series_registry *series, lsim_h5_output *out,
                                         const lsim_params *params, const char *path)
{
    /* Rows first: the checkpoint names how many rows the output holds. */
    lsim_status st = lsim_h5_write_rows(out, series);
    if (st == LSIM_OK) st = lsim_h5_flush(out);
    if (st != LSIM_OK) return st;
    lsim_state *saver = lsim_state_new_saver();
    if (!saver) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    st = lsim_run_visit(chain, series, saver);
    lsim_state_header header;
    memset(&header, 0, sizeof header);
    snprintf(header.code_version, sizeof header.code_version, "%s", LSIM_VERSION);
    header.deck_hash = lsim_params_hash(params);
    header.step = chain->clock.step;
    header.output_rows = (int64_t)lsim_series_rows_written(series);
    if (st == LSIM_OK) st = lsim_state_write_file(saver, path, &header);
    lsim_state_free(saver);
    return st;
}

static lsim_status lsim_restore_checkpoint(lsim_chain *chain, lsim_series_registry *series,
                                           const lsim_params *params, const char *path, size_t *rows)
{
    lsim_state *loader = NULL;
    lsim_state_header header;
    lsim_status st = lsim_state_read_file(&loader, path, &header);
    if (st != LSIM_OK) return st;
    if (strcmp(header.code_version, LSIM_VERSION) != 0) {
        lsim_state_free(loader);
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' was written by lunarsim %s; this is %s", path,
                         header.code_version, LSIM_VERSION);
    }
    uint64_t hash = lsim_params_hash(params);
    if (header.deck_hash != hash) {
        lsim_state_free(loader);
        return lsim_fail(LSIM_ERR_INPUT,
                         "checkpoint '%s' was written for another deck (hash %016llx, this deck %016llx); "
                         "restart with the same deck and --set options",
                         path, (unsigned long long)header.deck_hash, (unsigned long long)hash);
    }
    st = lsim_run_visit(chain, series, loader);
    lsim_state_free(loader);
    if (st != LSIM_OK) return lsim_fail(st, "checkpoint '%s': %s", path, lsim_last_error());
    if (chain->clock.step != header.step || header.step < 0 || header.step > chain->clock.step_count)
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is inconsistent (step %lld)", path, (long long)header.step);
    *rows = (size_t)header.output_rows;
    return LSIM_OK;
}

typedef struct {
    int tty;
    double start_wall, last_draw;
    int64_t start_step;
    int next_percent;
} lsim_progress;

static void lsim_progress_update(lsim_progress *p, const lsim_clock *clock, int final)
{
    double now = lsim_wall_seconds();
    double fraction = (double)clock->step / (double)clock->step_count;
    double elapsed = now - p->start_wall;
    double rate = elapsed > 0.0 ? (double)(clock->step - p->start_step) / elapsed : 0.0;
    double eta = rate > 0.0 ? (double)(clock->step_count - clock->step) / rate : 0.0;
    double years = lsim_clock_time(clock) / LSIM_JULIAN_YEAR;
    double total_years = clock->duration / LSIM_JULIAN_YEAR;
    if (p->tty) {
        if (!final && now - p->last_draw < 0.2) return;
        p->last_draw = now;
        char bar[31];
        int filled = (int)(fraction * 30.0);
        for (int i = 0; i < 30; ++i) bar[i] = i < filled ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %5.1f%%  %.2f of %.2f yr  %.3g steps/s  ETA %02d:%02d:%02d ", bar, 100.0 * fraction,
                years, total_years, rate, (int)(eta / 3600.0), (int)fmod(eta / 60.0, 60.0), (int)fmod(eta, 60.0));
        if (final) fputc('\n', stderr);
        fflush(stderr);
        return;
    }
    /* Batch logs: a line every 5% keeps them readable. */
    int percent = (int)(100.0 * fraction);
    if (percent < p->next_percent && !final) return;
    p->next_percent = (percent / 5 + 1) * 5;
    lsim_log(LSIM_LOG_INFO, "%3d%%  %.2f of %.2f yr simulated  %.3g steps/s  ETA %.0f s", percent, years,
             total_years, rate, eta);
}

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

    lsim_h5_output *out = NULL;
    if (options->restart_path) {
        size_t rows = 0;
        st = lsim_restore_checkpoint(&chain, series, params, options->restart_path, &rows);
        if (st == LSIM_OK) st = lsim_h5_resume(&out, options->output_path, series, rows, options->swmr);
        if (st == LSIM_OK)
            lsim_log(LSIM_LOG_INFO, "resumed from '%s' at step %lld of %lld", options->restart_path,
                     (long long)chain.clock.step, (long long)chain.clock.step_count);
    } else {
        char *deck_yaml = lsim_params_to_yaml(params, NULL, 0);
        lsim_run_metadata meta = {LSIM_VERSION, LSIM_GIT_COMMIT, chain.seed, deck_yaml, chain.clock.epoch,
                                  options->title ? options->title : "lunarsim run", options->swmr};
        st = lsim_h5_create(&out, options->output_path, &meta, series);
        free(deck_yaml);
    }
    if (st != LSIM_OK) {
        lsim_chain_free(&chain);
        lsim_series_free(series);
        return st;
    }

    const int64_t total = chain.clock.step_count;
    const double sim_every = options->checkpoint_every_sim;
    int64_t checkpoint_every_steps = sim_every > 0.0 ? (int64_t)fmax(1.0, floor(sim_every / chain.clock.dt + 0.5)) : 0;
    double wall_start = lsim_wall_seconds();
    double last_flush = wall_start, last_checkpoint = wall_start;
    lsim_progress progress = {isatty(STDERR_FILENO), wall_start, 0.0, chain.clock.step, 0};
    int stopping = 0;

    while (st == LSIM_OK && chain.clock.step < total) {
        if (lsim_stop_signal ||
            (options->stop_after_steps > 0 && chain.clock.step >= options->stop_after_steps)) {
            stopping = 1;
            break;
        }
        st = lsim_chain_step(&chain);
        if (st != LSIM_OK) break;
        lsim_series_end_step(series, chain.clock.dt);
        if (lsim_clock_output_due(&chain.clock)) {
            if (lsim_series_end_interval(series, lsim_clock_time(&chain.clock))) st = lsim_h5_write_rows(out, series);
        }
        if (st != LSIM_OK) break;
        /* One checkpoint per step at most, whichever clock asked for it; a
         * checkpoint writes and flushes the rows, so it also counts as a flush. */
        int checkpoint_due = options->checkpoint_path && chain.clock.step < total && checkpoint_every_steps > 0 &&
                             chain.clock.step % checkpoint_every_steps == 0;
        if ((chain.clock.step & 63) == 0 || chain.clock.step == total) {
            double now = lsim_wall_seconds();
            if (options->checkpoint_path && options->checkpoint_every_wall > 0.0 && chain.clock.step < total &&
                now - last_checkpoint >= options->checkpoint_every_wall)
                checkpoint_due = 1;
            if (checkpoint_due) {
                st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path);
                last_checkpoint = last_flush = now;
                checkpoint_due = 0;
            } else if (options->flush_every_wall > 0.0 && now - last_flush >= options->flush_every_wall) {
                st = lsim_h5_write_rows(out, series);
                if (st == LSIM_OK) st = lsim_h5_flush(out);
                last_flush = now;
            }
            if (!options->quiet) lsim_progress_update(&progress, &chain.clock, chain.clock.step == total);
        }
        if (st == LSIM_OK && checkpoint_due)
            st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path);
    }

    if (st == LSIM_OK && stopping) {
        if (options->checkpoint_path) {
            st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path);
            if (st == LSIM_OK)
                st = lsim_fail(LSIM_CHECKPOINTED,
                               "stopped at step %lld of %lld (signal %d); checkpoint '%s' written, rows kept in "
                               "'%s.partial'; resume with --restart %s",
                               (long long)chain.clock.step, (long long)total, (int)lsim_stop_signal,
                               options->checkpoint_path, options->output_path, options->checkpoint_path);
        } else {
            st = lsim_fail(LSIM_ERR_RUN, "interrupted at step %lld of %lld; rows so far kept in '%s.partial'",
                           (long long)chain.clock.step, (long long)total, options->output_path);
        }
        lsim_h5_close_partial(out, series);
    } else if (st == LSIM_OK) {
        lsim_chain_summarise(&chain);
        st = lsim_h5_finish(out, series);
        if (st == LSIM_OK && options->checkpoint_path) unlink(options->checkpoint_path);
    } else {
        /* A failed run keeps the rows in NAME.partial when checkpoints exist
         * (they may be resumed); otherwise nothing is left behind. */
        if (options->checkpoint_path && access(options->checkpoint_path, F_OK) == 0) lsim_h5_close_partial(out, series);
        else lsim_h5_abort(out);
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
void lsim_format_quantity(char *buf, size_t size, double value, const char *units)
{
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    if (!isfinite(value)) {
        snprintf(buf, size, "%s", isnan(value) ? "not reached" : "inf");
        return;
    }
    if (strcmp(units, "s") == 0 && fabs(value) >= LSIM_JULIAN_YEAR / 12.0) {
        snprintf(buf, size, "%.3g yr", value / LSIM_JULIAN_YEAR);
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
    if (strcmp(units, "s-1") == 0 && fabs(value) >= 1e15) {
        snprintf(buf, size, "%.4g /s", value);
        return;
    }
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i) {
        if (fabs(value) >= prefixes[i].factor || i + 1 == sizeof prefixes / sizeof prefixes[0]) {
            snprintf(buf, size, "%.4g %s%s", value / prefixes[i].factor, prefixes[i].prefix, units);
            return;
        }
    }
}

/* Which heading a summary entry is printed under (the file keeps them flat). */
static int lsim_summary_section(const char *name)
{
    static const char *const orbit[] = {"installed_orbital_power", "orbital_compute", "peak_", "time_to_",
                                        "mass_delivered", "assembly_units_added", "catchers_added"};
    static const char *const limits[] = {"final_bottleneck", "bottleneck_share_", "growth_limited", "growth_metal"};
    for (size_t i = 0; i < sizeof orbit / sizeof orbit[0]; ++i)
        if (strncmp(name, orbit[i], strlen(orbit[i])) == 0) return 0;
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; ++i)
        if (strncmp(name, limits[i], strlen(limits[i])) == 0) return 1;
    if (strncmp(name, "energy_per_kg", 13) == 0 || strncmp(name, "surface_", 8) == 0 || strncmp(name, "storage_", 8) == 0)
        return 2;
    if (strncmp(name, "earth_", 6) == 0 || strcmp(name, "seed_mass") == 0) return 3;
    size_t n = strlen(name);
    if (n > 6 && strcmp(name + n - 6, "_built") == 0) return 4;
    return 5;
}

static int lsim_summary_headline(const char *name)
{
    static const char *const headline[] = {
        "installed_orbital_power", "orbital_compute_power", "peak_delivery_per_year", "peak_power_installed_per_year",
        "time_to_1_GW_per_year", "time_to_100_GW_per_year", "time_to_1_TW_per_year", "final_bottleneck",
        "growth_limited_by_earth_parts_share", "energy_per_kg_delivered", "earth_mass_total", "earth_only_launches",
        "earth_mass_leverage", "seed_mass"};
    for (size_t i = 0; i < sizeof headline / sizeof headline[0]; ++i)
        if (strcmp(name, headline[i]) == 0) return 1;
    return 0;
}

void lsim_print_summary(FILE *out, const lsim_series_registry *series, int full)
{
    static const char *const headings[] = {"Delivered to orbit", "What limited it", "Surface energy",
                                           "Earth", "Built on the Moon", "Run and checks"};
    for (int section = 0; section < 6; ++section) {
        int printed_heading = 0;
        for (size_t i = 0; i < lsim_summary_count(series); ++i) {
            const lsim_summary_entry *e = lsim_summary_at(series, i);
            int shown = full || lsim_summary_headline(e->name) ||
                        (strncmp(e->name, "bottleneck_share_", 17) == 0 && e->value >= 0.05);
            if (lsim_summary_section(e->name) != section || !shown) continue;
            if (!printed_heading) fprintf(out, "  %s\n", headings[section]);
            printed_heading = 1;
            char value[64];
            lsim_format_quantity(value, sizeof value, e->value, e->units);
            const char *long_name = e->long_name;
            if (strcmp(e->name, "final_bottleneck") == 0 && e->value >= 0.0 && e->value < LSIM_BOTTLENECK_COUNT) {
                snprintf(value, sizeof value, "%s", lsim_bottleneck_name[(int)e->value]);
                long_name = "what limited delivery in the last step";
            }
            fprintf(out, "    %-38s %14s   %s\n", e->name, value, long_name);
        }
    }
}
