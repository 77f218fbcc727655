/* Unit expressions and quantities, converted to SI once on load. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    double scale; /* SI value of one of this unit */
    signed char power[LSIM_DIM_COUNT]; /* kg m s K A */
} unit_factor;

#define JULIAN_YEAR_S (365.25 * 86400.0)
#define ELECTRONVOLT_J 1.602176634e-19 /* exact since the 2019 SI redefinition */

/* Names are case-sensitive: "t" is the tonne, "T" the tesla; "h" the hour,
 * "H" the henry. The few extras beyond the brief (rad, deg, ms, kV, mF, H...)
 * are there because launcher circuits and orbit inputs need them. */
static const unit_factor unit_table[] = {
    /* mass */
    {"g", 1e-3, {1, 0, 0, 0, 0}},
    {"kg", 1.0, {1, 0, 0, 0, 0}},
    {"t", 1e3, {1, 0, 0, 0, 0}},
    {"kt", 1e6, {1, 0, 0, 0, 0}},
    {"Mt", 1e9, {1, 0, 0, 0, 0}},
    {"Gt", 1e12, {1, 0, 0, 0, 0}},
    /* length */
    {"um", 1e-6, {0, 1, 0, 0, 0}},
    {"mm", 1e-3, {0, 1, 0, 0, 0}},
    {"cm", 1e-2, {0, 1, 0, 0, 0}},
    {"m", 1.0, {0, 1, 0, 0, 0}},
    {"km", 1e3, {0, 1, 0, 0, 0}},
    /* time */
    {"us", 1e-6, {0, 0, 1, 0, 0}},
    {"ms", 1e-3, {0, 0, 1, 0, 0}},
    {"s", 1.0, {0, 0, 1, 0, 0}},
    {"min", 60.0, {0, 0, 1, 0, 0}},
    {"h", 3600.0, {0, 0, 1, 0, 0}},
    {"d", 86400.0, {0, 0, 1, 0, 0}},
    {"yr", JULIAN_YEAR_S, {0, 0, 1, 0, 0}},
    /* temperature, current */
    {"K", 1.0, {0, 0, 0, 1, 0}},
    {"A", 1.0, {0, 0, 0, 0, 1}},
    {"mA", 1e-3, {0, 0, 0, 0, 1}},
    {"kA", 1e3, {0, 0, 0, 0, 1}},
    {"MA", 1e6, {0, 0, 0, 0, 1}},
    /* energy */
    {"J", 1.0, {1, 2, -2, 0, 0}},
    {"kJ", 1e3, {1, 2, -2, 0, 0}},
    {"MJ", 1e6, {1, 2, -2, 0, 0}},
    {"GJ", 1e9, {1, 2, -2, 0, 0}},
    {"TJ", 1e12, {1, 2, -2, 0, 0}},
    {"Wh", 3600.0, {1, 2, -2, 0, 0}},
    {"kWh", 3.6e6, {1, 2, -2, 0, 0}},
    {"MWh", 3.6e9, {1, 2, -2, 0, 0}},
    {"GWh", 3.6e12, {1, 2, -2, 0, 0}},
    {"TWh", 3.6e15, {1, 2, -2, 0, 0}},
    {"eV", ELECTRONVOLT_J, {1, 2, -2, 0, 0}},
    /* power */
    {"W", 1.0, {1, 2, -3, 0, 0}},
    {"kW", 1e3, {1, 2, -3, 0, 0}},
    {"MW", 1e6, {1, 2, -3, 0, 0}},
    {"GW", 1e9, {1, 2, -3, 0, 0}},
    {"TW", 1e12, {1, 2, -3, 0, 0}},
    /* force, pressure */
    {"N", 1.0, {1, 1, -2, 0, 0}},
    {"kN", 1e3, {1, 1, -2, 0, 0}},
    {"MN", 1e6, {1, 1, -2, 0, 0}},
    {"Pa", 1.0, {1, -1, -2, 0, 0}},
    {"kPa", 1e3, {1, -1, -2, 0, 0}},
    {"MPa", 1e6, {1, -1, -2, 0, 0}},
    {"GPa", 1e9, {1, -1, -2, 0, 0}},
    /* electromagnetic */
    {"V", 1.0, {1, 2, -3, 0, -1}},
    {"kV", 1e3, {1, 2, -3, 0, -1}},
    {"T", 1.0, {1, 0, -2, 0, -1}},
    {"mT", 1e-3, {1, 0, -2, 0, -1}},
    {"Hz", 1.0, {0, 0, -1, 0, 0}},
    {"kHz", 1e3, {0, 0, -1, 0, 0}},
    {"F", 1.0, {-1, -2, 4, 0, 2}},
    {"mF", 1e-3, {-1, -2, 4, 0, 2}},
    {"uF", 1e-6, {-1, -2, 4, 0, 2}},
    {"C", 1.0, {0, 0, 1, 0, 1}},
    {"kC", 1e3, {0, 0, 1, 0, 1}},
    {"ohm", 1.0, {1, 2, -3, 0, -2}},
    {"mohm", 1e-3, {1, 2, -3, 0, -2}},
    {"H", 1.0, {1, 2, -2, 0, -2}},
    {"mH", 1e-3, {1, 2, -2, 0, -2}},
    {"uH", 1e-6, {1, 2, -2, 0, -2}},
    /* dimensionless */
    {"%", 0.01, {0, 0, 0, 0, 0}},
    {"rad", 1.0, {0, 0, 0, 0, 0}},
    {"deg", 0.017453292519943295, {0, 0, 0, 0, 0}}, /* pi/180 */
};

#define MAX_FACTOR_EXPONENT 12
#define MAX_TOTAL_EXPONENT 60

static const unit_factor *find_factor(const char *name, size_t length) {
    for (size_t i = 0; i < sizeof unit_table / sizeof unit_table[0]; ++i) {
        if (strlen(unit_table[i].name) == length && memcmp(unit_table[i].name, name, length) == 0)
            return &unit_table[i];
    }
    return NULL;
}

static int is_separator(char c) { return c == ' ' || c == '\t' || c == '*' || c == '.'; }

/* `context` is the whole text the user wrote (a quantity or a unit), so the
 * message shows both the offending token and where it sat. */
static lsim_status parse_unit_in(const char *unit_text, const char *context, double *scale_out,
                                 lsim_dimension *dim_out) {
    lsim_dimension dim;
    memset(&dim, 0, sizeof dim);
    double scale = 1.0;
    int in_denominator = 0;
    int factors_in_numerator = 0;
    const char *p = unit_text ? unit_text : "";

    for (;;) {
        while (is_separator(*p)) ++p;
        if (*p == '\0') break;
        if (*p == '/') {
            if (in_denominator)
                return lsim_fail(LSIM_ERR_INPUT, "more than one '/' in unit '%s'; write e.g. 'm s-2' or 'm/s2'",
                                 context);
            /* "1000/yr" reads as 1000 per year: after a number the numerator may
             * be empty; a unit alone still needs one ("1/s"). */
            if (factors_in_numerator == 0 && unit_text == context)
                return lsim_fail(LSIM_ERR_INPUT, "nothing before '/' in unit '%s'; write e.g. '1/s'", context);
            in_denominator = 1;
            ++p;
            while (is_separator(*p)) ++p;
            if (*p == '\0' || *p == '/')
                return lsim_fail(LSIM_ERR_INPUT, "nothing after '/' in unit '%s'", context);
            continue;
        }
        const char *token = p;
        while (*p != '\0' && !is_separator(*p) && *p != '/') ++p;
        size_t token_length = (size_t)(p - token);

        size_t name_length = 0;
        while (name_length < token_length && (isalpha((unsigned char)token[name_length]) || token[name_length] == '%'))
            ++name_length;

        const unit_factor *factor = NULL;
        static const unit_factor unity = {"1", 1.0, {0, 0, 0, 0, 0}};
        size_t exponent_start = name_length;
        if (name_length == 0) {
            /* "1" stands for a dimensionless factor, as in "1/s"; nothing may follow it. */
            if (token_length == 1 && token[0] == '1') {
                factor = &unity;
                exponent_start = 1;
            }
        } else {
            factor = find_factor(token, name_length);
        }
        if (factor == NULL)
            return lsim_fail(LSIM_ERR_INPUT, "unknown unit '%.*s' in '%s'", (int)token_length, token, context);

        long exponent = 1;
        if (exponent_start < token_length) {
            size_t i = exponent_start;
            if (token[i] == '^') ++i;
            int sign = 1;
            if (i < token_length && (token[i] == '-' || token[i] == '+')) {
                sign = token[i] == '-' ? -1 : 1;
                ++i;
            }
            size_t digits_start = i;
            long magnitude = 0;
            while (i < token_length && isdigit((unsigned char)token[i]) && magnitude <= MAX_FACTOR_EXPONENT) {
                magnitude = magnitude * 10 + (token[i] - '0');
                ++i;
            }
            if (i != token_length || i == digits_start || factor == &unity)
                return lsim_fail(LSIM_ERR_INPUT, "unknown unit '%.*s' in '%s'", (int)token_length, token, context);
            if (magnitude > MAX_FACTOR_EXPONENT)
                return lsim_fail(LSIM_ERR_INPUT, "exponent too large in '%.*s' in '%s'", (int)token_length, token,
                                 context);
            exponent = sign * magnitude;
        }
        if (in_denominator) exponent = -exponent;
        else ++factors_in_numerator;

        /* Repeated multiplication keeps integer powers exact where pow() might not. */
        long count = exponent < 0 ? -exponent : exponent;
        for (long k = 0; k < count; ++k) {
            if (exponent > 0) scale *= factor->scale;
            else scale /= factor->scale;
        }
        for (int d = 0; d < LSIM_DIM_COUNT; ++d) {
            long total = (long)dim.power[d] + (long)factor->power[d] * exponent;
            if (total > MAX_TOTAL_EXPONENT || total < -MAX_TOTAL_EXPONENT)
                return lsim_fail(LSIM_ERR_INPUT, "unit '%s' has an implausibly large exponent", context);
            dim.power[d] = (signed char)total;
        }
    }
    if (scale_out) *scale_out = scale;
    if (dim_out) *dim_out = dim;
    return LSIM_OK;
}

lsim_status lsim_unit_parse(const char *unit_text, double *scale_to_si, lsim_dimension *dim) {
    return parse_unit_in(unit_text ? unit_text : "", unit_text ? unit_text : "", scale_to_si, dim);
}

lsim_status lsim_quantity_parse(const char *text, double *value_si, lsim_dimension *dim) {
    const char *p = text ? text : "";
    while (isspace((unsigned char)*p)) ++p;
    if (*p == '\0') return lsim_fail(LSIM_ERR_INPUT, "empty value; expected a number with an optional unit");
    /* strtod would also take "nan", "inf" and hex floats: refuse the first two up front
     * so the message is about the number, not about a unit named "nan". */
    const char *digits = p;
    if (*digits == '+' || *digits == '-') ++digits;
    if (!(isdigit((unsigned char)*digits) || (*digits == '.' && isdigit((unsigned char)digits[1]))))
        return lsim_fail(LSIM_ERR_INPUT, "'%s' does not start with a number", text);
    errno = 0;
    char *end = NULL;
    double number = strtod(p, &end);
    if (end == p) return lsim_fail(LSIM_ERR_INPUT, "'%s' does not start with a number", text);
    if (!isfinite(number) || (errno == ERANGE && fabs(number) > 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "'%s' is not a finite number", text);

    double scale = 1.0;
    lsim_dimension parsed;
    lsim_status status = parse_unit_in(end, text, &scale, &parsed);
    if (status != LSIM_OK) return status;
    double value = number * scale;
    if (!isfinite(value)) return lsim_fail(LSIM_ERR_INPUT, "'%s' overflows when converted to SI", text);
    if (value_si) *value_si = value;
    if (dim) *dim = parsed;
    return LSIM_OK;
}

int lsim_dimension_equal(lsim_dimension a, lsim_dimension b) {
    for (int d = 0; d < LSIM_DIM_COUNT; ++d)
        if (a.power[d] != b.power[d]) return 0;
    return 1;
}

int lsim_dimension_is_none(lsim_dimension d) {
    for (int i = 0; i < LSIM_DIM_COUNT; ++i)
        if (d.power[i] != 0) return 0;
    return 1;
}

void lsim_dimension_format(lsim_dimension d, char *buf, size_t size) {
    static const char *const base_names[LSIM_DIM_COUNT] = {"kg", "m", "s", "K", "A"};
    if (buf == NULL || size == 0) return;
    buf[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < LSIM_DIM_COUNT; ++i) {
        if (d.power[i] == 0) continue;
        char piece[16];
        if (d.power[i] == 1) snprintf(piece, sizeof piece, "%s%s", used ? " " : "", base_names[i]);
        else snprintf(piece, sizeof piece, "%s%s%d", used ? " " : "", base_names[i], (int)d.power[i]);
        size_t n = strlen(piece);
        if (used + n + 1 > size) break;
        memcpy(buf + used, piece, n + 1);
        used += n;
    }
    if (used == 0) snprintf(buf, size, "1");
}
