/* The checkpoint container: round trip, and refusal of truncated, corrupted,
 * foreign and mismatched files with a clear message. */
#include <stdint.h>
#include <unistd.h>

#include "lsim_test.h"
#include "state.h"

typedef struct {
    size_t n;
    double x[5];
    int64_t k[3];
    int32_t flags[2];
    uint8_t bytes[4];
} sample_state;

static lsim_status visit(sample_state *m, lsim_state *s)
{
    lsim_status st = lsim_state_size(s, "sample.n", &m->n);
    if (st == LSIM_OK) st = lsim_state_f64(s, "sample.x", m->x, m->n);
    if (st == LSIM_OK) st = lsim_state_i64(s, "sample.k", m->k, 3);
    if (st == LSIM_OK) st = lsim_state_i32(s, "sample.flags", m->flags, 2);
    if (st == LSIM_OK) st = lsim_state_u8(s, "sample.bytes", m->bytes, 4);
    return st;
}

int main(void)
{
    const char *path = "state_test.ckpt";
    sample_state a = {5, {1.0, -0.0, 1e-300, 3.141592653589793, NAN}, {1, -2, INT64_MAX}, {7, -7}, {0, 1, 254, 255}};
    lsim_state *saver = lsim_state_new_saver();
    LSIM_CHECK(visit(&a, saver) == LSIM_OK, "%s", lsim_last_error());
    lsim_state_header h = {0, "0.1.0", 0x1234abcdULL, 4242, 17};
    LSIM_CHECK(lsim_state_write_file(saver, path, &h) == LSIM_OK, "%s", lsim_last_error());
    lsim_state_free(saver);

    lsim_state *loader = NULL;
    lsim_state_header got;
    LSIM_CHECK(lsim_state_read_file(&loader, path, &got) == LSIM_OK, "%s", lsim_last_error());
    sample_state b;
    memset(&b, 0, sizeof b);
    LSIM_CHECK(loader && visit(&b, loader) == LSIM_OK, "%s", lsim_last_error());
    /* Member by member: the struct's tail padding is not part of the state
     * (at -O1 the initialiser leaves it unspecified). */
    LSIM_CHECK(a.n == b.n && memcmp(a.x, b.x, sizeof a.x) == 0 && memcmp(a.k, b.k, sizeof a.k) == 0 &&
                   memcmp(a.flags, b.flags, sizeof a.flags) == 0 && memcmp(a.bytes, b.bytes, sizeof a.bytes) == 0,
               "round trip is bitwise (NaN and -0 included)");
    LSIM_CHECK(got.deck_hash == h.deck_hash && got.step == 4242 && got.output_rows == 17, "header round trip");
    LSIM_CHECK(got.format_version == LSIM_STATE_FORMAT_VERSION, "format version recorded");
    /* A loader asked for an entry with another length refuses. */
    double wrong[4];
    LSIM_CHECK(lsim_state_f64(loader, "sample.x", wrong, 4) == LSIM_ERR_INPUT, "length mismatch refused");
    LSIM_CHECK(strstr(lsim_last_error(), "sample.x") != NULL, "message names the entry: %s", lsim_last_error());
    LSIM_CHECK(lsim_state_f64(loader, "sample.missing", wrong, 1) == LSIM_ERR_INPUT, "missing entry refused");
    lsim_state_free(loader);

    /* Truncations at every length must be refused, never crash. */
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)size);
    LSIM_CHECK(fread(buf, 1, (size_t)size, f) == (size_t)size, "read back");
    fclose(f);
    int refused = 0;
    for (long cut = 0; cut < size; ++cut) {
        FILE *t = fopen("state_cut.ckpt", "wb");
        fwrite(buf, 1, (size_t)cut, t);
        fclose(t);
        lsim_state *l = NULL;
        if (lsim_state_read_file(&l, "state_cut.ckpt", &got) == LSIM_ERR_INPUT) refused++;
        lsim_state_free(l);
    }
    LSIM_CHECK(refused == size, "every truncation refused (%d of %ld)", refused, size);
    /* A flipped bit in the payload fails the checksum. */
    buf[size / 2] ^= 0x10;
    FILE *t = fopen("state_flip.ckpt", "wb");
    fwrite(buf, 1, (size_t)size, t);
    fclose(t);
    lsim_state *l = NULL;
    LSIM_CHECK(lsim_state_read_file(&l, "state_flip.ckpt", &got) == LSIM_ERR_INPUT, "corruption refused");
    lsim_state_free(l);
    /* Not a checkpoint at all. */
    t = fopen("state_foreign.ckpt", "wb");
    fputs("power:\n  site: polar\n", t);
    fclose(t);
    LSIM_CHECK(lsim_state_read_file(&l, "state_foreign.ckpt", &got) == LSIM_ERR_INPUT &&
                   strstr(lsim_last_error(), "not a lunarsim checkpoint"),
               "foreign file refused: %s", lsim_last_error());
    LSIM_CHECK(lsim_state_read_file(&l, "no_such.ckpt", &got) == LSIM_ERR_INPUT, "missing file refused");
    free(buf);
    unlink("state_cut.ckpt");
    unlink("state_flip.ckpt");
    unlink("state_foreign.ckpt");
    unlink(path);
    LSIM_TEST_MAIN_END();
}
