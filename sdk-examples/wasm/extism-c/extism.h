/*
 * extism.h: the Extism PDK calls an Extism plugin makes, written against the raw host functions of
 * extism:host/env (what the official PDKs wrap). Such a plugin runs unchanged under Extism's own
 * runtimes and under DataFlare (one call per record; see wasm-host/ABI.md, "Extism plugins").
 */
#ifndef EXTISM_H
#define EXTISM_H

typedef unsigned char u8;
typedef unsigned long long u64;
typedef __SIZE_TYPE__ size_t;

#define EXTISM_EXPORT(name) __attribute__((export_name(name)))
#define EXTISM_IMPORT(name) __attribute__((import_module("extism:host/env"), import_name(name)))

EXTISM_IMPORT("input_length") u64 extism_input_length(void);
EXTISM_IMPORT("input_load_u8") u8 extism_input_load_u8(u64 offset);
EXTISM_IMPORT("alloc") u64 extism_alloc(u64 len);
EXTISM_IMPORT("length") u64 extism_length(u64 offset);
EXTISM_IMPORT("load_u8") u8 extism_load_u8(u64 offset);
EXTISM_IMPORT("store_u8") void extism_store_u8(u64 offset, u8 value);
EXTISM_IMPORT("store_u64") void extism_store_u64(u64 offset, u64 value);
EXTISM_IMPORT("load_u64") u64 extism_load_u64(u64 offset);
EXTISM_IMPORT("input_load_u64") u64 extism_input_load_u64(u64 offset);
EXTISM_IMPORT("output_set") void extism_output_set(u64 offset, u64 len);
EXTISM_IMPORT("error_set") void extism_error_set(u64 offset);
EXTISM_IMPORT("config_get") u64 extism_config_get(u64 key_offset);

void *memcpy(void *d, const void *s, size_t n) { __builtin_memcpy(d, s, n); return d; }
void *memset(void *d, int c, size_t n) { __builtin_memset(d, c, n); return d; }

/* Copies data into a new block of Extism memory, eight bytes per host call; returns its offset. */
static u64 extism_store(const u8 *data, u64 len) {
    u64 off = extism_alloc(len), i = 0;
    for (; i + 8 <= len; i += 8) { u64 w; __builtin_memcpy(&w, data + i, 8); extism_store_u64(off + i, w); }
    for (; i < len; i++) extism_store_u8(off + i, data[i]);
    return off;
}
/* Reads the call's input into buf (up to cap bytes), eight bytes per host call; returns its length. */
static u64 extism_input(u8 *buf, u64 cap) {
    u64 n = extism_input_length(), i = 0;
    u64 m = n < cap ? n : cap;
    for (; i + 8 <= m; i += 8) { u64 w = extism_input_load_u64(i); __builtin_memcpy(buf + i, &w, 8); }
    for (; i < m; i++) buf[i] = extism_input_load_u8(i);
    return n;
}
/* Sets the call's output. */
static void extism_output(const u8 *data, u64 len) { extism_output_set(extism_store(data, len), len); }
/* Reads config value `key` into buf; returns its length, or -1 when not set. */
static long long extism_config(const char *key, u8 *buf, u64 cap) {
    u64 klen = 0;
    while (key[klen]) klen++;
    u64 v = extism_config_get(extism_store((const u8 *) key, klen));
    if (v == 0) return -1;
    u64 n = extism_length(v), i = 0;
    u64 m = n < cap ? n : cap;
    for (; i + 8 <= m; i += 8) { u64 w = extism_load_u64(v + i); __builtin_memcpy(buf + i, &w, 8); }
    for (; i < m; i++) buf[i] = extism_load_u8(v + i);
    return (long long) n;
}
/* Sets the error message and returns 1, the failure code. */
static int extism_error(const char *msg) {
    u64 n = 0;
    while (msg[n]) n++;
    extism_error_set(extism_store((const u8 *) msg, n));
    return 1;
}
#endif
