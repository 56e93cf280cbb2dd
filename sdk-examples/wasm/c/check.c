/* c-check: a sink. Accepts records whose "id" is a long not above "max_id" (config, default 1000000)
 * and keeps their count and sum of ids in its per-key state ("count", "sum"); rejects any other record
 * with a reason, so it reaches the pipeline's error policy (dead-letter, skip or abort). */
#include "dataflare.h"

static i64 max_id;

static int init(void) {
    max_id = df_config_long("max_id", 1000000);
    return DF_OK;
}

static i64 state_long(const char *key) {
    i64 v = 0;
    return df_host_state_get(key, df_strlen(key), &v, 8) == 8 ? v : 0;
}

static int check(df_in *in, df_out *out) {
    df_record r;
    df_field id;
    i64 count = state_long("count"), sum = state_long("sum");
    while (df_next_record(in, &r)) {
        if (!df_find(&r, "id", &id) || id.tag != DF_LONG) { df_out_reject(out, r.in, "no long field 'id'"); continue; }
        if (id.i > max_id) { df_out_reject(out, r.in, "id above max_id"); continue; }
        count++;
        sum += id.i;
    }
    df_host_state_set("count", 5, &count, 8);
    df_host_state_set("sum", 3, &sum, 8);
    return DF_OK;
}

DF_INIT(init)
DF_SINK(check)
