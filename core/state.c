#define _POSIX_C_SOURCE 200809L /* fileno, fsync */
#include "hash.h"
#include "state.h"

#include "fault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { LSIM_STATE_F64 = 1, LSIM_STATE_I64 = 2, LSIM_STATE_I32 = 3, LSIM_STATE_U8 = 4, LSIM_STATE_SIZE = 5 };

typedef struct {
    char *name;
    uint32_t type;
    uint64_t count;
    unsigned char *bytes;
} lsim_state_entry;

struct lsim_state {
    int loading;
    lsim_state_entry *entries;
    size_t count, capacity;
};

static const char lsim_state_magic[8] = {'L', 'S', 'I', 'M', 'C', 'K', 'P', 'T'};

static size_t lsim_state_type_size(uint32_t type)
{
    switch (type) {
    case LSIM_STATE_F64:
    case LSIM_STATE_I64:
    case LSIM_STATE_SIZE: return 8;
    case LSIM_STATE_I32: return 4;
    case LSIM_STATE_U8: return 1;
    default: return 0;
    }
}

static const char *lsim_state_type_name(uint32_t type)
{
    static const char *const names[] = {"?", "f64", "i64", "i32", "u8", "size"};
    return type < 6 ? names[type] : "?";
}

lsim_state *lsim_state_new_saver(void) { return calloc(1, sizeof(lsim_state)); }

void lsim_state_free(lsim_state *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->count; ++i) {
        free(s->entries[i].name);
        free(s->entries[i].bytes);
    }
    free(s->entries);
    free(s);
}

int lsim_state_is_loading(const lsim_state *s) { return s->loading; }

static lsim_state_entry *lsim_state_find(const lsim_state *s, const char *name)
{
    for (size_t i = 0; i < s->count; ++i)
        if (strcmp(s->entries[i].name, name) == 0) return &s->entries[i];
    return NULL;
}

static lsim_status lsim_state_visit(lsim_state *s, const char *name, uint32_t type, void *values, size_t count)
{
    size_t bytes = count * lsim_state_type_size(type);
    if (s->loading) {
        lsim_state_entry *e = lsim_state_find(s, name);
        if (!e) return lsim_fail(LSIM_ERR_INPUT, "checkpoint lacks '%s' (written by another model version?)", name);
        if (e->type != type || e->count != count)
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry '%s' is %llu x %s, expected %zu x %s", name,
                             (unsigned long long)e->count, lsim_state_type_name(e->type), count,
                             lsim_state_type_name(type));
        if (bytes) memcpy(values, e->bytes, bytes);
        return LSIM_OK;
    }
    if (lsim_state_find(s, name)) return lsim_fail(LSIM_ERR_RUN, "checkpoint entry '%s' saved twice", name);
    if (s->count == s->capacity) {
        size_t next = s->capacity ? 2 * s->capacity : 64;
        lsim_state_entry *grown = realloc(s->entries, next * sizeof *grown);
        if (!grown) return lsim_fail(LSIM_ERR_RUN, "out of memory writing checkpoint");
        s->entries = grown;
        s->capacity = next;
    }
    lsim_state_entry *e = &s->entries[s->count];
    e->name = malloc(strlen(name) + 1);
    e->bytes = malloc(bytes ? bytes : 1);
    if (!e->name || !e->bytes) {
        free(e->name);
        free(e->bytes);
        return lsim_fail(LSIM_ERR_RUN, "out of memory writing checkpoint");
    }
    strcpy(e->name, name);
    e->type = type;
    e->count = count;
    if (bytes) memcpy(e->bytes, values, bytes);
    s->count++;
    return LSIM_OK;
}

lsim_status lsim_state_f64(lsim_state *s, const char *name, double *v, size_t n)
{
    return lsim_state_visit(s, name, LSIM_STATE_F64, v, n);
}
lsim_status lsim_state_i64(lsim_state *s, const char *name, int64_t *v, size_t n)
{
    return lsim_state_visit(s, name, LSIM_STATE_I64, v, n);
}
lsim_status lsim_state_i32(lsim_state *s, const char *name, int32_t *v, size_t n)
{
    return lsim_state_visit(s, name, LSIM_STATE_I32, v, n);
}
lsim_status lsim_state_u8(lsim_state *s, const char *name, uint8_t *v, size_t n)
{
    return lsim_state_visit(s, name, LSIM_STATE_U8, v, n);
}
lsim_status lsim_state_size(lsim_state *s, const char *name, size_t *count)
{
    uint64_t value = (uint64_t)*count;
    lsim_status st = lsim_state_visit(s, name, LSIM_STATE_SIZE, &value, 1);
    if (st == LSIM_OK) *count = (size_t)value;
    return st;
}


typedef struct {
    FILE *f;
    uint64_t hash;
    int ok;
} lsim_state_writer;

static void lsim_put(lsim_state_writer *w, const void *data, size_t n)
{
    if (!w->ok) return;
    if (n && fwrite(data, 1, n, w->f) != n) w->ok = 0;
    w->hash = lsim_fnv1a64(w->hash, data, n);
}

lsim_status lsim_state_write_file(const lsim_state *s, const char *path, const lsim_state_header *header)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 5);
    if (!tmp) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", 5);
    lsim_state_writer w = {fopen(tmp, "wb"), LSIM_FNV1A64_OFFSET, 1};
    if (!w.f) {
        lsim_status st = lsim_fail(LSIM_ERR_RUN, "cannot write checkpoint '%s': %s", tmp, strerror(errno));
        free(tmp);
        return st;
    }
    lsim_state_header h = *header;
    h.format_version = LSIM_STATE_FORMAT_VERSION;
    uint64_t count = s->count;
    lsim_put(&w, lsim_state_magic, sizeof lsim_state_magic);
    lsim_put(&w, &h.format_version, sizeof h.format_version);
    lsim_put(&w, h.code_version, sizeof h.code_version);
    lsim_put(&w, &h.deck_hash, sizeof h.deck_hash);
    lsim_put(&w, &h.step, sizeof h.step);
    lsim_put(&w, &h.output_rows, sizeof h.output_rows);
    lsim_put(&w, &count, sizeof count);
    for (size_t i = 0; i < s->count; ++i) {
        const lsim_state_entry *e = &s->entries[i];
        uint32_t name_len = (uint32_t)strlen(e->name);
        lsim_put(&w, &name_len, sizeof name_len);
        lsim_put(&w, e->name, name_len);
        lsim_put(&w, &e->type, sizeof e->type);
        lsim_put(&w, &e->count, sizeof e->count);
        lsim_put(&w, e->bytes, e->count * lsim_state_type_size(e->type));
    }
    uint64_t checksum = w.hash;
    if (w.ok && fwrite(&checksum, sizeof checksum, 1, w.f) != 1) w.ok = 0;
    if (w.ok && fflush(w.f) != 0) w.ok = 0;
    if (w.ok && fsync(fileno(w.f)) != 0) w.ok = 0;
    if (fclose(w.f) != 0) w.ok = 0;
    if (w.ok) lsim_fault_point("checkpoint_after_tmp");
    if (!w.ok || rename(tmp, path) != 0) {
        lsim_status st = lsim_fail(LSIM_ERR_RUN, "cannot write checkpoint '%s': %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    lsim_fault_point("checkpoint_after_rename");
    return LSIM_OK;
}

typedef struct {
    const unsigned char *data;
    size_t size, pos;
    uint64_t hash;
} lsim_state_reader;

static int lsim_get(lsim_state_reader *r, void *out, size_t n)
{
    if (n > r->size - r->pos) return 0;
    memcpy(out, r->data + r->pos, n);
    r->hash = lsim_fnv1a64(r->hash, r->data + r->pos, n);
    r->pos += n;
    return 1;
}

lsim_status lsim_state_read_file(lsim_state **loader, const char *path, lsim_state_header *header)
{
    *loader = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return lsim_fail(LSIM_ERR_INPUT, "cannot open checkpoint '%s': %s", path, strerror(errno));
    unsigned char *data = NULL;
    size_t size = 0, capacity = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 1 << 16;
            unsigned char *grown = realloc(data, capacity);
            if (!grown) {
                free(data);
                fclose(f);
                return lsim_fail(LSIM_ERR_RUN, "out of memory reading checkpoint '%s'", path);
            }
            data = grown;
        }
        size_t got = fread(data + size, 1, capacity - size, f);
        size += got;
        if (got == 0) break;
    }
    fclose(f);

    lsim_state_reader r = {data, size, 0, LSIM_FNV1A64_OFFSET};
    char magic[8];
    lsim_state *s = calloc(1, sizeof *s);
    lsim_status st = LSIM_OK;
    memset(header, 0, sizeof *header);
    if (!s) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    else if (!lsim_get(&r, magic, sizeof magic) || memcmp(magic, lsim_state_magic, sizeof magic) != 0)
        st = lsim_fail(LSIM_ERR_INPUT, "'%s' is not a lunarsim checkpoint", path);
    else if (!lsim_get(&r, &header->format_version, sizeof header->format_version))
        st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated", path);
    else if (header->format_version != LSIM_STATE_FORMAT_VERSION)
        st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' has format version %u; this lunarsim reads version %d", path,
                       header->format_version, LSIM_STATE_FORMAT_VERSION);
    uint64_t count = 0;
    if (st == LSIM_OK &&
        !(lsim_get(&r, header->code_version, sizeof header->code_version) &&
          lsim_get(&r, &header->deck_hash, sizeof header->deck_hash) && lsim_get(&r, &header->step, sizeof header->step) &&
          lsim_get(&r, &header->output_rows, sizeof header->output_rows) && lsim_get(&r, &count, sizeof count)))
        st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated", path);
    header->code_version[sizeof header->code_version - 1] = '\0';
    for (uint64_t i = 0; st == LSIM_OK && i < count; ++i) {
        uint32_t name_len = 0;
        lsim_state_entry e = {NULL, 0, 0, NULL};
        if (!lsim_get(&r, &name_len, sizeof name_len) || name_len > 4096) {
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated or corrupt", path);
            break;
        }
        e.name = calloc(name_len + 1, 1);
        if (!e.name || !lsim_get(&r, e.name, name_len) || !lsim_get(&r, &e.type, sizeof e.type) ||
            !lsim_get(&r, &e.count, sizeof e.count) || lsim_state_type_size(e.type) == 0 ||
            e.count > (r.size - r.pos) / lsim_state_type_size(e.type)) {
            free(e.name);
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated or corrupt", path);
            break;
        }
        size_t bytes = e.count * lsim_state_type_size(e.type);
        e.bytes = malloc(bytes ? bytes : 1);
        if (!e.bytes || !lsim_get(&r, e.bytes, bytes)) {
            free(e.name);
            free(e.bytes);
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated", path);
            break;
        }
        if (s->count == s->capacity) {
            size_t next = s->capacity ? 2 * s->capacity : 64;
            lsim_state_entry *grown = realloc(s->entries, next * sizeof *grown);
            if (!grown) {
                free(e.name);
                free(e.bytes);
                st = lsim_fail(LSIM_ERR_RUN, "out of memory");
                break;
            }
            s->entries = grown;
            s->capacity = next;
        }
        s->entries[s->count++] = e;
    }
    if (st == LSIM_OK) {
        uint64_t expected = r.hash, stored = 0;
        if (!lsim_get(&r, &stored, sizeof stored))
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' is truncated", path);
        else if (stored != expected)
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' fails its checksum (corrupted)", path);
        else if (r.pos != r.size)
            st = lsim_fail(LSIM_ERR_INPUT, "checkpoint '%s' has trailing bytes (corrupted)", path);
    }
    free(data);
    if (st != LSIM_OK) {
        lsim_state_free(s);
        return st;
    }
    s->loading = 1;
    *loader = s;
    return LSIM_OK;
}
