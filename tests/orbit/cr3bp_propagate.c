/* Not a test itself: reads lines "t x y z vx vy vz" (non-dimensional
 * Earth–Moon CR3BP, see orbit/cr3bp.h) on stdin, propagates each state from
 * 0 to t with DOP853 at rtol = atol = 1e-12 (or the tolerance given as the
 * first argument), and prints "x y z vx vy vz steps max|Phi|": the final
 * state, the accepted steps, and the largest element of the state-transition
 * matrix over the span (from a second propagation with the variational
 * equations), so a caller can bound how the flow amplifies errors. */
#include <stdio.h>
#include <stdlib.h>

#include "cr3bp.h"

int main(int argc, char **argv)
{
    const double tol = argc > 1 ? atof(argv[1]) : 1e-12;
    const lsim_cr3bp_system sys = lsim_cr3bp_earth_moon();
    static lsim_dop853 w;
    double t, s[6];
    while (scanf("%lf %lf %lf %lf %lf %lf %lf", &t, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5]) == 7) {
        lsim_cr3bp_path p, q;
        if (lsim_cr3bp_propagate(&sys, &w, s, 0.0, t, 0, tol, tol, NULL, &p) != LSIM_OK ||
            lsim_cr3bp_propagate(&sys, &w, s, 0.0, t, 1, tol, tol, NULL, &q) != LSIM_OK) {
            fprintf(stderr, "cr3bp_propagate: %s\n", lsim_last_error());
            return 1;
        }
        double amp = 0.0;
        for (int i = 0; i < 36; ++i) amp = q.stm[i] > amp ? q.stm[i] : (-q.stm[i] > amp ? -q.stm[i] : amp);
        printf("%.17g %.17g %.17g %.17g %.17g %.17g %ld %.6g\n", p.s[0], p.s[1], p.s[2], p.s[3], p.s[4], p.s[5],
               p.steps, amp);
    }
    return 0;
}
