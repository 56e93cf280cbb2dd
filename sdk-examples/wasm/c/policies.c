/* c-policies: the three policies in one module (manifest kind: policy).
 * - key router: shard = FNV-1a of the key's JSON text, modulo the instances (the same key, the same shard);
 * - retry: timeouts and I/O errors are retried after 10 ms x attempts, up to 3 attempts; others give up;
 * - errors: invalid records are skipped, anything else goes to the dead-letter sink. */
#include "dataflare.h"

static i32 shard(const u8 *key, u32 len, u32 instances) { return (i32) (df_fnv1a(key, len) % instances); }

static i32 retry(const df_failure *f) {
    if (f->attempts >= 3) return DF_GIVE_UP;
    if (df_class_is(f, "timeout") || df_class_is(f, "io")) return (i32) (10 * f->attempts);
    return DF_GIVE_UP;
}

static i32 route(const df_failure *f) { return df_class_is(f, "invalid_record") ? DF_SKIP : DF_DEAD_LETTER; }

DF_ROUTE(shard)
DF_RETRY(retry)
DF_ERROR_ROUTE(route)
