package io.dataflare.plugins.jdbc;

import io.dataflare.api.data.FieldType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/** Reads one result column as a record value (see the README's type mapping). */
@FunctionalInterface
interface ColumnReader {
    Object read(ResultSet rs, int column) throws SQLException;

    /** The reader for column {@code i} (1-based) of a result, chosen once per query from its metadata. */
    static ColumnReader of(Database db, ResultSetMetaData meta, int i) throws SQLException {
        String type = String.valueOf(meta.getColumnTypeName(i)).toLowerCase(Locale.ROOT);
        if (db == Database.POSTGRESQL) {
            switch (type) {
                case "timestamptz":
                    return (rs, c) -> {
                        OffsetDateTime t = rs.getObject(c, OffsetDateTime.class);
                        return t == null ? null : t.toInstant();
                    };
                case "timestamp":
                    return (rs, c) -> {
                        LocalDateTime t = rs.getObject(c, LocalDateTime.class);
                        return t == null ? null : t.toInstant(ZoneOffset.UTC);
                    };
                case "date":
                    return (rs, c) -> {
                        LocalDate d = rs.getObject(c, LocalDate.class);
                        return d == null ? null : d.atStartOfDay(ZoneOffset.UTC).toInstant();
                    };
                default:
                    return ColumnReader::generic;
            }
        }
        // SQLite stores values by their own storage class; the declared type says what they mean.
        FieldType declared = sqliteDeclared(type);
        if (declared == null) return ColumnReader::generic;
        return (rs, c) -> declared.convert(generic(rs, c));
    }

    private static FieldType sqliteDeclared(String type) {
        if (type.contains("decimal") || type.contains("numeric")) return FieldType.DECIMAL;
        if (type.contains("timestamp") || type.contains("datetime")) return FieldType.TIMESTAMP;
        if (type.contains("bool")) return FieldType.BOOLEAN;
        return null;
    }

    /** The driver's value as a record value; what has no record type (UUID, JSON, arrays) as its text. */
    private static Object generic(ResultSet rs, int c) throws SQLException {
        Object v = rs.getObject(c);
        if (v == null) return null;
        try {
            return FieldType.normalize(v);
        } catch (IllegalArgumentException e) {
            return rs.getString(c);
        }
    }
}
