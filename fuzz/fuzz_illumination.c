/* The power illumination curve reader (cumulative ground area against lit
 * share); a curve that loads is also evaluated across and beyond its range. */
#include "fuzz_util.h"
#include "illumination_curve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = lsim_fuzz_file(".csv", data, size);
    static lsim_illumination_curve curve;
    if (lsim_illumination_curve_read(path, &curve) == LSIM_OK) {
        double last = curve.ground_area[curve.count - 1];
        for (int i = 0; i <= 8; ++i) (void)lsim_illumination_curve_mean(&curve, last * (double)i / 4.0);
    }
    return 0;
}
