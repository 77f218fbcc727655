/* Dormand–Prince 8(5,3) with dense output and event location; see dop853.h. */
#include "dop853.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* The coefficients of DOP853 (Hairer, Nørsett & Wanner 1993, section II.10),
 * rounded to double. Row 12 of A is the 8th-order weights b; stage 12 is
 * f(t + h, y_new), reused as the first stage of the next step. Rows 13..15
 * are the extra stages of the dense output. E5 and E3 give the 5th- and
 * 3rd-order error estimates (over stages 0..12), D the last 4 coefficients
 * of the continuous extension. The order conditions are checked in
 * tests/orbit/orbit_cr3bp_test.c. */
static const double C[16] = {0.0, 0.05260015195876773, 0.0789002279381516, 0.1183503419072274, 0.2816496580927726, 0.3333333333333333, 0.25, 0.3076923076923077, 0.6512820512820513, 0.6, 0.8571428571428571, 1.0, 1.0, 0.1, 0.2, 0.7777777777777778};
static const double A[16][16] = {
    {0},
    {[0] = 0.05260015195876773},
    {[0] = 0.0197250569845379, [1] = 0.0591751709536137},
    {[0] = 0.02958758547680685, [2] = 0.08876275643042054},
    {[0] = 0.2413651341592667, [2] = -0.8845494793282861, [3] = 0.924834003261792},
    {[0] = 0.037037037037037035, [3] = 0.17082860872947386, [4] = 0.12546768756682242},
    {[0] = 0.037109375, [3] = 0.17025221101954405, [4] = 0.06021653898045596, [5] = -0.017578125},
    {[0] = 0.03709200011850479, [3] = 0.17038392571223998, [4] = 0.10726203044637328, [5] = -0.015319437748624402, [6] = 0.008273789163814023},
    {[0] = 0.6241109587160757, [3] = -3.3608926294469414, [4] = -0.868219346841726, [5] = 27.59209969944671, [6] = 20.154067550477894, [7] = -43.48988418106996},
    {[0] = 0.47766253643826434, [3] = -2.4881146199716677, [4] = -0.590290826836843, [5] = 21.230051448181193, [6] = 15.279233632882423, [7] = -33.28821096898486, [8] = -0.020331201708508627},
    {[0] = -0.9371424300859873, [3] = 5.186372428844064, [4] = 1.0914373489967295, [5] = -8.149787010746927, [6] = -18.52006565999696, [7] = 22.739487099350505, [8] = 2.4936055526796523, [9] = -3.0467644718982196},
    {[0] = 2.273310147516538, [3] = -10.53449546673725, [4] = -2.0008720582248625, [5] = -17.9589318631188, [6] = 27.94888452941996, [7] = -2.8589982771350235, [8] = -8.87285693353063, [9] = 12.360567175794303, [10] = 0.6433927460157636},
    {[0] = 0.054293734116568765, [5] = 4.450312892752409, [6] = 1.8915178993145003, [7] = -5.801203960010585, [8] = 0.3111643669578199, [9] = -0.1521609496625161, [10] = 0.20136540080403034, [11] = 0.04471061572777259},
    {[0] = 0.056167502283047954, [6] = 0.25350021021662483, [7] = -0.2462390374708025, [8] = -0.12419142326381637, [9] = 0.15329179827876568, [10] = 0.00820105229563469, [11] = 0.007567897660545699, [12] = -0.008298},
    {[0] = 0.03183464816350214, [5] = 0.028300909672366776, [6] = 0.053541988307438566, [7] = -0.05492374857139099, [10] = -0.00010834732869724932, [11] = 0.0003825710908356584, [12] = -0.00034046500868740456, [13] = 0.1413124436746325},
    {[0] = -0.42889630158379194, [5] = -4.697621415361164, [6] = 7.683421196062599, [7] = 4.06898981839711, [8] = 0.3567271874552811, [12] = -0.0013990241651590145, [13] = 2.9475147891527724, [14] = -9.15095847217987},
};
static const double E5[13] = {0.01312004499419488, 0.0, 0.0, 0.0, 0.0, -1.2251564463762044, -0.4957589496572502, 1.6643771824549864, -0.35032884874997366, 0.3341791187130175, 0.08192320648511571, -0.022355307863886294, 0.0};
static const double E3[13] = {-0.18980075407240762, 0.0, 0.0, 0.0, 0.0, 4.450312892752409, 1.8915178993145003, -5.801203960010585, -0.4226823213237919, -0.1521609496625161, 0.20136540080403034, 0.02265179219836082, 0.0};
static const double D[4][16] = {
    {[0] = -8.428938276109013, [5] = 0.5667149535193777, [6] = -3.0689499459498917, [7] = 2.38466765651207, [8] = 2.117034582445028, [9] = -0.871391583777973, [10] = 2.2404374302607883, [11] = 0.6315787787694688, [12] = -0.08899033645133331, [13] = 18.148505520854727, [14] = -9.194632392478356, [15] = -4.436036387594894},
    {[0] = 10.427508642579134, [5] = 242.28349177525817, [6] = 165.20045171727028, [7] = -374.5467547226902, [8] = -22.113666853125306, [9] = 7.733432668472264, [10] = -30.674084731089398, [11] = -9.332130526430229, [12] = 15.697238121770845, [13] = -31.139403219565178, [14] = -9.35292435884448, [15] = 35.81684148639408},
    {[0] = 19.985053242002433, [5] = -387.0373087493518, [6] = -189.17813819516758, [7] = 527.8081592054236, [8] = -11.57390253995963, [9] = 6.8812326946963, [10] = -1.0006050966910838, [11] = 0.7777137798053443, [12] = -2.778205752353508, [13] = -60.19669523126412, [14] = 84.32040550667716, [15] = 11.99229113618279},
    {[0] = -25.69393346270375, [5] = -154.18974869023643, [6] = -231.5293791760455, [7] = 357.6391179106141, [8] = 93.40532418362432, [9] = -37.45832313645163, [10] = 104.0996495089623, [11] = 29.8402934266605, [12] = -43.53345659001114, [13] = 96.32455395918828, [14] = -39.17726167561544, [15] = -149.72683625798564},
};

const double *lsim_dop853_c(void) { return C; }
const double *lsim_dop853_a(void) { return &A[0][0]; }

/* ystage = y + h sum_j A[s][j] k[j], skipping the zero coefficients. The
 * sum runs stage by stage over contiguous components, so it vectorises. */
static void stage_point(lsim_dop853 *w, int s, double h)
{
    const int n = w->o.n;
    double acc[LSIM_DOP853_MAX_DIM];
    const double *restrict k0 = w->k[0];
    for (int i = 0; i < n; ++i) acc[i] = A[s][0] * k0[i]; /* every stage weighs k[0] */
    for (int j = 1; j < s; ++j) {
        const double a = A[s][j];
        if (a == 0.0) continue;
        const double *restrict kj = w->k[j];
        for (int i = 0; i < n; ++i) acc[i] += a * kj[i];
    }
    const double *restrict y = w->y;
    double *restrict out = w->ystage;
    for (int i = 0; i < n; ++i) out[i] = y[i] + h * acc[i];
}

static void eval(lsim_dop853 *w, double t, const double *y, double *dydt)
{
    w->o.f(t, y, dydt, w->o.ctx);
    ++w->evaluations;
}

/* Scaled RMS norm of v over the error components, with scale sc_i = atol + rtol |y_i|. */
static double scaled_norm(const lsim_dop853 *w, const double *v, const double *y)
{
    double s = 0.0;
    const int m = w->o.n_err;
    for (int i = 0; i < m; ++i) {
        double q = v[i] / (w->o.atol + w->o.rtol * fabs(y[i]));
        s += q * q;
    }
    return sqrt(s / (double)m);
}

/* Hairer's starting step (Solving ODEs I, II.4): h ~ 0.01 |y|/|f|, refined so
 * that the second derivative's term is about 0.01 of the tolerance, for an
 * order-8 method. k[12] holds f(t0, y0); ystage and k[13] are scratch. */
static double initial_step(lsim_dop853 *w, double t0, double span, double hmax)
{
    const int n = w->o.n;
    double d0 = scaled_norm(w, w->y, w->y), d1 = scaled_norm(w, w->k[12], w->y);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    if (h0 > hmax) h0 = hmax;
    double dir = span < 0.0 ? -1.0 : 1.0;
    for (int i = 0; i < n; ++i) w->ystage[i] = w->y[i] + dir * h0 * w->k[12][i];
    eval(w, t0 + dir * h0, w->ystage, w->k[13]);
    for (int i = 0; i < n; ++i) w->k[14][i] = w->k[13][i] - w->k[12][i];
    double d2 = scaled_norm(w, w->k[14], w->y) / h0;
    double dmax = d1 > d2 ? d1 : d2;
    double h1 = dmax <= 1e-15 ? fmax(1e-6, h0 * 1e-3) : pow(0.01 / dmax, 1.0 / 8.0);
    double h = fmin(100.0 * h0, h1);
    return fmin(h, hmax);
}

/* One trial step of size h from (w->t, w->y): fills k[1..12] and ynew (in
 * ystage), returns the error measure err (accept when <= 1). k[0] must hold
 * f(t, y). */
static double trial_step(lsim_dop853 *w, double h, double *ynew)
{
    const int n = w->o.n;
    for (int s = 1; s < 12; ++s) {
        stage_point(w, s, h);
        eval(w, w->t + C[s] * h, w->ystage, w->k[s]);
    }
    stage_point(w, 12, h);
    memcpy(ynew, w->ystage, (size_t)n * sizeof(double));
    eval(w, w->t + h, ynew, w->k[12]);
    /* Error estimates over stages 0..11 (E5 and E3 weigh stage 12 by zero). */
    const int m = w->o.n_err;
    double d5[LSIM_DOP853_MAX_DIM] = {0.0}, d3[LSIM_DOP853_MAX_DIM] = {0.0};
    for (int j = 0; j < 12; ++j) {
        const double a5 = E5[j], a3 = E3[j];
        if (a5 == 0.0 && a3 == 0.0) continue;
        const double *restrict kj = w->k[j];
        for (int i = 0; i < m; ++i) {
            d5[i] += a5 * kj[i];
            d3[i] += a3 * kj[i];
        }
    }
    double e5 = 0.0, e3 = 0.0;
    for (int i = 0; i < m; ++i) {
        double sc = w->o.atol + w->o.rtol * fmax(fabs(w->y[i]), fabs(ynew[i]));
        double s5 = d5[i] / sc, s3 = d3[i] / sc;
        e5 += s5 * s5;
        e3 += s3 * s3;
    }
    double den = e5 + 0.01 * e3;
    if (den <= 0.0) den = 1.0;
    return fabs(h) * e5 / sqrt((double)m * den);
}

void lsim_dop853_dense(lsim_dop853 *w, double t, double *y)
{
    const int n = w->o.n;
    const double h = w->h_done;
    if (!w->dense_ready) {
        /* The 3 extra stages from the step's start: stage_point uses w->y as
         * the base, so point it at y_old for the moment. */
        double save_y[LSIM_DOP853_MAX_DIM];
        memcpy(save_y, w->y, (size_t)n * sizeof(double));
        memcpy(w->y, w->y_old, (size_t)n * sizeof(double));
        for (int s = 13; s < 16; ++s) {
            stage_point(w, s, h);
            eval(w, w->t_old + C[s] * h, w->ystage, w->k[s]);
        }
        memcpy(w->y, save_y, (size_t)n * sizeof(double));
        for (int i = 0; i < n; ++i) {
            double dy = w->y[i] - w->y_old[i];
            double b = h * w->k[0][i] - dy;
            w->dense[0][i] = dy;
            w->dense[1][i] = b;
            w->dense[2][i] = dy - h * w->k[12][i] - b;
            for (int m = 0; m < 4; ++m) {
                double s = 0.0;
                for (int j = 0; j < 16; ++j) s += D[m][j] * w->k[j][i];
                w->dense[3 + m][i] = h * s;
            }
        }
        w->dense_ready = 1;
    }
    const double s = (t - w->t_old) / h, s1 = 1.0 - s;
    for (int i = 0; i < n; ++i) {
        double v = w->dense[6][i];
        v = w->dense[5][i] + s * v;
        v = w->dense[4][i] + s1 * v;
        v = w->dense[3][i] + s * v;
        v = w->dense[2][i] + s1 * v;
        v = w->dense[1][i] + s * v;
        v = w->dense[0][i] + s1 * v;
        y[i] = w->y_old[i] + s * v;
    }
}

static int crosses(double g0, double g1, int direction)
{
    if (direction >= 0 && g0 < 0.0 && g1 >= 0.0) return 1;
    if (direction <= 0 && g0 > 0.0 && g1 <= 0.0) return 1;
    return 0;
}

/* The root of g on the dense output in [t_old, t] given g(t_old) = ga and
 * g(t) = gb of opposite signs (gb may be 0): Illinois regula falsi with a
 * bisection fallback. Writes the state at the root into y. */
static double locate(lsim_dop853 *w, const lsim_dop853_event *e, double ga, double gb, double *y)
{
    double a = w->t_old, b = w->t;
    if (gb == 0.0) {
        memcpy(y, w->y, (size_t)w->o.n * sizeof(double));
        return b;
    }
    int side = 0;
    for (int it = 0; it < 200; ++it) {
        double tol = 4.0 * DBL_EPSILON * fmax(fabs(a), fabs(b)) + 1e-300;
        if (fabs(b - a) <= tol) break;
        double c = (a * gb - b * ga) / (gb - ga);
        /* Keep the trial strictly inside; bisect when regula falsi stalls. */
        if (!(c > fmin(a, b) && c < fmax(a, b)) || it % 8 == 7) c = 0.5 * (a + b);
        lsim_dop853_dense(w, c, y);
        double gc = e->g(c, y, e->ctx);
        if (gc == 0.0) return c;
        if ((gc < 0.0) == (ga < 0.0)) {
            a = c;
            ga = gc;
            if (side == -1) gb *= 0.5;
            side = -1;
        } else {
            b = c;
            gb = gc;
            if (side == 1) ga *= 0.5;
            side = 1;
        }
    }
    /* Report the end on the far side of the crossing, so the event's sign has changed. */
    lsim_dop853_dense(w, b, y);
    return b;
}

/* Checks the events over the last accepted step; returns the index of the
 * terminal event that comes first (its time and state in t_stop, y_stop), or -1. */
static int check_events(lsim_dop853 *w, const lsim_dop853_event *events, int n_events, double *g_prev,
                        lsim_dop853_result *r)
{
    const int n = w->o.n;
    double t_hit[LSIM_DOP853_MAX_EVENTS];
    double y_hit[LSIM_DOP853_MAX_EVENTS][LSIM_DOP853_MAX_DIM];
    int hit[LSIM_DOP853_MAX_EVENTS] = {0};
    const double dir = w->h_done < 0.0 ? -1.0 : 1.0;
    int stop = -1;
    double t_stop = 0.0;
    for (int e = 0; e < n_events; ++e) {
        double g1 = events[e].g(w->t, w->y, events[e].ctx);
        if (crosses(g_prev[e], g1, events[e].direction)) {
            hit[e] = 1;
            t_hit[e] = locate(w, &events[e], g_prev[e], g1, y_hit[e]);
            if (events[e].terminal && (stop < 0 || dir * (t_hit[e] - t_stop) < 0.0)) {
                stop = e;
                t_stop = t_hit[e];
            }
        }
        g_prev[e] = g1;
    }
    for (int e = 0; e < n_events; ++e) {
        if (!hit[e] || (stop >= 0 && dir * (t_hit[e] - t_stop) > 0.0)) continue;
        lsim_dop853_event_hit *h = &r->hits[e];
        if (h->count++ == 0) {
            h->t = t_hit[e];
            memcpy(h->y, y_hit[e], (size_t)n * sizeof(double));
        }
    }
    return stop;
}

lsim_status lsim_dop853_integrate(lsim_dop853 *w, const lsim_dop853_options *o, double t0, const double *y0, double t1,
                                  const lsim_dop853_event *events, int n_events, lsim_dop853_step_fn on_step,
                                  void *step_ctx, lsim_dop853_result *r)
{
    LSIM_ASSERT(o->n >= 1 && o->n <= LSIM_DOP853_MAX_DIM, "dop853: dimension %d outside 1..%d", o->n,
                LSIM_DOP853_MAX_DIM);
    LSIM_ASSERT(o->n_err >= 0 && o->n_err <= o->n, "dop853: n_err %d outside 0..n", o->n_err);
    LSIM_ASSERT(o->rtol > 0.0 && o->atol > 0.0, "dop853: tolerances must be positive");
    LSIM_ASSERT(n_events >= 0 && n_events <= LSIM_DOP853_MAX_EVENTS, "dop853: %d events (max %d)", n_events,
                LSIM_DOP853_MAX_EVENTS);
    LSIM_ASSERT(o->f != NULL, "dop853: no right-hand side");
    w->o = *o;
    if (w->o.n_err == 0) w->o.n_err = o->n;
    const int n = o->n;
    const double span = t1 - t0, dir = span < 0.0 ? -1.0 : 1.0;
    const double hmax = o->h_max > 0.0 ? fmin(o->h_max, fabs(span)) : fabs(span);
    const long max_steps = o->max_steps > 0 ? o->max_steps : 10000000L;

    memset(r, 0, sizeof *r);
    r->stop_event = -1;
    w->evaluations = 0;
    w->dense_ready = 0;
    w->t = t0;
    w->t_old = t0;
    w->h_done = 0.0;
    memcpy(w->y, y0, (size_t)n * sizeof(double));
    r->t = t0;
    memcpy(r->y, y0, (size_t)n * sizeof(double));
    if (span == 0.0) return LSIM_OK;

    double g_prev[LSIM_DOP853_MAX_EVENTS];
    for (int e = 0; e < n_events; ++e) g_prev[e] = events[e].g(t0, y0, events[e].ctx);

    eval(w, t0, w->y, w->k[12]);
    double h = dir * (o->h_init > 0.0 ? fmin(o->h_init, hmax) : initial_step(w, t0, span, hmax));
    double ynew[LSIM_DOP853_MAX_DIM];
    int rejected_last = 0;
    lsim_status status = LSIM_OK;
    for (;;) {
        if (r->steps + r->rejected >= max_steps) {
            status = lsim_fail(LSIM_ERR_RUN, "dop853: more than %ld steps between t = %g and %g (stopped at %g)",
                               max_steps, t0, t1, w->t);
            break;
        }
        /* Land on t1 exactly, and avoid a sliver of a last step. */
        int last = 0;
        if (dir * (w->t + 1.01 * h - t1) >= 0.0) {
            h = t1 - w->t;
            last = 1;
        }
        if (fabs(h) <= 16.0 * DBL_EPSILON * fabs(w->t)) {
            status = lsim_fail(LSIM_ERR_RUN, "dop853: step size underflow at t = %.17g", w->t);
            break;
        }
        memcpy(w->k[0], w->k[12], (size_t)n * sizeof(double));
        double err = trial_step(w, h, ynew);
        if (!(err <= 1.0)) {
            /* Rejected (or NaN): shrink, without growing until a step passes. */
            double fac = isfinite(err) ? fmax(0.2, 0.9 * pow(err, -1.0 / 8.0)) : 0.2;
            h *= fac;
            ++r->rejected;
            rejected_last = 1;
            memcpy(w->k[12], w->k[0], (size_t)n * sizeof(double));
            continue;
        }
        ++r->steps;
        memcpy(w->y_old, w->y, (size_t)n * sizeof(double));
        memcpy(w->y, ynew, (size_t)n * sizeof(double));
        w->t_old = w->t;
        w->t = last ? t1 : w->t + h;
        w->h_done = w->t - w->t_old;
        w->dense_ready = 0;

        if (n_events > 0) {
            int stop = check_events(w, events, n_events, g_prev, r);
            if (stop >= 0) {
                r->stop_event = stop;
                r->t = r->hits[stop].t;
                memcpy(r->y, r->hits[stop].y, (size_t)n * sizeof(double));
                r->evaluations = w->evaluations;
                return LSIM_OK;
            }
        }
        if (on_step && on_step(w, step_ctx)) break;
        if (last) break;
        double fac = err > 0.0 ? 0.9 * pow(err, -1.0 / 8.0) : 10.0;
        fac = fmin(10.0, fmax(0.2, fac));
        if (rejected_last && fac > 1.0) fac = 1.0;
        rejected_last = 0;
        h *= fac;
        if (fabs(h) > hmax) h = dir * hmax;
    }
    r->t = w->t;
    memcpy(r->y, w->y, (size_t)n * sizeof(double));
    r->evaluations = w->evaluations;
    return status;
}
