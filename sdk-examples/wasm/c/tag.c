/* c-tag: adds "parity" ("even"/"odd") from "id", drops every id ending in 4 or 9, and rejects
 * records without an "id" so they reach the pipeline's error policy. The suffix of "label" comes
 * from the optional config option "prefix". */
#include "dataflare.h"

static char prefix[64];
static u32 prefix_len;

static int init(void) {
    /* config is the stage's with: as JSON, e.g. {"prefix":"n-"}; a tiny scan is enough here */
    char cfg[256];
    u32 n = df_host_config(cfg, sizeof cfg);
    if (n > sizeof cfg) return df_fail(DF_ERROR, "config too large");
    for (u32 i = 0; i + 10 < n; i++) {
        if (df_eq(cfg + i, 10, "\"prefix\":\"")) {
            for (u32 j = i + 10; j < n && cfg[j] != '"' && prefix_len < sizeof prefix; j++) prefix[prefix_len++] = cfg[j];
        }
    }
    df_log(DF_INFO, "c-tag ready");
    return DF_OK;
}

static int tag(df_in *in, df_out *out) {
    df_record r;
    df_field id;
    while (df_next_record(in, &r)) {
        if (!df_find(&r, "id", &id) || id.tag != DF_LONG) {
            df_out_reject(out, r.in, "no long field 'id'");
            continue;
        }
        if (id.i % 5 == 4) continue;
        df_out_copy_record(out, &r);
        df_out_string(out, "parity", id.i % 2 ? "odd" : "even", id.i % 2 ? 3 : 4);
        char label[96];
        u32 n = 0;
        for (u32 i = 0; i < prefix_len; i++) label[n++] = prefix[i];
        char digits[24];
        u32 d = 0;
        i64 v = id.i < 0 ? -id.i : id.i;
        do { digits[d++] = (char) ('0' + v % 10); v /= 10; } while (v);
        while (d) label[n++] = digits[--d];
        df_out_string(out, "label", label, n);
    }
    return DF_OK;
}

DF_INIT(init)
DF_PROCESSOR(tag)
