/* Quantities with units: "2.4 km/s", "150 t", "13 kWh/kg", "5 GW", "20 yr".
 *
 * Units are multiplicative products of named factors with integer powers,
 * written either as "m/s2", "m/s^2", "kg m-2", "W m-2 K-4" or "kWh/kg".
 * Everything is converted to SI once, on load; the dimension travels along so
 * a speed given where an area is expected is an input error. */
#ifndef LSIM_UNITS_H
#define LSIM_UNITS_H

#include <stddef.h>
#include "status.h"

/* The year of the unit table ("yr"), used wherever a rate is per year. */
#define LSIM_JULIAN_YEAR (365.25 * 86400.0)

enum { LSIM_DIM_MASS, LSIM_DIM_LENGTH, LSIM_DIM_TIME, LSIM_DIM_TEMPERATURE, LSIM_DIM_CURRENT, LSIM_DIM_COUNT };

typedef struct {
    signed char power[LSIM_DIM_COUNT]; /* exponents of kg, m, s, K, A */
} lsim_dimension;

/* Parses a unit expression ("" or "1" means dimensionless). */
lsim_status lsim_unit_parse(const char *unit_text, double *scale_to_si, lsim_dimension *dim);

/* Parses "<number> [unit]". A bare number has the dimensionless dimension. */
lsim_status lsim_quantity_parse(const char *text, double *value_si, lsim_dimension *dim);

int lsim_dimension_equal(lsim_dimension a, lsim_dimension b);
int lsim_dimension_is_none(lsim_dimension d);

/* Writes the SI spelling in UDUNITS style ("kg m-2 s-1", "1" if none). */
void lsim_dimension_format(lsim_dimension d, char *buf, size_t size);

#endif
