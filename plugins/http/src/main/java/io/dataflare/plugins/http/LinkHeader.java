package io.dataflare.plugins.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** The {@code rel="next"} target of RFC 8288 {@code Link} headers. */
final class LinkHeader {
    private LinkHeader() {}

    /** The next page's URL, resolved against {@code base}, or null when no link has {@code rel=next}. */
    static String next(List<String> values, URI base) {
        for (String value : values) {
            int i = 0;
            while (true) {
                int open = value.indexOf('<', i);
                if (open < 0) break;
                int close = value.indexOf('>', open);
                if (close < 0) break;
                String target = value.substring(open + 1, close);
                int nextLink = value.indexOf('<', close);
                String params = value.substring(close + 1, nextLink < 0 ? value.length() : nextLink);
                if (isNext(params)) return resolve(base, target.trim());
                i = close + 1;
            }
        }
        return null;
    }

    /** RFC 3986 resolution; java.net.URI follows RFC 2396, which drops the last path segment for "?query". */
    private static String resolve(URI base, String target) {
        if (target.startsWith("?")) {
            String b = base.toString();
            int cut = b.indexOf('?');
            if (cut < 0) cut = b.indexOf('#');
            return (cut < 0 ? b : b.substring(0, cut)) + target;
        }
        return base.resolve(target).toString();
    }

    private static boolean isNext(String params) {
        for (String p : params.split(";")) {
            String[] kv = p.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("rel")) {
                String rels = kv[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
                for (String rel : rels.split("\\s+")) if (rel.equals("next")) return true;
            }
        }
        return false;
    }
}
