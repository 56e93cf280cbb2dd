/* extism-greet: an Extism plugin. Its "greet" export answers "<greeting>, <input>!" where the
 * greeting comes from the plugin config ("hello" when unset); empty input is an error. */
#include "extism.h"

EXTISM_EXPORT("greet") int greet(void) {
    static u8 in[1024], greeting[64], out[1100];
    u64 n = extism_input(in, sizeof in);
    if (n == 0) return extism_error("nobody to greet");
    if (n > sizeof in) return extism_error("name too long");
    long long g = extism_config("greeting", greeting, sizeof greeting);
    if (g < 0 || g > (long long) sizeof greeting) {
        memcpy(greeting, "hello", 5);
        g = 5;
    }
    u64 o = 0;
    for (long long i = 0; i < g; i++) out[o++] = greeting[i];
    out[o++] = ',';
    out[o++] = ' ';
    for (u64 i = 0; i < n; i++) out[o++] = in[i];
    out[o++] = '!';
    extism_output(out, o);
    return 0;
}
