/* A scan of one JSON object's text that copies it and adds "n2": id * 2 before its closing brace:
 * what a minimal JSON-mode module does (no parser, no allocation). Returns the bytes written. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef long long i64;

static u32 put_i64(u8 *o, i64 v) {
    u8 d[24];
    u32 n = 0, k = 0;
    int neg = v < 0;
    if (neg) v = -v;
    do { d[n++] = (u8) ('0' + v % 10); v /= 10; } while (v);
    if (neg) o[k++] = '-';
    while (n) o[k++] = d[--n];
    return k;
}

/* Copies s[*i..] (at an object's '{') to o, adding the field; advances *i past the object. */
static u32 copy_object(const u8 *s, u32 len, u32 *i, u8 *o) {
    u32 k = 0, depth = 0;
    int in_str = 0, key_id = 0;
    i64 id = 0;
    for (; *i < len; (*i)++) {
        u8 c = s[*i];
        if (in_str) {
            o[k++] = c;
            if (c == '\\') { o[k++] = s[++*i]; continue; }
            if (c == '"') in_str = 0;
            continue;
        }
        if (c == '"') {
            /* a key at depth 1 named "id"? */
            if (depth == 1 && *i + 5 < len && s[*i + 1] == 'i' && s[*i + 2] == 'd' && s[*i + 3] == '"' && s[*i + 4] == ':') key_id = 1;
            in_str = 1;
            o[k++] = c;
            continue;
        }
        if (key_id && c >= '0' && c <= '9') {
            id = 0;
            while (*i < len && s[*i] >= '0' && s[*i] <= '9') { id = id * 10 + (s[*i] - '0'); o[k++] = s[(*i)++]; }
            (*i)--;
            key_id = 0;
            continue;
        }
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') {
            if (--depth == 0) {
                const char *f = ",\"n2\":";
                while (*f) o[k++] = (u8) *f++;
                k += put_i64(o + k, id * 2);
                o[k++] = '}';
                (*i)++;
                return k;
            }
        }
        o[k++] = c;
    }
    return k;
}
