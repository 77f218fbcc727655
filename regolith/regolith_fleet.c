/* The excavator fleet: init, the per-step agent update, growth and attrition. */
#include "regolith.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datapath.h"
#include "dig_energy.h"
#include "fleet_model.h"
#include "log.h"
#include "regolith_internal.h"
#include "rng.h"

/* x86-64 CPUs with AVX2 get a hand-vectorised pass chosen at run time. */
#if defined(__x86_64__) && defined(__GNUC__)
#define LSIM_FLEET_HAVE_AVX2 1
#endif
#if defined(__SSE2__) || defined(LSIM_FLEET_HAVE_AVX2)
#include <immintrin.h>
#endif

/* Lunar gravity, docs/REFERENCES.md [MoonFactSheet]. */
#define LSIM_REGOLITH_LUNAR_GRAVITY 1.62

/* Below this many agents a parallel region costs more than it saves. */
#define LSIM_REGOLITH_OMP_THRESHOLD 4096

/* --- reliability --- */

static double weibull_piece(double shape, double scale, double t)
{
    if (!(scale > 0.0) || t <= 0.0) return 0.0;
    double x = t / scale;
    /* The common shapes skip pow(), which dominates the agent update. */
    if (shape == 1.0) return x;
    if (shape == 0.5) return sqrt(x);
    if (shape == 2.0) return x * x;
    if (shape == 3.0) return x * x * x;
    return pow(x, shape);
}

double lsim_regolith_cumulative_hazard(const double shape[LSIM_REGOLITH_HAZARD_PIECES],
                                       const double scale[LSIM_REGOLITH_HAZARD_PIECES], double t)
{
    double h = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_HAZARD_PIECES; ++k) h += weibull_piece(shape[k], scale[k], t);
    return h;
}

static double draw_repair_time(const lsim_regolith *m, uint64_t unit, uint32_t step)
{
    if (m->repair_law == LSIM_REGOLITH_REPAIR_LOGNORMAL) {
        double s = m->repair_log_sigma;
        /* mu chosen so the mean (not the median) is repair_mean. */
        double mu = log(m->repair_mean) - 0.5 * s * s;
        return exp(mu + s * lsim_rng_normal(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step));
    }
    return -m->repair_mean * log(lsim_rng_uniform_open0(m->seed, LSIM_STREAM_REGOLITH_REPAIR, unit, step, 0));
}

/* --- storage --- */

/* A copy of `old` (its first `old_bytes`) in a new block of `new_bytes` on a
 * cache-line boundary, so the wear kernel's 32-byte vector loads and stores
 * never straddle two lines (malloc only promises 16 bytes). NULL on failure,
 * `old` then untouched. */
static void *grow_aligned(void *old, size_t old_bytes, size_t new_bytes)
{
    const size_t line = 64;
    void *p = aligned_alloc(line, (new_bytes + line - 1) / line * line);
    if (!p) return NULL;
    if (old_bytes) memcpy(p, old, old_bytes);
    free(old);
    return p;
}

lsim_status lsim_regolith_reserve(lsim_regolith *m, size_t needed)
{
    if (needed <= m->capacity) return LSIM_OK;
    size_t cap = m->capacity ? m->capacity : 16;
    while (cap < needed) cap *= 2;
        /* Each array keeps its old block until its new one exists, so the fleet
     * stays consistent if one fails. */
#define LSIM_GROW(field)                                                                                               \
    do {                                                                                                               \
        void *p = grow_aligned(m->field, m->capacity * sizeof *m->field, cap * sizeof *m->field);                      \
        if (!p) return lsim_fail(LSIM_ERR_RUN, "regolith: out of memory for %zu excavators", cap);                     \
        m->field = p;                                                                                                  \
    } while (0)
    LSIM_GROW(state);
    LSIM_GROW(age);
    LSIM_GROW(virtual_age);
    LSIM_GROW(cumulative_hazard);
    LSIM_GROW(repair_remaining);
    LSIM_GROW(repair_count);
    LSIM_GROW(unit_id);
#undef LSIM_GROW
    m->capacity = cap;
    return LSIM_OK;
}

/* Removes retired agents, keeping the order of the rest. Serial and in index
 * order, so it is the same for every thread count; draws follow unit_id, not
 * the slot, so moving agents does not change their random numbers. */
static void compact(lsim_regolith *m)
{
    size_t w = 0;
    for (size_t i = 0; i < m->count; ++i) {
        if (m->state[i] == LSIM_REGOLITH_RETIRED) continue;
        if (w != i) {
            m->state[w] = m->state[i];
            m->age[w] = m->age[i];
            m->virtual_age[w] = m->virtual_age[i];
            m->cumulative_hazard[w] = m->cumulative_hazard[i];
            m->repair_remaining[w] = m->repair_remaining[i];
            m->repair_count[w] = m->repair_count[i];
            m->unit_id[w] = m->unit_id[i];
        }
        ++w;
    }
    m->count = w;
    m->n_retired_in_place = 0;
}

lsim_status lsim_regolith_add_excavators(lsim_regolith *m, double count, const lsim_clock *clock)
{
    if (!isfinite(count) || count < 0.0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith: cannot add %g excavators", count);
    double wanted = m->pending_units + count;
    double whole = floor(wanted);
    if (whole > 1.0e9) return lsim_fail(LSIM_ERR_INPUT, "regolith: cannot add %g excavators at once", count);
    if (whole == 0.0) {
        m->pending_units = wanted - whole;
        return LSIM_OK;
    }
    /* built at the start of the step they are added in */
    lsim_status st = m->fleet_model->add(m, whole, clock ? lsim_clock_time(clock) : 0.0);
    if (st != LSIM_OK) return st;
    m->pending_units = wanted - whole;
    m->n_operating += (long)whole;
    m->total_built += (long)whole;
    return LSIM_OK;
}

lsim_status lsim_regolith_fleet_agents_init(lsim_regolith *m)
{
    (void)m;
    return LSIM_OK;
}

/* New units start with age 0; their draws depend on unit_id and the step. */
lsim_status lsim_regolith_fleet_agents_add(lsim_regolith *m, double units, double now)
{
    (void)now;
    size_t n = (size_t)units;
    if (m->n_retired_in_place > 0) compact(m);
    lsim_status st = lsim_regolith_reserve(m, m->count + n);
    if (st != LSIM_OK) return st;
    double h0 = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale, 0.0);
    for (size_t i = m->count; i < m->count + n; ++i) {
        m->state[i] = LSIM_REGOLITH_OPERATING;
        m->age[i] = 0.0;
        m->virtual_age[i] = 0.0;
        m->cumulative_hazard[i] = h0;
        m->repair_remaining[i] = 0.0;
        m->repair_count[i] = 0;
        m->unit_id[i] = m->next_unit_id++;
    }
    m->count += n;
    return LSIM_OK;
}

long lsim_regolith_alive(const lsim_regolith *m) { return m->n_operating + m->n_failed + m->n_under_repair; }

double lsim_regolith_capacity(const lsim_regolith *m, const lsim_clock *clock)
{
    return (double)m->n_operating * m->design.capacity_per_unit * clock->dt;
}

/* --- init --- */

/* The fields older callers read, copied once from the design. */
static void copy_legacy_figures(lsim_regolith *m)
{
    const lsim_regolith_design *d = &m->design;
    memcpy(m->site_id, d->site_id, sizeof m->site_id);
    memcpy(m->element_fraction, d->element_fraction, sizeof m->element_fraction);
    m->bulk_density = d->bulk_density;
    m->rate_per_unit = d->capacity_per_unit;
    m->dig_specific_energy = d->dig_specific_energy;
    m->haul_specific_energy = d->haul_specific_energy;
    m->specific_energy = d->specific_energy;
    m->unit_mass = d->unit_mass;
    m->unit_lunar_mass = d->unit_lunar_mass;
    m->unit_earth_mass = d->unit_earth_mass;
}

static int choice_index(const char *value, const char *const *words, int n)
{
    for (int i = 0; i < n; ++i)
        if (strcmp(value, words[i]) == 0) return i;
    return -1;
}

lsim_status lsim_regolith_init(lsim_regolith *m, const lsim_params *params, lsim_series_registry *series,
                               uint64_t seed)
{
    memset(m, 0, sizeof *m);
    m->seed = seed;
    m->series = series;

    /* site */
    const char *site = lsim_param_text(params, "regolith", "site");
    const char *table = lsim_param_text(params, "regolith", "site_table");
    static const char *const remainder_words[] = {"other", "renormalise"};
    int remainder = choice_index(lsim_param_text(params, "regolith", "remainder_treatment"), remainder_words, 2);
    if (remainder < 0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith.remainder_treatment: expected other or renormalise");
    char path[1024];
    lsim_status st = lsim_data_path(table, lsim_param_where(params, "regolith", "site_table"), path, sizeof path);
    if (st != LSIM_OK) return st;
    lsim_regolith_site row;
    st = lsim_regolith_read_site(path, site, &row);
    if (st != LSIM_OK) return st;
    lsim_regolith_design *d = &m->design;
    snprintf(d->site_id, sizeof d->site_id, "%s", row.id);
    lsim_regolith_oxides_to_elements(row.oxide_wt_percent, (lsim_regolith_remainder)remainder, d->element_fraction);
    double listed = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_OXIDE_COUNT; ++k) listed += row.oxide_wt_percent[k];
    if (listed > 100.0 && remainder == LSIM_REGOLITH_REMAINDER_OTHER)
        lsim_log(LSIM_LOG_WARN,
                 "regolith: site '%s' oxides sum to %.2f wt%% (> 100, analytical closure): renormalised, no "
                 "minor-oxide remainder",
                 row.id, listed);
    d->bulk_density = lsim_param_real(params, "regolith", "bulk_density");

    /* one excavator */
    d->capacity_per_unit = lsim_param_real(params, "regolith", "excavation_rate");
    d->unit_mass = lsim_param_real(params, "regolith", "excavator_mass");
    double lunar_fraction = lsim_param_real(params, "regolith", "lunar_made_fraction");
    d->unit_lunar_mass = lunar_fraction * d->unit_mass;
    d->unit_earth_mass = d->unit_mass - d->unit_lunar_mass;
    {
        /* Haul loaded one way and empty back: per trip c g d (m_v + m_p) + c g d m_v
         * of work at the wheels, spread over the payload and divided by the
         * drive efficiency. */
        double dist = lsim_param_real(params, "regolith", "haul_distance");
        double c = lsim_param_real(params, "regolith", "haul_rolling_resistance");
        double payload = lsim_param_real(params, "regolith", "haul_payload");
        double eff = lsim_param_real(params, "regolith", "drive_efficiency");
        double wheel_work_per_trip = c * LSIM_REGOLITH_LUNAR_GRAVITY * dist * (2.0 * d->unit_mass + payload);
        d->haul_specific_energy = wheel_work_per_trip / payload / eff;
    }
    d->initial_excavators = lsim_param_int(params, "regolith", "initial_excavators");

    /* reliability */
    m->hazard_shape[LSIM_REGOLITH_INFANT] = lsim_param_real(params, "regolith", "infant_shape");
    m->hazard_scale[LSIM_REGOLITH_INFANT] = lsim_param_real(params, "regolith", "infant_scale");
    m->hazard_shape[LSIM_REGOLITH_RANDOM] = 1.0;
    m->hazard_scale[LSIM_REGOLITH_RANDOM] = lsim_param_real(params, "regolith", "random_scale");
    m->hazard_shape[LSIM_REGOLITH_WEAROUT] = lsim_param_real(params, "regolith", "wearout_shape");
    m->hazard_scale[LSIM_REGOLITH_WEAROUT] = lsim_param_real(params, "regolith", "wearout_scale");
    static const char *const repair_words[] = {"exponential", "lognormal"};
    m->repair_law = choice_index(lsim_param_text(params, "regolith", "repair_distribution"), repair_words, 2);
    if (m->repair_law < 0)
        return lsim_fail(LSIM_ERR_INPUT, "regolith.repair_distribution: expected exponential or lognormal");
    m->repair_mean = lsim_param_real(params, "regolith", "repair_mean");
    m->repair_log_sigma = lsim_param_real(params, "regolith", "repair_log_sigma");
    m->repair_delay = lsim_param_real(params, "regolith", "repair_delay");
    m->repair_age_restoration = lsim_param_real(params, "regolith", "repair_age_restoration");
    m->max_life = lsim_param_real(params, "regolith", "max_life");
    m->max_repairs = lsim_param_int(params, "regolith", "max_repairs");

    /* A unit that is scrapped for wear before infant mortality is over, or one
     * whose life is spent waiting, says the numbers were mistyped. */
    if (m->max_life > 0.0 && m->max_life < m->repair_mean && m->repair_mean < 1.0e29)
        return lsim_fail(LSIM_ERR_INPUT,
                         "regolith.max_life (%g s) is shorter than regolith.repair_mean (%g s): a unit would be "
                         "retired before one repair",
                         m->max_life, m->repair_mean);
    if (m->hazard_scale[LSIM_REGOLITH_WEAROUT] > 0.0 && m->hazard_scale[LSIM_REGOLITH_INFANT] > 0.0 &&
        m->hazard_scale[LSIM_REGOLITH_INFANT] < 1.0e-6 * m->hazard_scale[LSIM_REGOLITH_WEAROUT])
        return lsim_fail(LSIM_ERR_INPUT,
                         "regolith.infant_scale (%g s) is below 1e-6 of regolith.wearout_scale (%g s): infant "
                         "mortality would dominate the whole life; check the units",
                         m->hazard_scale[LSIM_REGOLITH_INFANT], m->hazard_scale[LSIM_REGOLITH_WEAROUT]);

    /* The fleet model, and for cohorts the cohort fleet with the same hazard:
     * exponential repair of mean repair_mean + repair_delay, every failure
     * repaired (max_repairs is the agents' alone), minimal repair only. */
    const char *fleet_word = lsim_param_text(params, "regolith", "fleet_model");
    m->fleet_model = lsim_regolith_fleet_model_find(fleet_word);
    LSIM_ASSERT(m->fleet_model, "regolith.fleet_model '%s' passed the registry but is not one of %s",
                fleet_word ? fleet_word : "(null)", LSIM_VARIANT_CHOICES(LSIM_REGOLITH_FLEET_MODELS));
    if (strcmp(m->fleet_model->head.name, "cohorts") == 0) {
        if (m->repair_age_restoration > 0.0)
            return lsim_fail(LSIM_ERR_INPUT,
                             "regolith.repair_age_restoration = %g with regolith.fleet_model = cohorts, expected 0 "
                             "(cohorts keep one age per cohort: minimal repair only)",
                             m->repair_age_restoration);
        lsim_cohort_config cc;
        memset(&cc, 0, sizeof cc);
        for (int k = 0; k < LSIM_HAZARD_PIECES; ++k) {
            cc.hazard.shape[k] = m->hazard_shape[k];
            cc.hazard.scale[k] = m->hazard_scale[k];
        }
        cc.repair_share = 1.0;
        cc.repair_mean_time = m->repair_mean + m->repair_delay;
        cc.max_life = m->max_life;
        cc.cohort_interval = lsim_param_real(params, "regolith", "cohort_interval");
        cc.wear_interval = lsim_param_real(params, "regolith", "wear_interval");
        cc.seed = seed;
        cc.stream = LSIM_STREAM_REGOLITH_FAILURE + 0x10;
        st = lsim_cohort_init(&m->cohorts, &cc, "regolith excavator cohorts", 0.0);
        if (st != LSIM_OK) return st;
    }
    st = m->fleet_model->init(m);
    if (st != LSIM_OK) return st;

    /* Digging energy from the chosen model, last: the deck is known to be
     * sound before a model that may take a second runs. */
    const char *dig_word = lsim_param_text(params, "regolith", "dig_energy_model");
    m->dig_model = lsim_regolith_dig_model_find(dig_word);
    /* The registry refuses any word not in the list the table is built from. */
    LSIM_ASSERT(m->dig_model, "regolith.dig_energy_model '%s' passed the registry but is not one of %s",
                dig_word ? dig_word : "(null)", LSIM_VARIANT_CHOICES(LSIM_REGOLITH_DIG_MODELS));
    st = m->dig_model->design(params, &d->dig, &m->dig_state);
    if (st != LSIM_OK) {
        lsim_regolith_free(m);
        return st;
    }
    d->dig_model = m->dig_model->head.name;
    d->dig_specific_energy = d->dig.specific_energy;
    d->specific_energy = d->dig_specific_energy + d->haul_specific_energy;
    d->power_per_unit = d->capacity_per_unit * d->specific_energy;
    copy_legacy_figures(m);

    /* series */
    const char *g = "regolith";
    m->sid_mining_rate = lsim_series_add(series, g, "mining_rate", "kg s-1", "regolith excavated", LSIM_SERIES_FLOW);
    m->sid_volume_rate = lsim_series_add(series, g, "excavated_volume_rate", "m3 s-1",
                                         "in-place volume of regolith excavated", LSIM_SERIES_FLOW);
    m->sid_power = lsim_series_add(series, g, "power_draw", "W", "electrical power drawn by the fleet",
                                   LSIM_SERIES_FLOW);
    m->sid_total = lsim_series_add(series, g, "excavators_total", "1", "excavators alive (not retired)",
                                   LSIM_SERIES_STOCK);
    m->sid_operating = lsim_series_add(series, g, "excavators_operating", "1", "excavators able to dig",
                                       LSIM_SERIES_STOCK);
    m->sid_failed = lsim_series_add(series, g, "excavators_failed", "1",
                                    "excavators down (failed, awaiting or under repair)", LSIM_SERIES_STOCK);
    m->sid_under_repair = lsim_series_add(series, g, "excavators_under_repair", "1",
                                          "excavators being repaired (part of excavators_failed)",
                                          LSIM_SERIES_STOCK);
    m->sid_availability = lsim_series_add(series, g, "availability", "1",
                                          "operating excavators over excavators alive", LSIM_SERIES_STOCK);
    m->sid_failures = lsim_series_add(series, g, "failures", "s-1", "excavator failures per second",
                                      LSIM_SERIES_FLOW);
    m->sid_retirements = lsim_series_add(series, g, "retirements", "s-1", "excavators retired per second",
                                         LSIM_SERIES_FLOW);
    m->sid_specific_energy = lsim_series_add(series, g, "specific_energy", "J kg-1",
                                             "electrical energy per kg excavated (dig + haul)", LSIM_SERIES_STOCK);

    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        char name[64];
        snprintf(name, sizeof name, "mass_fraction_%s", lsim_element_symbol[e]);
        lsim_series_group_attr(series, g, name, d->element_fraction[e], "1");
    }
    lsim_series_group_attr(series, g, "bulk_density", d->bulk_density, "kg m-3");
    lsim_series_group_attr(series, g, "excavation_rate_per_unit", d->capacity_per_unit, "kg s-1");
    lsim_series_group_attr(series, g, "dig_specific_energy", d->dig_specific_energy, "J kg-1");
    lsim_series_group_attr(series, g, "haul_specific_energy", d->haul_specific_energy, "J kg-1");
    m->dig_model->attrs(&d->dig, m->dig_state, series);
    lsim_series_group_attr(series, g, "unit_mass", d->unit_mass, "kg");
    lsim_series_group_attr(series, g, "unit_lunar_mass", d->unit_lunar_mass, "kg");
    lsim_series_group_attr(series, g, "unit_earth_mass", d->unit_earth_mass, "kg");

    long initial = d->initial_excavators;
    if (m->fleet_model == lsim_regolith_fleet_model_find("agents"))
        st = lsim_regolith_reserve(m, (size_t)(initial > 16 ? initial : 16));
    if (st == LSIM_OK) st = lsim_regolith_add_excavators(m, (double)initial, NULL);
    if (st != LSIM_OK) {
        lsim_regolith_free(m);
        return st;
    }
    return LSIM_OK;
}

void lsim_regolith_element_fractions(const lsim_regolith *m, double out[LSIM_EL_COUNT])
{
    for (int e = 0; e < LSIM_EL_COUNT; ++e) out[e] = m->design.element_fraction[e];
}

const lsim_regolith_design *lsim_regolith_design_view(const lsim_regolith *m) { return &m->design; }

/* --- step --- */

double lsim_regolith_power_demand(const lsim_regolith *m, const lsim_clock *clock, double max_mass_kg)
{
    double full_mass = (double)m->n_operating * m->design.capacity_per_unit * clock->dt;
    double mass = full_mass < max_mass_kg ? full_mass : (max_mass_kg > 0.0 ? max_mass_kg : 0.0);
    return mass * m->design.specific_energy / clock->dt;
}

/* The duty every operating excavator runs at: full, or cut to the power
 * grant or the mass cap, whichever binds (named in *limit). Rounded down
 * until neither limit is exceeded by a single ulp, so the chain's energy
 * ledger closes. */
static double choose_duty(const lsim_regolith_design *d, double full_mass, double dt, double granted,
                          double max_mass, double *mined, double *energy, lsim_regolith_limit *limit)
{
    *mined = 0.0;
    *energy = 0.0;
    *limit = LSIM_REGOLITH_LIMIT_FLEET;
    if (!(full_mass > 0.0)) return 0.0;
    if (!(max_mass > 0.0)) {
        *limit = LSIM_REGOLITH_LIMIT_STOCKPILE;
        return 0.0;
    }
    double duty = 1.0;
    if (full_mass > max_mass) {
        duty = max_mass / full_mass;
        *limit = LSIM_REGOLITH_LIMIT_STOCKPILE;
    }
    double full_power = full_mass * d->specific_energy / dt;
    if (full_power > 0.0) {
        if (!(granted > 0.0)) {
            *limit = LSIM_REGOLITH_LIMIT_POWER;
            return 0.0;
        }
        if (duty * full_power > granted) {
            duty = granted / full_power;
            *limit = LSIM_REGOLITH_LIMIT_POWER;
        }
    }
    for (;;) {
        *mined = full_mass * duty;
        *energy = *mined * d->specific_energy;
        if ((*mined <= max_mass && *energy / dt <= granted) || duty == 0.0) break;
        if (*mined <= max_mass && full_power == 0.0) break;
        duty = nextafter(duty, 0.0);
    }
    if (duty == 0.0) {
        *mined = 0.0;
        *energy = 0.0;
    }
    return duty;
}

/* --- the agents' wear kernel ---
 *
 * One step of every agent: an operating unit's hazard clock runs for the
 * time it dug and its failure is drawn; failed units wait the repair delay,
 * then a repair time; retirement at max_life of operation or on the failure
 * after max_repairs.
 *
 * The fleet is walked in blocks of LSIM_FLEET_BLOCK agents, handed to the
 * threads by a static schedule. A block takes one pass over the agents'
 * arrays: the common lane, an operating unit that dug and neither fails nor
 * reaches max_life, is done branch-free for all lanes at once (draw, hazard,
 * clocks, the failure test's cheap half); the rare lanes (a possible
 * failure, max_life reached, a unit down: 3% at the defaults) are then
 * finished one by one by the reference logic (finish_operating_lane,
 * finish_down_lane) from the block's scratch, still in L1. The hazard's
 * branches on the pieces' shapes are taken once per step (wear_step).
 *
 * The common lane's failure test: the unit fails when u < -expm1(-dH) with u
 * its uniform and dH the hazard gained. As -expm1(-x) < x for x > 0, u >= 2 dH
 * never fails, with a factor 2 of room for any libm's rounding of expm1, so
 * expm1 and the exact test run only for the few lanes with u < 2 dH (about
 * 2 dH of the units, 1e-3 per hourly step at the defaults).
 *
 * Bitwise the same results as the per-agent loop it replaced (tests/regolith/
 * regolith_fleet_kernel_test.c keeps that loop as its oracle) for any thread
 * count and either instruction set: every lane does the same IEEE operations
 * in the same order (no FMA: -ffp-contract=off), the counts are integers (an
 * exact reduction in any order), and draws are keyed by unit_id, not slot. */

/* A block's scratch (at most 11 KB) stays in L1 while the rare lanes are done. */
#define LSIM_FLEET_BLOCK 256

/* The Weibull pieces as the reference's branches on shape take them, decided
 * once per step instead of per agent. */
typedef enum { PIECE_OFF, PIECE_LINEAR, PIECE_SQRT, PIECE_SQUARE, PIECE_CUBE, PIECE_POW } hazard_piece_kind;

/* What every lane of a step shares. */
typedef struct {
    double worked;     /* s each operating unit dug */
    int digging;       /* worked > 0: operating units age and may fail */
    double life_limit; /* max_life, or +inf for none: only "might retire" is decided from it */
    double dt;
    uint32_t step;
    hazard_piece_kind piece_kind[LSIM_REGOLITH_HAZARD_PIECES];
    double piece_scale[LSIM_REGOLITH_HAZARD_PIECES], piece_shape[LSIM_REGOLITH_HAZARD_PIECES];
} wear_step;

/* A block's census and events; integers, so summing blocks in any order is exact. */
typedef struct {
    long operating, failed, under_repair, retired, failures, retirements;
} wear_census;

static wear_step wear_step_constants(const lsim_regolith *m, const lsim_clock *clock, double worked)
{
    wear_step w;
    memset(&w, 0, sizeof w);
    w.worked = worked;
    w.digging = worked > 0.0;
    w.life_limit = m->max_life > 0.0 ? m->max_life : INFINITY;
    w.dt = clock->dt;
    w.step = (uint32_t)clock->step;
    for (int k = 0; k < LSIM_REGOLITH_HAZARD_PIECES; ++k) {
        double shape = m->hazard_shape[k], scale = m->hazard_scale[k];
        hazard_piece_kind kind = PIECE_POW;
        if (!(scale > 0.0))
            kind = PIECE_OFF;
        else if (shape == 1.0)
            kind = PIECE_LINEAR;
        else if (shape == 0.5)
            kind = PIECE_SQRT;
        else if (shape == 2.0)
            kind = PIECE_SQUARE;
        else if (shape == 3.0)
            kind = PIECE_CUBE;
        w.piece_kind[k] = kind;
        w.piece_scale[k] = scale;
        w.piece_shape[k] = shape;
    }
    return w;
}

/* Moves a lane from one state's count to another's. */
static void census_move(wear_census *census, uint8_t from, uint8_t to)
{
    long *count[4] = {&census->operating, &census->failed, &census->under_repair, &census->retired};
    if (from == to) return;
    if (from < 4) --*count[from];
    if (to < 4) ++*count[to];
}

/* The rest of an operating lane's step by the reference logic, for lanes
 * the block pass flagged: it arrives with its clocks already advanced and
 * dh = H(v + worked) - H(v). The census has the lane as operating; a move is
 * recorded. */
static void finish_operating_lane(lsim_regolith *m, const wear_step *w, size_t i, double dh, wear_census *census)
{
    const long max_repairs = m->max_repairs;
    uint8_t s = LSIM_REGOLITH_OPERATING;
    /* P(fail in step | alive at its start) = 1 - exp(-(H(a+dt) - H(a))): exact for any dt. */
    int fails = dh > 0.0 &&
                lsim_rng_uniform(m->seed, LSIM_STREAM_REGOLITH_FAILURE, m->unit_id[i], w->step, 0) < -expm1(-dh);
    if (fails) {
        ++census->failures;
        if (max_repairs > 0 && (long)m->repair_count[i] >= max_repairs) {
            s = LSIM_REGOLITH_RETIRED;
        } else if (m->repair_delay > 0.0) {
            s = LSIM_REGOLITH_FAILED;
            m->repair_remaining[i] = m->repair_delay;
        } else {
            s = LSIM_REGOLITH_UNDER_REPAIR;
            m->repair_remaining[i] = draw_repair_time(m, m->unit_id[i], w->step);
            m->repair_count[i] += 1;
        }
    }
    if (s != LSIM_REGOLITH_RETIRED && m->max_life > 0.0 && m->age[i] >= m->max_life) s = LSIM_REGOLITH_RETIRED;
    if (s == LSIM_REGOLITH_RETIRED) ++census->retirements;
    m->state[i] = s;
    census_move(census, LSIM_REGOLITH_OPERATING, s);
}

/* What ends a down lane's wait: the delay over, its repair starts; the
 * repair over, it operates again (younger by the restoration). */
static void end_of_wait(lsim_regolith *m, const wear_step *w, size_t i, wear_census *census)
{
    const uint8_t start = m->state[i];
    uint8_t s = start;
    if (start == LSIM_REGOLITH_FAILED) {
        s = LSIM_REGOLITH_UNDER_REPAIR;
        m->repair_remaining[i] = draw_repair_time(m, m->unit_id[i], w->step);
        m->repair_count[i] += 1;
    } else {
        s = LSIM_REGOLITH_OPERATING;
        m->repair_remaining[i] = 0.0;
        if (m->repair_age_restoration > 0.0) {
            m->virtual_age[i] *= 1.0 - m->repair_age_restoration;
            m->cumulative_hazard[i] = lsim_regolith_cumulative_hazard(m->hazard_shape, m->hazard_scale,
                                                                      m->virtual_age[i]);
        }
    }
    m->state[i] = s;
    census_move(census, start, s);
}

/* A down lane (failed or under repair): its clock runs down by dt; the
 * rare expiry goes to end_of_wait, so this stays a short loop body. */
static inline void finish_down_lane(lsim_regolith *m, const wear_step *w, size_t i, wear_census *census)
{
    m->repair_remaining[i] -= w->dt;
    if (m->repair_remaining[i] <= 0.0) end_of_wait(m, w, i, census);
}

/* Either of the above by the lane's state, for the portable pass. */
static void finish_lane(lsim_regolith *m, const wear_step *w, size_t i, double dh, wear_census *census)
{
    const uint8_t s = m->state[i];
    if (s == LSIM_REGOLITH_OPERATING) {
        if (w->digging) finish_operating_lane(m, w, i, dh, census);
    } else if (s == LSIM_REGOLITH_FAILED || s == LSIM_REGOLITH_UNDER_REPAIR) {
        finish_down_lane(m, w, i, census);
    }
}

/* Census of the states a block's lanes start the step in. */
static void count_block(const uint8_t *state, size_t n, wear_census *census)
{
    long operating = 0, failed = 0, under_repair = 0, retired = 0;
    for (size_t j = 0; j < n; ++j) {
        operating += state[j] == LSIM_REGOLITH_OPERATING;
        failed += state[j] == LSIM_REGOLITH_FAILED;
        under_repair += state[j] == LSIM_REGOLITH_UNDER_REPAIR;
        retired += state[j] == LSIM_REGOLITH_RETIRED;
    }
    census->operating += operating;
    census->failed += failed;
    census->under_repair += under_repair;
    census->retired += retired;
}

/* A step without digging: operating units stand still, only the down ones move. */
static void wear_block_idle(lsim_regolith *m, const wear_step *w, size_t begin, size_t end, wear_census *census)
{
    count_block(m->state + begin, end - begin, census);
    for (size_t i = begin; i < end; ++i)
        if (m->state[i] == LSIM_REGOLITH_FAILED || m->state[i] == LSIM_REGOLITH_UNDER_REPAIR)
            finish_lane(m, w, i, 0.0, census);
}

/* h[j] = H(t[j]) for a block, piece by piece in the reference's order (an
 * OFF piece adds +0, which leaves h as it is, so it is skipped). Square roots
 * go through SSE2's sqrtpd: a libm sqrt() call keeps its errno check, which
 * stops the vectoriser, and the argument here is never negative for a lane
 * whose value is kept. */
static void hazard_block(const wear_step *w, const double *restrict t, double *restrict h, double *restrict x, size_t n)
{
    for (size_t j = 0; j < n; ++j) h[j] = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_HAZARD_PIECES; ++k) {
        const hazard_piece_kind kind = w->piece_kind[k];
        const double scale = w->piece_scale[k], shape = w->piece_shape[k];
        if (kind == PIECE_OFF) continue;
        for (size_t j = 0; j < n; ++j) x[j] = t[j] / scale;
        switch (kind) {
        case PIECE_SQRT: {
            size_t j = 0;
#if defined(__SSE2__)
            for (; j + 2 <= n; j += 2) _mm_storeu_pd(x + j, _mm_sqrt_pd(_mm_loadu_pd(x + j)));
#endif
            for (; j < n; ++j) x[j] = sqrt(x[j]);
            break;
        }
        case PIECE_SQUARE:
            for (size_t j = 0; j < n; ++j) x[j] = x[j] * x[j];
            break;
        case PIECE_CUBE:
            for (size_t j = 0; j < n; ++j) x[j] = x[j] * x[j] * x[j];
            break;
        case PIECE_POW:
            for (size_t j = 0; j < n; ++j) x[j] = t[j] <= 0.0 ? 0.0 : pow(x[j], shape);
            break;
        default: break;
        }
        /* t <= 0 gives a zero piece; NaN goes through as in the reference.
         * Every operand is loaded before the select, so the loop if-converts. */
        for (size_t j = 0; j < n; ++j) {
            const double piece = x[j], tj = t[j];
            h[j] += tj <= 0.0 ? 0.0 : piece;
        }
    }
}

/* The block pass in portable C, vectorised by the compiler for the build's
 * baseline instruction set: the uniforms of the block by the vectorised
 * generator, the hazard piece by piece, then one branch-free loop over the
 * lanes that advances the clocks and flags the rare lanes. */
static void wear_block_portable(lsim_regolith *m, const wear_step *w, size_t begin, size_t end, wear_census *census)
{
    if (!w->digging) {
        wear_block_idle(m, w, begin, end, census);
        return;
    }
    const size_t n = end - begin;
    const double worked = w->worked, life_limit = w->life_limit;
    const uint8_t *restrict state = m->state + begin;
    double *restrict virtual_age = m->virtual_age + begin;
    double *restrict hazard = m->cumulative_hazard + begin;
    double *restrict age = m->age + begin;
    double u[LSIM_FLEET_BLOCK], t[LSIM_FLEET_BLOCK], h[LSIM_FLEET_BLOCK], x[LSIM_FLEET_BLOCK];
    double aged_kept[LSIM_FLEET_BLOCK];
    uint8_t rare[LSIM_FLEET_BLOCK];

    count_block(state, n, census);
    lsim_rng_uniform_entities(m->seed, LSIM_STREAM_REGOLITH_FAILURE, m->unit_id + begin, n, w->step, 0, u);
    for (size_t j = 0; j < n; ++j) t[j] = virtual_age[j] + worked;
    hazard_block(w, t, h, x, n);
    /* The new clocks go to the block's scratch and are copied back after:
     * written straight to the fleet's arrays, "keep the old value" becomes a
     * conditional store, which the vectoriser cannot do. */
    for (size_t j = 0; j < n; ++j) {
        const uint8_t s = state[j];
        const int operating = s == LSIM_REGOLITH_OPERATING;
        const double v = virtual_age[j], v1 = t[j], h0 = hazard[j], h1 = h[j], a = age[j];
        const double aged = a + worked;
        const double dh = h1 - h0;
        t[j] = operating ? v1 : v;
        h[j] = operating ? h1 : h0;
        aged_kept[j] = operating ? aged : a;
        x[j] = dh; /* x is free again: it keeps dh for finish_lane */
        const int may_fail = (dh > 0.0) & !(u[j] >= 2.0 * dh);
        const int may_retire = aged >= life_limit;
        const int down = (s == LSIM_REGOLITH_FAILED) | (s == LSIM_REGOLITH_UNDER_REPAIR);
        rare[j] = (uint8_t)((operating & (may_fail | may_retire)) | down);
    }
    memcpy(virtual_age, t, n * sizeof *virtual_age);
    memcpy(hazard, h, n * sizeof *hazard);
    memcpy(age, aged_kept, n * sizeof *age);
    for (size_t j = 0; j < n; ++j)
        if (rare[j]) finish_lane(m, w, begin + j, x[j], census);
}

#if defined(LSIM_FLEET_HAVE_AVX2)
/* The block pass in AVX2, four agents per vector, the draws, the hazard and
 * the clocks in one loop so that Philox's integer work and the divider run
 * side by side (the divisions are issued first in each group; split into a
 * pass of draws and a pass of the rest it ran 15% slower).
 *
 * Why intrinsics here: GCC 12 vectorises lsim_rng_uniform_entities with
 * 32-bit lanes, even/odd widening multiplies and shuffles to put them back
 * in order (about 1.1e8 draws/s on the AMD EPYC (Zen 3) it was tuned on,
 * with SSE2 or AVX2 alike); holding each counter word in a 64-bit lane makes
 * every multiply one vpmuludq (about 3e8 draws/s, 9 to 10 cycles a draw;
 * Philox is then 70 of the loop's 120 vector operations per four agents).
 * Only a lower bound of u is formed, from its top 32 bits (u >= c0 2^-32):
 * enough to pass a lane as surviving (u >= 2 dH); a flagged lane redraws u
 * exactly in finish_operating_lane. Lanes past the last multiple of four go
 * through the portable pass. */
#define LSIM_AVX2_INLINE static inline __attribute__((target("avx2"), always_inline))

/* Philox4x32-10's word c0 for four entities, as a lower bound of the
 * uniform lsim_rng_uniform makes of words c0 and c1 (c0 2^-32 <= u). */
typedef struct {
    __m256i mul0, mul1, stream_k1, round0_hi, round0_lo, one_bits, k0[10], k1[10];
    __m256d one;
} avx2_philox;

LSIM_AVX2_INLINE void avx2_philox_init(avx2_philox *p, uint64_t seed, uint32_t stream, uint32_t step)
{
    const lsim_philox_round_keys keys = lsim_philox_key_schedule(seed);
    p->mul0 = _mm256_set1_epi64x(0xD2511F53);
    p->mul1 = _mm256_set1_epi64x(0xCD9E8D57);
    p->stream_k1 = _mm256_set1_epi64x(stream ^ keys.k1[0]);
    /* round 0 multiplies the step, the same for every lane */
    const uint64_t step_product = (uint64_t)0xCD9E8D57u * step;
    p->round0_hi = _mm256_set1_epi64x((long long)((step_product >> 32) ^ keys.k0[0]));
    p->round0_lo = _mm256_set1_epi64x((long long)(uint32_t)step_product);
    p->one_bits = _mm256_set1_epi64x(0x3FF0000000000000);
    for (int r = 0; r < 10; ++r) {
        p->k0[r] = _mm256_set1_epi64x(keys.k0[r]);
        p->k1[r] = _mm256_set1_epi64x(keys.k1[r]);
    }
    p->one = _mm256_set1_pd(1.0);
}

LSIM_AVX2_INLINE __m256d avx2_uniform_lower_bound(const avx2_philox *p, const uint64_t *entity)
{
    /* Each 32-bit word sits in a 64-bit lane; only its low half is meaningful,
     * which is all vpmuludq reads. Round 0 is in avx2_philox_init's constants
     * where it does not depend on the entity. */
    const __m256i ids = _mm256_loadu_si256((const __m256i *)entity);
    const __m256i p0 = _mm256_mul_epu32(ids, p->mul0);
    __m256i c0 = _mm256_xor_si256(_mm256_srli_epi64(ids, 32), p->round0_hi);
    __m256i c1 = p->round0_lo;
    __m256i c2 = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), p->stream_k1);
    __m256i c3 = p0;
    for (int r = 1; r < 8; ++r) {
        const __m256i q0 = _mm256_mul_epu32(c0, p->mul0), q1 = _mm256_mul_epu32(c2, p->mul1);
        /* the key goes into the word it meets before the product is ready */
        c0 = _mm256_xor_si256(_mm256_srli_epi64(q1, 32), _mm256_xor_si256(c1, p->k0[r]));
        c1 = q1;
        c2 = _mm256_xor_si256(_mm256_srli_epi64(q0, 32), _mm256_xor_si256(c3, p->k1[r]));
        c3 = q0;
    }
    /* Round 8: words 0 and 3 of its result feed only words the draw does not use. */
    const __m256i q0 = _mm256_mul_epu32(c0, p->mul0), q1 = _mm256_mul_epu32(c2, p->mul1);
    c2 = _mm256_xor_si256(_mm256_srli_epi64(q0, 32), _mm256_xor_si256(c3, p->k1[8]));
    c1 = q1;
    /* Round 9: word 0 alone. */
    const __m256i q9 = _mm256_mul_epu32(c2, p->mul1);
    c0 = _mm256_xor_si256(_mm256_srli_epi64(q9, 32), _mm256_xor_si256(c1, p->k0[9]));
    /* 1 + c0 2^-32 built in the mantissa, minus 1: exact */
    const __m256i mantissa = _mm256_srli_epi64(_mm256_slli_epi64(c0, 32), 12);
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(mantissa, p->one_bits)), p->one);
}

/* A Weibull piece from x = t / scale, as weibull_piece takes its shape. */
LSIM_AVX2_INLINE __m256d avx2_piece(hazard_piece_kind kind, __m256d x, __m256d t, double shape)
{
    switch (kind) {
    case PIECE_SQRT: return _mm256_sqrt_pd(x);
    case PIECE_SQUARE: return _mm256_mul_pd(x, x);
    case PIECE_CUBE: return _mm256_mul_pd(_mm256_mul_pd(x, x), x);
    case PIECE_POW: {
        double lane_t[4], lane_x[4];
        _mm256_storeu_pd(lane_t, t);
        _mm256_storeu_pd(lane_x, x);
        for (int l = 0; l < 4; ++l) lane_x[l] = lane_t[l] <= 0.0 ? 0.0 : pow(lane_x[l], shape);
        return _mm256_loadu_pd(lane_x);
    }
    default: return x;
    }
}

/* The loop over a block's groups of four. The piece kinds are arguments so
 * that the default bathtub (sqrt, linear, cube) gets a copy with its kinds
 * folded in; any other deck runs the same code with kinds read per step. */
/* The lanes of a block the pass hands on, listed without a branch: a
 * group's four-bit mask picks its set lanes' offsets from a table, packed
 * one per byte (a block's lanes fit in a byte), stored four at a time and
 * counted by the mask's popcount. */
typedef struct {
    size_t count;
    uint8_t lane[LSIM_FLEET_BLOCK + 4]; /* room for the last group's four-byte store */
} lane_list;

static const uint32_t set_lane_offsets[16] = {0x00000000, 0x00000000, 0x00000001, 0x00000100, 0x00000002, 0x00000200,
                                              0x00000201, 0x00020100, 0x00000003, 0x00000300, 0x00000301, 0x00030100,
                                              0x00000302, 0x00030200, 0x00030201, 0x03020100};

LSIM_AVX2_INLINE void lane_list_add(lane_list *list, size_t first_lane, int mask)
{
    const uint32_t lanes = set_lane_offsets[mask] + (uint32_t)first_lane * 0x01010101u;
    memcpy(list->lane + list->count, &lanes, sizeof lanes);
    list->count += (size_t)__builtin_popcount((unsigned)mask);
}

LSIM_AVX2_INLINE void avx2_block_pass(lsim_regolith *m, const wear_step *w, size_t begin, size_t n4,
                                      hazard_piece_kind kind0, hazard_piece_kind kind1, hazard_piece_kind kind2,
                                      lane_list *operating_rare, lane_list *down_lanes, double *dh_kept,
                                      wear_census *census)
{
    avx2_philox philox;
    avx2_philox_init(&philox, m->seed, LSIM_STREAM_REGOLITH_FAILURE, w->step);
    const hazard_piece_kind kind[3] = {kind0, kind1, kind2};
    const __m256d scale0 = _mm256_set1_pd(w->piece_scale[0]), scale1 = _mm256_set1_pd(w->piece_scale[1]);
    const __m256d scale2 = _mm256_set1_pd(w->piece_scale[2]);
    const __m256d worked = _mm256_set1_pd(w->worked), life_limit = _mm256_set1_pd(w->life_limit);
    const __m256d zero = _mm256_setzero_pd(), two = _mm256_set1_pd(2.0);
    const __m256i failed = _mm256_set1_epi64x(LSIM_REGOLITH_FAILED);
    const __m256i under_repair = _mm256_set1_epi64x(LSIM_REGOLITH_UNDER_REPAIR);
    const __m256i retired = _mm256_set1_epi64x(LSIM_REGOLITH_RETIRED);
    const uint8_t *state = m->state + begin;
    const uint64_t *unit_id = m->unit_id + begin;
    const double *repair_remaining = m->repair_remaining + begin;
    double *virtual_age = m->virtual_age + begin, *hazard = m->cumulative_hazard + begin, *age = m->age + begin;
    /* census of the states the lanes start in, by the scalar units, which
     * are idle here (the down lanes are counted where they are finished);
     * finish_*_lane record the moves */
    long operating_count = 0, retired_count = 0;

    for (size_t j = 0; j < n4; j += 4) {
        const __m256d v = _mm256_loadu_pd(virtual_age + j);
        const __m256d t = _mm256_add_pd(v, worked);
        /* the divisions first, so the divider works while Philox runs */
        const __m256d x0 = kind[0] != PIECE_OFF ? _mm256_div_pd(t, scale0) : zero;
        const __m256d x1 = kind[1] != PIECE_OFF ? _mm256_div_pd(t, scale1) : zero;
        const __m256d x2 = kind[2] != PIECE_OFF ? _mm256_div_pd(t, scale2) : zero;
        const __m256d u_bound = avx2_uniform_lower_bound(&philox, unit_id + j);

        /* H(v + worked), pieces added in the reference's order; t <= 0 gives
         * a zero piece and NaN goes through, as in weibull_piece */
        const __m256d t_not_positive = _mm256_cmp_pd(t, zero, _CMP_LE_OQ);
        __m256d h = zero;
        if (kind[0] != PIECE_OFF)
            h = _mm256_add_pd(h, _mm256_andnot_pd(t_not_positive, avx2_piece(kind[0], x0, t, w->piece_shape[0])));
        if (kind[1] != PIECE_OFF)
            h = _mm256_add_pd(h, _mm256_andnot_pd(t_not_positive, avx2_piece(kind[1], x1, t, w->piece_shape[1])));
        if (kind[2] != PIECE_OFF)
            h = _mm256_add_pd(h, _mm256_andnot_pd(t_not_positive, avx2_piece(kind[2], x2, t, w->piece_shape[2])));

        /* clocks of the operating lanes, and which lanes need finishing */
        int32_t four_states;
        memcpy(&four_states, state + j, sizeof four_states);
        const __m256i s = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128(four_states));
        const __m256i operating_bits = _mm256_cmpeq_epi64(s, _mm256_setzero_si256());
        const __m256i failed_bits = _mm256_cmpeq_epi64(s, failed);
        const __m256i under_repair_bits = _mm256_cmpeq_epi64(s, under_repair);
        const __m256d operating = _mm256_castsi256_pd(operating_bits);
        operating_count += __builtin_popcount((unsigned)_mm256_movemask_pd(operating));
        retired_count += __builtin_popcount(
            (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(s, retired))));
        const __m256d a = _mm256_loadu_pd(age + j), hz = _mm256_loadu_pd(hazard + j);
        const __m256d aged = _mm256_add_pd(a, worked);
        const __m256d dh = _mm256_sub_pd(h, hz);
        _mm256_storeu_pd(virtual_age + j, _mm256_blendv_pd(v, t, operating));
        _mm256_storeu_pd(hazard + j, _mm256_blendv_pd(hz, h, operating));
        _mm256_storeu_pd(age + j, _mm256_blendv_pd(a, aged, operating));
        _mm256_storeu_pd(dh_kept + j, dh);
        const __m256d may_fail = _mm256_and_pd(_mm256_cmp_pd(dh, zero, _CMP_GT_OQ),
                                               _mm256_cmp_pd(u_bound, _mm256_mul_pd(two, dh), _CMP_NGE_UQ));
        const __m256d may_retire = _mm256_cmp_pd(aged, life_limit, _CMP_GE_OQ);
        const __m256d down = _mm256_castsi256_pd(_mm256_or_si256(failed_bits, under_repair_bits));
        const __m256d rare = _mm256_and_pd(operating, _mm256_or_pd(may_fail, may_retire));
        lane_list_add(operating_rare, j, _mm256_movemask_pd(rare));
        const int down_mask = _mm256_movemask_pd(down);
        lane_list_add(down_lanes, j, down_mask);
        /* A down unit's repair clock is read after the pass, by then from L1:
         * these lines are scattered, which the hardware prefetcher does not
         * follow. Without a down lane the prefetch goes to the block's own
         * scratch: an address chosen by arithmetic, not a branch that
         * mispredicts on the one group in eight that has a down lane. */
        const uintptr_t scratch = (uintptr_t)(dh_kept + j), clock = (uintptr_t)(repair_remaining + j);
        const uintptr_t choose_clock = (uintptr_t)0 - (uintptr_t)(down_mask != 0);
        _mm_prefetch((const char *)(scratch ^ ((scratch ^ clock) & choose_clock)), _MM_HINT_T0);
    }
    census->operating += operating_count;
    census->retired += retired_count;
}

__attribute__((target("avx2"))) static void wear_block_avx2(lsim_regolith *m, const wear_step *w, size_t begin,
                                                            size_t end, wear_census *census)
{
    if (!w->digging) {
        wear_block_idle(m, w, begin, end, census);
        return;
    }
    const size_t n = end - begin, n4 = n & ~(size_t)3;
    double dh_kept[LSIM_FLEET_BLOCK];
    lane_list operating_rare, down_lanes;
    operating_rare.count = down_lanes.count = 0;
    if (w->piece_kind[0] == PIECE_SQRT && w->piece_kind[1] == PIECE_LINEAR && w->piece_kind[2] == PIECE_CUBE)
        avx2_block_pass(m, w, begin, n4, PIECE_SQRT, PIECE_LINEAR, PIECE_CUBE, &operating_rare, &down_lanes, dh_kept,
                        census);
    else
        avx2_block_pass(m, w, begin, n4, w->piece_kind[0], w->piece_kind[1], w->piece_kind[2], &operating_rare,
                        &down_lanes, dh_kept, census);
    /* lanes are independent, so the order the two lists are done in does not matter */
    for (size_t k = 0; k < down_lanes.count; ++k) {
        const size_t i = begin + down_lanes.lane[k];
        census->failed += m->state[i] == LSIM_REGOLITH_FAILED;
        census->under_repair += m->state[i] == LSIM_REGOLITH_UNDER_REPAIR;
        finish_down_lane(m, w, i, census);
    }
    for (size_t k = 0; k < operating_rare.count; ++k) {
        const size_t j = operating_rare.lane[k];
        finish_operating_lane(m, w, begin + j, dh_kept[j], census);
    }
    if (n4 < n) wear_block_portable(m, w, begin + n4, end, census);
}
#endif

/* Set by tests (regolith_internal.h) to run the portable pass on a CPU with AVX2. */
static int force_portable_kernel;

int lsim_regolith_fleet_agents_force_portable(int force)
{
    force_portable_kernel = force;
#if defined(LSIM_FLEET_HAVE_AVX2)
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}

typedef void wear_block_fn(lsim_regolith *m, const wear_step *w, size_t begin, size_t end, wear_census *census);

static wear_block_fn *choose_wear_block(void)
{
#if defined(LSIM_FLEET_HAVE_AVX2)
    if (!force_portable_kernel && __builtin_cpu_supports("avx2")) return wear_block_avx2;
#endif
    return wear_block_portable;
}

void lsim_regolith_fleet_agents_wear(lsim_regolith *m, const lsim_clock *clock, double worked, long *failures_out,
                                     long *retirements_out, size_t *work)
{
    const wear_step w = wear_step_constants(m, clock, worked);
    wear_block_fn *const wear_block = choose_wear_block();
    const size_t n = m->count;
    const long blocks = (long)((n + LSIM_FLEET_BLOCK - 1) / LSIM_FLEET_BLOCK);
    long n_operating = 0, n_failed = 0, n_under_repair = 0, n_retired = 0, failures = 0, retirements = 0;

    /* Each agent's update depends only on its own state and on draws keyed
     * by (seed, stream, unit_id, step); the sums are of integers. */
#if defined(_OPENMP)
#pragma omp parallel for if(n > LSIM_REGOLITH_OMP_THRESHOLD) schedule(static) \
    reduction(+ : n_operating, n_failed, n_under_repair, n_retired, failures, retirements)
#endif
    for (long b = 0; b < blocks; ++b) {
        const size_t begin = (size_t)b * LSIM_FLEET_BLOCK;
        const size_t end = begin + LSIM_FLEET_BLOCK < n ? begin + LSIM_FLEET_BLOCK : n;
        wear_census census = {0, 0, 0, 0, 0, 0};
        wear_block(m, &w, begin, end, &census);
        n_operating += census.operating;
        n_failed += census.failed;
        n_under_repair += census.under_repair;
        n_retired += census.retired;
        failures += census.failures;
        retirements += census.retirements;
    }

    m->n_operating = n_operating;
    m->n_failed = n_failed;
    m->n_under_repair = n_under_repair;
    m->n_retired_in_place = n_retired;
    *failures_out = failures;
    *retirements_out = retirements;
    *work = n;
    /* Compact lazily: a pass over all slots is worth it once an eighth are dead. */
    if (n_retired > 0 && (size_t)n_retired * 8 >= m->count) compact(m);
}

double lsim_regolith_advance(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                             lsim_regolith_step_result *result)
{
    const double dt = clock->dt;
    const long operable = m->n_operating;
    const double full_mass = (double)operable * m->design.capacity_per_unit * dt;
    double mined = 0.0, energy = 0.0;
    lsim_regolith_limit limit;
    const double duty = choose_duty(&m->design, full_mass, dt, power_granted_W, max_mass_kg, &mined, &energy, &limit);
    const double worked = duty * dt; /* operating time each digging unit accrues */

    long failures = 0, retirements = 0;
    size_t work = 0;
    m->fleet_model->wear(m, clock, worked, &failures, &retirements, &work);
    m->last_failures = failures;
    m->last_retirements = retirements;
    m->total_retired += retirements;

    long alive = lsim_regolith_alive(m);
    double power_used = energy / dt;
    lsim_series_registry *r = m->series;
    if (r) {
        lsim_series_put(r, m->sid_mining_rate, mined / dt);
        lsim_series_put(r, m->sid_volume_rate, mined / m->design.bulk_density / dt);
        lsim_series_put(r, m->sid_power, power_used);
        lsim_series_put(r, m->sid_total, (double)alive);
        lsim_series_put(r, m->sid_operating, (double)m->n_operating);
        lsim_series_put(r, m->sid_failed, (double)(m->n_failed + m->n_under_repair));
        lsim_series_put(r, m->sid_under_repair, (double)m->n_under_repair);
        lsim_series_put(r, m->sid_availability, alive > 0 ? (double)m->n_operating / (double)alive : 0.0);
        lsim_series_put(r, m->sid_failures, (double)failures / dt);
        lsim_series_put(r, m->sid_retirements, (double)retirements / dt);
        lsim_series_put(r, m->sid_specific_energy, m->design.specific_energy);
    }
    if (result) {
        result->mined_mass = mined;
        result->energy_used = energy;
        result->power_used = power_used;
        result->capacity_mass = full_mass;
        result->duty = duty;
        result->operable_excavators = operable;
        result->alive = alive;
        result->agent_slots = work;
        result->limit = limit;
    }
    return power_used;
}

double lsim_regolith_step(lsim_regolith *m, const lsim_clock *clock, double power_granted_W, double max_mass_kg,
                          double *mined_mass_kg, double *energy_used_J)
{
    lsim_regolith_step_result result;
    double power_used = lsim_regolith_advance(m, clock, power_granted_W, max_mass_kg, &result);
    if (mined_mass_kg) *mined_mass_kg = result.mined_mass;
    if (energy_used_J) *energy_used_J = result.energy_used;
    return power_used;
}

void lsim_regolith_free(lsim_regolith *m)
{
    if (m->dig_model) m->dig_model->free(m->dig_state);
    m->dig_state = NULL;
    lsim_regolith_fleet_agents_free(m);
    lsim_cohort_free(&m->cohorts);
}

void lsim_regolith_fleet_agents_free(lsim_regolith *m)
{
    free(m->state);
    free(m->age);
    free(m->virtual_age);
    free(m->cumulative_hazard);
    free(m->repair_remaining);
    free(m->repair_count);
    free(m->unit_id);
    m->state = NULL;
    m->age = m->virtual_age = m->cumulative_hazard = m->repair_remaining = NULL;
    m->repair_count = NULL;
    m->unit_id = NULL;
    m->count = m->capacity = 0;
}
