/* The lunarsim command: run, check, params. Only this file prints errors
 * and chooses exit codes (0 done, 1 run failed, 2 bad input or usage). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef LSIM_HAVE_OPENMP
#include <omp.h>
#endif

#ifdef LSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "chain.h"
#include "sweep.h"
#include "units.h"
#include "deck.h"
#include "h5out.h"
#include "log.h"
#include "report.h"
#include "lsim_version.h"
#include "run.h"

static const char lsim_usage[] =
    "usage: lunarsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [DECK] [-o OUT.h5] [--set section.key=value]... [--threads N] [--quiet]\n"
    "      [--checkpoint FILE] [--checkpoint-every [sim:|wall:]DURATION] [--checkpoint-wall DURATION]\n"
    "      [--restart FILE] [--flush-every DURATION] [--no-swmr] [--hdf5-1.8] [--full-summary]\n"
    "        simulate the chain (no DECK: the built-in default scenario) and write OUT.h5\n"
    "        (default lunarsim.h5); prints the headline results on stdout (--full-summary: all of\n"
    "        them). The file is readable while the\n"
    "        run goes (SWMR, flushed every --flush-every of wall time, default 10 s, at least 1 s). On SIGTERM,\n"
    "        SIGUSR1 or SIGINT, and every --checkpoint-every of simulated time (e.g. 5yr) or of\n"
    "        wall time (wall:30min, or --checkpoint-wall 30min), a checkpoint is written to FILE\n"
    "        (default OUT.h5.ckpt); after a signal the run exits with code 3. Resume with\n"
    "        the same deck, options and -o plus --restart FILE. --hdf5-1.8 writes the HDF5 1.8\n"
    "        file format, for HDF5 1.8 and older netCDF readers (implies --no-swmr).\n"
    "  sweep [DECK] (--vary section.key=SPEC)... [--samples N [--method lhs|sobol|morris]]\n"
    "      [--levels P] [--design FILE.csv] [-o SWEEP.h5]\n"
    "      [--set section.key=value]... [--threads N] [--quiet] [--restart] [--force]\n"
    "        run many members and write one file with series as (run, time). SPEC is a grid\n"
    "        'a:b:n' (n values from a to b), a list 'v1,v2,...' or, with --samples, a range\n"
    "        'a:b' sampled by Latin hypercube (seeded by run.seed). --method sobol: N base rows\n"
    "        of the Saltelli scheme on a scrambled Sobol' sequence, N (d + 2) members for d\n"
    "        parameters, with first- and total-order indices of every summary metric in\n"
    "        /sensitivity; --method morris: N trajectories of d + 1 members on a P-level grid\n"
    "        (--levels, default 4), with mu*, mu and sigma. --design FILE.csv runs one member\n"
    "        per row: a header 'section.key [unit]' per column (no unit: SI), words for choices.\n"
    "        Every member is checked before any runs. The size and time are estimated first; a\n"
    "        sweep over the free disk space, 1 TB or 7 days is refused unless --force. On SIGTERM,\n"
    "        SIGUSR1 or SIGINT the members in flight finish (a second signal abandons them), the\n"
    "        finished ones stay in SWEEP.h5.partial and the sweep exits with code 3; the same\n"
    "        command plus --restart runs only the missing members.\n"
    "  check [DECK] [--set section.key=value]...\n"
    "        validate a deck and print the effective deck; writes nothing\n"
    "  params [SECTION]\n"
    "        print every parameter with unit, range, doc and source as a YAML deck of defaults\n"
    "        (lunarsim params > my.yaml gives a starting deck)\n"
    "  --help, --version\n"
    "\n"
    "DECK is a YAML file, '-' reads it from standard input; with no DECK, the built-in default\n"
    "scenario. Options take their value as the next argument or after '=' (--threads=4).\n"
    "Values may carry units: '2.4 km/s', '150 t', '13 kWh/kg', '5 GW', '20 yr', '300 K'.\n"
    "Exit codes: 0 done, 1 run failed, 2 bad input or usage, 3 stopped by a signal after writing\n"
    "a checkpoint (resubmit with --restart).\n";

static int lsim_usage_error(const char *fmt, const char *arg)
{
    fputs("lunarsim: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'lunarsim --help')\n", stderr);
    return LSIM_ERR_INPUT;
}

static int lsim_report(lsim_status st)
{
    fprintf(stderr, "lunarsim: error: %s\n", lsim_last_error());
    return (int)st;
}

typedef struct {
    const char *deck;
    const char *output;
    const char **sets;
    int set_count;
    int threads;
    int quiet;
    const char *checkpoint;
    double checkpoint_every, checkpoint_wall, flush_every;
    const char *restart;
    int no_swmr;
    int hdf5_1_8;
    int full_summary;
    long long stop_after_steps;
    const char **varies;
    int vary_count;
    long samples;
    const char *method;
    const char *design;
    long levels;
    int sweep_restart, force;
} lsim_cli;

/* A duration option with units ("5yr", "30 min", "10 s"). */
static int lsim_parse_duration(const char *option, const char *text, double *seconds)
{
    double value;
    lsim_dimension dim;
    double one_second;
    lsim_dimension time_dim;
    lsim_unit_parse("s", &one_second, &time_dim);
    if (lsim_quantity_parse(text, &value, &dim) != LSIM_OK || !lsim_dimension_equal(dim, time_dim) || !(value > 0.0)) {
        fprintf(stderr, "lunarsim: %s: '%s' is not a positive duration with a unit, e.g. '5yr' or '30 min'\n", option,
                text);
        return LSIM_ERR_INPUT;
    }
    *seconds = value;
    return 0;
}

/* The value of option `name`: the text after '=' in "--name=value", else
 * the next argument. NULL if there is none. */
static const char *lsim_option_value(int argc, char **argv, int *i, const char *inline_value)
{
    if (inline_value) return inline_value;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int lsim_parse_count(const char *option, const char *text, long long low, long long high, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno || !end || end == text || *end || n < low || n > high) {
        fprintf(stderr, "lunarsim: %s: '%s' is not a whole number from %lld to %lld (see 'lunarsim --help')\n", option,
                text, low, high);
        return LSIM_ERR_INPUT;
    }
    *out = n;
    return 0;
}

/* Parses the options of run (allow_output 1), sweep (2) and check (0);
 * positional DECK at most once ('-': standard input). Every option with a
 * value takes it as the next argument or after '=' ("--threads=4"). */
static int lsim_parse_options(int argc, char **argv, int first, lsim_cli *cli, int allow_output)
{
    for (int i = first; i < argc; ++i) {
        const char *arg = argv[i];
        char name[64];
        const char *inline_value = NULL;
        const char *a = arg;
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        if (eq) {
            if ((size_t)(eq - arg) >= sizeof name) return lsim_usage_error("unknown option '%s'", arg);
            memcpy(name, arg, (size_t)(eq - arg));
            name[eq - arg] = '\0';
            a = name;
            inline_value = eq + 1;
        }
        const char *value = NULL;
        int takes_value = 1;
        if (strcmp(a, "--set") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value)))
                return lsim_usage_error("%s needs section.key=value", "--set");
            cli->sets[cli->set_count++] = value;
        } else if (allow_output && (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a file name", a);
            cli->output = value;
        } else if (allow_output && strcmp(a, "--threads") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a number", a);
            long long n = 0;
            int rc = lsim_parse_count("--threads", value, 1, 4096, &n);
            if (rc) return rc;
            cli->threads = (int)n;
        } else if (allow_output && (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)) {
            takes_value = 0;
            cli->quiet = 1;
        } else if (allow_output == 1 && (strcmp(a, "--checkpoint") == 0 || strcmp(a, "--restart") == 0)) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a file name", a);
            if (a[2] == 'c') cli->checkpoint = value;
            else cli->restart = value;
        } else if (allow_output == 1 && (strcmp(a, "--checkpoint-every") == 0 || strcmp(a, "--checkpoint-wall") == 0 ||
                                         strcmp(a, "--flush-every") == 0)) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value)))
                return lsim_usage_error("%s needs a duration, e.g. 5yr", a);
            double *target = strcmp(a, "--checkpoint-every") == 0  ? &cli->checkpoint_every
                             : strcmp(a, "--checkpoint-wall") == 0 ? &cli->checkpoint_wall
                                                                   : &cli->flush_every;
            /* --checkpoint-every takes simulated time ("5yr", "sim:5yr") or wall time ("wall:30min"). */
            if (target == &cli->checkpoint_every && strncmp(value, "wall:", 5) == 0) {
                target = &cli->checkpoint_wall;
                value += 5;
            } else if (target == &cli->checkpoint_every && strncmp(value, "sim:", 4) == 0) {
                value += 4;
            }
            int rc = lsim_parse_duration(a, value, target);
            if (rc) return rc;
        } else if (allow_output == 1 && strcmp(a, "--no-swmr") == 0) {
            takes_value = 0;
            cli->no_swmr = 1;
        } else if (allow_output == 1 && strcmp(a, "--hdf5-1.8") == 0) {
            takes_value = 0; /* the 1.8 format cannot be followed live: it implies --no-swmr */
            cli->hdf5_1_8 = cli->no_swmr = 1;
        } else if (allow_output == 1 && strcmp(a, "--full-summary") == 0) {
            takes_value = 0;
            cli->full_summary = 1;
        } else if (allow_output == 1 && strcmp(a, "--stop-after-steps") == 0) {
            /* Testing aid: behave as if signalled after N steps. */
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a number", a);
            long long n = 0;
            int rc = lsim_parse_count("--stop-after-steps", value, 1, LLONG_MAX, &n);
            if (rc) return rc;
            cli->stop_after_steps = n;
        } else if (allow_output == 2 && strcmp(a, "--vary") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value)))
                return lsim_usage_error("%s needs section.key=SPEC", a);
            cli->varies[cli->vary_count++] = value;
        } else if (allow_output == 2 && strcmp(a, "--samples") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a number", a);
            long long n = 0;
            int rc = lsim_parse_count("--samples", value, 1, 10000000, &n);
            if (rc) return rc;
            cli->samples = (long)n;
        } else if (allow_output == 2 && strcmp(a, "--method") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value)))
                return lsim_usage_error("%s needs a method (lhs, sobol or morris)", a);
            cli->method = value;
        } else if (allow_output == 2 && strcmp(a, "--design") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value)))
                return lsim_usage_error("%s needs a CSV file", a);
            cli->design = value;
        } else if (allow_output == 2 && strcmp(a, "--levels") == 0) {
            if (!(value = lsim_option_value(argc, argv, &i, inline_value))) return lsim_usage_error("%s needs a number", a);
            long long n = 0;
            int rc = lsim_parse_count("--levels", value, 2, 1000, &n);
            if (rc) return rc;
            cli->levels = (long)n;
        } else if (allow_output == 2 && strcmp(a, "--restart") == 0) {
            takes_value = 0;
            cli->sweep_restart = 1;
        } else if (allow_output == 2 && strcmp(a, "--force") == 0) {
            takes_value = 0;
            cli->force = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            return lsim_usage_error("unknown option '%s'", arg);
        } else if (!cli->deck) {
            cli->deck = a;
        } else {
            return lsim_usage_error("unexpected argument '%s'", a);
        }
        if (!takes_value && inline_value) return lsim_usage_error("option '%s' takes no value", arg);
    }
    return 0;
}

static lsim_status lsim_build_params(const lsim_cli *cli, lsim_params **out)
{
    lsim_params *params = lsim_params_new();
    if (!params) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_status st = lsim_chain_register_params(params);
    /* '-' is standard input (a pipe, a here-document); no DECK the default scenario. */
    if (st == LSIM_OK && cli->deck && strcmp(cli->deck, "-") == 0) st = lsim_deck_load_stream(params, stdin, "<stdin>");
    else if (st == LSIM_OK && cli->deck) st = lsim_deck_load_file(params, cli->deck);
    for (int i = 0; st == LSIM_OK && i < cli->set_count; ++i) st = lsim_deck_apply_override(params, cli->sets[i]);
    if (st != LSIM_OK) {
        lsim_params_free(params);
        return st;
    }
    *out = params;
    return LSIM_OK;
}

static void lsim_on_signal(int signal_number) { lsim_run_request_stop(signal_number); }

static void lsim_on_sweep_signal(int signal_number) { lsim_sweep_request_stop(signal_number); }

static void lsim_install_signal_handlers(void (*handler)(int))
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGUSR1, &action, NULL);
}

static int lsim_command_run(int argc, char **argv, int first)
{
    const char *sets[256];
    lsim_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.output = "lunarsim.h5";
    cli.sets = sets;
    if (argc - first > 256) return lsim_usage_error("too many arguments (%s)", "max 256");
    int rc = lsim_parse_options(argc, argv, first, &cli, 1);
    if (rc) return rc;
#ifdef LSIM_HAVE_MPI
    int ranks = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (ranks > 1) {
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0)
            fprintf(stderr, "lunarsim: run is a single process (threads with --threads); under mpirun use sweep\n");
        return LSIM_ERR_INPUT;
    }
#endif
    lsim_params *params = NULL;
    lsim_status st = lsim_build_params(&cli, &params);
    if (st != LSIM_OK) return lsim_report(st);
#ifdef LSIM_HAVE_OPENMP
    if (cli.threads > 0) omp_set_num_threads(cli.threads);
#else
    if (cli.threads > 1) lsim_log(LSIM_LOG_WARN, "built without OpenMP: --threads %d ignored", cli.threads);
#endif
    if (cli.quiet) lsim_log_set_level(LSIM_LOG_WARN);
    lsim_install_signal_handlers(lsim_on_signal);

    char default_checkpoint[4096];
    snprintf(default_checkpoint, sizeof default_checkpoint, "%s.ckpt", cli.output);
    lsim_run_options options;
    lsim_run_options_default(&options);
    options.output_path = cli.output;
    lsim_progress progress = {isatty(STDERR_FILENO), 0.0, 0.0, -1, 0};
    if (!cli.quiet) {
        options.on_progress = lsim_report_progress;
        options.progress_context = &progress;
    }
    options.swmr = !cli.no_swmr;
    options.hdf5_1_8 = cli.hdf5_1_8;
    options.argc = argc; /* the file's history records the command */
    options.argv = argv;
    if (cli.flush_every > 0.0) options.flush_every_wall = cli.flush_every;
    options.checkpoint_path = cli.checkpoint ? cli.checkpoint : default_checkpoint;
    options.checkpoint_every_sim = cli.checkpoint_every;
    options.checkpoint_every_wall = cli.checkpoint_wall;
    options.restart_path = cli.restart;
    options.deck_path = cli.deck && strcmp(cli.deck, "-") != 0 ? cli.deck : NULL;
    options.stop_after_steps = cli.stop_after_steps;
    lsim_series_registry *result = NULL;
    st = lsim_run_simulation(params, &options, &result);
    lsim_params_free(params);
    if (st == LSIM_CHECKPOINTED) {
        fprintf(stderr, "lunarsim: %s\n", lsim_last_error());
        return LSIM_CHECKPOINTED;
    }
    if (st != LSIM_OK) return lsim_report(st);
    /* --quiet silences progress, never the results. */
    printf("lunarsim %s: run complete, output in %s\n", LSIM_VERSION, cli.output);
    lsim_print_summary(stdout, result, cli.full_summary);
    if (!cli.full_summary) printf("  (every figure: --full-summary, or /summary in the file)\n");
    lsim_series_free(result);
    return 0;
}

static int lsim_command_sweep(int argc, char **argv, int first)
{
    const char *sets[256], *varies[256];
    lsim_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.output = "sweep.h5";
    cli.sets = sets;
    cli.varies = varies;
    if (argc - first > 256) return lsim_usage_error("too many arguments (%s)", "max 256");
    int rc = lsim_parse_options(argc, argv, first, &cli, 2);
    if (rc) return rc;
    /* --design gives every member: nothing else may choose them. */
    if (cli.design && (cli.vary_count || cli.samples || cli.method || cli.levels))
        return lsim_usage_error("--design %s gives every member; it cannot be combined with --vary, --samples, "
                                "--method or --levels", cli.design);
    if (cli.vary_count == 0 && !cli.design)
        return lsim_usage_error("sweep needs at least one --vary section.key=SPEC, or --design FILE.csv%s", "");
    lsim_sweep_method method = cli.design ? LSIM_SWEEP_DESIGN : cli.samples ? LSIM_SWEEP_LHS : LSIM_SWEEP_GRID;
    if (cli.method && strcmp(cli.method, "sobol") == 0) method = LSIM_SWEEP_SOBOL;
    else if (cli.method && strcmp(cli.method, "morris") == 0) method = LSIM_SWEEP_MORRIS;
    else if (cli.method && strcmp(cli.method, "lhs") != 0)
        return lsim_usage_error("--method: '%s' is not a sampling method; expected lhs, sobol or morris", cli.method);
    if (cli.method && cli.samples == 0) return lsim_usage_error("--method %s needs --samples N", cli.method);
    if (method == LSIM_SWEEP_SOBOL && cli.samples < 2)
        return lsim_usage_error("--method sobol needs --samples N of at least 2 base rows (%s)", "N (d + 2) members");
    if (cli.levels && method != LSIM_SWEEP_MORRIS) return lsim_usage_error("--levels is for --method morris%s", "");
    if (cli.levels % 2)
        return lsim_usage_error("--levels: expected an even number of levels (%s)", "Morris steps pair them");
    lsim_params *params = NULL;
    lsim_status st = lsim_build_params(&cli, &params);
    if (st != LSIM_OK) return lsim_report(st);
#ifdef LSIM_HAVE_OPENMP
    if (cli.threads > 0) omp_set_num_threads(cli.threads);
#endif
    if (cli.quiet) lsim_log_set_level(LSIM_LOG_WARN);
    lsim_sweep_options options;
    memset(&options, 0, sizeof options);
    options.output_path = cli.output;
    options.varies = cli.varies;
    options.vary_count = (size_t)cli.vary_count;
    options.samples = (size_t)cli.samples;
    options.method = method;
    options.levels = (unsigned)cli.levels;
    options.design_path = cli.design;
    options.restart = cli.sweep_restart;
    options.force = cli.force;
    options.argc = argc; /* the file's history records the command */
    options.argv = argv;
    options.on_table = lsim_report_sweep_table; /* --quiet silences progress, never the results */
    if (!cli.quiet) {
        options.on_estimate = lsim_report_sweep_estimate;
        options.on_member_done = lsim_report_member_done;
    }
    lsim_install_signal_handlers(lsim_on_sweep_signal);
    st = lsim_sweep_run(params, &options);
    lsim_params_free(params);
    if (st == LSIM_CHECKPOINTED) {
        int stop_rank = 0;
#ifdef LSIM_HAVE_MPI
        MPI_Comm_rank(MPI_COMM_WORLD, &stop_rank);
#endif
        if (stop_rank == 0) fprintf(stderr, "lunarsim: %s\n", lsim_last_error());
        return LSIM_CHECKPOINTED;
    }
    if (st != LSIM_OK) return lsim_report(st);
    int rank = 0;
#ifdef LSIM_HAVE_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
    if (rank == 0) printf("lunarsim %s: sweep complete, output in %s\n", LSIM_VERSION, cli.output);
    return 0;
}

static int lsim_command_check(int argc, char **argv, int first)
{
    const char *sets[256];
    lsim_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.sets = sets;
    if (argc - first > 256) return lsim_usage_error("too many arguments (%s)", "max 256");
    int rc = lsim_parse_options(argc, argv, first, &cli, 0);
    if (rc) return rc;
    lsim_params *params = NULL;
    lsim_status st = lsim_build_params(&cli, &params);
    if (st != LSIM_OK) return lsim_report(st);
    /* Checks that need more than one parameter (clock divisibility, module consistency). */
    lsim_series_registry *scratch = lsim_series_new(1);
    lsim_chain chain;
    st = lsim_chain_init(&chain, params, scratch);
    lsim_chain_free(&chain);
    lsim_series_free(scratch);
    if (st != LSIM_OK) {
        lsim_params_free(params);
        return lsim_report(st);
    }
    char *yaml = lsim_params_to_yaml(params, NULL, 0);
    printf("# effective deck of %s: valid\n%s",
           !cli.deck ? "the default scenario" : strcmp(cli.deck, "-") == 0 ? "<stdin>" : cli.deck, yaml);
    free(yaml);
    lsim_params_free(params);
    return 0;
}

static int lsim_command_params(int argc, char **argv, int first)
{
    if (argc - first > 1) return lsim_usage_error("params takes at most one section, got '%s'", argv[first + 1]);
    lsim_params *params = lsim_params_new();
    lsim_status st = lsim_chain_register_params(params);
    if (st != LSIM_OK) {
        lsim_params_free(params);
        return lsim_report(st);
    }
    const char *section = argc > first ? argv[first] : NULL;
    if (section && !lsim_params_has_section(params, section)) {
        fprintf(stderr, "lunarsim: params: unknown section '%s'; sections are:", section);
        const char *last = "";
        for (size_t i = 0; i < lsim_params_count(params); ++i) {
            const lsim_param_def *d = lsim_params_def(params, i);
            if (strcmp(d->section, last) != 0) fprintf(stderr, " %s", d->section);
            last = d->section;
        }
        fputc('\n', stderr);
        lsim_params_free(params);
        return LSIM_ERR_INPUT;
    }
    char *yaml = lsim_params_to_yaml(params, section, 1);
    printf("# lunarsim %s parameters: defaults in SI, each with its unit, range and source.\n%s", LSIM_VERSION, yaml);
    free(yaml);
    lsim_params_free(params);
    return 0;
}

static int lsim_main(int argc, char **argv);

/* After a write error (a full disk) HDF5 keeps a file it could not close,
 * and its exit-time cleanup would crash on it (exit 139 instead of 1): end
 * without that cleanup, the message and the exit code already given. */
static int lsim_exit(int rc)
{
    if (lsim_h5_left_unclean()) {
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    return rc;
}

int main(int argc, char **argv)
{
#ifdef LSIM_HAVE_MPI
    int provided = 0;
    /* Sweep members write from OpenMP threads one at a time (a critical section). */
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    int rc = lsim_main(argc, argv);
    if (!lsim_h5_left_unclean()) MPI_Finalize();
    return lsim_exit(rc);
#else
    return lsim_exit(lsim_main(argc, argv));
#endif
}

static int lsim_main(int argc, char **argv)
{
    lsim_h5_quiet_errors();
    lsim_log_set_sink(lsim_log_stderr_sink, NULL); /* the front end decides what the user sees */
    if (argc < 2) {
        fputs(lsim_usage, stderr);
        return LSIM_ERR_INPUT;
    }
    const char *command = argv[1];
    /* "lunarsim run --help" and the like: the usage, not an error. */
    for (int i = 2; i < argc; ++i)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(lsim_usage, stdout);
            return 0;
        }
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
        fputs(lsim_usage, stdout);
        return 0;
    }
    if (strcmp(command, "--version") == 0) {
        printf("lunarsim %s (commit %s)\n", LSIM_VERSION, LSIM_GIT_COMMIT);
        return 0;
    }
    if (strcmp(command, "run") == 0) return lsim_command_run(argc, argv, 2);
    if (strcmp(command, "check") == 0) return lsim_command_check(argc, argv, 2);
    if (strcmp(command, "sweep") == 0) return lsim_command_sweep(argc, argv, 2);
    if (strcmp(command, "params") == 0) return lsim_command_params(argc, argv, 2);
    return lsim_usage_error("unknown command '%s'; expected run, sweep, check or params", command);
}
