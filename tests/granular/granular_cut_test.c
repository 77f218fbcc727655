/* The DEM cut against the Fundamental Earthmoving Equation: d^2 scaling,
 * agreement with the Coulomb wedge, mass bookkeeping, and the cutting energy
 * against the RASSOR figure of docs/REFERENCES.md [Mueller2015]. Four cases (3 and 6 cm, two seeds)
 * run on two threads in ~4 s. */
#include "granular.h"
#include "lsim_test.h"

#define DEG (3.14159265358979323846 / 180.0)

int main(void)
{
    enum { SEEDS = 2, N = 2 * SEEDS };
    lsim_granular_case c[N];
    lsim_granular_result r[N];
    for (int k = 0; k < N; ++k) {
        lsim_granular_default_case(&c[k], LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE);
        c[k].cut_depth = k < SEEDS ? 0.03 : 0.06;
        c[k].seed = (uint64_t)(k % SEEDS + 1);
        lsim_granular_fit_bed(&c[k]);
    }
    lsim_status st = lsim_granular_run_many(c, r, N);
    LSIM_CHECK(st == LSIM_OK, "run_many: %s", lsim_last_error());
    if (st != LSIM_OK) LSIM_TEST_MAIN_END();

    double f[2] = {0, 0}, d[2] = {0, 0}, fee[2] = {0, 0}, se2[2] = {0, 0};
    for (int k = 0; k < N; ++k) {
        int j = k / SEEDS;
        f[j] += r[k].draft_force / SEEDS;
        d[j] += r[k].cut_depth / SEEDS;
        fee[j] += r[k].fee_draft / SEEDS;
        se2[j] += r[k].draft_force_stderr * r[k].draft_force_stderr / (SEEDS * SEEDS);
        printf("d %.4f m seed %d: F %.3f +- %.3f N/m, FEE %.3f N/m, phi %.4f, delta_mob %.1f deg, e %.3f J/kg, "
               "collected %.2f of %.2f kg/m2, %zu grains\n",
               r[k].cut_depth, (int)c[k].seed, r[k].draft_force, r[k].draft_force_stderr, r[k].fee_draft,
               r[k].packing_fraction, r[k].wall_friction_angle / DEG, r[k].specific_energy, r[k].collected_rate,
               r[k].mass_per_length, r[k].grain_count);

        /* The settled bed: 2-D random packings of polydisperse rounded polygons are 0.78-0.86 dense. */
        LSIM_CHECK_CLOSE(r[k].packing_fraction, 0.82, 0.0, 0.04, "2-D random packing of polydisperse grains");
        /* The layer cut is the layer poured (mass-equivalent depth of a target-depth pour, +-10%). */
        LSIM_CHECK_CLOSE(r[k].cut_depth, c[k].cut_depth, 0.10, 0.0, "pour of 0.8 L d / mean area grains");
        /* The energy is the draft over the mass per metre, by definition. */
        LSIM_CHECK_CLOSE(r[k].specific_energy, r[k].draft_force / (r[k].bulk_density * r[k].cut_depth), 1e-12, 0.0,
                         "definition");
        /* Mass bookkeeping: once steady, the bucket collects what the blade cuts, rho_b d per metre,
         * less the heave left ahead of the blade and the grains riding on it (up to 25%). */
        LSIM_CHECK_CLOSE(r[k].collected_rate, r[k].mass_per_length, 0.25, 0.0,
                         "collected spoil per metre of travel vs rho_b d");
        /* The blade is pushed down: the soil's force on it points along -(sin(a+d), cos(a+d)), a+d < 90 deg. */
        LSIM_CHECK(r[k].vertical_force < 0.0, "vertical force %g N/m should press the blade down",
                   r[k].vertical_force);
        /* Mobilised soil-blade friction cannot much exceed what the blade's mu allows: 3 deg of slack
         * because contacts on the rounded tip end push along normals off the face's. */
        LSIM_CHECK(r[k].wall_friction_angle <= atan(c[k].blade_friction) + 3.0 * DEG,
                   "mobilised wall friction %g deg above atan(mu_blade)", r[k].wall_friction_angle / DEG);
        /* Cutting energy: well below RASSOR 2.0's whole-machine 4 kWh/t = 14,400 J/kg
         * (docs/REFERENCES.md [Mueller2015]) -- under 0.1% of it. */
        LSIM_CHECK(r[k].specific_energy > 0.0 && r[k].specific_energy < 14.4,
                   "specific cutting energy %g J/kg", r[k].specific_energy);
    }

    /* d^2 scaling. Tolerance 25%: three standard errors of the ratio (bin scatter, ~5% and ~3%) plus the
     * finite-size bias measured with granular_calibrate (the 6-grain-deep cut carries a surface-roughness
     * and residual-surcharge excess of ~20% that the 12-grain cut has at ~10%). */
    double scaling = (f[1] / f[0]) / ((d[1] / d[0]) * (d[1] / d[0]));
    printf("F(2d)/F(d) = %.3f, (d2/d1)^2 = %.3f, normalised %.3f; F/FEE = %.3f, %.3f\n", f[1] / f[0],
           (d[1] / d[0]) * (d[1] / d[0]), scaling, f[0] / fee[0], f[1] / fee[1]);
    LSIM_CHECK_CLOSE(scaling, 1.0, 0.25, 0.0, "F ~ d^2 within statistics and finite-size bias");

    /* Agreement with the Coulomb wedge. The DEM is a 2-D assembly of rigid pentagons, 6-12 grains deep,
     * dragged at 0.1 m/s: finite grain size (surface roughness and a residual grain-high surcharge),
     * dilatancy of the settled bed (peak above the repose angle used for phi) and inertia all add to the
     * static wedge; the planar wedge itself is within ~10% of the log-spiral solution at this rake.
     * 12 grains deep: within 40%; 6 grains deep: within 60%. */
    LSIM_CHECK_CLOSE(f[1] / fee[1], 1.0, 0.40, 0.0, "DEM vs Coulomb wedge, 12 grains deep");
    LSIM_CHECK_CLOSE(f[0] / fee[0], 1.0, 0.60, 0.0, "DEM vs Coulomb wedge, 6 grains deep");
    LSIM_TEST_MAIN_END();
}
