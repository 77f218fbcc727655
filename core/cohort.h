/* Fleets as age cohorts: wear for any kind of unit at any fleet size.
 *
 * Units built within the same cohort interval share a build time and a
 * count. Each unit fails by a bathtub hazard (three Weibull pieces: infant
 * mortality, random failures, wear-out) on its age. Failures are drawn per
 * cohort as exact binomial variates from the counter-based generator, so a
 * fleet of 10^7 units costs what its few hundred cohorts cost, and the draw
 * depends on (seed, stream, cohort serial, wear tick) only: bitwise the
 * same for any thread or rank count.
 *
 * Life of a unit: built -> burn-in on the ground (failures there are
 * scrapped before service) -> in service -> on failure either repaired
 * (minimal repair: it keeps its age, is out of service for an exponential
 * repair time and consumes spares the caller pays for) or retired -> retired
 * at max_life whatever its state.
 *
 * Wear is drawn on a wear tick (wear_interval), not every chain step: the
 * hazard is integrated exactly over the tick, so only the timing of a
 * failure within a tick is coarsened, never its probability. */
#ifndef LSIM_COHORT_H
#define LSIM_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"
#include "status.h"

enum { LSIM_HAZARD_INFANT, LSIM_HAZARD_RANDOM, LSIM_HAZARD_WEAROUT, LSIM_HAZARD_PIECES };

/* H(age) = sum over pieces of (age / scale)^shape; a piece with scale 0 is left out. */
typedef struct {
    double shape[LSIM_HAZARD_PIECES];
    double scale[LSIM_HAZARD_PIECES]; /* s */
} lsim_bathtub;

double lsim_bathtub_cumulative(const lsim_bathtub *hazard, double age);
/* H(age1) - H(age0) (0 when age1 <= age0), in a form that keeps its
 * relative precision for a short interval at a great age. */
double lsim_bathtub_increment(const lsim_bathtub *hazard, double age0, double age1);
/* 1 - exp(-(H(age1) - H(age0))): the probability that a unit alive at age0
 * fails before age1, accurate down to the smallest values. */
double lsim_bathtub_failure_probability(const lsim_bathtub *hazard, double age0, double age1);

/* Stream offsets the fleet adds to config.stream (one purpose each). */
enum {
    LSIM_COHORT_STREAM_BURN_IN,       /* failures during burn-in */
    LSIM_COHORT_STREAM_SERVICE,       /* failures in service (entity ~serial: units that left burn-in in the tick) */
    LSIM_COHORT_STREAM_REPAIR_SHARE,  /* which failures are repaired */
    LSIM_COHORT_STREAM_REPAIR_RETURN, /* returns from repair */
    LSIM_COHORT_STREAMS
};

typedef struct {
    lsim_bathtub hazard;
    double burn_in_time;     /* s of operation on the ground before service; 0: none */
    double repair_share;     /* 0..1: share of in-service failures repaired (the rest are retired) */
    double repair_mean_time; /* s, exponential; 0: repairs are instantaneous */
    double max_life;         /* s of age at which a unit is retired; 0: no limit */
    double cohort_interval;  /* s: units built within one interval join one cohort */
    double wear_interval;    /* s between wear ticks (failure, repair and retirement draws) */
    uint64_t seed;
    uint32_t stream; /* LSIM_STREAM_*; the fleet uses stream .. stream + 3 */
} lsim_cohort_config;

/* What wear did over one call of lsim_cohort_step (counts of units). */
typedef struct {
    double failed_burn_in;   /* scrapped during burn-in */
    double failed_service;   /* failed in service (repaired + retired_failed) */
    double repairs_started;  /* failures sent to repair (never above the repairs allowed) */
    double retired_failed;   /* failures not repaired */
    double repaired;         /* came back from repair into service */
    double retired_age;      /* reached max_life */
    double entered_service;  /* finished burn-in */
} lsim_cohort_step_result;

/* Struct of arrays over cohorts [0, count); cohorts are in build order. */
typedef struct {
    lsim_cohort_config config;
    size_t count, capacity;
    double *build_time;  /* s: the cohort's age clock starts here */
    double *burn_in;     /* units still in burn-in */
    double *in_service;  /* units working */
    double *in_repair;   /* units out for repair */
    uint64_t *serial;    /* cohort serial number: the RNG entity */
    uint64_t next_serial;
    double pending;      /* fractional unit carried to the next add */
    double next_tick;    /* s: time of the next wear tick */
    int64_t tick;        /* wear ticks done: the RNG step */
    /* census over all cohorts, kept current by add and step */
    double total_burn_in, total_in_service, total_in_repair;
    /* accumulated since t = 0 */
    double built_total, failed_burn_in_total, failed_service_total, retired_total, repairs_total;
    /* units taken out by lsim_cohort_remove; built_total = alive + failed_burn_in_total + retired_total + removed_total */
    double removed_total;
} lsim_cohort_fleet;

/* Checks the configuration (one-line error naming the bad value, `what`
 * naming the fleet for the message) and makes an empty fleet whose first
 * wear tick is at `now` + wear_interval. */
lsim_status lsim_cohort_init(lsim_cohort_fleet *fleet, const lsim_cohort_config *config, const char *what, double now);

/* Adds `count` units built at `now` (fractions are carried to the next
 * call). They start in burn-in when the fleet has a burn-in time, else in
 * service. Units added with `initial_age` > 0 (a seed fleet already run in)
 * get a build time of now - initial_age and skip burn-in. Arrays grow by
 * doubling only. */
lsim_status lsim_cohort_add(lsim_cohort_fleet *fleet, double count, double now, double initial_age);

/* Advances wear to `now`: runs every wear tick due at or before `now`.
 * `repairs_allowed` caps the repairs started over this call (the spares the
 * caller can pay for; INFINITY for no cap); failures beyond it are retired.
 * `out` (may be NULL) gets what happened, summed over the ticks. */
void lsim_cohort_step(lsim_cohort_fleet *fleet, double now, double repairs_allowed, lsim_cohort_step_result *out);

/* Removes up to `count` units from service, youngest cohorts first (units
 * taken apart or lost for reasons outside wear). Returns how many went. */
double lsim_cohort_remove(lsim_cohort_fleet *fleet, double count);

/* Saves or loads the fleet's evolving state under entries "<prefix>.*". */
lsim_status lsim_cohort_state(lsim_cohort_fleet *fleet, lsim_state *state, const char *prefix);

void lsim_cohort_free(lsim_cohort_fleet *fleet);

/* Units alive: burn-in + in service + in repair. */
double lsim_cohort_alive(const lsim_cohort_fleet *fleet);

/* Grows the cohort arrays (by doubling) to hold at least `needed` cohorts;
 * add and checkpoint loading share it. */
lsim_status lsim_cohort_reserve(lsim_cohort_fleet *fleet, size_t needed);

/* An exact Binomial(n, p) variate (n an integer held in a double, up to
 * 2^53), a pure function of (seed, stream, entity, step): inversion for
 * small n p, a rejection method (BTRD, Hormann 1993) otherwise. A variate
 * may use several Philox blocks: block j has j in bits 16..31 of the stream
 * word, so `stream` must be below 0x10000 (every LSIM_STREAM_* + k is). */
double lsim_binomial(double n, double p, uint64_t seed, uint32_t stream, uint64_t entity, uint32_t step);

#endif
