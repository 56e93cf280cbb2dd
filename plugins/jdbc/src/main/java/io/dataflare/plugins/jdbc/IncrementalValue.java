package io.dataflare.plugins.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * A value of the incremental column in the form a checkpoint stores (JSON: a kind and a string) and binds
 * back exactly: a timestamp keeps its microseconds, a decimal every digit, SQLite text its characters.
 *
 * @param kind {@code long}, {@code double}, {@code decimal}, {@code string}, {@code timestamptz} or
 *             {@code timestamp}
 * @param text the value
 */
record IncrementalValue(String kind, String text) {
    /** Reads the incremental column {@code c} of the current row; null for SQL NULL. */
    static IncrementalValue read(ResultSet rs, int c, String pgTypeName) throws SQLException {
        String t = pgTypeName == null ? "" : pgTypeName.toLowerCase(Locale.ROOT);
        if (t.equals("timestamptz")) {
            OffsetDateTime v = rs.getObject(c, OffsetDateTime.class);
            return v == null ? null : new IncrementalValue("timestamptz", v.toString());
        }
        if (t.equals("timestamp")) {
            LocalDateTime v = rs.getObject(c, LocalDateTime.class);
            return v == null ? null : new IncrementalValue("timestamp", v.toString());
        }
        Object v = rs.getObject(c);
        if (v == null) return null;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
            return new IncrementalValue("long", v.toString());
        if (v instanceof BigDecimal d) return new IncrementalValue("decimal", d.toString());
        if (v instanceof Double || v instanceof Float) return new IncrementalValue("double", v.toString());
        return new IncrementalValue("string", rs.getString(c));
    }

    void bind(PreparedStatement s, int i) throws SQLException {
        switch (kind) {
            case "long" -> s.setLong(i, Long.parseLong(text));
            case "decimal" -> s.setBigDecimal(i, new BigDecimal(text));
            case "double" -> s.setDouble(i, Double.parseDouble(text));
            case "timestamptz" -> s.setObject(i, OffsetDateTime.parse(text));
            case "timestamp" -> s.setObject(i, LocalDateTime.parse(text));
            default -> s.setString(i, text);
        }
    }
}
