/* The chemical elements the chain tracks. Stocks between modules are kept
 * per element so mass conservation can be checked to round-off. */
#ifndef LSIM_ELEMENTS_H
#define LSIM_ELEMENTS_H

enum {
    LSIM_EL_O,
    LSIM_EL_SI,
    LSIM_EL_AL,
    LSIM_EL_FE,
    LSIM_EL_TI,
    LSIM_EL_MG,
    LSIM_EL_CA,
    LSIM_EL_NA,
    LSIM_EL_OTHER, /* minor oxides the site tables leave out (Cr2O3, MnO, K2O, P2O5, ...) */
    LSIM_EL_COUNT
};

/* Standard atomic weights, kg/mol (IUPAC 2021 abridged values). OTHER has no
 * molar mass: it is carried as bulk mass. */
static const double lsim_element_molar_mass[LSIM_EL_COUNT] = {
    15.999e-3, 28.085e-3, 26.982e-3, 55.845e-3, 47.867e-3, 24.305e-3, 40.078e-3, 22.990e-3, 0.0};

static const char *const lsim_element_symbol[LSIM_EL_COUNT] = {"O", "Si", "Al", "Fe", "Ti", "Mg", "Ca", "Na", "other"};

#endif
