/* Site composition: the oxide table, its reading, and oxide -> element stoichiometry. */
#include "regolith.h"
#include "datapath.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *const lsim_regolith_oxide_name[LSIM_REGOLITH_OXIDE_COUNT] = {"SiO2", "TiO2", "Al2O3", "FeO",
                                                                         "MgO",  "CaO",  "Na2O"};

/* Formula of each oxide: metal element, metal atoms, oxygen atoms. */
static const struct {
    int element;
    int metal_atoms;
    int oxygen_atoms;
} oxide_formula[LSIM_REGOLITH_OXIDE_COUNT] = {
    {LSIM_EL_SI, 1, 2}, {LSIM_EL_TI, 1, 2}, {LSIM_EL_AL, 2, 3}, {LSIM_EL_FE, 1, 1},
    {LSIM_EL_MG, 1, 1}, {LSIM_EL_CA, 1, 1}, {LSIM_EL_NA, 2, 1},
};

/* A published row may close slightly above 100% (analytical error: Luna 20
 * sums to 100.35); more than this is a typo, not closure. */
#define LSIM_REGOLITH_MAX_ROW_SUM 101.0

void lsim_regolith_oxides_to_elements(const double oxide_wt_percent[LSIM_REGOLITH_OXIDE_COUNT],
                                      lsim_regolith_remainder remainder, double out[LSIM_EL_COUNT])
{
    double listed = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_OXIDE_COUNT; ++k) listed += oxide_wt_percent[k];

    /* Above 100% there is no room for unlisted oxides: closure error is
     * removed by renormalising whatever the caller asked for. */
    int renormalise = remainder == LSIM_REGOLITH_REMAINDER_RENORMALISE || listed > 100.0;
    double scale = renormalise && listed > 0.0 ? 1.0 / listed : 1.0 / 100.0;

    for (int e = 0; e < LSIM_EL_COUNT; ++e) out[e] = 0.0;
    for (int k = 0; k < LSIM_REGOLITH_OXIDE_COUNT; ++k) {
        double wt = oxide_wt_percent[k] * scale;
        int el = oxide_formula[k].element;
        double metal_molar = oxide_formula[k].metal_atoms * lsim_element_molar_mass[el];
        double oxide_molar = metal_molar + oxide_formula[k].oxygen_atoms * lsim_element_molar_mass[LSIM_EL_O];
        double metal = wt * metal_molar / oxide_molar;
        out[el] += metal;
        out[LSIM_EL_O] += wt - metal;
    }
    double named = 0.0;
    for (int e = 0; e < LSIM_EL_OTHER; ++e) named += out[e];
    /* OTHER closes the sum exactly in both cases, so element stocks built from
     * these fractions conserve mass to round-off. */
    out[LSIM_EL_OTHER] = renormalise ? 0.0 : 1.0 - named;
}

/* --- path resolution --- */

lsim_status lsim_regolith_resolve_data_path(const char *path, char *resolved, size_t size)
{
    return lsim_data_path(path, "regolith.site_table", resolved, size);
}

/* --- the CSV table --- */

#define SITE_COLUMNS (3 + LSIM_REGOLITH_OXIDE_COUNT)

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') ++s;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

/* Splits `line` in place at commas, keeping the first `max` fields; returns
 * how many fields the line has. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (n < max) fields[n] = trim(p);
        ++n;
        if (!comma) break;
        p = comma + 1;
    }
    return n;
}

static const char *const site_header[SITE_COLUMNS] = {"site_id", "description", "SiO2", "TiO2", "Al2O3",
                                                      "FeO",     "MgO",         "CaO",  "Na2O", "source"};

static int same_word_nocase(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b) {
        char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb) return 0;
    }
    return *a == *b;
}

lsim_status lsim_regolith_read_site(const char *table_path, const char *site_id, lsim_regolith_site *site)
{
    FILE *f = fopen(table_path, "r");
    if (!f) return lsim_fail(LSIM_ERR_INPUT, "%s: cannot open site table: %s", table_path, strerror(errno));

    char line[1024];
    long line_no = 0;
    int header_seen = 0, found = 0;
    /* Every id seen, so duplicates are caught however long the table is. */
    enum { MAX_SITES = 256 };
    static _Thread_local char known[MAX_SITES][sizeof site->id];
    size_t known_count = 0;
    lsim_status status = LSIM_OK;

    while (fgets(line, sizeof line, f)) {
        ++line_no;
        if (!strchr(line, '\n') && !feof(f)) {
            status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: line longer than %zu characters", table_path, line_no,
                               sizeof line - 2);
            goto done;
        }
        char *text = trim(line);
        if (!text[0] || text[0] == '#') continue;

        char *fields[SITE_COLUMNS];
        int n = split_fields(text, fields, SITE_COLUMNS);
        if (n != SITE_COLUMNS) {
            status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: expected %d comma-separated columns (%s), found %d",
                               table_path, line_no, SITE_COLUMNS,
                               "site_id,description,SiO2,TiO2,Al2O3,FeO,MgO,CaO,Na2O,source", n);
            goto done;
        }
        if (!header_seen) {
            for (int c = 0; c < SITE_COLUMNS; ++c) {
                if (!same_word_nocase(fields[c], site_header[c])) {
                    status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: header column %d is '%s', expected '%s'",
                                       table_path, line_no, c + 1, fields[c], site_header[c]);
                    goto done;
                }
            }
            header_seen = 1;
            continue;
        }

        lsim_regolith_site row;
        memset(&row, 0, sizeof row);
        if (!fields[0][0] || strlen(fields[0]) >= sizeof row.id) {
            status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: site id must be 1 to %zu characters", table_path, line_no,
                               sizeof row.id - 1);
            goto done;
        }
        snprintf(row.id, sizeof row.id, "%s", fields[0]);
        snprintf(row.description, sizeof row.description, "%s", fields[1]);
        snprintf(row.source, sizeof row.source, "%s", fields[SITE_COLUMNS - 1]);
        double sum = 0.0;
        for (int k = 0; k < LSIM_REGOLITH_OXIDE_COUNT; ++k) {
            const char *text_value = fields[2 + k];
            char *end = NULL;
            errno = 0;
            double v = strtod(text_value, &end);
            if (!text_value[0] || *end != '\0' || errno != 0 || !isfinite(v) || v < 0.0 || v > 100.0) {
                status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: site '%s' column %s: '%s' is not a wt%% in [0, 100]",
                                   table_path, line_no, row.id, site_header[2 + k], text_value);
                goto done;
            }
            row.oxide_wt_percent[k] = v;
            sum += v;
        }
        if (sum <= 0.0 || sum > LSIM_REGOLITH_MAX_ROW_SUM) {
            status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: site '%s' oxides sum to %g wt%%, expected (0, %g]", table_path,
                               line_no, row.id, sum, LSIM_REGOLITH_MAX_ROW_SUM);
            goto done;
        }
        /* Duplicate ids would make the choice ambiguous. */
        for (size_t k = 0; k < known_count; ++k)
            if (strcmp(known[k], row.id) == 0) {
                status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: site '%s' appears twice", table_path, line_no, row.id);
                goto done;
            }
        if (known_count == MAX_SITES) {
            status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: more than %d sites in one table", table_path, line_no,
                               (int)MAX_SITES);
            goto done;
        }
        snprintf(known[known_count++], sizeof known[0], "%s", row.id);
        if (!found && site_id && strcmp(row.id, site_id) == 0) {
            *site = row;
            found = 1;
        }
    }
    if (ferror(f)) {
        status = lsim_fail(LSIM_ERR_INPUT, "%s: read error", table_path);
        goto done;
    }
    if (!header_seen) {
        status = lsim_fail(LSIM_ERR_INPUT, "%s:%ld: no header line (site_id,description,SiO2,...,source)",
                           table_path, line_no);
        goto done;
    }
    if (site_id && !found) {
        char list[1024] = "";
        size_t used = 0;
        for (size_t k = 0; k < known_count && used < sizeof list; ++k) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? "|" : "", known[k]);
            if (w > 0) used += (size_t)w;
        }
        status = lsim_fail(LSIM_ERR_INPUT, "%s: regolith.site '%s' is not in the table (it holds: %s)", table_path,
                           site_id, known_count ? list : "no rows");
    }
done:
    fclose(f);
    return status;
}
