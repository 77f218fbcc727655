/* What the lunarsim command shows its user: progress, the run summary and
 * the sweep table. Part of the command, not of the library (the library
 * never prints; it hands these to the callbacks the command installs). */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chain.h"
#include "log.h"
#include "units.h"

static double lsim_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void lsim_report_progress(const lsim_clock *clock, int final, void *context)
{
    lsim_progress *p = context;
    double now = lsim_wall_seconds();
    if (p->start_step < 0) {
        p->start_step = clock->step;
        p->start_wall = now;
    }
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

/* Scales a value to an SI prefix for reading; units stay SI. */
void lsim_format_quantity(char *buf, size_t size, double value, const char *units)
{
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    if (!isfinite(value)) {
        /* NaN means "never happened" only for a time (the milestones); for
         * anything else it means the figure is undefined in this run. */
        snprintf(buf, size, "%s", !isnan(value) ? "inf" : strcmp(units, "s") == 0 ? "not reached" : "n/a");
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

/* The members and their headline results, for a workstation user (the
 * file holds everything). */
void lsim_report_sweep_table(const lsim_sweep_table *report, void *context)
{
    (void)context;
    const lsim_sweep_plan *plan = report->plan;
    const lsim_params *base = report->base;
    const double *table = report->values;
    const char *const *metrics = report->metrics;
    int metric_count = (int)report->metric_count;
    const lsim_series_registry *names = report->units_from;
    size_t shown = plan->runs < 50 ? plan->runs : 50;
    /* Each column as wide as its name: names are never cut (two parameters
     * may share a long prefix). */
    enum { VALUE_WIDTH = 22 };
    int width[64 + 16];
    size_t columns = plan->axis_count + (size_t)metric_count;
    if (columns > sizeof width / sizeof width[0]) columns = sizeof width / sizeof width[0];
    for (size_t c = 0; c < columns; ++c) {
        const char *name = c < plan->axis_count ? plan->axes[c].name : metrics[c - plan->axis_count];
        width[c] = (int)strlen(name) > VALUE_WIDTH ? (int)strlen(name) : VALUE_WIDTH;
    }
    printf("%5s", "run");
    for (size_t c = 0; c < columns; ++c)
        printf("  %*s", width[c], c < plan->axis_count ? plan->axes[c].name : metrics[c - plan->axis_count]);
    printf("\n");
    for (size_t r = 0; r < shown; ++r) {
        printf("%5zu", r);
        for (size_t a = 0; a < plan->axis_count && a < columns; ++a) {
            const lsim_param_def *def = lsim_params_def(base, (size_t)plan->axes[a].def_index);
            double v = plan->values[r * plan->axis_count + a];
            char text[128];
            if (plan->axes[a].is_choice) {
                if (lsim_choice_word(plan->axes[a].words, (size_t)v, text, sizeof text) != LSIM_OK)
                    snprintf(text, sizeof text, "?");
            } else {
                snprintf(text, sizeof text, "%.6g %s", v, def->unit && strcmp(def->unit, "1") != 0 ? def->unit : "");
            }
            printf("  %*s", width[a], text);
        }
        for (int k = 0; k < metric_count && plan->axis_count + (size_t)k < columns; ++k) {
            double v = table[r * (size_t)metric_count + (size_t)k];
            const char *units = "1";
            for (size_t i = 0; i < lsim_summary_count(names); ++i)
                if (strcmp(lsim_summary_at(names, i)->name, metrics[k]) == 0) units = lsim_summary_at(names, i)->units;
            char text[64];
            lsim_format_quantity(text, sizeof text, v, units);
            printf("  %*s", width[plan->axis_count + (size_t)k], text);
        }
        printf("\n");
    }
    if (shown < plan->runs) printf("(%zu more members in the file)\n", plan->runs - shown);
    if (plan->method == LSIM_SWEEP_SOBOL || plan->method == LSIM_SWEEP_MORRIS)
        printf("%s indices of every summary metric in /sensitivity (scripts/plot_sweep.py draws them)\n",
               plan->method == LSIM_SWEEP_SOBOL ? "Sobol' first- and total-order" : "Morris mu*, mu and sigma");
}


static void lsim_report_duration(char *text, size_t size, double seconds)
{
    if (!(seconds >= 0.0) || !isfinite(seconds)) snprintf(text, size, "?");
    else if (seconds < 120.0) snprintf(text, size, "%.0f s", seconds);
    else if (seconds < 7200.0) snprintf(text, size, "%.1f min", seconds / 60.0);
    else snprintf(text, size, "%.1f h", seconds / 3600.0);
}

/* A line per member on stderr (the library lowers the log level while
 * members run, so this does not go through the log): members done, of how
 * many, and the time left at the pace so far. */
void lsim_report_member_done(const lsim_sweep_progress *p, void *context)
{
    (void)context;
    char elapsed[32], left[32];
    lsim_report_duration(elapsed, sizeof elapsed, p->elapsed);
    lsim_report_duration(left, sizeof left,
                         p->elapsed / (double)p->done_on_rank * (double)(p->to_run_on_rank - p->done_on_rank));
    if (p->ranks > 1)
        fprintf(stderr, "lunarsim: sweep rank %d: member %lld done, %zu of %zu, %s elapsed, about %s left\n", p->rank,
                p->member, p->done_on_rank, p->to_run_on_rank, elapsed, left);
    else
        fprintf(stderr, "lunarsim: sweep: member %lld done, %zu of %zu, %s elapsed, about %s left\n", p->member,
                p->done_on_rank, p->to_run_on_rank, elapsed, left);
}

void lsim_report_sweep_estimate(const lsim_sweep_estimate *e, void *context)
{
    (void)context;
    char bytes[32], free_bytes[32], seconds[32];
    lsim_format_quantity(bytes, sizeof bytes, e->bytes, "B");
    lsim_report_duration(seconds, sizeof seconds, e->seconds);
    if (isfinite(e->free_bytes)) lsim_format_quantity(free_bytes, sizeof free_bytes, e->free_bytes, "B");
    else snprintf(free_bytes, sizeof free_bytes, "?");
    fprintf(stderr,
            "lunarsim: sweep: %zu members (%zu to run) of %zu rows x %zu series: about %s before compression "
            "(%s free), about %s on %d thread(s) x %d rank(s) (one member: init %.2g s, %.2g us per step)\n",
            e->members, e->to_run, e->rows, e->series, bytes, free_bytes, seconds, e->threads, e->ranks,
            e->init_seconds, 1e6 * e->step_seconds);
}
