/* Unit parser: conversions checked against factors written out by hand here. */
#include <string.h>

#include "lsim_test.h"
#include "status.h"
#include "units.h"

/* Conversions multiply a handful of exactly representable or 17-digit
 * factors: a few ulps of relative error at most. */
#define CONVERSION_TOL 1e-15

static lsim_dimension dim_of(int kg, int m, int s, int k, int a) {
    lsim_dimension d;
    d.power[LSIM_DIM_MASS] = (signed char)kg;
    d.power[LSIM_DIM_LENGTH] = (signed char)m;
    d.power[LSIM_DIM_TIME] = (signed char)s;
    d.power[LSIM_DIM_TEMPERATURE] = (signed char)k;
    d.power[LSIM_DIM_CURRENT] = (signed char)a;
    return d;
}

static void check_quantity(const char *text, double expected_si, lsim_dimension expected_dim) {
    double value = -1.0;
    lsim_dimension dim;
    lsim_status status = lsim_quantity_parse(text, &value, &dim);
    LSIM_CHECK(status == LSIM_OK, "'%s' should parse: %s", text, lsim_last_error());
    if (status != LSIM_OK) return;
    LSIM_CHECK_CLOSE(value, expected_si, CONVERSION_TOL, 0.0, "unit factor products are exact to a few ulps");
    char got[64], want[64];
    lsim_dimension_format(dim, got, sizeof got);
    lsim_dimension_format(expected_dim, want, sizeof want);
    LSIM_CHECK(lsim_dimension_equal(dim, expected_dim), "'%s' has dimension %s, expected %s", text, got, want);
}

static void check_bad(const char *text, const char *must_mention) {
    double value;
    lsim_dimension dim;
    lsim_clear_error();
    lsim_status status = lsim_quantity_parse(text, &value, &dim);
    LSIM_CHECK(status == LSIM_ERR_INPUT, "'%s' should be rejected", text);
    const char *message = lsim_last_error();
    LSIM_CHECK(message && strstr(message, must_mention) != NULL, "message for '%s' should mention '%s': %s", text,
               must_mention, message ? message : "(null)");
    LSIM_CHECK(message && strchr(message, '\n') == NULL, "message is one line: %s", message ? message : "");
}

static void check_format(lsim_dimension d, const char *expected) {
    char buf[64];
    lsim_dimension_format(d, buf, sizeof buf);
    LSIM_CHECK(strcmp(buf, expected) == 0, "formatted '%s', expected '%s'", buf, expected);
}

int main(void) {
    const lsim_dimension none = dim_of(0, 0, 0, 0, 0);
    const lsim_dimension speed = dim_of(0, 1, -1, 0, 0);
    const lsim_dimension mass = dim_of(1, 0, 0, 0, 0);
    const lsim_dimension specific_energy = dim_of(0, 2, -2, 0, 0);
    const lsim_dimension power = dim_of(1, 2, -3, 0, 0);
    const lsim_dimension time = dim_of(0, 0, 1, 0, 0);
    const lsim_dimension energy = dim_of(1, 2, -2, 0, 0);

    /* The examples of the design document. */
    check_quantity("2.4 km/s", 2400.0, speed);
    check_quantity("150 t", 1.5e5, mass);
    check_quantity("13 kWh/kg", 13.0 * 1000.0 * 3600.0, specific_energy);
    check_quantity("5 GW", 5e9, power);
    check_quantity("20 yr", 20.0 * 365.25 * 86400.0, time);
    check_quantity("300 K", 300.0, dim_of(0, 0, 0, 1, 0));

    /* Spellings of exponents and products. */
    check_quantity("1.62 m/s^2", 1.62, dim_of(0, 1, -2, 0, 0));
    check_quantity("1.62 m/s2", 1.62, dim_of(0, 1, -2, 0, 0));
    check_quantity("1.62 m s-2", 1.62, dim_of(0, 1, -2, 0, 0));
    check_quantity("1.62 m*s^-2", 1.62, dim_of(0, 1, -2, 0, 0));
    check_quantity("5.670374419e-8 W m-2 K-4", 5.670374419e-8, dim_of(1, 0, -3, -4, 0));
    check_quantity("1361 W/m2", 1361.0, dim_of(1, 0, -3, 0, 0));
    check_quantity("2 kW.h", 2.0 * 3.6e6, energy);
    check_quantity("3 kg m-2 s-1", 3.0, dim_of(1, -2, -1, 0, 0));
    check_quantity("12 km2", 12e6, dim_of(0, 2, 0, 0, 0));
    check_quantity("4 1/s", 4.0, dim_of(0, 0, -1, 0, 0));
    /* A rate written "1000/yr" is 1000 per year (after a number the numerator may be empty). */
    check_quantity("1000/yr", 1000.0 / (365.25 * 86400.0), dim_of(0, 0, -1, 0, 0));
    check_quantity("200 t/yr", 200e3 / (365.25 * 86400.0), dim_of(1, 0, -1, 0, 0));
    check_quantity("4 Hz", 4.0, dim_of(0, 0, -1, 0, 0));

    /* Case matters: t is the tonne, T the tesla; h the hour. */
    check_quantity("2 t", 2000.0, mass);
    check_quantity("2 T", 2.0, dim_of(1, 0, -2, 0, -1));
    check_quantity("1.5 h", 5400.0, time);
    check_quantity("3 d", 3.0 * 86400.0, time);
    check_quantity("90 min", 5400.0, time);

    /* Electrical units against their SI definitions. */
    check_quantity("1 V", 1.0, dim_of(1, 2, -3, 0, -1));
    check_quantity("1 V A", 1.0, power);
    check_quantity("1 ohm", 1.0, dim_of(1, 2, -3, 0, -2));
    check_quantity("1 F", 1.0, dim_of(-1, -2, 4, 0, 2));
    check_quantity("1 C/A", 1.0, time);
    check_quantity("1 F V", 1.0, dim_of(0, 0, 1, 0, 1)); /* a farad times a volt is a coulomb */
    check_quantity("1 J/s", 1.0, power);
    check_quantity("1 N m", 1.0, energy);
    check_quantity("1 Pa m2", 1.0, dim_of(1, 1, -2, 0, 0));
    check_quantity("1 eV", 1.602176634e-19, energy);
    check_quantity("3 MPa", 3e6, dim_of(1, -1, -2, 0, 0));

    /* Dimensionless forms and signs. */
    check_quantity("35 %", 0.35, none);
    check_quantity("0.35", 0.35, none);
    check_quantity("-40 K", -40.0, dim_of(0, 0, 0, 1, 0));
    check_quantity("+1e3 m", 1000.0, dim_of(0, 1, 0, 0, 0));
    check_quantity("1e3", 1000.0, none);
    check_quantity("2.4km/s", 2400.0, speed);
    check_quantity("7 1", 7.0, none);

    double scale = 0.0;
    lsim_dimension dim;
    LSIM_CHECK(lsim_unit_parse("", &scale, &dim) == LSIM_OK && scale == 1.0 && lsim_dimension_is_none(dim),
               "empty unit is dimensionless");
    LSIM_CHECK(lsim_unit_parse("1", &scale, &dim) == LSIM_OK && scale == 1.0 && lsim_dimension_is_none(dim),
               "'1' is dimensionless");
    LSIM_CHECK(lsim_unit_parse("km/h", &scale, &dim) == LSIM_OK, "km/h parses");
    LSIM_CHECK(lsim_unit_parse("/s", &scale, &dim) == LSIM_ERR_INPUT, "a unit alone needs a numerator ('1/s')");
    LSIM_CHECK_CLOSE(scale, 1000.0 / 3600.0, CONVERSION_TOL, 0.0, "one division");

    /* Errors name the offending token and the whole text. */
    check_bad("5 kmh", "unknown unit 'kmh' in '5 kmh'");
    check_bad("5 kmh", "kmh");
    check_bad("", "empty");
    check_bad("km/s", "number");
    check_bad("nan m", "number");
    check_bad("inf", "number");
    check_bad("1e999 m", "finite");
    check_bad("3 m/s/s", "'/'");
    check_bad("3 m^", "m^");
    check_bad("3 m2x", "m2x");
    check_bad("3 kg m-", "m-");
    check_bad("3 m/", "after '/'");
    check_bad("3 tons", "tons");
    check_bad("3 M", "'M'");
    check_bad("3 m 4", "'4'");
    {
        lsim_clear_error();
        lsim_quantity_parse("5 kmh", &scale, &dim);
        LSIM_CHECK(strcmp(lsim_last_error(), "unknown unit 'kmh' in '5 kmh'") == 0, "exact message: %s",
                   lsim_last_error());
    }

    /* Dimension equality and formatting in the fixed order kg m s K A. */
    LSIM_CHECK(!lsim_dimension_equal(speed, dim_of(0, 1, -2, 0, 0)), "speed is not acceleration");
    LSIM_CHECK(lsim_dimension_is_none(none) && !lsim_dimension_is_none(speed), "is_none");
    check_format(none, "1");
    check_format(dim_of(1, -2, -1, 0, 0), "kg m-2 s-1");
    check_format(speed, "m s-1");
    check_format(dim_of(1, 0, -3, -4, 0), "kg s-3 K-4");
    check_format(dim_of(-1, -2, 4, 0, 2), "kg-1 m-2 s4 A2");
    check_format(mass, "kg");
    LSIM_TEST_MAIN_END();
}
