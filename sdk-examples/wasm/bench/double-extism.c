/* bench-extism: the same transform as an Extism plugin, one record per call. */
#include "jsonscan.h"
#include "../extism-c/extism.h"

static u8 in[1 << 16], out[1 << 17];

EXTISM_EXPORT("double") int run(void) {
    u64 n = extism_input(in, sizeof in);
    if (n > sizeof in) return extism_error("record too large");
    u32 i = 0;
    u32 k = copy_object(in, (u32) n, &i, out);
    extism_output(out, k);
    return 0;
}
