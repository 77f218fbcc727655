/* Coil physics of the coil-by-coil mass driver: complete elliptic integrals,
 * the mutual inductance of coaxial circular loops and of multi-turn coils,
 * its axial gradient (which sets the force on the bucket), and conductor
 * resistance as a function of temperature.
 *
 * All pure functions of SI numbers (m, H, Ω, K, A); no state, no printing.
 * Sources: [DLMF] §19.8 (AGM) and §19.34 (coaxial circles), [Grover1946]
 * (filament sums over a winding cross-section), [IEC60028] and [IEC60889]
 * (resistivity and its temperature coefficient), [CRCHandbook] (density and
 * heat capacity). */
#ifndef LSIM_MASSDRIVER_COIL_PHYSICS_H
#define LSIM_MASSDRIVER_COIL_PHYSICS_H

#include "status.h"

/* Vacuum permeability μ0 (H m-1): 4π·1e-7, the pre-2019 exact value (the
 * 2019 SI value differs by 5e-10 relative, far below every figure here). */
#define LSIM_COIL_MU0 (4.0e-7 * 3.14159265358979323846)

/* Complete elliptic integrals of the first and second kind,
 *   K(m) = ∫_0^{π/2} dθ / sqrt(1 − m sin²θ),  E(m) = ∫_0^{π/2} sqrt(1 − m sin²θ) dθ,
 * of the parameter m = k² (k the modulus), by the arithmetic-geometric mean
 * ([DLMF] 19.8.1 and 19.8.6): a0 = 1, b0 = k' = sqrt(1 − m), c0 = k;
 * a_{n+1} = (a_n + b_n)/2, b_{n+1} = sqrt(a_n b_n), c_{n+1} = c_n²/(4 a_{n+1});
 * K = π/(2 a_N), E = K (1 − Σ_{n≥0} 2^{n−1} c_n²). Quadratic convergence: at
 * most 6 iterations for m ≤ 0.999999, a few more towards m → 1.
 * Valid for 0 ≤ m < 1 (K(1) = +inf, E(1) = 1 are returned for m = 1).
 * Accuracy: a few ulp. */
double lsim_coil_ellint_k(double m);
double lsim_coil_ellint_e(double m);

/* Both at once from one AGM, given m and its complement m1 = 1 − m (pass m1
 * computed without cancellation when m is near 1, e.g. from a geometry).
 * Also returns S1 = Σ_{n≥1} 2^{n−1} c_n² = (1 − m/2) − E/K, a sum of positive
 * terms with no cancellation, from which the mutual inductance and its
 * gradient are formed (see below). Any output pointer may be NULL. */
void lsim_coil_ellint_ke(double m, double m1, double *k_out, double *e_out, double *s1_out);

/* Mutual inductance of two coaxial circular filaments of radii a and b (m)
 * whose planes are z apart (m), Maxwell's closed form ([DLMF] 19.34,
 * [Grover1946]):
 *   M = μ0 sqrt(ab) [(2/k − k) K(k²) − (2/k) E(k²)],  k² = 4ab / ((a+b)² + z²).
 * Evaluated as M = μ0 sqrt(ab) (2/k) K S1, which loses no digits when the loops
 * are far apart (M ~ k³) nor when they nearly touch (k' → 0; k'² is formed as
 * ((a−b)² + z²)/((a+b)² + z²), not as 1 − k²). Valid for a, b > 0 and loops that
 * do not coincide ((a−b)² + z² > 0). Returns H. */
double lsim_coil_loop_mutual_inductance(double a, double b, double z);

/* Its axial gradient dM/dz (H m-1), in closed form: with dK/dk and dE/dk,
 *   dM/dz = −μ0 z k [(2 − k²) E − 2 k'² K] / (4 sqrt(ab) k'²),
 * evaluated as (2 − k²)E − 2k'²K = K [k⁴/2 − (2 − k²) S1]. Odd in z; negative for
 * z > 0 (the loops attract when their currents flow the same way). Same
 * validity as above. If `m_out` is not NULL it receives M at the same point
 * (one AGM serves both). */
double lsim_coil_loop_mutual_gradient(double a, double b, double z, double *m_out);

/* A multi-turn coil: a winding of `turns` turns whose rectangular cross-section
 * spans radii [radius − radial_build/2, radius + radial_build/2] and axial
 * positions [−length/2, +length/2] about the coil's centre.
 *
 * Discretisation: the cross-section is cut into n_radial × n_axial equal cells
 * and each cell is replaced by one circular filament through its centre
 * carrying turns/(n_radial·n_axial) of the turns (the midpoint rule over the
 * winding area, [Grover1946]). The mutual inductance of two coils is the
 * weighted sum over all filament pairs; its error falls as the square of the
 * cell size over the distance between the windings (midpoint rule) and is
 * exact for n = 1 × 1 when both coils are thin single loops. */
typedef struct {
    double radius;       /* m, mean radius of the winding */
    double radial_build; /* m, radial thickness of the winding (0: a thin solenoid) */
    double length;       /* m, axial length of the winding (0: a flat coil) */
    double turns;        /* number of turns (may be fractional for a design estimate) */
    int n_radial;        /* filaments across the radial build, >= 1 */
    int n_axial;         /* filaments along the length, >= 1 */
} lsim_coil_geometry;

/* Mutual inductance of two coaxial coils whose centres are z apart (z = centre
 * of `b` − centre of `a`, m): Σ_i Σ_j w_i w_j M(r_i, r_j, z + z_j − z_i) (H).
 * The windings must not share a filament position. */
double lsim_coil_mutual_inductance(const lsim_coil_geometry *a, const lsim_coil_geometry *b, double z);

/* Its gradient with respect to z (H m-1); `m_out` as for the loop. */
double lsim_coil_mutual_gradient(const lsim_coil_geometry *a, const lsim_coil_geometry *b, double z,
                                 double *m_out);

/* Number of loop mutual-inductance evaluations one coil-pair call makes:
 * (n_radial·n_axial of a) × (n_radial·n_axial of b). */
long lsim_coil_filament_pairs(const lsim_coil_geometry *a, const lsim_coil_geometry *b);

/* The mutual inductance of one coil pair and its gradient tabulated on a
 * uniform grid of separations, for the many evaluations of a launch (each
 * direct evaluation sums n_a × n_b loop formulas). Between nodes both are
 * interpolated by the cubic through the four nearest nodes (error O(Δ⁴), Δ the
 * node spacing: with Δ a tenth of the windings' smallest distance scale it is
 * ~1e-5 relative); outside [x_min, x_max] the direct filament sum is used.
 * The interpolant is continuous but its slope jumps at nodes, so a stage
 * integrated with a table keeps its energy books closed (force and back-EMF
 * use the same gradient) but RK4 loses its order across node crossings. */
typedef struct {
    lsim_coil_geometry a, b; /* the pair (copies), for the direct fallback */
    double x_min, dx;        /* m, first node and node spacing */
    int n;                   /* nodes, >= 4 */
    double *gradient;        /* H m-1 at each node */
    double *mutual;          /* H at each node */
} lsim_coil_table;

/* Tabulates the pair on n >= 4 nodes spanning [x_min, x_max] (x_max > x_min).
 * Returns LSIM_ERR_INPUT for a bad range or node count, LSIM_ERR_RUN if memory
 * runs out; `lsim_coil_table_free` releases it (safe on a zeroed table). */
lsim_status lsim_coil_table_init(lsim_coil_table *t, const lsim_coil_geometry *a, const lsim_coil_geometry *b,
                                 double x_min, double x_max, int n);
void lsim_coil_table_free(lsim_coil_table *t);

/* dM/dz at separation z (H m-1), and M there if `m_out` is not NULL. */
double lsim_coil_table_gradient(const lsim_coil_table *t, double z, double *m_out);

/* Self-inductance of a coil by Maxwell's geometric-mean-distance method on the
 * same filament grid ([Grover1946]): the off-diagonal pairs are the filament
 * mutual inductances; each filament's own term is that of a loop of radius r
 * whose cross-section is the cell (w × h), μ0 r [ln(8r/g) − 2], with
 * g = 0.2235 (w + h) the geometric mean distance of a rectangle from itself.
 * Accurate to about 1% for windings whose build and length are small
 * against the radius; requires radial_build > 0 or length > 0. Returns H. */
double lsim_coil_self_inductance(const lsim_coil_geometry *c);

/* A conductor and its properties at 20 °C. */
typedef struct {
    const char *name;   /* deck word: "aluminium" or "copper" */
    double resistivity; /* Ω m at 293.15 K */
    double alpha;       /* K-1, temperature coefficient of resistance at 293.15 K */
    double density;     /* kg m-3 */
    double heat_capacity; /* J kg-1 K-1, specific heat at room temperature */
    const char *doc;    /* one line */
    const char *source; /* keys of docs/REFERENCES.md */
} lsim_coil_conductor;

/* The conductor named `name`, or NULL if there is none. */
const lsim_coil_conductor *lsim_coil_conductor_find(const char *name);

/* The table itself (`*count` entries), for listings. */
const lsim_coil_conductor *lsim_coil_conductors(int *count);

/* Resistivity at temperature T (K), linear in T about 293.15 K:
 * ρ(T) = ρ20 [1 + α (T − 293.15)] (Ω m). Good to a few per cent from about
 * 200 K to 500 K for both metals; use with care outside. */
double lsim_coil_resistivity(const lsim_coil_conductor *c, double temperature);

/* Conductor cross-section, length, resistance and mass of a winding whose
 * copper (or aluminium) fills `fill_factor` of its rectangular cross-section:
 *   wire length ℓ = turns · 2π · radius, wire area A = fill · build · length / turns,
 *   R(T) = ρ(T) ℓ / A (Ω), mass = density · ℓ · A (kg). */
double lsim_coil_wire_length(const lsim_coil_geometry *c);
double lsim_coil_resistance(const lsim_coil_geometry *c, const lsim_coil_conductor *k, double fill_factor,
                            double temperature);
double lsim_coil_conductor_mass(const lsim_coil_geometry *c, const lsim_coil_conductor *k, double fill_factor);

#endif
