/* Failure paths of the HDF5 writer: an aborted run leaves no file, a missing
 * or read-only output directory is an input error, reserved names are
 * refused before anything is written. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "h5out.h"
#include "lsim_test.h"
#include "series.h"

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static lsim_series_registry *small_registry(int *id)
{
    lsim_series_registry *reg = lsim_series_new(4);
    *id = lsim_series_add(reg, "regolith", "mass_mined", "kg s-1", "regolith mass excavated", LSIM_SERIES_FLOW);
    return reg;
}

static const lsim_run_metadata meta = {.version = "0.1.0-test",
                                       .git_commit = "abc",
                                       .seed = 7,
                                       .deck_yaml = "run: {}\n",
                                       .epoch = "2030-01-01 00:00:00",
                                       .title = "abort test"};

int main(void)
{
    lsim_h5_quiet_errors();
    int id = 0;

    /* 1. Abort after some rows: neither NAME nor NAME.partial remains. */
    {
        const char *path = "data_h5_abort.h5";
        unlink(path);
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, path, &meta, reg);
        LSIM_CHECK(status == LSIM_OK, "create: %s", lsim_last_error());
        for (int i = 0; i < 10; ++i) {
            lsim_series_put(reg, id, (double)i);
            lsim_series_end_step(reg, 60.0);
            if (lsim_series_end_interval(reg, 60.0 * (i + 1)))
                LSIM_CHECK(lsim_h5_write_rows(out, reg) == LSIM_OK, "write_rows: %s", lsim_last_error());
        }
        LSIM_CHECK(lsim_h5_flush(out) == LSIM_OK, "flush: %s", lsim_last_error());
        LSIM_CHECK(exists("data_h5_abort.h5.partial"), "the partial file exists before the abort");
        lsim_h5_abort(out);
        LSIM_CHECK(!exists(path), "abort leaves no NAME");
        LSIM_CHECK(!exists("data_h5_abort.h5.partial"), "abort leaves no NAME.partial");
        lsim_h5_abort(NULL); /* harmless */
        lsim_series_free(reg);
    }

    /* 2. Output directory missing: LSIM_ERR_INPUT naming the path and the reason. */
    {
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = (lsim_h5_output *)&id; /* must be reset to NULL on failure */
        const char *path = "no_such_directory_for_lsim/run.h5";
        lsim_status status = lsim_h5_create(&out, path, &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_INPUT, "missing directory gives LSIM_ERR_INPUT, got %d", (int)status);
        LSIM_CHECK(out == NULL, "no output handle on failure");
        const char *message = lsim_last_error();
        LSIM_CHECK(strstr(message, "cannot write output 'no_such_directory_for_lsim/run.h5'") != NULL &&
                       strstr(message, strerror(ENOENT)) != NULL,
                   "message names the path and the reason: '%s'", message);
        LSIM_CHECK(!exists("no_such_directory_for_lsim"), "nothing created");
        lsim_series_free(reg);
    }

    /* 3. Read-only directory: root ignores permission bits, so only checked as a normal user. */
    if (geteuid() != 0) {
        const char *directory = "data_h5_readonly_dir";
        mkdir(directory, 0700);
        chmod(directory, 0500);
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, "data_h5_readonly_dir/run.h5", &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_INPUT, "read-only directory gives LSIM_ERR_INPUT, got %d", (int)status);
        LSIM_CHECK(strstr(lsim_last_error(), strerror(EACCES)) != NULL, "message: '%s'", lsim_last_error());
        chmod(directory, 0700);
        rmdir(directory);
        lsim_series_free(reg);
    } else {
        printf("running as root: read-only directory case skipped (root bypasses permission bits)\n");
    }

    /* 3b. A plain file where the directory should be: an input error even for root. */
    {
        FILE *blocker = fopen("data_h5_not_a_directory", "w");
        if (blocker)
            fclose(blocker);
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, "data_h5_not_a_directory/run.h5", &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_INPUT, "file as directory gives LSIM_ERR_INPUT, got %d", (int)status);
        LSIM_CHECK(strstr(lsim_last_error(), strerror(ENOTDIR)) != NULL, "message: '%s'", lsim_last_error());
        unlink("data_h5_not_a_directory");
        lsim_series_free(reg);
    }

    /* 4. A series called "time" would clash with the scale: refused, nothing left on disk. */
    {
        const char *path = "data_h5_reserved.h5";
        lsim_series_registry *reg = lsim_series_new(4);
        lsim_series_add(reg, "orbit", "time", "s", "clashing name", LSIM_SERIES_STOCK);
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, path, &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_RUN, "reserved series name refused, got %d", (int)status);
        LSIM_CHECK(out == NULL, "no output handle on failure");
        LSIM_CHECK(!exists(path) && !exists("data_h5_reserved.h5.partial"), "nothing left on disk");
        lsim_series_free(reg);
    }

    /* 5. A file that HDF5 cannot create (the .partial name is a directory): LSIM_ERR_RUN, one line. */
    {
        const char *path = "data_h5_blocked.h5";
        mkdir("data_h5_blocked.h5.partial", 0700);
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = NULL;
        lsim_status status = lsim_h5_create(&out, path, &meta, reg);
        LSIM_CHECK(status == LSIM_ERR_RUN, "uncreatable file gives LSIM_ERR_RUN, got %d", (int)status);
        LSIM_CHECK(strchr(lsim_last_error(), '\n') == NULL && strstr(lsim_last_error(), "HDF5") != NULL,
                   "one-line HDF5 message: '%s'", lsim_last_error());
        rmdir("data_h5_blocked.h5.partial");
        lsim_series_free(reg);
    }
    /* 6. close_partial keeps the rows computed so far in NAME.partial, never NAME. */
    {
        const char *path = "data_h5_interrupted.h5";
        const char *partial = "data_h5_interrupted.h5.partial";
        unlink(path);
        unlink(partial);
        lsim_series_registry *reg = small_registry(&id);
        lsim_h5_output *out = NULL;
        LSIM_CHECK(lsim_h5_create(&out, path, &meta, reg) == LSIM_OK, "create: %s", lsim_last_error());
        for (int i = 0; i < 6; ++i) { /* one full block of 4 written, 2 rows still pending */
            lsim_series_put(reg, id, (double)i);
            lsim_series_end_step(reg, 60.0);
            if (lsim_series_end_interval(reg, 60.0 * (i + 1)))
                LSIM_CHECK(lsim_h5_write_rows(out, reg) == LSIM_OK, "write_rows: %s", lsim_last_error());
        }
        lsim_h5_close_partial(out, reg);
        LSIM_CHECK(!exists(path), "an interrupted run is not passed off as complete");
        LSIM_CHECK(exists(partial), "NAME.partial kept");
        hid_t file = H5Fopen(partial, H5F_ACC_RDONLY, H5P_DEFAULT);
        LSIM_CHECK(file >= 0, "the partial file is valid HDF5");
        double values[6] = {0};
        hid_t dataset = file >= 0 ? H5Dopen2(file, "regolith/mass_mined", H5P_DEFAULT) : -1;
        hid_t space = dataset >= 0 ? H5Dget_space(dataset) : -1;
        hsize_t rows = 0;
        if (space >= 0)
            H5Sget_simple_extent_dims(space, &rows, NULL);
        LSIM_CHECK(rows == 6, "all 6 closed rows kept, got %llu", (unsigned long long)rows);
        if (rows == 6)
            H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
        LSIM_CHECK_CLOSE(values[5], 5.0, 0.0, 0.0, "a one-step interval's mean is the value itself");
        if (space >= 0)
            H5Sclose(space);
        if (dataset >= 0)
            H5Dclose(dataset);
        if (file >= 0)
            H5Fclose(file);
        unlink(partial);
        lsim_series_free(reg);
    }
    LSIM_TEST_MAIN_END();
}
