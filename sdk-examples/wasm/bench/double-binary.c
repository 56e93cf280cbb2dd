/* bench-binary: adds n2 = id * 2 to every record, binary encoding (dataflare.h). */
#include "../c/dataflare.h"

static int run(df_in *in, df_out *out) {
    df_record r;
    df_field id;
    while (df_next_record(in, &r)) {
        df_out_copy_record(out, &r);
        if (df_find(&r, "id", &id) && id.tag == DF_LONG) df_out_long(out, "n2", id.i * 2);
    }
    return DF_OK;
}

DF_PROCESSOR(run)
