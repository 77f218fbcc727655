/* Property test: the effective deck reloads to the same values.
 *
 * What `lunarsim check` prints and what an output file stores (its root
 * attribute "deck") is lsim_params_to_yaml of the effective parameters. A
 * fuzzer found text values that did not survive it: U+0085, U+2028 and
 * U+2029 were written raw inside double quotes, and YAML reads them back as
 * line breaks folded into a space (`start_epoch: "a\Nb"` came back "a b").
 *
 * Here thousands of random decks set every registered parameter: reals
 * anywhere in their range (end points, -0, log-spread and raw bit patterns),
 * integers up to 2^53, every choice word, and free text of random UTF-8 with
 * line breaks, controls, the characters YAML does not allow raw, quotes,
 * backslashes, leading and trailing blanks and YAML punctuation. For each:
 * emit -> load -> emit gives the same text, and every reloaded value equals
 * the original (numbers bit for bit). Every 50th deck also goes through the
 * HDF5 attribute the run writes (an in-memory file) and is loaded from there.
 *
 * Nothing is skipped: the loader refuses no generated value. Free text takes
 * any UTF-8 (run.start_epoch is checked against its pattern later, when the
 * clock starts, so random text there still tests the deck); bytes that are
 * not UTF-8 are refused at set time, which is checked separately below. */
#include <hdf5.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "chain.h"
#include "deck.h"
#include "h5util.h"
#include "lsim_test.h"
#include "params.h"
#include "rng.h"

enum { DECK_COUNT = 2000, HDF5_EVERY = 50, TEXT_CAPACITY = 512 };
static const uint64_t TEST_SEED = 0x5EED0D1CEull;

/* Counter-based draws: deck number and draw index, nothing else. */
typedef struct {
    uint64_t deck;
    uint32_t draw;
} draw_counter;

static uint64_t next_bits(draw_counter *counter) {
    lsim_philox_block block = lsim_rng_block(TEST_SEED, 17u, counter->deck, counter->draw++);
    return (uint64_t)block.v[0] << 32 | block.v[1];
}

static uint64_t below(draw_counter *counter, uint64_t n) { return n ? next_bits(counter) % n : 0; }

static double unit_draw(draw_counter *counter) { return (double)(next_bits(counter) >> 11) * 0x1.0p-53; }

static double random_real(draw_counter *counter, double lo, double hi) {
    switch (below(counter, 6)) {
    case 0: return lo;
    case 1: return hi;
    case 2:
        if (lo <= 0.0 && hi >= 0.0) return -0.0;
        break;
    case 3:
        /* Spread over the decades when the range spans many. */
        if (lo > 0.0 && hi / lo > 1e3) return fmin(hi, fmax(lo, lo * pow(hi / lo, unit_draw(counter))));
        break;
    case 4:
        /* A raw bit pattern: every mantissa bit set at random. */
        for (int attempt = 0; attempt < 64; ++attempt) {
            uint64_t bits = next_bits(counter);
            double value;
            memcpy(&value, &bits, sizeof value);
            if (isfinite(value) && value >= lo && value <= hi) return value;
        }
        break;
    default: break;
    }
    return fmin(hi, fmax(lo, lo + (hi - lo) * unit_draw(counter)));
}

static size_t put_code_point(char *out, uint32_t c) {
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Random UTF-8 (no NUL: C text cannot hold it, and the loader refuses it). */
static void random_text(draw_counter *counter, char *text) {
    static const char punctuation[] = "\"\\'#:-?[]{},&*!|>%@` ";
    static const uint32_t specials[] = {0x85, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0xA0, 0x7F, 0xD7FF, 0xE000,
                                        0xFFFD, 0x10FFFF};
    static const char *const yaml_words[] = {"---", "...", "null", "~", "true", "- ", "? ", ": ", " #", "&a", "*a",
                                             "!!str ", "%YAML", "'", "\"\"", "  ", "\\N", "0x1F", "1e3", "-.inf"};
    size_t used = 0;
    size_t pieces = below(counter, 4) == 0 ? 0 : 1 + below(counter, 24);
    int plain_only = below(counter, 5) == 0; /* words a YAML plain scalar can hold as they are */
    for (size_t k = 0; k < pieces; ++k) {
        char piece[16];
        size_t length = 0;
        uint64_t kind = plain_only ? 9 : below(counter, 10);
        switch (kind) {
        case 0: piece[length++] = (char)(0x20 + below(counter, 0x5F)); break;
        case 1: piece[length++] = punctuation[below(counter, sizeof punctuation - 1)]; break;
        case 2: piece[length++] = " \t\n\r"[below(counter, 4)]; break;
        case 3: piece[length++] = (char)(below(counter, 4) ? 1 + below(counter, 0x1F) : 0x7F); break;
        case 4: length = put_code_point(piece, (uint32_t)(0x80 + below(counter, 0x20))); break;
        case 5: length = put_code_point(piece, specials[below(counter, sizeof specials / sizeof specials[0])]); break;
        case 6: {
            uint32_t c;
            do c = (uint32_t)(0xA0 + below(counter, 0x10000 - 0xA0));
            while (c >= 0xD800 && c <= 0xDFFF);
            length = put_code_point(piece, c);
            break;
        }
        case 7: length = put_code_point(piece, (uint32_t)(0x10000 + below(counter, 0x100000))); break;
        case 8: {
            const char *word = yaml_words[below(counter, sizeof yaml_words / sizeof yaml_words[0])];
            length = strlen(word);
            memcpy(piece, word, length);
            break;
        }
        default: {
            static const char word_chars[] = "abcXYZ019_-+./";
            /* A plain word must start with a letter, digit or '_'. */
            piece[length++] = word_chars[below(counter, used == 0 ? 10 : sizeof word_chars - 1)];
            break;
        }
        }
        if (used + length >= TEXT_CAPACITY) break;
        memcpy(text + used, piece, length);
        used += length;
    }
    text[used] = '\0';
}

static size_t choice_count(const char *choices) {
    size_t n = 1;
    for (const char *p = choices; *p; ++p) n += *p == '|';
    return n;
}

static void randomise(lsim_params *params, uint64_t deck) {
    draw_counter counter = {deck, 0};
    for (size_t i = 0; i < lsim_params_count(params); ++i) {
        const lsim_param_def *def = lsim_params_def(params, i);
        lsim_status status = LSIM_OK;
        char text[TEXT_CAPACITY];
        switch (def->type) {
        case LSIM_PARAM_REAL:
            status = lsim_param_set_real(params, def->section, def->key,
                                         random_real(&counter, def->min_value, def->max_value), "random");
            break;
        case LSIM_PARAM_INT: {
            /* Ranges reach 2^53: draw the offset as a whole number. */
            uint64_t span = (uint64_t)(def->max_value - def->min_value);
            double value = below(&counter, 4) == 0 ? def->max_value
                                                   : def->min_value + (double)below(&counter, span + 1);
            status = lsim_param_set_real(params, def->section, def->key, value, "random");
            break;
        }
        case LSIM_PARAM_BOOL:
            status = lsim_param_set_text(params, def->section, def->key, below(&counter, 2) ? "true" : "false",
                                         "random");
            break;
        case LSIM_PARAM_CHOICE:
            lsim_choice_word(def->choices, (size_t)below(&counter, choice_count(def->choices)), text, sizeof text);
            status = lsim_param_set_text(params, def->section, def->key, text, "random");
            break;
        default:
            random_text(&counter, text);
            status = lsim_param_set_text(params, def->section, def->key, text, "random");
            break;
        }
        LSIM_CHECK(status == LSIM_OK, "deck %llu: %s.%s: generated value refused: %s", (unsigned long long)deck,
                   def->section, def->key, lsim_last_error());
    }
}

static lsim_params *registry(void) {
    lsim_params *params = lsim_params_new();
    lsim_status status = lsim_chain_register_params(params);
    if (status != LSIM_OK) {
        fprintf(stderr, "cannot register the parameters: %s\n", lsim_last_error());
        exit(1);
    }
    return params;
}

/* The first differing value, or -1 if every value is identical. */
static long first_difference(const lsim_params *a, const lsim_params *b) {
    for (size_t i = 0; i < lsim_params_count(a); ++i) {
        const lsim_param_def *def = lsim_params_def(a, i);
        if (def->type == LSIM_PARAM_CHOICE || def->type == LSIM_PARAM_TEXT) {
            if (strcmp(lsim_param_text(a, def->section, def->key), lsim_param_text(b, def->section, def->key)) != 0)
                return (long)i;
            continue;
        }
        double x, y;
        if (def->type == LSIM_PARAM_REAL) {
            x = lsim_param_real(a, def->section, def->key);
            y = lsim_param_real(b, def->section, def->key);
        } else if (def->type == LSIM_PARAM_INT) {
            x = (double)lsim_param_int(a, def->section, def->key);
            y = (double)lsim_param_int(b, def->section, def->key);
        } else {
            x = lsim_param_bool(a, def->section, def->key);
            y = lsim_param_bool(b, def->section, def->key);
        }
        if (memcmp(&x, &y, sizeof x) != 0) return (long)i; /* bitwise: -0 and +0 differ here */
    }
    return -1;
}

/* Writes the deck as a run writes it (lsim_h5_write_run_attributes) into an
 * in-memory HDF5 file and reads the attribute back. malloc'd, or NULL. */
static char *through_hdf5(const char *yaml, uint64_t deck) {
    char name[64];
    snprintf(name, sizeof name, "deck_roundtrip_%llu.h5", (unsigned long long)deck);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 0); /* no backing store: nothing touches the disk */
    /* As data/h5out.c creates a run file: creation order tracked, which lets a deck over 64 KiB be an attribute. */
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    hid_t file = H5Fcreate(name, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (file < 0) return NULL;
    lsim_run_metadata meta = {"test", "test", 1, yaml, "2030-01-01 00:00:00", "deck round trip", 0, NULL, 0, NULL, 0};
    char *text = NULL;
    if (lsim_h5_write_run_attributes(file, &meta, "2030-01-01T00:00:00Z") == 0) {
        hid_t attr = H5Aopen(file, "deck", H5P_DEFAULT);
        hid_t type = attr >= 0 ? H5Aget_type(attr) : -1;
        if (type >= 0) {
            size_t size = H5Tget_size(type);
            text = calloc(size + 1, 1);
            if (text && H5Aread(attr, type, text) < 0) {
                free(text);
                text = NULL;
            }
            H5Tclose(type);
        }
        if (attr >= 0) H5Aclose(attr);
    }
    H5Fclose(file);
    return text;
}

static void check_known_cases(void) {
    /* The fuzzer's minimal input, and its two siblings. */
    static const struct {
        const char *deck, *bytes, *emitted;
    } cases[] = {
        {"run:\n  start_epoch: \"a\\Nb\"\n", "a\xC2\x85" "b", "\"a\\Nb\""},
        {"run:\n  start_epoch: \"a\\Lb\"\n", "a\xE2\x80\xA8" "b", "\"a\\Lb\""},
        {"run:\n  start_epoch: \"a\\Pb\"\n", "a\xE2\x80\xA9" "b", "\"a\\Pb\""},
        {"run:\n  start_epoch: \" \\t\\x01\\x9f\\uFEFF \"\n", " \t\x01\xC2\x9F\xEF\xBB\xBF ",
         "\" \\t\\x01\\x9f\\uFEFF \""},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        lsim_params *params = registry();
        LSIM_CHECK(lsim_deck_load_string(params, cases[c].deck, strlen(cases[c].deck), "case.yaml") == LSIM_OK,
                   "case %zu loads: %s", c, lsim_last_error());
        LSIM_CHECK(strcmp(lsim_param_text(params, "run", "start_epoch"), cases[c].bytes) == 0,
                   "case %zu: the escape gives its character", c);
        char *yaml = lsim_params_to_yaml(params, "run", 0);
        LSIM_CHECK(strstr(yaml, cases[c].emitted) != NULL, "case %zu: written back as the escape %s:\n%s", c,
                   cases[c].emitted, yaml);
        lsim_params *again = registry();
        LSIM_CHECK(lsim_deck_load_string(again, yaml, strlen(yaml), "again.yaml") == LSIM_OK, "case %zu reloads: %s",
                   c, lsim_last_error());
        LSIM_CHECK(strcmp(lsim_param_text(again, "run", "start_epoch"), cases[c].bytes) == 0,
                   "case %zu: reloads to the same bytes", c);
        free(yaml);
        lsim_params_free(again);
        lsim_params_free(params);
    }

    /* Bytes that are not UTF-8 cannot be written into a YAML deck or a UTF-8
     * attribute: refused on one line naming the key (--set passes bytes as given). */
    lsim_params *params = registry();
    static const char *const malformed[] = {"a\x85" "b", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ab\xE2\x80"};
    for (size_t m = 0; m < sizeof malformed / sizeof malformed[0]; ++m) {
        lsim_status status = lsim_param_set_text(params, "run", "start_epoch", malformed[m], "--set x");
        LSIM_CHECK(status == LSIM_ERR_INPUT && strstr(lsim_last_error(), "run.start_epoch") &&
                       strstr(lsim_last_error(), "UTF-8") && !strchr(lsim_last_error(), '\n'),
                   "malformed UTF-8 %zu refused: %s", m, lsim_last_error());
    }
    LSIM_CHECK(strcmp(lsim_param_text(params, "run", "start_epoch"), "2030-01-01 00:00:00") == 0,
               "a refused text leaves the value as it was");

    /* Where each value came from, for errors found after loading (item 19). */
    LSIM_CHECK(strcmp(lsim_param_where(params, "run", "start_epoch"), "run.start_epoch") == 0,
               "a default has no place: %s", lsim_param_where(params, "run", "start_epoch"));
    static const char deck[] = "power:\n  site: polar\nrun:\n    start_epoch: \"x\"\n";
    LSIM_CHECK(lsim_deck_load_string(params, deck, strlen(deck), "where.yaml") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(strcmp(lsim_param_where(params, "run", "start_epoch"), "where.yaml:4:18: run.start_epoch") == 0,
               "a deck value points at its line and column: %s", lsim_param_where(params, "run", "start_epoch"));
    lsim_params *copy = lsim_params_clone(params);
    LSIM_CHECK(strcmp(lsim_param_where(copy, "run", "start_epoch"), "where.yaml:4:18: run.start_epoch") == 0,
               "a clone keeps where values came from");
    LSIM_CHECK(lsim_deck_apply_override(copy, "run.start_epoch=y") == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(strcmp(lsim_param_where(copy, "run", "start_epoch"), "--set run.start_epoch=y: run.start_epoch") == 0,
               "an override names itself: %s", lsim_param_where(copy, "run", "start_epoch"));
    static const char bad[] = "run:\n  start_epoch: \"z\"\n  seed: -1\n";
    LSIM_CHECK(lsim_deck_load_string(copy, bad, strlen(bad), "bad.yaml") == LSIM_ERR_INPUT, "bad deck refused");
    LSIM_CHECK(strcmp(lsim_param_where(copy, "run", "start_epoch"), "--set run.start_epoch=y: run.start_epoch") == 0,
               "a refused deck leaves the places as they were: %s", lsim_param_where(copy, "run", "start_epoch"));
    lsim_params_free(copy);
    lsim_params_free(params);
}

int main(void) {
    check_known_cases();

    clock_t start = clock();
    size_t texts = 0, hdf5_checked = 0, failed_decks = 0;
    /* Registering the tables costs as much as a deck: register once, reset to the defaults per deck. */
    lsim_params *defaults = registry(), *original = registry(), *reloaded = registry();
    for (uint64_t deck = 0; deck < DECK_COUNT && failed_decks < 5; ++deck) {
        int failures_before = lsim_test_failures;
        lsim_params_copy_values(original, defaults);
        lsim_params_copy_values(reloaded, defaults);
        randomise(original, deck);
        /* Doc comments hold no values; every 8th deck carries them to show they do not disturb the reload. */
        int with_docs = deck % 8 == 0;
        char *first = lsim_params_to_yaml(original, NULL, with_docs);
        lsim_status status = lsim_deck_load_string(reloaded, first, strlen(first), "effective.yaml");
        LSIM_CHECK(status == LSIM_OK, "deck %llu: the effective deck does not load: %s", (unsigned long long)deck,
                   lsim_last_error());
        long differs = first_difference(original, reloaded);
        LSIM_CHECK(differs < 0, "deck %llu: %s.%s reloads to another value", (unsigned long long)deck,
                   differs < 0 ? "" : lsim_params_def(original, (size_t)differs)->section,
                   differs < 0 ? "" : lsim_params_def(original, (size_t)differs)->key);
        char *second = lsim_params_to_yaml(reloaded, NULL, with_docs);
        LSIM_CHECK(strcmp(first, second) == 0, "deck %llu: emit -> load -> emit changes the text",
                   (unsigned long long)deck);
        if (deck % HDF5_EVERY == 0) {
            char *stored = through_hdf5(first, deck);
            LSIM_CHECK(stored != NULL && strcmp(stored, first) == 0, "deck %llu: the HDF5 attribute holds the deck "
                       "byte for byte", (unsigned long long)deck);
            lsim_params *from_file = registry();
            status = stored ? lsim_deck_load_string(from_file, stored, strlen(stored), "deck-attribute") : LSIM_ERR_RUN;
            LSIM_CHECK(status == LSIM_OK, "deck %llu: the stored deck does not load: %s", (unsigned long long)deck,
                       lsim_last_error());
            differs = first_difference(original, from_file);
            LSIM_CHECK(differs < 0, "deck %llu: %s.%s reloads from the HDF5 attribute to another value",
                       (unsigned long long)deck, differs < 0 ? "" : lsim_params_def(original, (size_t)differs)->section,
                       differs < 0 ? "" : lsim_params_def(original, (size_t)differs)->key);
            lsim_params_free(from_file);
            free(stored);
            ++hdf5_checked;
        }
        for (size_t i = 0; i < lsim_params_count(original); ++i)
            texts += lsim_params_def(original, i)->type == LSIM_PARAM_TEXT;
        if (lsim_test_failures != failures_before) {
            ++failed_decks; /* a few decks say enough; the first one is printed */
            if (failed_decks == 1) fprintf(stderr, "--- first deck that failed ---\n%s--- reloaded ---\n%s", first,
                                           second);
        }
        free(first);
        free(second);
    }
    lsim_params_free(reloaded);
    lsim_params_free(original);
    lsim_params_free(defaults);
    printf("%d decks, %zu random text values, %zu through HDF5, %.2f s CPU\n", DECK_COUNT, texts, hdf5_checked,
           (double)(clock() - start) / CLOCKS_PER_SEC);
    LSIM_TEST_MAIN_END();
}
