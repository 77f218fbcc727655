/* Coil physics: elliptic integrals by the AGM, coaxial mutual inductance and
 * its gradient, filament sums, conductor resistance. Formulas and sources are
 * above each declaration in coil_physics.h. */
#include "coil_physics.h"

#include "status.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define COIL_PI 3.14159265358979323846

void lsim_coil_ellint_ke(double m, double m1, double *k_out, double *e_out, double *s1_out)
{
    LSIM_ASSERT(m >= 0.0 && m1 >= 0.0 && m <= 1.0,
                "elliptic parameter m = %g, m1 = %g outside [0, 1]", m, m1);
    double a = 1.0, b = sqrt(m1), c = sqrt(m);
    double s1 = 0.0, weight = 0.5; /* 2^{n−1}, starting at n = 0 */
    if (b == 0.0) {                /* m = 1: K diverges, E = 1 */
        if (k_out) *k_out = INFINITY;
        if (e_out) *e_out = 1.0;
        if (s1_out) *s1_out = 0.5;
        return;
    }
    /* c_{n+1} = c_n²/(4 a_{n+1}) avoids the cancellation in (a_n − b_n)/2. The
     * loop ends when the term just added is below 1e-18 of S1 (later terms fall
     * quadratically) and c_n < 1e-8 a_n (so a_n − b_n = 2c_{n+1} is below an ulp
     * of a: a_n is the AGM to rounding); 64 iterations bound it for any m < 1. */
    for (int n = 1; n < 64; ++n) {
        double a_next = 0.5 * (a + b);
        double b_next = sqrt(a * b);
        double c_next = c * c / (4.0 * a_next);
        a = a_next;
        b = b_next;
        c = c_next;
        weight *= 2.0;
        double term = weight * c * c; /* 2^{n−1} c_n² */
        s1 += term;
        if (term <= 1e-18 * s1 && c <= 1e-8 * a) {
            break;
        }
    }
    double k = COIL_PI / (2.0 * a);
    if (k_out) *k_out = k;
    if (e_out) *e_out = k * ((1.0 - 0.5 * m) - s1);
    if (s1_out) *s1_out = s1;
}

double lsim_coil_ellint_k(double m)
{
    double k;
    lsim_coil_ellint_ke(m, 1.0 - m, &k, NULL, NULL);
    return k;
}

double lsim_coil_ellint_e(double m)
{
    double e;
    lsim_coil_ellint_ke(m, 1.0 - m, NULL, &e, NULL);
    return e;
}

/* k² and k'² of two coaxial loops, each formed without cancellation. */
static void loop_moduli(double a, double b, double z, double *m, double *m1)
{
    double sum = a + b, diff = a - b;
    double d_plus = sum * sum + z * z;
    *m = 4.0 * a * b / d_plus;
    *m1 = (diff * diff + z * z) / d_plus;
}

double lsim_coil_loop_mutual_inductance(double a, double b, double z)
{
    /* One evaluation of the moduli and integrals serves both: M is the
     * gradient function's by-product (the same expression, the same bits). */
    double mutual;
    lsim_coil_loop_mutual_gradient(a, b, z, &mutual);
    return mutual;
}

double lsim_coil_loop_mutual_gradient(double a, double b, double z, double *m_out)
{
    LSIM_ASSERT(a > 0.0 && b > 0.0,
                "loop radii must be positive: %g, %g", a, b);
    double m, m1, kk, s1;
    loop_moduli(a, b, z, &m, &m1);
    LSIM_ASSERT(m1 > 0.0,
                "coincident loops (a = b, z = 0) have no finite mutual inductance");
    if (m == 0.0) {
        if (m_out) *m_out = 0.0;
        return 0.0;
    }
    lsim_coil_ellint_ke(m, m1, &kk, NULL, &s1);
    double k = sqrt(m), rab = sqrt(a * b);
    if (m_out) *m_out = LSIM_COIL_MU0 * rab * (2.0 / k) * kk * s1;
    double g = kk * (0.5 * m * m - (2.0 - m) * s1); /* (2 − k²)E − 2k'²K */
    return -LSIM_COIL_MU0 * z * k * g / (4.0 * rab * m1);
}

/* Filament i of a coil (row-major over radial then axial cells): its radius,
 * axial offset from the coil centre, and the turns it carries. */
static void filament(const lsim_coil_geometry *c, int i, double *r, double *dz, double *w)
{
    int ir = i / c->n_axial, iz = i % c->n_axial;
    *r = c->radius + c->radial_build * ((ir + 0.5) / c->n_radial - 0.5);
    *dz = c->length * ((iz + 0.5) / c->n_axial - 0.5);
    *w = c->turns / (double)(c->n_radial * c->n_axial);
}

static int filament_count(const lsim_coil_geometry *c)
{
    LSIM_ASSERT(c->n_radial >= 1 && c->n_axial >= 1 && c->radius > 0.0,
                "coil grid %d x %d, radius %g", c->n_radial, c->n_axial, c->radius);
    LSIM_ASSERT(c->radial_build >= 0.0 && c->radial_build < 2.0 * c->radius && c->length >= 0.0,
                "coil build %g or length %g", c->radial_build, c->length);
    return c->n_radial * c->n_axial;
}

long lsim_coil_filament_pairs(const lsim_coil_geometry *a, const lsim_coil_geometry *b)
{
    return (long)filament_count(a) * (long)filament_count(b);
}

double lsim_coil_mutual_inductance(const lsim_coil_geometry *a, const lsim_coil_geometry *b, double z)
{
    int na = filament_count(a), nb = filament_count(b);
    double sum = 0.0;
    for (int i = 0; i < na; ++i) {
        double ri, zi, wi;
        filament(a, i, &ri, &zi, &wi);
        for (int j = 0; j < nb; ++j) {
            double rj, zj, wj;
            filament(b, j, &rj, &zj, &wj);
            sum += wi * wj * lsim_coil_loop_mutual_inductance(ri, rj, z + zj - zi);
        }
    }
    return sum;
}

double lsim_coil_mutual_gradient(const lsim_coil_geometry *a, const lsim_coil_geometry *b, double z,
                                 double *m_out)
{
    int na = filament_count(a), nb = filament_count(b);
    double grad = 0.0, mut = 0.0;
    for (int i = 0; i < na; ++i) {
        double ri, zi, wi;
        filament(a, i, &ri, &zi, &wi);
        for (int j = 0; j < nb; ++j) {
            double rj, zj, wj, mij;
            filament(b, j, &rj, &zj, &wj);
            grad += wi * wj * lsim_coil_loop_mutual_gradient(ri, rj, z + zj - zi, &mij);
            mut += wi * wj * mij;
        }
    }
    if (m_out) *m_out = mut;
    return grad;
}

lsim_status lsim_coil_table_init(lsim_coil_table *t, const lsim_coil_geometry *a, const lsim_coil_geometry *b,
                                 double x_min, double x_max, int n)
{
    *t = (lsim_coil_table){0};
    if (n < 4 || !(x_max > x_min)) {
        return lsim_fail(LSIM_ERR_INPUT, "coil table: %d nodes over [%g, %g] m (needs >= 4 nodes, x_max > x_min)", n,
                         x_min, x_max);
    }
    t->gradient = malloc((size_t)n * sizeof *t->gradient);
    t->mutual = malloc((size_t)n * sizeof *t->mutual);
    if (!t->gradient || !t->mutual) {
        lsim_coil_table_free(t);
        return lsim_fail(LSIM_ERR_RUN, "coil table: out of memory for %d nodes", n);
    }
    t->a = *a;
    t->b = *b;
    t->n = n;
    t->x_min = x_min;
    t->dx = (x_max - x_min) / (n - 1);
    for (int i = 0; i < n; ++i) {
        t->gradient[i] = lsim_coil_mutual_gradient(a, b, x_min + i * t->dx, &t->mutual[i]);
    }
    return LSIM_OK;
}

void lsim_coil_table_free(lsim_coil_table *t)
{
    free(t->gradient);
    free(t->mutual);
    t->gradient = t->mutual = NULL;
    t->n = 0;
}

double lsim_coil_table_gradient(const lsim_coil_table *t, double z, double *m_out)
{
    double u = (z - t->x_min) / t->dx;
    if (!(u >= 0.0 && u <= (double)(t->n - 1))) {
        return lsim_coil_mutual_gradient(&t->a, &t->b, z, m_out);
    }
    /* Stencil i−1 .. i+2 around the interval [i, i+1] holding u, shifted
     * inwards at the ends; Lagrange weights in s = u − i. */
    int i = (int)u;
    if (i > t->n - 3) i = t->n - 3;
    if (i < 1) i = 1;
    double s = u - i;
    double w0 = -s * (s - 1.0) * (s - 2.0) / 6.0;
    double w1 = (s + 1.0) * (s - 1.0) * (s - 2.0) / 2.0;
    double w2 = -(s + 1.0) * s * (s - 2.0) / 2.0;
    double w3 = (s + 1.0) * s * (s - 1.0) / 6.0;
    const double *g = t->gradient + (i - 1), *m = t->mutual + (i - 1);
    if (m_out) *m_out = w0 * m[0] + w1 * m[1] + w2 * m[2] + w3 * m[3];
    return w0 * g[0] + w1 * g[1] + w2 * g[2] + w3 * g[3];
}

double lsim_coil_self_inductance(const lsim_coil_geometry *c)
{
    int n = filament_count(c);
    LSIM_ASSERT(c->radial_build > 0.0 || c->length > 0.0,
                "a self-inductance needs a winding of finite section");
    double w = c->radial_build / c->n_radial, h = c->length / c->n_axial;
    double gmd = 0.2235 * (w + h);
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        double ri, zi, wi;
        filament(c, i, &ri, &zi, &wi);
        sum += wi * wi * LSIM_COIL_MU0 * ri * (log(8.0 * ri / gmd) - 2.0);
        for (int j = i + 1; j < n; ++j) {
            double rj, zj, wj;
            filament(c, j, &rj, &zj, &wj);
            sum += 2.0 * wi * wj * lsim_coil_loop_mutual_inductance(ri, rj, zj - zi);
        }
    }
    return sum;
}

/* Resistivity and its coefficient: [IEC60028] (annealed copper, 100% IACS) and
 * [IEC60889] (hard-drawn aluminium for electrical purposes, 61% IACS); density
 * and specific heat: [CRCHandbook]. */
static const lsim_coil_conductor conductors[] = {
    {"aluminium", 2.8264e-8, 4.03e-3, 2700.0, 897.0,
     "aluminium, as refined on the Moon: hard-drawn electrical grade (61% IACS)",
     "docs/REFERENCES.md [IEC60889]: resistivity and its coefficient; docs/REFERENCES.md [CRCHandbook]: density, "
     "specific heat"},
    {"copper", 1.7241e-8, 3.93e-3, 8960.0, 385.0, "copper, supplied from Earth: annealed (100% IACS)",
     "docs/REFERENCES.md [IEC60028]: resistivity and its coefficient; docs/REFERENCES.md [CRCHandbook]: density, "
     "specific heat"},
};

const lsim_coil_conductor *lsim_coil_conductors(int *count)
{
    *count = (int)(sizeof conductors / sizeof conductors[0]);
    return conductors;
}

const lsim_coil_conductor *lsim_coil_conductor_find(const char *name)
{
    for (size_t i = 0; i < sizeof conductors / sizeof conductors[0]; ++i) {
        if (strcmp(conductors[i].name, name) == 0) {
            return &conductors[i];
        }
    }
    return NULL;
}

double lsim_coil_resistivity(const lsim_coil_conductor *c, double temperature)
{
    return c->resistivity * (1.0 + c->alpha * (temperature - 293.15));
}

double lsim_coil_wire_length(const lsim_coil_geometry *c)
{
    return c->turns * 2.0 * COIL_PI * c->radius;
}

static double wire_area(const lsim_coil_geometry *c, double fill_factor)
{
    LSIM_ASSERT(fill_factor > 0.0 && fill_factor <= 1.0 && c->turns > 0.0,
                "fill factor %g, turns %g", fill_factor, c->turns);
    return fill_factor * c->radial_build * c->length / c->turns;
}

double lsim_coil_resistance(const lsim_coil_geometry *c, const lsim_coil_conductor *k, double fill_factor,
                            double temperature)
{
    return lsim_coil_resistivity(k, temperature) * lsim_coil_wire_length(c) / wire_area(c, fill_factor);
}

double lsim_coil_conductor_mass(const lsim_coil_geometry *c, const lsim_coil_conductor *k, double fill_factor)
{
    return k->density * lsim_coil_wire_length(c) * wire_area(c, fill_factor);
}
