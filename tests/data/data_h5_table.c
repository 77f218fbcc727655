/* Design-time tables (lsim_series_group_table): the registry copies and
 * replaces them, a NULL registry ignores them, and the HDF5 writer puts each
 * one in the file as a 2-D float64 dataset with its attributes, once, at
 * creation; a resumed file keeps them as they were. Read back with the plain
 * HDF5 C API, independently of data/h5out.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5out.h"
#include "lsim_test.h"
#include "series.h"

#define ROWS 5000 /* more than one 4096/8-row chunk: the chunked path is exercised */
#define COLS 8

/* Negative, subnormal, huge and full-mantissa values: any conversion or
 * lossy filter on the way would change some of their bits. */
static double cell(size_t r, size_t c)
{
    if (r == 1 && c == 2) return 4.9406564584124654e-324; /* smallest subnormal */
    if (r == 2 && c == 3) return -1.7976931348623157e308;
    return ((double)(r * 7919u + c * 104729u) - 2.5e5) / 3.0; /* not dyadic: all 52 mantissa bits used */
}

static char *read_string_attr(hid_t object, const char *name)
{
    hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
    if (attr < 0) return NULL;
    hid_t type = H5Aget_type(attr);
    char *text = NULL;
    if (type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) == 0) {
        text = calloc(H5Tget_size(type) + 1, 1);
        if (text && H5Aread(attr, type, text) < 0) {
            free(text);
            text = NULL;
        }
    }
    if (type >= 0) H5Tclose(type);
    H5Aclose(attr);
    return text;
}

static int string_attr_is(hid_t object, const char *name, const char *expected)
{
    char *text = read_string_attr(object, name);
    int same = text && strcmp(text, expected) == 0;
    if (!same) fprintf(stderr, "attribute %s = '%s', expected '%s'\n", name, text ? text : "(missing)", expected);
    free(text);
    return same;
}

static void check_registry(void)
{
    /* A NULL registry ignores tables, as it ignores attributes. */
    double one = 1.0;
    lsim_series_group_table(NULL, "orbit", "t", 1, 1, &one, "a", "1", "x");
    LSIM_CHECK(lsim_series_table_count(NULL) == 0, "a NULL registry holds no tables");

    lsim_series_registry *reg = lsim_series_new(4);
    double data[6] = {1, 2, 3, 4, 5, 6};
    lsim_series_group_table(reg, "orbit", "trajectory", 2, 3, data, "sample,t,x", "1,s,m", "nominal path");
    data[0] = -99.0; /* the registry holds its own copy */
    LSIM_CHECK(lsim_series_table_count(reg) == 1, "one table registered");
    const lsim_series_table *t = lsim_series_table_at(reg, 0);
    LSIM_CHECK(t->rows == 2 && t->cols == 3, "shape %zu x %zu", t->rows, t->cols);
    LSIM_CHECK(t->data != data, "data is copied, not borrowed");
    LSIM_CHECK_CLOSE(t->data[0], 1.0, 0.0, 0.0, "exact: a copy taken before the caller changed its array");
    LSIM_CHECK_CLOSE(t->data[5], 6.0, 0.0, 0.0, "exact: a copy");
    LSIM_CHECK(strcmp(t->group, "orbit") == 0 && strcmp(t->name, "trajectory") == 0, "group and name");
    LSIM_CHECK(strcmp(t->columns, "sample,t,x") == 0 && strcmp(t->column_units, "1,s,m") == 0, "column lists");
    LSIM_CHECK(strcmp(t->long_name, "nominal path") == 0, "long_name");

    /* Same group and name: replaced (new shape, new values), not added. */
    double again[2] = {7, 8};
    lsim_series_group_table(reg, "orbit", "trajectory", 1, 2, again, "t,x", "s,m", "replaced");
    LSIM_CHECK(lsim_series_table_count(reg) == 1, "the same group/name replaces");
    t = lsim_series_table_at(reg, 0);
    LSIM_CHECK(t->rows == 1 && t->cols == 2 && strcmp(t->columns, "t,x") == 0, "replacement shape and columns");
    LSIM_CHECK_CLOSE(t->data[1], 8.0, 0.0, 0.0, "exact: the replacement's values");

    /* Replacing a table with its own data (the copy is taken before the old one is freed). */
    lsim_series_group_table(reg, "orbit", "trajectory", t->rows, t->cols, t->data, "t,x", "s,m", "self");
    t = lsim_series_table_at(reg, 0);
    LSIM_CHECK_CLOSE(t->data[0], 7.0, 0.0, 0.0, "exact: replaced by a copy of itself");

    /* Another name in the same group, another group, and an empty table. */
    lsim_series_group_table(reg, "orbit", "arrivals", 0, 2, NULL, "a,b", "1,m", "none yet");
    lsim_series_group_table(reg, "power", "trajectory", 1, 1, &one, "a", "1", "other group");
    LSIM_CHECK(lsim_series_table_count(reg) == 3, "names are per group: %zu tables", lsim_series_table_count(reg));
    LSIM_CHECK(lsim_series_table_at(reg, 1)->rows == 0 && lsim_series_table_at(reg, 1)->data == NULL,
               "an empty table has no data");
    lsim_series_free(reg); /* frees every copy (checked by the asan build) */
}

static lsim_series_registry *make_registry(int *id)
{
    lsim_series_registry *reg = lsim_series_new(4);
    *id = lsim_series_add(reg, "orbit", "mass_in_orbit", "kg", "mass assembled in orbit", LSIM_SERIES_STOCK);
    double *data = malloc(ROWS * COLS * sizeof *data);
    for (size_t r = 0; r < ROWS; ++r)
        for (size_t c = 0; c < COLS; ++c) data[r * COLS + c] = cell(r, c);
    lsim_series_group_table(reg, "orbit", "trajectory", ROWS, COLS, data, "sample,t,x,y,z,vx,vy,vz",
                            "1,s,m,m,m,m s-1,m s-1,m s-1", "flight to the catcher");
    free(data);
    lsim_series_group_table(reg, "orbit", "arrivals", 0, 3, NULL, "sample,t,miss_1", "1,s,m", "no arrivals");
    /* A group that has a table and nothing else. */
    double lone[2] = {1.5, -2.5};
    lsim_series_group_table(reg, "design", "lone", 1, 2, lone, "a,b", "m,kg", "a table-only group");
    return reg;
}

static void advance(lsim_series_registry *reg, int id, int intervals, double *t)
{
    for (int i = 0; i < intervals; ++i) {
        lsim_series_put(reg, id, *t * 2.0);
        lsim_series_end_step(reg, 3600.0);
        *t += 3600.0;
        lsim_series_end_interval(reg, *t);
    }
}

static void check_file(const char *path)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    LSIM_CHECK(file >= 0, "open %s", path);
    if (file < 0) return;
    hid_t dataset = H5Dopen2(file, "orbit/trajectory", H5P_DEFAULT);
    LSIM_CHECK(dataset >= 0, "/orbit/trajectory exists");
    hid_t space = H5Dget_space(dataset);
    hsize_t dims[2] = {0, 0};
    LSIM_CHECK(H5Sget_simple_extent_ndims(space) == 2, "the table is 2-D");
    H5Sget_simple_extent_dims(space, dims, NULL);
    H5Sclose(space);
    LSIM_CHECK(dims[0] == ROWS && dims[1] == COLS, "shape %llu x %llu", (unsigned long long)dims[0],
               (unsigned long long)dims[1]);
    hid_t type = H5Dget_type(dataset);
    LSIM_CHECK(H5Tequal(type, H5T_IEEE_F64LE) > 0, "the table is float64");
    H5Tclose(type);
    double *values = calloc(ROWS * COLS, sizeof *values);
    LSIM_CHECK(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0, "read the table");
    size_t bad = ROWS * COLS - 1;
    for (size_t k = 0; k < ROWS * COLS; ++k)
        if (memcmp(&values[k], &(double){cell(k / COLS, k % COLS)}, sizeof(double)) != 0) {
            bad = k;
            fprintf(stderr, "first mismatch at row %zu column %zu\n", k / COLS, k % COLS);
            break;
        }
    LSIM_CHECK_CLOSE(values[bad], cell(bad / COLS, bad % COLS), 0.0, 0.0,
                     "bitwise: float64 stored as given, shuffle + deflate are lossless");
    free(values);
    LSIM_CHECK(string_attr_is(dataset, "columns", "sample,t,x,y,z,vx,vy,vz"), "columns attribute");
    LSIM_CHECK(string_attr_is(dataset, "column_units", "1,s,m,m,m,m s-1,m s-1,m s-1"), "column_units attribute");
    LSIM_CHECK(string_attr_is(dataset, "long_name", "flight to the catcher"), "long_name attribute");
    LSIM_CHECK(H5Aexists(dataset, "units") == 0, "no `units`: the columns' units differ");
    H5Dclose(dataset);

    dataset = H5Dopen2(file, "orbit/arrivals", H5P_DEFAULT);
    space = H5Dget_space(dataset);
    H5Sget_simple_extent_dims(space, dims, NULL);
    LSIM_CHECK(dims[0] == 0 && dims[1] == 3, "an empty table is 0 x 3 (got %llu x %llu)", (unsigned long long)dims[0],
               (unsigned long long)dims[1]);
    H5Sclose(space);
    H5Dclose(dataset);

    dataset = H5Dopen2(file, "design/lone", H5P_DEFAULT);
    double lone[2] = {0, 0};
    LSIM_CHECK(dataset >= 0 && H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, lone) >= 0,
               "a table-only group is created");
    LSIM_CHECK_CLOSE(lone[1], -2.5, 0.0, 0.0, "exact: stored as given");
    H5Dclose(dataset);
    H5Fclose(file);
}

/* A stopped SWMR file resumed by a new registry keeps its tables (the
 * whole-run bitwise restart comparison is workflow_restart_* in tests/workflow). */
static void check_resume(void)
{
    const char *path = "data_h5_table_resume.h5";
    char partial[64];
    snprintf(partial, sizeof partial, "%s.partial", path);
    unlink(path);
    unlink(partial);
    int id = -1;
    lsim_series_registry *reg = make_registry(&id);
    lsim_run_metadata meta = {.version = "0.1.0-test", .git_commit = "0", .seed = 1, .deck_yaml = "",
                              .epoch = "2030-01-01 00:00:00", .title = "table resume test", .swmr = 1};
    lsim_h5_output *out = NULL;
    LSIM_CHECK(lsim_h5_create(&out, path, &meta, reg) == LSIM_OK, "create (SWMR): %s", lsim_last_error());
    double t = 0.0;
    advance(reg, id, 3, &t);
    LSIM_CHECK(lsim_h5_write_rows(out, reg) == LSIM_OK, "write rows: %s", lsim_last_error());
    lsim_h5_close_partial(out, reg); /* the run stops, leaving NAME.partial */
    lsim_series_free(reg);

    /* A new process: the tables are computed again from the same deck. */
    reg = make_registry(&id);
    out = NULL;
    lsim_status status = lsim_h5_resume(&out, path, reg, 3, &(lsim_run_metadata){.swmr = 1}, NULL);
    LSIM_CHECK(status == LSIM_OK, "resume: %s", lsim_last_error());
    if (status == LSIM_OK) {
        advance(reg, id, 2, &t);
        LSIM_CHECK(lsim_h5_finish(out, reg) == LSIM_OK, "finish: %s", lsim_last_error());
        check_file(path);
    }
    lsim_series_free(reg);

    /* A run whose table changed shape cannot continue that file. */
    reg = make_registry(&id);
    out = NULL;
    LSIM_CHECK(lsim_h5_create(&out, path, &meta, reg) == LSIM_OK, "create: %s", lsim_last_error());
    lsim_h5_close_partial(out, reg);
    double other[3] = {1, 2, 3};
    lsim_series_group_table(reg, "orbit", "arrivals", 1, 3, other, "sample,t,miss_1", "1,s,m", "one arrival");
    out = NULL;
    status = lsim_h5_resume(&out, path, reg, 0, &(lsim_run_metadata){.swmr = 0}, NULL);
    LSIM_CHECK(status == LSIM_ERR_INPUT, "a table of another shape refuses the resume");
    LSIM_CHECK(strstr(lsim_last_error(), "orbit/arrivals") != NULL, "the message names the table: %s",
               lsim_last_error());
    if (status == LSIM_OK) lsim_h5_abort(out);
    lsim_series_free(reg);
    unlink(partial);
    unlink(path);
}

int main(void)
{
    lsim_h5_quiet_errors();
    check_registry();

    const char *path = "data_h5_table.h5";
    unlink(path);
    int id = -1;
    lsim_series_registry *reg = make_registry(&id);
    lsim_run_metadata meta = {.version = "0.1.0-test", .git_commit = "0", .seed = 1, .deck_yaml = "",
                              .epoch = "2030-01-01 00:00:00", .title = "table test"};
    lsim_h5_output *out = NULL;
    LSIM_CHECK(lsim_h5_create(&out, path, &meta, reg) == LSIM_OK, "create: %s", lsim_last_error());
    double t = 0.0;
    advance(reg, id, 2, &t);
    LSIM_CHECK(lsim_h5_finish(out, reg) == LSIM_OK, "finish: %s", lsim_last_error());
    check_file(path);
    lsim_series_free(reg);
    unlink(path);

    check_resume();
    LSIM_TEST_MAIN_END();
}
