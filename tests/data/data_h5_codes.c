/* Output conventions of the run writer, read back with the HDF5 C API:
 * code series and summary codes are int32 with CF flag_values /
 * flag_meanings and _FillValue -1 (across a full chunk, the unfinished one,
 * and a resume that reloads it); the history holds one shell-quoted line per
 * command and a resume adds one; the 1.8 format is superblock version 0, and
 * is refused with SWMR and on a file started in the 1.10 format. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5out.h"
#include "lsim_test.h"
#include "series.h"

/* Codes 1, 2 and 4 (0 and 3 are not codes: a list may have gaps). */
static const char *const words[5] = {NULL, "one", "two", NULL, "four"};

/* The code put at step k, and what the file must hold for it. */
static double code_put(size_t k)
{
    static const double codes[3] = {1.0, 2.0, 4.0};
    return k % 5 == 0 ? NAN : codes[k % 3];
}
static int32_t code_written(size_t k) { return k % 5 == 0 ? LSIM_SERIES_CODE_MISSING : (int32_t)code_put(k); }

/* One row per step (60 s): a code series and a float series beside it. */
static lsim_series_registry *make_registry(int *code_id, int *flow_id)
{
    lsim_series_registry *reg = lsim_series_new(64);
    *flow_id = lsim_series_add(reg, "fab", "rate", "kg s-1", "made per second", LSIM_SERIES_FLOW);
    *code_id = lsim_series_add_code(reg, "fab", "limit", "what limited it", words, 5);
    return reg;
}

static int advance(lsim_series_registry *reg, lsim_h5_output *out, int code_id, int flow_id, size_t from, size_t to)
{
    for (size_t k = from; k < to; ++k) {
        lsim_series_put(reg, flow_id, 0.5 * (double)k);
        lsim_series_put(reg, code_id, code_put(k));
        lsim_series_end_step(reg, 60.0);
        if (lsim_series_end_interval(reg, 60.0 * (double)(k + 1)) && lsim_h5_write_rows(out, reg) != LSIM_OK)
            return -1;
    }
    return 0;
}

static char *read_text_attribute(hid_t object, const char *name)
{
    hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
    if (attr < 0) return NULL;
    hid_t type = H5Aget_type(attr);
    size_t size = H5Tget_size(type);
    char *text = calloc(size + 1, 1);
    if (text && H5Aread(attr, type, text) < 0) {
        free(text);
        text = NULL;
    }
    H5Tclose(type);
    H5Aclose(attr);
    return text;
}

/* The code dataset's type, flags and fill, then every row against the pattern. */
static void check_code_dataset(hid_t file, const char *path, size_t rows)
{
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    LSIM_CHECK(d >= 0, "%s exists", path);
    if (d < 0) return;
    hid_t type = H5Dget_type(d);
    LSIM_CHECK(H5Tequal(type, H5T_STD_I32LE) > 0, "%s is int32 little-endian", path);
    H5Tclose(type);
    int32_t flag_values[8] = {0}, fill = 0;
    hid_t attr = H5Aopen(d, "flag_values", H5P_DEFAULT);
    hid_t space = attr >= 0 ? H5Aget_space(attr) : -1;
    hssize_t count = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    LSIM_CHECK(count == 3, "%s: 3 flag_values, got %lld", path, (long long)count);
    if (count == 3) H5Aread(attr, H5T_NATIVE_INT32, flag_values);
    LSIM_CHECK(flag_values[0] == 1 && flag_values[1] == 2 && flag_values[2] == 4, "%s: flag_values 1 2 4", path);
    if (space >= 0) H5Sclose(space);
    if (attr >= 0) H5Aclose(attr);
    char *meanings = read_text_attribute(d, "flag_meanings");
    LSIM_CHECK(meanings && strcmp(meanings, "one two four") == 0, "%s: flag_meanings '%s'", path,
               meanings ? meanings : "(none)");
    free(meanings);
    attr = H5Aopen(d, "_FillValue", H5P_DEFAULT);
    hid_t fill_type = attr >= 0 ? H5Aget_type(attr) : -1;
    LSIM_CHECK(fill_type >= 0 && H5Tequal(fill_type, H5T_STD_I32LE) > 0, "%s: _FillValue has the variable's type", path);
    if (attr >= 0 && H5Aread(attr, H5T_NATIVE_INT32, &fill) >= 0)
        LSIM_CHECK(fill == -1, "%s: _FillValue -1, got %d", path, (int)fill);
    if (fill_type >= 0) H5Tclose(fill_type);
    if (attr >= 0) H5Aclose(attr);

    if (rows == 0) {
        H5Dclose(d);
        return;
    }
    int32_t *values = malloc(rows * sizeof *values);
    space = H5Dget_space(d);
    hsize_t extent = 0;
    H5Sget_simple_extent_dims(space, &extent, NULL);
    LSIM_CHECK(extent == rows, "%s holds %zu rows, got %llu", path, rows, (unsigned long long)extent);
    if (values && extent == rows && H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0) {
        size_t wrong = 0, first = rows;
        for (size_t k = 0; k < rows; ++k)
            if (values[k] != code_written(k)) {
                if (!wrong) first = k;
                ++wrong;
            }
        /* Exact: codes are small integers, no arithmetic between put and file. */
        LSIM_CHECK(wrong == 0, "%s: %zu of %zu rows differ from the codes put, first at row %zu (%d, expected %d)",
                   path, wrong, rows, first, first < rows ? (int)values[first] : 0,
                   first < rows ? (int)code_written(first) : 0);
    }
    H5Sclose(space);
    free(values);
    H5Dclose(d);
}

static void check_summary_code(hid_t file, const char *path, int32_t expected)
{
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    LSIM_CHECK(d >= 0, "%s exists", path);
    if (d < 0) return;
    hid_t type = H5Dget_type(d);
    int32_t value = 0;
    LSIM_CHECK(H5Tequal(type, H5T_STD_I32LE) > 0, "%s is int32", path);
    LSIM_CHECK(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) >= 0 && value == expected,
               "%s = %d, expected %d", path, (int)value, (int)expected);
    char *meanings = read_text_attribute(d, "flag_meanings");
    LSIM_CHECK(meanings && strcmp(meanings, "one two four") == 0, "%s: flag_meanings", path);
    free(meanings);
    H5Tclose(type);
    H5Dclose(d);
}

static unsigned superblock_version(const char *path)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    H5F_info2_t info;
    unsigned version = 99;
    if (file >= 0 && H5Fget_info2(file, &info) >= 0) version = info.super.version;
    if (file >= 0) H5Fclose(file);
    return version;
}

static const char *expected_command =
    "lunarsim run 'deck with space.yaml' --set 'a.b=it'\\''s' --set $'x=line1\\nline2' -o out.h5";

int main(void)
{
    lsim_h5_quiet_errors();
    const char *path = "data_h5_codes.h5";
    unlink(path);
    unlink("data_h5_codes.h5.partial");

    /* 1. The registry side: NaN and -1 are "missing", the codes themselves pass. */
    {
        int code_id, flow_id;
        lsim_series_registry *reg = make_registry(&code_id, &flow_id);
        const lsim_series_info *info = lsim_series_info_at(reg, (size_t)code_id);
        LSIM_CHECK(info->flags.count == 3 && strcmp(info->flags.meanings, "one two four") == 0 &&
                       info->kind == LSIM_SERIES_STOCK && strcmp(info->units, "1") == 0,
                   "a code series is a stock with units 1 and its three words");
        LSIM_CHECK(lsim_series_info_at(reg, (size_t)flow_id)->flags.count == 0, "a quantity has no flags");
        LSIM_CHECK(lsim_series_code_of(&info->flags, NAN, "t") == -1, "NaN is the missing code");
        LSIM_CHECK(lsim_series_code_of(&info->flags, -1.0, "t") == -1, "-1 read back stays missing");
        LSIM_CHECK(lsim_series_code_of(&info->flags, 4.0, "t") == 4, "a code is itself");
        lsim_series_free(reg);
    }

    /* 2. A SWMR file past one full chunk (4096 rows), stopped, resumed two
     * rows back (the unfinished chunk is reloaded as doubles and written
     * again as int32), finished. */
    char *const first_argv[] = {"lunarsim", "run", "deck with space.yaml", "--set", "a.b=it's", "--set",
                                "x=line1\nline2", "-o", "out.h5"};
    char *const resume_argv[] = {"lunarsim", "run", "--restart", "out.h5.ckpt"};
    {
        int code_id, flow_id;
        lsim_series_registry *reg = make_registry(&code_id, &flow_id);
        lsim_summary_set_code(reg, "final_limit", 4.0, "what limited it last", words, 5);
        lsim_summary_set_code(reg, "never_limited", NAN, "what limited it, if anything did", words, 5);
        lsim_run_metadata meta = {.version = "0.1.0-test", .git_commit = "abc", .seed = 1, .deck_yaml = "",
                                  .epoch = "2030-01-01 00:00:00", .title = "codes", .swmr = 1,
                                  .argc = 9, .argv = first_argv};
        lsim_h5_output *out = NULL;
        LSIM_CHECK(lsim_h5_create(&out, path, &meta, reg) == LSIM_OK, "create: %s", lsim_last_error());
        LSIM_CHECK(out && advance(reg, out, code_id, flow_id, 0, 4100) == 0, "rows: %s", lsim_last_error());
        if (out) lsim_h5_close_partial(out, reg);
        lsim_series_free(reg);

        hid_t file = H5Fopen("data_h5_codes.h5.partial", H5F_ACC_RDONLY, H5P_DEFAULT);
        char *history = file >= 0 ? read_text_attribute(file, "history") : NULL;
        const char *command = history ? strstr(history, ": ") : NULL;
        LSIM_CHECK(command && strcmp(command + 2, expected_command) == 0 && !strchr(history, '\n'),
                   "history is one line 'TIME: COMMAND', shell-quoted: '%s'", history ? history : "(none)");
        LSIM_CHECK(history && strlen(history) > 20 && history[4] == '-' && history[10] == 'T' && history[19] == 'Z',
                   "the line starts with an ISO 8601 UTC time: '%s'", history ? history : "(none)");
        free(history);
        if (file >= 0) H5Fclose(file);

        reg = make_registry(&code_id, &flow_id);
        lsim_summary_set_code(reg, "final_limit", 4.0, "what limited it last", words, 5);
        lsim_summary_set_code(reg, "never_limited", NAN, "what limited it, if anything did", words, 5);
        lsim_run_metadata resume = {.swmr = 1, .argc = 4, .argv = resume_argv};
        out = NULL;
        lsim_status status = lsim_h5_resume(&out, path, reg, 4098, &resume, NULL);
        LSIM_CHECK(status == LSIM_OK, "resume: %s", lsim_last_error());
        if (status == LSIM_OK) {
            /* The registry's row count as a checkpoint would have restored it. */
            for (size_t k = 0; k < 4098; ++k) {
                lsim_series_end_step(reg, 60.0);
                lsim_series_end_interval(reg, 60.0 * (double)(k + 1));
                lsim_series_drain(reg);
            }
            LSIM_CHECK(advance(reg, out, code_id, flow_id, 4098, 4200) == 0, "rows after the resume: %s",
                       lsim_last_error());
            LSIM_CHECK(lsim_h5_finish(out, reg) == LSIM_OK, "finish: %s", lsim_last_error());
        }
        lsim_series_free(reg);

        file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        LSIM_CHECK(file >= 0, "the finished file opens");
        if (file >= 0) {
            check_code_dataset(file, "/fab/limit", 4200);
            check_summary_code(file, "/summary/final_limit", 4);
            check_summary_code(file, "/summary/never_limited", -1);
            history = read_text_attribute(file, "history");
            char *newline = history ? strchr(history, '\n') : NULL;
            LSIM_CHECK(newline && !strchr(newline + 1, '\n'), "a resume adds exactly one line: '%s'",
                       history ? history : "(none)");
            LSIM_CHECK(newline && strstr(newline + 1, ": lunarsim run --restart out.h5.ckpt (resumed at output row 4098)"),
                       "the added line is the resumed command and where it resumed: '%s'",
                       newline ? newline + 1 : "(none)");
            LSIM_CHECK(history && strncmp(strstr(history, ": ") + 2, expected_command, strlen(expected_command)) == 0,
                       "the first line is kept");
            free(history);
            char *source = read_text_attribute(file, "source");
            LSIM_CHECK(source && strcmp(source, "lunarsim 0.1.0-test (commit abc)") == 0, "source '%s'",
                       source ? source : "(none)");
            free(source);
            char *references = read_text_attribute(file, "references");
            LSIM_CHECK(references && strstr(references, "docs/REFERENCES.md") && strstr(references, "CITATION.cff"),
                       "references name docs/REFERENCES.md and CITATION.cff: '%s'", references ? references : "(none)");
            free(references);
            H5Fclose(file);
        }
        LSIM_CHECK(superblock_version(path) == 3, "a SWMR file is in the 1.10 format (superblock 3)");
    }

    /* 3. The 1.8 format: refused with SWMR (one line, nothing written), else superblock 0. */
    {
        const char *old_path = "data_h5_codes_18.h5";
        unlink(old_path);
        unlink("data_h5_codes_18.h5.partial");
        int code_id, flow_id;
        lsim_series_registry *reg = make_registry(&code_id, &flow_id);
        lsim_run_metadata meta = {.version = "0.1.0-test", .git_commit = "abc", .seed = 1, .deck_yaml = "",
                                  .epoch = "2030-01-01 00:00:00", .title = "codes", .swmr = 1, .hdf5_1_8 = 1};
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, old_path, &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_INPUT && strstr(lsim_last_error(), "--no-swmr") &&
                       !strchr(lsim_last_error(), '\n'),
                   "SWMR with the 1.8 format is refused on one line naming --no-swmr: %s", lsim_last_error());
        LSIM_CHECK(access(old_path, F_OK) != 0 && access("data_h5_codes_18.h5.partial", F_OK) != 0,
                   "the refusal writes nothing");
        meta.swmr = 0;
        out = NULL;
        LSIM_CHECK(lsim_h5_create(&out, old_path, &meta, reg) == LSIM_OK, "create (1.8): %s", lsim_last_error());
        LSIM_CHECK(out && advance(reg, out, code_id, flow_id, 0, 100) == 0, "rows: %s", lsim_last_error());
        if (out) LSIM_CHECK(lsim_h5_finish(out, reg) == LSIM_OK, "finish: %s", lsim_last_error());
        lsim_series_free(reg);
        LSIM_CHECK(superblock_version(old_path) == 0, "--hdf5-1.8 writes superblock version 0, got %u",
                   superblock_version(old_path));
        hid_t file = H5Fopen(old_path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (file >= 0) {
            check_code_dataset(file, "/fab/limit", 100);
            H5Fclose(file);
        }

        /* A file started with SWMR cannot continue in the 1.8 format. */
        reg = make_registry(&code_id, &flow_id);
        meta.swmr = 1;
        meta.hdf5_1_8 = 0;
        out = NULL;
        LSIM_CHECK(lsim_h5_create(&out, old_path, &meta, reg) == LSIM_OK, "create (SWMR): %s", lsim_last_error());
        LSIM_CHECK(out && advance(reg, out, code_id, flow_id, 0, 10) == 0, "rows: %s", lsim_last_error());
        if (out) lsim_h5_close_partial(out, reg);
        lsim_series_free(reg);
        reg = make_registry(&code_id, &flow_id);
        lsim_run_metadata resume = {.swmr = 0, .hdf5_1_8 = 1};
        out = NULL;
        status = lsim_h5_resume(&out, old_path, reg, 10, &resume, NULL);
        LSIM_CHECK(status == LSIM_ERR_INPUT && strstr(lsim_last_error(), "--hdf5-1.8") &&
                       !strchr(lsim_last_error(), '\n'),
                   "a SWMR file resumed with --hdf5-1.8 is refused on one line: %s", lsim_last_error());
        LSIM_CHECK(access("data_h5_codes_18.h5.partial", F_OK) == 0, "the refused file is kept for a proper resume");
        if (status == LSIM_OK) lsim_h5_abort(out);
        lsim_series_free(reg);
    }
    LSIM_TEST_MAIN_END();
}
