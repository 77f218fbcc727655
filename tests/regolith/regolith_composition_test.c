/* Site composition: oxide wt% -> element mass fractions, the site table, and
 * its error messages. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdir, rmdir */
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

/* IUPAC standard atomic weights, g/mol, typed here independently of core/elements.h. */
#define M_O 15.999
#define M_SI 28.085
#define M_TI 47.867
#define M_AL 26.982
#define M_FE 55.845
#define M_MG 24.305
#define M_CA 40.078
#define M_NA 22.990


#define HEADER "site_id,description,SiO2,TiO2,Al2O3,FeO,MgO,CaO,Na2O,source\n"

static void check_bad_table(const char *name, const char *text, const char *expect_location, const char *expect_word)
{
    const char *path = lsim_test_write_file(name, text);
    lsim_regolith_site site;
    lsim_status st = lsim_regolith_read_site(path, "apollo16", &site);
    LSIM_CHECK(st == LSIM_ERR_INPUT, "%s: malformed table must be an input error (got %d)", name, (int)st);
    const char *msg = lsim_last_error();
    LSIM_CHECK(strstr(msg, expect_location) != NULL, "%s: message '%s' must name '%s'", name, msg, expect_location);
    LSIM_CHECK(strstr(msg, expect_word) != NULL, "%s: message '%s' must mention '%s'", name, msg, expect_word);
    remove(path);
}

int main(void)
{
    /* --- Apollo 16 by hand (Lunar Sourcebook Table 7.15, docs/REFERENCES.md [Heiken1991]) --- */
    const double a16[LSIM_REGOLITH_OXIDE_COUNT] = {45.0, 0.54, 27.3, 5.1, 5.7, 15.7, 0.46};
    double f[LSIM_EL_COUNT];
    lsim_regolith_oxides_to_elements(a16, LSIM_REGOLITH_REMAINDER_OTHER, f);

    const double si = 0.450 * M_SI / (M_SI + 2 * M_O);
    const double ti = 0.0054 * M_TI / (M_TI + 2 * M_O);
    const double al = 0.273 * (2 * M_AL) / (2 * M_AL + 3 * M_O);
    const double fe = 0.051 * M_FE / (M_FE + M_O);
    const double mg = 0.057 * M_MG / (M_MG + M_O);
    const double ca = 0.157 * M_CA / (M_CA + M_O);
    const double na = 0.0046 * (2 * M_NA) / (2 * M_NA + M_O);
    /* Oxygen computed as the oxygen share of each oxide, not as "the rest". */
    const double o = 0.450 * 2 * M_O / (M_SI + 2 * M_O) + 0.0054 * 2 * M_O / (M_TI + 2 * M_O) +
                     0.273 * 3 * M_O / (2 * M_AL + 3 * M_O) + 0.051 * M_O / (M_FE + M_O) +
                     0.057 * M_O / (M_MG + M_O) + 0.157 * M_O / (M_CA + M_O) + 0.0046 * M_O / (2 * M_NA + M_O);
    const char *why = "same stoichiometry, different order of operations and g/mol vs kg/mol: a few ulp";
    LSIM_CHECK_CLOSE(f[LSIM_EL_SI], si, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_TI], ti, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_AL], al, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_FE], fe, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_MG], mg, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_CA], ca, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_NA], na, 1e-12, 0, why);
    LSIM_CHECK_CLOSE(f[LSIM_EL_O], o, 1e-12, 0, why);
    /* Unlisted 0.2 wt% (100 - 99.8) is carried as OTHER. */
    LSIM_CHECK_CLOSE(f[LSIM_EL_OTHER], 0.002, 0, 1e-15, "100 - 99.8 wt%, up to the round-off of nine sums");
    {
        double sum = 0.0;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) sum += f[e];
        LSIM_CHECK_CLOSE(sum, 1.0, 0, 4e-16, "OTHER = 1 - sum(rest): the sum is 1 to 1-2 ulp of round-off");
    }

    /* --- renormalise: listed oxides scaled to 100%, nothing left over --- */
    double g[LSIM_EL_COUNT];
    lsim_regolith_oxides_to_elements(a16, LSIM_REGOLITH_REMAINDER_RENORMALISE, g);
    LSIM_CHECK(g[LSIM_EL_OTHER] == 0.0, "renormalise leaves no OTHER (got %g)", g[LSIM_EL_OTHER]);
    LSIM_CHECK_CLOSE(g[LSIM_EL_SI], si / 0.998, 1e-12, 0, "Si scaled by 100/99.8");
    {
        double sum = 0.0;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) sum += g[e];
        LSIM_CHECK_CLOSE(sum, 1.0, 0, 1e-15, "renormalised sum: round-off of ~16 operations");
    }

    /* --- every site of the shipped table: fractions close, oxygen in the ~40-45 wt% band --- */
    char path[1024];
    lsim_status st = lsim_regolith_resolve_data_path("sites/lunar_sourcebook_table_7_15.csv", path, sizeof path);
    LSIM_CHECK(st == LSIM_OK, "the shipped site table must be found: %s", lsim_last_error());
    const char *sites[] = {"apollo11", "apollo12", "apollo14", "apollo15", "apollo16",
                           "apollo17", "luna16",   "luna20",   "luna24"};
    for (size_t i = 0; st == LSIM_OK && i < sizeof sites / sizeof sites[0]; ++i) {
        lsim_regolith_site row;
        lsim_status rs = lsim_regolith_read_site(path, sites[i], &row);
        LSIM_CHECK(rs == LSIM_OK, "site %s: %s", sites[i], lsim_last_error());
        if (rs != LSIM_OK) continue;
        for (int mode = 0; mode < 2; ++mode) {
            double h[LSIM_EL_COUNT], sum = 0.0;
            lsim_regolith_oxides_to_elements(row.oxide_wt_percent, (lsim_regolith_remainder)mode, h);
            for (int e = 0; e < LSIM_EL_COUNT; ++e) {
                LSIM_CHECK(h[e] >= 0.0, "site %s mode %d element %d fraction %g < 0", sites[i], mode, e, h[e]);
                sum += h[e];
            }
            LSIM_CHECK_CLOSE(sum, 1.0, 0, 1e-15, "fractions close to round-off");
            /* docs/REFERENCES.md: "oxygen in regolith ~40-45 wt%"; the "~" is read as
             * +-1 wt% (Apollo 16 renormalised is 45.1%). */
            LSIM_CHECK(h[LSIM_EL_O] >= 0.39 && h[LSIM_EL_O] <= 0.46, "site %s oxygen %.4f outside ~40-45 wt%%",
                       sites[i], h[LSIM_EL_O]);
        }
    }
    /* Luna 20 sums to 100.35 wt% (analytical closure): no negative OTHER. */
    {
        lsim_regolith_site row;
        if (st == LSIM_OK && lsim_regolith_read_site(path, "luna20", &row) == LSIM_OK) {
            double h[LSIM_EL_COUNT];
            lsim_regolith_oxides_to_elements(row.oxide_wt_percent, LSIM_REGOLITH_REMAINDER_OTHER, h);
            LSIM_CHECK(h[LSIM_EL_OTHER] == 0.0, "luna20 over 100%%: OTHER must be 0, got %g", h[LSIM_EL_OTHER]);
        }
    }

    /* --- unknown site and malformed tables: input errors with file:line --- */
    if (st == LSIM_OK) {
        lsim_regolith_site row;
        LSIM_CHECK(lsim_regolith_read_site(path, "apollo13", &row) == LSIM_ERR_INPUT, "unknown site");
        LSIM_CHECK(strstr(lsim_last_error(), "apollo16") != NULL, "unknown-site message lists the sites: %s",
                   lsim_last_error());
    }
    check_bad_table("regolith_bad_number.csv",
                    "# comment\n" HEADER "apollo16,A16,45.0,0.54,27.x,5.1,5.7,15.7,0.46,src\n",
                    "regolith_bad_number.csv:3:", "Al2O3");
    check_bad_table("regolith_bad_columns.csv", HEADER "apollo16,A16,45.0,0.54,27.3,5.1,5.7,15.7,src\n",
                    "regolith_bad_columns.csv:2:", "columns");
    check_bad_table("regolith_bad_header.csv",
                    "site_id,description,SiO2,TiO2,Al2O3,FeO,MgO,CaO,K2O,source\n",
                    "regolith_bad_header.csv:1:", "Na2O");
    check_bad_table("regolith_bad_sum.csv", HEADER "apollo16,A16,95.0,0.54,27.3,5.1,5.7,15.7,0.46,src\n",
                    "regolith_bad_sum.csv:2:", "sum");
    check_bad_table("regolith_bad_negative.csv", HEADER "apollo16,A16,45.0,-0.5,27.3,5.1,5.7,15.7,0.46,src\n",
                    "regolith_bad_negative.csv:2:", "TiO2");
    check_bad_table("regolith_bad_duplicate.csv",
                    HEADER "apollo16,A16,45.0,0.54,27.3,5.1,5.7,15.7,0.46,src\n"
                           "apollo16,A16,45.0,0.54,27.3,5.1,5.7,15.7,0.46,src\n",
                    "regolith_bad_duplicate.csv:3:", "twice");

    /* --- through init: a malformed table named by regolith.site_table fails init --- */
    {
        /* A relative name not under any data directory is found in the working directory. */
        lsim_test_write_file("regolith_bad_init.csv", HEADER "apollo16,A16,45.0,0.54,27.3,5.1\n");
        lsim_params *p = regolith_test_params();
        regolith_test_set_text(p, "site_table", "regolith_bad_init.csv");
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        lsim_status is = lsim_regolith_init(&m, p, s, 1);
        LSIM_CHECK(is == LSIM_ERR_INPUT, "init with a malformed table must fail with an input error (got %d)", (int)is);
        LSIM_CHECK(strstr(lsim_last_error(), "regolith_bad_init.csv:2:") != NULL, "init error names file:line: %s",
                   lsim_last_error());
        lsim_series_free(s);
        lsim_params_free(p);
        remove("regolith_bad_init.csv");
    }

    /* --- LSIM_DATA_DIR overrides the built-in data directories --- */
    {
        mkdir("regolith_datadir", 0755);
        mkdir("regolith_datadir/sites", 0755);
        lsim_test_write_file("regolith_datadir/sites/lunar_sourcebook_table_7_15.csv",
                   HEADER "apollo16,test row,50.0,0,0,0,0,0,0,test\n");
        setenv("LSIM_DATA_DIR", "regolith_datadir", 1);
        char found[1024];
        lsim_status rs = lsim_regolith_resolve_data_path("sites/lunar_sourcebook_table_7_15.csv", found, sizeof found);
        LSIM_CHECK(rs == LSIM_OK && strcmp(found, "regolith_datadir/sites/lunar_sourcebook_table_7_15.csv") == 0,
                   "LSIM_DATA_DIR is searched first: got '%s'", found);
        lsim_regolith_site row;
        LSIM_CHECK(lsim_regolith_read_site(found, "apollo16", &row) == LSIM_OK && row.oxide_wt_percent[0] == 50.0,
                   "the override table is the one read");
        setenv("LSIM_DATA_DIR", "regolith_no_such_dir", 1);
        rs = lsim_regolith_resolve_data_path("sites/lunar_sourcebook_table_7_15.csv", found, sizeof found);
        LSIM_CHECK(rs == LSIM_ERR_INPUT && strstr(lsim_last_error(), "regolith_no_such_dir/sites/"),
                   "a wrong LSIM_DATA_DIR is an input error naming the path tried: %s", lsim_last_error());
        unsetenv("LSIM_DATA_DIR");
        remove("regolith_datadir/sites/lunar_sourcebook_table_7_15.csv");
        rmdir("regolith_datadir/sites");
        rmdir("regolith_datadir");
    }

    /* --- through init: default site and the element-fraction accessor --- */
    {
        lsim_params *p = regolith_test_params();
        lsim_series_registry *s = lsim_series_new(16);
        lsim_regolith m;
        regolith_test_init(&m, p, s, 1);
        LSIM_CHECK(strcmp(m.site_id, "apollo16") == 0, "default site is apollo16, got %s", m.site_id);
        double h[LSIM_EL_COUNT];
        lsim_regolith_element_fractions(&m, h);
        for (int e = 0; e < LSIM_EL_COUNT; ++e)
            LSIM_CHECK(h[e] == f[e], "init fractions equal the pure function's (element %d)", e);
        LSIM_CHECK(m.bulk_density == 1500.0, "default bulk density 1500 kg m-3 (Lunar Sourcebook ch. 9, 0-15 cm)");
        lsim_regolith_free(&m);
        lsim_series_free(s);
        lsim_params_free(p);
    }
    LSIM_TEST_MAIN_END();
}
