/*
 * dataflare.h: the DataFlare WASM ABI for C (clang --target=wasm32 -nostdlib), header only.
 * See wasm-host/ABI.md. Write a function over the input batch and the output builder, then
 * register it:
 *
 *   static int tag(df_in *in, df_out *out) { ... return DF_OK; }
 *   DF_PROCESSOR(tag)
 *
 * Batches use the binary encoding (df_encoding() = 1). Memory: a bump arena reset at the start of
 * every call; nothing survives a call except your own globals.
 */
#ifndef DATAFLARE_H
#define DATAFLARE_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef long long i64;
typedef __SIZE_TYPE__ size_t;

#define DF_EXPORT(name) __attribute__((export_name(name)))
#define DF_IMPORT(name) __attribute__((import_module("dataflare"), import_name(name)))

/* status codes returned by df_process / df_poll / df_write */
enum { DF_OK = 0, DF_ERROR = 1, DF_INVALID = 2, DF_END = 3 };
/* value tags of the binary encoding */
enum { DF_NULL = 0, DF_FALSE = 1, DF_TRUE = 2, DF_LONG = 3, DF_DOUBLE = 4, DF_STRING = 5, DF_BYTES = 6,
       DF_TIMESTAMP = 7, DF_LIST = 8, DF_MAP = 9 };
/* log levels */
enum { DF_TRACE = 0, DF_DEBUG = 1, DF_INFO = 2, DF_WARN = 3, DF_ERROR_LEVEL = 4 };

DF_IMPORT("output") void df_host_output(const void *ptr, u32 len);
DF_IMPORT("error") void df_host_error(const void *ptr, u32 len);
DF_IMPORT("config") u32 df_host_config(void *ptr, u32 cap);
/* granted by capability "log" */
DF_IMPORT("log") void df_host_log(i32 level, const void *ptr, u32 len);
/* granted by capability "state" */
DF_IMPORT("state_get") i32 df_host_state_get(const void *key, u32 klen, void *buf, u32 cap);
DF_IMPORT("state_set") void df_host_state_set(const void *key, u32 klen, const void *val, u32 vlen);
DF_IMPORT("state_delete") void df_host_state_delete(const void *key, u32 klen);

/* ---- libc bits the compiler may call: one memory.copy / memory.fill instruction each ---- */
#ifndef __wasm_bulk_memory__
#error "build with -mbulk-memory (memcpy and memset become single instructions)"
#endif
void *memcpy(void *d, const void *s, size_t n) { __builtin_memcpy(d, s, n); return d; }
void *memset(void *d, int c, size_t n) { __builtin_memset(d, c, n); return d; }
static u32 df_strlen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static int df_eq(const char *a, u32 alen, const char *b) { u32 i = 0; for (; i < alen; i++) if (a[i] != b[i] || !b[i]) return 0; return b[i] == 0; }

/* ---- arena ---- */
extern u8 __heap_base;
static u8 *df_top;
static void df_arena_reset(void) { df_top = &__heap_base; }
static void *df_arena(u32 n) {
    if (!df_top) df_arena_reset();
    u8 *p = (u8 *) (((size_t) df_top + 7) & ~(size_t) 7);
    size_t end = (size_t) p + n;
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t) -1) __builtin_trap();
    df_top = (u8 *) end;
    return p;
}
DF_EXPORT("df_alloc") void *df_alloc(u32 n) { df_arena_reset(); return df_arena(n); }
DF_EXPORT("df_encoding") i32 df_encoding(void) { return 1; }

static void df_log(i32 level, const char *msg) { df_host_log(level, msg, df_strlen(msg)); }
static int df_fail(int status, const char *msg) { df_host_error(msg, df_strlen(msg)); return status; }
/* The whole number after "key": in the config JSON (a tiny scan, enough for flat configs), or dflt. */
static i64 df_config_long(const char *key, i64 dflt) {
    static char cfg[4096];
    u32 n = df_host_config(cfg, sizeof cfg);
    u32 k = df_strlen(key);
    for (u32 i = 0; n <= sizeof cfg && i + k + 3 < n; i++) {
        if (cfg[i] == '"' && df_eq(cfg + i + 1, k, key) && cfg[i + 1 + k] == '"' && cfg[i + 2 + k] == ':') {
            i64 v = 0;
            int neg = 0, any = 0;
            u32 j = i + 3 + k;
            if (j < n && cfg[j] == '-') { neg = 1; j++; }
            for (; j < n && cfg[j] >= '0' && cfg[j] <= '9'; j++, any = 1) v = v * 10 + (cfg[j] - '0');
            return any ? (neg ? -v : v) : dflt;
        }
    }
    return dflt;
}

/* ---- reading ---- */
typedef struct { const char *ptr; u32 len; } df_str;
typedef struct { const u8 *p, *end; } df_cur;
typedef struct { df_str *names; u32 nnames, nrecords, next; df_cur cur; } df_in; /* cur: the next record */
typedef struct { i32 in; u32 nfields, next; df_cur start, cur; const u8 *end; df_in *batch; } df_record;
typedef struct { u32 name_index; df_str name; u8 tag; i64 i; double d; df_str s; const u8 *raw; u32 raw_len; } df_field;

static u32 df_u32(df_cur *c) {
    if (c->p + 4 > c->end) __builtin_trap();
    u32 v;
    __builtin_memcpy(&v, c->p, 4); /* one unaligned i32.load: wasm is little-endian */
    c->p += 4;
    return v;
}
static i64 df_i64(df_cur *c) { u32 lo = df_u32(c); u32 hi = df_u32(c); return (i64) ((unsigned long long) hi << 32 | lo); }
static df_str df_read_str(df_cur *c) {
    df_str s; s.len = df_u32(c); s.ptr = (const char *) c->p;
    if (c->p + s.len > c->end) __builtin_trap();
    c->p += s.len;
    return s;
}
/* Past a value of `tag` at p. Pointers in and out, never a cursor's address: that keeps the reading loops'
 * cursors in locals instead of linear memory (one load and store per step otherwise). */
static const u8 *df_skip_nested(const u8 *p, const u8 *end, u8 tag);
static inline const u8 *df_skip(const u8 *p, const u8 *end, u8 tag) {
    u32 n;
    switch (tag) {
        case DF_LONG: case DF_DOUBLE: return p + 8;
        case DF_STRING: case DF_BYTES:
            if (p + 4 > end) __builtin_trap();
            __builtin_memcpy(&n, p, 4);
            if (n > (u32) (end - p) - 4) __builtin_trap();
            return p + 4 + n;
        case DF_TIMESTAMP: return p + 12;
        case DF_LIST: case DF_MAP: return df_skip_nested(p, end, tag);
        default: return p;
    }
}
static const u8 *df_skip_nested(const u8 *p, const u8 *end, u8 tag) {
    df_cur c = { p, end };
    u32 n = df_u32(&c);
    p = c.p;
    while (n--) {
        if (tag == DF_MAP) p = df_skip(p, end, DF_STRING);
        if (p >= end) __builtin_trap();
        u8 t = *p++;
        p = df_skip(p, end, t);
    }
    return p;
}
static void df_skip_value(df_cur *c, u8 tag) { c->p = df_skip(c->p, c->end, tag); }
/* Opens an input batch; returns 0 when it is malformed. */
static int df_in_open(df_in *in, const u8 *p, u32 len) {
    in->cur.p = p; in->cur.end = p + len;
    in->nnames = df_u32(&in->cur);
    in->names = df_arena(in->nnames * sizeof(df_str));
    for (u32 i = 0; i < in->nnames; i++) in->names[i] = df_read_str(&in->cur);
    in->nrecords = df_u32(&in->cur);
    in->next = 0;
    return 1;
}
/* Past one encoded record's fields (count n) at p. */
static inline const u8 *df_skip_fields(const u8 *p, const u8 *end, u32 n) {
    for (; n > 0; n--) {
        if (p + 5 > end) __builtin_trap();
        u8 tag = p[4];
        p = df_skip(p + 5, end, tag);
    }
    return p;
}
/* Skips one encoded record. */
static void df_skip_record(df_cur *c) {
    df_u32(c);
    u32 n = df_u32(c);
    c->p = df_skip_fields(c->p, c->end, n);
}
/* The next record of the batch; 0 when there is none. */
static int df_next_record(df_in *in, df_record *r) {
    if (in->next >= in->nrecords) return 0;
    in->next++;
    r->batch = in;
    r->in = (i32) df_u32(&in->cur);
    r->nfields = df_u32(&in->cur);
    r->next = 0;
    r->start = r->cur = in->cur;
    in->cur.p = df_skip_fields(in->cur.p, in->cur.end, r->nfields);
    r->end = in->cur.p;
    return 1;
}
/* The next field of the record; 0 when there is none. */
static int df_next_field(df_record *r, df_field *f) {
    if (r->next >= r->nfields) return 0;
    r->next++;
    f->name_index = df_u32(&r->cur);
    f->name = r->batch->names[f->name_index];
    f->raw = r->cur.p;
    f->tag = *r->cur.p++;
    const u8 *v = r->cur.p;
    r->cur.p = df_skip(v, r->cur.end, f->tag);
    f->raw_len = (u32) (r->cur.p - f->raw);
    df_cur c = { v, r->cur.p };
    if (f->tag == DF_LONG) f->i = df_i64(&c);
    if (f->tag == DF_DOUBLE) { i64 bits = df_i64(&c); __builtin_memcpy(&f->d, &bits, 8); }
    if (f->tag == DF_STRING || f->tag == DF_BYTES) f->s = df_read_str(&c);
    return 1;
}
/* Finds a field by name (from the record's first field); 0 when absent. */
static int df_find(df_record *r, const char *name, df_field *f) {
    df_record copy = *r;
    copy.cur = copy.start; copy.next = 0;
    while (df_next_field(&copy, f)) if (df_eq(f->name.ptr, f->name.len, name)) return 1;
    return 0;
}

/* ---- writing ---- */
typedef struct { u8 *p; u32 len, cap; } df_buf;
typedef struct { df_buf names, recs, rej; u32 nnames, nrecords, nrejected, fields_at, nfields, ref; const char *cached[8]; u32 cached_index[8]; } df_out;

/* Room for n more bytes; returns where they go. */
static u8 *df_reserve(df_buf *b, u32 n) {
    if (b->len + n > b->cap) {
        u32 cap = b->cap * 2 > b->len + n ? b->cap * 2 : b->len + n + 256;
        u8 *p = df_arena(cap);
        if (b->len) memcpy(p, b->p, b->len);
        b->p = p; b->cap = cap;
    }
    u8 *at = b->p + b->len;
    b->len += n;
    return at;
}
static void df_put(df_buf *b, const void *src, u32 n) { memcpy(df_reserve(b, n), src, n); }
static void df_put_u32(df_buf *b, u32 v) { __builtin_memcpy(df_reserve(b, 4), &v, 4); }
static void df_put_i64(df_buf *b, i64 v) { __builtin_memcpy(df_reserve(b, 8), &v, 8); /* little-endian, as wasm */ }
static void df_put_str(df_buf *b, const char *s, u32 n) { u8 *p = df_reserve(b, 4 + n); __builtin_memcpy(p, &n, 4); memcpy(p + 4, s, n); }

/* An output batch that starts with the input's field names (so input fields copy as they are). */
static void df_out_init(df_out *o, df_in *in) {
    memset(o, 0, sizeof *o);
    for (u32 i = 0; in && i < in->nnames; i++) df_put_str(&o->names, in->names[i].ptr, in->names[i].len);
    o->nnames = in ? in->nnames : 0;
}
/* The index of a field name in the output, adding it if new. */
static u32 df_out_name_slow(df_out *o, const char *name) {
    df_cur c = { o->names.p, o->names.p + o->names.len };
    for (u32 i = 0; i < o->nnames; i++) { df_str s = df_read_str(&c); if (df_eq(s.ptr, s.len, name)) return i; }
    df_put_str(&o->names, name, df_strlen(name));
    return o->nnames++;
}
static u32 df_out_name(df_out *o, const char *name) {
    /* names are usually string literals: remember the last few by address */
    u32 slot = (u32) (size_t) name / 4 % 8;
    if (o->cached[slot] == name) return o->cached_index[slot];
    u32 i = df_out_name_slow(o, name);
    o->cached[slot] = name;
    o->cached_index[slot] = i;
    return i;
}
static void df_out_patch_fields(df_out *o) {
    u32 n = o->nfields | o->ref;
    if (o->nrecords > 0) __builtin_memcpy(o->recs.p + o->fields_at, &n, 4);
}
/* Starts an output record; in = the input record it comes from (-1 for a new one). */
static void df_out_record(df_out *o, i32 in) {
    df_out_patch_fields(o);
    u8 *p = df_reserve(&o->recs, 8);
    __builtin_memcpy(p, &in, 4);
    __builtin_memset(p + 4, 0, 4);
    o->fields_at = o->recs.len - 4;
    o->nfields = 0;
    o->ref = 0;
    o->nrecords++;
}
static void df_out_field(df_out *o, u32 name, u8 tag) { u8 *p = df_reserve(&o->recs, 5); __builtin_memcpy(p, &name, 4); p[4] = tag; o->nfields++; }
/* Copies an input field as it is. */
static void df_out_copy(df_out *o, const df_field *f) {
    u8 *p = df_reserve(&o->recs, 4 + f->raw_len);
    __builtin_memcpy(p, &f->name_index, 4); memcpy(p + 4, f->raw, f->raw_len);
    o->nfields++;
}
/* A field of 8 value bytes (a long, a double's bits): name index, tag and value with one reservation (each one
 * costs loads and stores of the buffer's header in linear memory). */
static void df_out_field8(df_out *o, const char *name, u8 tag, const void *value) {
    u32 index = df_out_name(o, name);
    u8 *p = df_reserve(&o->recs, 13);
    __builtin_memcpy(p, &index, 4); p[4] = tag; __builtin_memcpy(p + 5, value, 8);
    o->nfields++;
}
static void df_out_long(df_out *o, const char *name, i64 v) { df_out_field8(o, name, DF_LONG, &v); }
static void df_out_double(df_out *o, const char *name, double v) { df_out_field8(o, name, DF_DOUBLE, &v); }
static void df_out_bool(df_out *o, const char *name, int v) { df_out_field(o, df_out_name(o, name), v ? DF_TRUE : DF_FALSE); }
static void df_out_null(df_out *o, const char *name) { df_out_field(o, df_out_name(o, name), DF_NULL); }
static void df_out_string(df_out *o, const char *name, const char *s, u32 n) {
    u32 index = df_out_name(o, name);
    u8 *p = df_reserve(&o->recs, 9 + n);
    __builtin_memcpy(p, &index, 4); p[4] = DF_STRING; __builtin_memcpy(p + 5, &n, 4); memcpy(p + 9, s, n);
    o->nfields++;
}
/* Copies a whole input record, then lets you add fields: sent as a reference to the input record (its fields
 * unchanged, then the ones added), so none of its bytes are copied or cross back to the host. */
static void df_out_copy_record(df_out *o, df_record *r) {
    df_out_record(o, r->in);
    o->ref = 0x80000000u;
}
/* Rejects an input record (it goes to the pipeline's error policy with this reason). */
static void df_out_reject(df_out *o, i32 in, const char *reason) { df_put_u32(&o->rej, (u32) in); df_put_str(&o->rej, reason, df_strlen(reason)); o->nrejected++; }
/* Hands the output batch to the host. */
static void df_out_finish(df_out *o) {
    df_out_patch_fields(o);
    df_buf all = { 0, 0, 0 };
    df_put_u32(&all, o->nnames); df_put(&all, o->names.p, o->names.len);
    df_put_u32(&all, o->nrecords); df_put(&all, o->recs.p, o->recs.len);
    df_put_u32(&all, o->nrejected); df_put(&all, o->rej.p, o->rej.len);
    df_host_output(all.p, all.len);
}

/* Registers fn(df_in *in, df_out *out) as the processor. */
#define DF_PROCESSOR(fn) \
    DF_EXPORT("df_process") i32 df_process(const u8 *p, u32 len) { \
        df_in in; df_out out; df_in_open(&in, p, len); df_out_init(&out, &in); \
        int status = fn(&in, &out); if (status == DF_OK) df_out_finish(&out); return status; }
/* Registers fn(u32 max, df_out *out) as the source (return DF_END when done). */
#define DF_SOURCE(fn) \
    DF_EXPORT("df_poll") i32 df_poll(u32 max) { \
        df_out out; df_arena_reset(); df_out_init(&out, 0); \
        int status = fn(max, &out); if (status == DF_OK) df_out_finish(&out); return status; }
/* Registers fn(df_in *in, df_out *out) as the sink (out: only its rejections matter). */
#define DF_SINK(fn) \
    DF_EXPORT("df_write") i32 df_write(const u8 *p, u32 len) { \
        df_in in; df_out out; df_in_open(&in, p, len); df_out_init(&out, &in); \
        int status = fn(&in, &out); if (status == DF_OK && out.nrejected > 0) df_out_finish(&out); return status; }
/* Registers fn(void) to run once per instance, after instantiation (read the config there). */
#define DF_INIT(fn) DF_EXPORT("df_init") i32 df_init(void) { return fn(); }

/* ---- resumable sources: the position is a number, kept in the checkpoint as its decimal text ---- */
static u32 df_ltoa(i64 v, char *b) {
    char t[24]; u32 n = 0, k = 0; unsigned long long u = v < 0 ? 0ULL - (unsigned long long) v : (unsigned long long) v;
    do { t[n++] = (char) ('0' + u % 10); u /= 10; } while (u);
    if (v < 0) b[k++] = '-';
    while (n) b[k++] = t[--n];
    return k;
}
/* Reads the first integer in [p, p+len) (a JSON number, or digits inside text); 0 when there is none. */
static int df_atol(const u8 *p, u32 len, i64 *v) {
    u32 i = 0; int neg = 0, any = 0; i64 r = 0;
    while (i < len && !(p[i] >= '0' && p[i] <= '9') && p[i] != '-') i++;
    if (i < len && p[i] == '-') { neg = 1; i++; }
    for (; i < len && p[i] >= '0' && p[i] <= '9'; i++) { r = r * 10 + (p[i] - '0'); any = 1; }
    *v = neg ? -r : r;
    return any;
}
/* Registers get(void) -> i64 (the position after the last batch) and set(i64) -> status (move there). */
#define DF_RESUME_LONG(get, set) \
    DF_EXPORT("df_position") i32 df_position(void) { char b[24]; df_host_output(b, df_ltoa(get(), b)); return DF_OK; } \
    DF_EXPORT("df_seek") i32 df_seek(const u8 *p, u32 len) { \
        i64 v; if (!df_atol(p, len, &v)) return df_fail(DF_ERROR, "the position is not a number"); return set(v); }

/* ---- policies (manifest kind: policy): a failure arrives as JSON, the result is the decision ---- */
enum { DF_GIVE_UP = -1 };                                  /* df_retry: or a delay in ms (>= 0) */
enum { DF_SKIP = 0, DF_DEAD_LETTER = 1, DF_ABORT = 2 };    /* df_error_route */
typedef struct { df_str error_class, message, stage, plugin; i64 attempts; } df_failure;
/* The string value of "name" in a flat JSON object (escapes are left as they are). */
static df_str df_json_str(const u8 *p, u32 len, const char *name) {
    df_str s = { 0, 0 }; u32 n = df_strlen(name);
    for (u32 i = 0; i + n + 4 <= len; i++) {
        if (p[i] != '"' || !df_eq((const char *) p + i + 1, n, name) || p[i + n + 1] != '"' || p[i + n + 2] != ':') continue;
        u32 j = i + n + 3;
        if (j >= len || p[j] != '"') return s;
        s.ptr = (const char *) p + j + 1;
        for (j++; j < len && !(p[j] == '"' && p[j - 1] != '\\'); j++) s.len++;
        return s;
    }
    return s;
}
static void df_failure_read(df_failure *f, const u8 *p, u32 len) {
    f->error_class = df_json_str(p, len, "error_class"); f->message = df_json_str(p, len, "message");
    f->stage = df_json_str(p, len, "stage"); f->plugin = df_json_str(p, len, "plugin");
    f->attempts = 0;
    for (u32 i = 0; i + 11 <= len; i++)
        if (df_eq((const char *) p + i, 11, "\"attempts\":")) { df_atol(p + i + 11, len - i - 11, &f->attempts); break; }
}
static int df_class_is(const df_failure *f, const char *cls) { return df_eq(f->error_class.ptr, f->error_class.len, cls); }
/* FNV-1a of bytes (a routing key's JSON text): a hash that is the same on every host and run. */
static u32 df_fnv1a(const u8 *p, u32 len) { u32 h = 2166136261u; for (u32 i = 0; i < len; i++) { h ^= p[i]; h *= 16777619u; } return h; }
/* Registers fn(const df_failure *) -> delay in ms, or DF_GIVE_UP. */
#define DF_RETRY(fn) \
    DF_EXPORT("df_retry") i32 df_retry(const u8 *p, u32 len) { df_failure f; df_failure_read(&f, p, len); return fn(&f); }
/* Registers fn(const df_failure *) -> DF_SKIP, DF_DEAD_LETTER or DF_ABORT. */
#define DF_ERROR_ROUTE(fn) \
    DF_EXPORT("df_error_route") i32 df_error_route(const u8 *p, u32 len) { df_failure f; df_failure_read(&f, p, len); return fn(&f); }
/* Registers fn(key JSON text, len, instances) -> the instance, 0 .. instances-1. */
#define DF_ROUTE(fn) \
    DF_EXPORT("df_route") i32 df_route(const u8 *p, u32 len, u32 instances) { return fn(p, len, instances); }

#endif
