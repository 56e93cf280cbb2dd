package io.dataflare.cli.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table: columns as wide as their widest cell; numbers right-aligned. */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) r.add(c == null ? "-" : String.valueOf(c));
        rows.add(r);
        return this;
    }

    void print(PrintWriter out, Style style) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) width[i] = headers.get(i).length();
        for (List<String> r : rows) {
            for (int i = 0; i < width.length && i < r.size(); i++) width[i] = Math.max(width[i], Style.width(r.get(i)));
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < width.length; i++)
            h.append(i == 0 ? "" : "  ").append(pad(headers.get(i), width[i], false));
        out.println(style.header(h.toString().stripTrailing()));
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String c = i < r.size() ? r.get(i) : "";
                line.append(i == 0 ? "" : "  ").append(pad(c, width[i], numeric(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && s.matches("-?[0-9][0-9,.]*(/s)?");
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - Style.width(s)));
        return right ? fill + s : s + fill;
    }
}
