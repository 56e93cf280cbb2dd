/* c-count: a source. Emits records {n, square} for n = 0 .. count-1 (config "count", default 10),
 * at most "max" per poll, then ends. It resumes: its position is the next n, so a pipeline resumed from a
 * checkpoint goes on from there. */
#include "dataflare.h"

static i64 next, count;

static int init(void) {
    count = df_config_long("count", 10);
    return count < 0 ? df_fail(DF_ERROR, "count must not be negative") : DF_OK;
}

static int poll(u32 max, df_out *out) {
    if (next >= count) return DF_END;
    for (u32 i = 0; i < max && next < count; i++, next++) {
        df_out_record(out, -1);
        df_out_long(out, "n", next);
        df_out_long(out, "square", next * next);
    }
    return DF_OK;
}

static i64 position(void) { return next; }
static int seek(i64 n) {
    if (n < 0 || n > count) return df_fail(DF_ERROR, "position out of range");
    next = n;
    return DF_OK;
}

DF_INIT(init)
DF_SOURCE(poll)
DF_RESUME_LONG(position, seek)
