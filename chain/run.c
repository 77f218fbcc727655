#define _XOPEN_SOURCE 700
#include "units.h"
#include "run.h"
#include "fault.h"
#include "outfile.h"
#include "datapath.h"
#include "hash.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>

#include "chain.h"
#include "h5out.h"
#include "log.h"
#include "lsim_version.h"
#include "state.h"

static volatile sig_atomic_t lsim_stop_signal = 0;
static volatile sig_atomic_t lsim_stepping = 0; /* in the time loop, where a stop is checkpointed */

/* In the time loop a signal asks for a checkpoint at the end of the step.
 * Anywhere else (init, resume, finish: inside HDF5, perhaps retrying a
 * damaged file), or at a second signal, the process ends at once: nothing
 * there is lost that a restart does not rebuild, and a job must not burn its
 * wall time. Only async-signal-safe calls. */
void lsim_run_request_stop(int signal_number)
{
    if (lsim_stepping && !lsim_stop_signal) {
        lsim_stop_signal = signal_number;
        return;
    }
    static const char message[] = "lunarsim: error: stopped by a signal outside the time loop (no new checkpoint)\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(1);
}

void lsim_run_options_default(lsim_run_options *options)
{
    memset(options, 0, sizeof *options);
    options->output_path = "lunarsim.h5";
    options->title = "lunarsim run";
    options->swmr = 1;
    options->flush_every_wall = 10.0;
}

static double lsim_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What a checkpoint must match besides the deck: the run that wrote it (its
 * NAME.partial carries the same run_id), the exact build, and the contents
 * of every data file the run read. */
typedef struct {
    int64_t run_id;     /* random at a fresh start; carried over by restarts */
    int64_t build_hash; /* FNV-1a of LSIM_GIT_COMMIT */
    int64_t data_hash;  /* lsim_data_files_hash */
    char data_files[512];
} lsim_run_identity;

static lsim_status lsim_run_identity_now(lsim_run_identity *id)
{
    memset(id, 0, sizeof *id);
    id->build_hash = (int64_t)lsim_fnv1a64(LSIM_FNV1A64_OFFSET, LSIM_GIT_COMMIT, strlen(LSIM_GIT_COMMIT));
    uint64_t data = 0;
    lsim_status st = lsim_data_files_hash(&data, id->data_files, sizeof id->data_files);
    id->data_hash = (int64_t)data;
    return st;
}

/* A run's identity: not a random draw of the model (it must differ between
 * runs), so from the clock, the process and the output's name. */
static int64_t lsim_run_new_id(const char *output_path)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t h = LSIM_FNV1A64_OFFSET;
    int64_t parts[3] = {(int64_t)ts.tv_sec, (int64_t)ts.tv_nsec, (int64_t)getpid()};
    h = lsim_fnv1a64(h, parts, sizeof parts);
    h = lsim_fnv1a64(h, output_path, strlen(output_path));
    return (int64_t)(h & 0x7fffffffffffffffULL);
}

static void lsim_run_id_text(int64_t id, char text[17]) { snprintf(text, 17, "%016llx", (unsigned long long)id); }

/* Everything that evolves, in one visit: the chain and its modules, then the
 * series accumulators, then the run's identity. Loading, the identity read
 * must match this build and these data files (LSIM_ERR_INPUT otherwise). */
static lsim_status lsim_run_visit(lsim_chain *chain, lsim_series_registry *series, lsim_state *state,
                                  lsim_run_identity *id)
{
    lsim_status st = lsim_chain_state_visit(chain, state);
    if (st == LSIM_OK) st = lsim_series_state(series, state);
    if (st != LSIM_OK) return st;
    int64_t saved[3] = {id->run_id, id->build_hash, id->data_hash};
    st = lsim_state_i64(state, "run.identity", saved, 3);
    if (st != LSIM_OK) return st;
    if (lsim_state_is_loading(state)) {
        if (saved[1] != id->build_hash)
            return lsim_fail(LSIM_ERR_INPUT,
                             "was written by another build of lunarsim (this is commit %s); restart with the "
                             "build that wrote it",
                             LSIM_GIT_COMMIT);
        if (saved[2] != id->data_hash)
            return lsim_fail(LSIM_ERR_INPUT, "a data file changed since it was written (files read: %s)",
                             id->data_files[0] ? id->data_files : "none");
        id->run_id = saved[0];
    }
    return LSIM_OK;
}

static lsim_status lsim_write_checkpoint(lsim_chain *chain, lsim_series_registry *series, lsim_h5_output *out,
                                         const lsim_params *params, const char *path, lsim_run_identity *id)
{
    /* Rows first: the checkpoint names how many rows the output holds. */
    lsim_status st = lsim_h5_write_rows(out, series);
    if (st == LSIM_OK) st = lsim_h5_flush(out);
    if (st != LSIM_OK) return st;
    lsim_state *saver = lsim_state_new_saver();
    if (!saver) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    st = lsim_run_visit(chain, series, saver, id);
    lsim_state_header header;
    memset(&header, 0, sizeof header);
    snprintf(header.code_version, sizeof header.code_version, "%s", LSIM_VERSION);
    header.deck_hash = lsim_params_hash(params);
    header.step = chain->clock.step;
    header.output_rows = (int64_t)lsim_series_rows_written(series);
    if (st == LSIM_OK) st = lsim_state_write_file(saver, path, &header);
    lsim_state_free(saver);
    return st;
}

static lsim_status lsim_restore_checkpoint(lsim_chain *chain, lsim_series_registry *series,
                                           const lsim_params *params, const char *path, size_t *rows,
                                           lsim_run_identity *id)
{
    lsim_state *loader = NULL;
    lsim_state_header header;
    lsim_status st = lsim_state_read_file(&loader, path, &header);
    if (st != LSIM_OK) return st;
    if (strcmp(header.code_version, LSIM_VERSION) != 0) {
        lsim_state_free(loader);
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' was written by lunarsim %s; this is %s", path,
                         header.code_version, LSIM_VERSION);
    }
    uint64_t hash = lsim_params_hash(params);
    if (header.deck_hash != hash) {
        lsim_state_free(loader);
        return lsim_fail(LSIM_ERR_INPUT,
                         "checkpoint '%s' was written for another deck (hash %016llx, this deck %016llx); "
                         "restart with the same deck and --set options",
                         path, (unsigned long long)header.deck_hash, (unsigned long long)hash);
    }
    st = lsim_run_visit(chain, series, loader, id);
    lsim_state_free(loader);
    if (st != LSIM_OK) return lsim_fail(st, "checkpoint '%s': %s", path, lsim_last_error());
    if (chain->clock.step != header.step || header.step < 0 || header.step > chain->clock.step_count)
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is inconsistent (step %lld)", path, (long long)header.step);
    *rows = (size_t)header.output_rows;
    return LSIM_OK;
}

/* Two paths name the same file: the same inode when both exist, otherwise
 * the same canonical folder and name. */
static int lsim_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char da[PATH_MAX], db[PATH_MAX], ra[PATH_MAX], rb[PATH_MAX];
    snprintf(da, sizeof da, "%s", a);
    snprintf(db, sizeof db, "%s", b);
    if (!realpath(dirname(da), ra) || !realpath(dirname(db), rb) || strcmp(ra, rb) != 0) return 0;
    snprintf(da, sizeof da, "%s", a);
    snprintf(db, sizeof db, "%s", b);
    return strcmp(basename(da), basename(db)) == 0;
}

lsim_status lsim_run_check_checkpoint_path(const lsim_run_options *options)
{
    const char *path = options->checkpoint_path;
    if (path == NULL) return LSIM_OK;
    char partial[PATH_MAX + 16];
    snprintf(partial, sizeof partial, "%s.partial", options->output_path);
    const char *clash = lsim_same_file(path, options->output_path) ? "the output file"
                        : lsim_same_file(path, partial)            ? "the output's .partial file"
                        : options->deck_path && lsim_same_file(path, options->deck_path) ? "the deck"
                                                                                          : NULL;
    if (clash)
        return lsim_fail(LSIM_ERR_INPUT, "--checkpoint '%s' is %s; choose another path (the default is OUT.h5.ckpt)",
                         path, clash);
    /* An existing file is overwritten only when it is a checkpoint (a stale
     * one, or the one this run resumes from). */
    if (access(path, F_OK) == 0 && !(options->restart_path && lsim_same_file(path, options->restart_path))) {
        lsim_state *loader = NULL;
        lsim_state_header header;
        lsim_status st = lsim_state_read_file(&loader, path, &header);
        lsim_state_free(loader);
        if (st != LSIM_OK)
            return lsim_fail(LSIM_ERR_INPUT, "--checkpoint '%s' exists and is not a lunarsim checkpoint; refusing to "
                                             "overwrite it", path);
    }
    /* Checkpoints are written to PATH.tmp and renamed: create and remove
     * that file now, so an unwritable place fails before the run, not at the
     * first checkpoint hours into it. */
    char probe[PATH_MAX + 8];
    snprintf(probe, sizeof probe, "%s.tmp", path);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno != EEXIST)
        return lsim_fail(LSIM_ERR_INPUT, "--checkpoint '%s': cannot write there (%s)", path, strerror(errno));
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    return LSIM_OK;
}

/* A checkpoint exists that a --restart could resume this output from: the
 * one this run writes, or the one it resumed from. Never delete rows that a
 * restart could rebuild the run from. */
static int lsim_run_resumable(const lsim_run_options *options)
{
    return (options->checkpoint_path && access(options->checkpoint_path, F_OK) == 0) ||
           (options->restart_path && access(options->restart_path, F_OK) == 0);
}

static lsim_status lsim_run_locked(const lsim_params *params, const lsim_run_options *options,
                                   lsim_series_registry **summary_out);

/* Two runs never write one output or one checkpoint at once (data/outfile.h):
 * the locks are taken before anything is written and held to the end. */
lsim_status lsim_run_simulation(const lsim_params *params, const lsim_run_options *options,
                                lsim_series_registry **summary_out)
{
    *summary_out = NULL;
    lsim_outfile_lock output_lock = {-1, NULL}, checkpoint_lock = {-1, NULL};
    /* The output first: nothing (not even a checkpoint probe or a lock) is
     * written beside an output that would be refused. */
    lsim_status st = lsim_fault_check_environment();
    if (st == LSIM_OK) st = lsim_h5_check_directory_writable(options->output_path);
    if (st == LSIM_OK) st = lsim_run_check_checkpoint_path(options);
    if (st == LSIM_OK) st = lsim_outfile_lock_take(&output_lock, options->output_path, "output");
    if (st == LSIM_OK && options->checkpoint_path && !lsim_same_file(options->checkpoint_path, options->output_path))
        st = lsim_outfile_lock_take(&checkpoint_lock, options->checkpoint_path, "checkpoint");
    if (st == LSIM_OK) st = lsim_run_locked(params, options, summary_out);
    lsim_outfile_lock_release(&checkpoint_lock);
    lsim_outfile_lock_release(&output_lock);
    return st;
}

static lsim_status lsim_run_locked(const lsim_params *params, const lsim_run_options *options,
                                   lsim_series_registry **summary_out)
{
    *summary_out = NULL;
    lsim_series_registry *series = lsim_series_new(1024);
    if (!series) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_chain chain;
    lsim_status st = lsim_chain_init(&chain, params, series);
    if (st != LSIM_OK) {
        lsim_chain_free(&chain);
        lsim_series_free(series);
        return st;
    }

    lsim_h5_output *out = NULL;
    lsim_run_identity identity;
    st = lsim_run_identity_now(&identity);
    char run_id[17];
    if (st == LSIM_OK && options->restart_path) {
        size_t rows = 0;
        st = lsim_restore_checkpoint(&chain, series, params, options->restart_path, &rows, &identity);
        lsim_run_id_text(identity.run_id, run_id);
        lsim_run_metadata meta = {.swmr = options->swmr, .run_id = run_id, .argc = options->argc,
                                  .argv = options->argv, .hdf5_1_8 = options->hdf5_1_8};
        if (st == LSIM_OK) st = lsim_h5_resume(&out, options->output_path, series, rows, &meta, options->restart_path);
        if (st == LSIM_OK)
            lsim_log(LSIM_LOG_INFO, "resumed from '%s' at step %lld of %lld", options->restart_path,
                     (long long)chain.clock.step, (long long)chain.clock.step_count);
    } else if (st == LSIM_OK) {
        identity.run_id = lsim_run_new_id(options->output_path);
        lsim_run_id_text(identity.run_id, run_id);
        char *deck_yaml = lsim_params_to_yaml(params, NULL, 0);
        lsim_run_metadata meta = {LSIM_VERSION, LSIM_GIT_COMMIT, chain.seed, deck_yaml, chain.clock.epoch,
                                  options->title ? options->title : "lunarsim run", options->swmr, run_id,
                                  options->argc, options->argv, options->hdf5_1_8};
        st = lsim_h5_create(&out, options->output_path, &meta, series);
        free(deck_yaml);
    }
    if (st != LSIM_OK) {
        lsim_chain_free(&chain);
        lsim_series_free(series);
        return st;
    }

    const int64_t total = chain.clock.step_count;
    const double sim_every = options->checkpoint_every_sim;
    int64_t checkpoint_every_steps = sim_every > 0.0 ? (int64_t)fmax(1.0, floor(sim_every / chain.clock.dt + 0.5)) : 0;
    /* A flush runs the unfinished chunk of every series through its filters
     * again (about 50 ms for the default chain's 225 series): flushed more
     * often than once a second, a run spends more time flushing than
     * stepping (a 5 yr run: 2 s, 31 s at 0.05 s). Readers then see rows at
     * most a second late. */
    double flush_every = options->flush_every_wall;
    if (flush_every > 0.0 && flush_every < LSIM_RUN_FLUSH_FLOOR) {
        lsim_log(LSIM_LOG_WARN, "--flush-every %g s is below %g s: flushing every %g s (each flush recompresses the "
                                "last chunk of every series)",
                 flush_every, LSIM_RUN_FLUSH_FLOOR, LSIM_RUN_FLUSH_FLOOR);
        flush_every = LSIM_RUN_FLUSH_FLOOR;
    }
    double wall_start = lsim_wall_seconds();
    double last_flush = wall_start, last_checkpoint = wall_start;
    int stopping = 0;
    int wrote_checkpoint = 0; /* only a checkpoint this run (or the run it resumes) wrote is removed at the end */

    lsim_stepping = 1;
    while (st == LSIM_OK && chain.clock.step < total) {
        if (lsim_stop_signal ||
            (options->stop_after_steps > 0 && chain.clock.step >= options->stop_after_steps)) {
            stopping = 1;
            break;
        }
        int rows_ready = 0;
        st = lsim_chain_advance(&chain, &rows_ready);
        if (st == LSIM_OK && rows_ready) st = lsim_h5_write_rows(out, series);
        if (st != LSIM_OK) break;
        /* One checkpoint per step at most, whichever clock asked for it; a
         * checkpoint writes and flushes the rows, so it also counts as a flush. */
        int checkpoint_due = options->checkpoint_path && chain.clock.step < total && checkpoint_every_steps > 0 &&
                             chain.clock.step % checkpoint_every_steps == 0;
        if ((chain.clock.step & 63) == 0 || chain.clock.step == total) {
            double now = lsim_wall_seconds();
            if (options->checkpoint_path && options->checkpoint_every_wall > 0.0 && chain.clock.step < total &&
                now - last_checkpoint >= options->checkpoint_every_wall)
                checkpoint_due = 1;
            if (checkpoint_due) {
                st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path, &identity);
                wrote_checkpoint |= st == LSIM_OK;
                last_checkpoint = last_flush = now;
                checkpoint_due = 0;
            } else if (flush_every > 0.0 && now - last_flush >= flush_every) {
                st = lsim_h5_write_rows(out, series);
                if (st == LSIM_OK) st = lsim_h5_flush(out);
                last_flush = now;
            }
            if (options->on_progress) options->on_progress(&chain.clock, chain.clock.step == total, options->progress_context);
        }
        if (st == LSIM_OK && checkpoint_due) {
            st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path, &identity);
            wrote_checkpoint |= st == LSIM_OK;
        }
    }

    lsim_stepping = 0;
    if (st == LSIM_OK && stopping) {
        if (options->checkpoint_path) {
            st = lsim_write_checkpoint(&chain, series, out, params, options->checkpoint_path, &identity);
            if (st == LSIM_OK)
                st = lsim_fail(LSIM_CHECKPOINTED,
                               "stopped at step %lld of %lld (signal %d); checkpoint '%s' written, rows kept in "
                               "'%s.partial'; resume with --restart %s",
                               (long long)chain.clock.step, (long long)total, (int)lsim_stop_signal,
                               options->checkpoint_path, options->output_path, options->checkpoint_path);
        } else {
            st = lsim_fail(LSIM_ERR_RUN, "interrupted at step %lld of %lld; rows so far kept in '%s.partial'",
                           (long long)chain.clock.step, (long long)total, options->output_path);
        }
        lsim_h5_close_partial(out, series);
    } else if (st == LSIM_OK) {
        lsim_chain_summarise(&chain);
        /* Killed or failing while it finishes, a run that can be resumed
         * keeps its rows: a restart removes what the finish wrote. */
        lsim_h5_keep_partial_on_failure(out, lsim_run_resumable(options));
        st = lsim_h5_finish(out, series);
        /* The checkpoint goes when this run wrote it, or when this run is the
         * continuation (--restart) of the one that wrote it there. */
        int resumed_from_it = options->restart_path && lsim_same_file(options->restart_path, options->checkpoint_path);
        if (st == LSIM_OK && (wrote_checkpoint || resumed_from_it)) unlink(options->checkpoint_path);
    } else {
        /* A failed run keeps the rows in NAME.partial when checkpoints exist
         * (they may be resumed); otherwise nothing is left behind. */
        if (lsim_run_resumable(options)) lsim_h5_close_partial(out, series);
        else lsim_h5_abort(out);
    }
    lsim_chain_free(&chain);
    if (st != LSIM_OK) {
        lsim_series_free(series);
        return st;
    }
    *summary_out = series;
    return LSIM_OK;
}

