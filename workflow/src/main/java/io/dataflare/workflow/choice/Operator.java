package io.dataflare.workflow.choice;

import java.util.HashMap;
import java.util.Map;

/** A Choice rule's comparison operator: what it compares, how, and whether its operand is a path. */
public enum Operator {
    StringEquals(Kind.STRING, Cmp.EQ),
    StringLessThan(Kind.STRING, Cmp.LT),
    StringGreaterThan(Kind.STRING, Cmp.GT),
    StringLessThanEquals(Kind.STRING, Cmp.LE),
    StringGreaterThanEquals(Kind.STRING, Cmp.GE),
    StringMatches(Kind.MATCHES, Cmp.EQ),
    NumericEquals(Kind.NUMERIC, Cmp.EQ),
    NumericLessThan(Kind.NUMERIC, Cmp.LT),
    NumericGreaterThan(Kind.NUMERIC, Cmp.GT),
    NumericLessThanEquals(Kind.NUMERIC, Cmp.LE),
    NumericGreaterThanEquals(Kind.NUMERIC, Cmp.GE),
    BooleanEquals(Kind.BOOLEAN, Cmp.EQ),
    TimestampEquals(Kind.TIMESTAMP, Cmp.EQ),
    TimestampLessThan(Kind.TIMESTAMP, Cmp.LT),
    TimestampGreaterThan(Kind.TIMESTAMP, Cmp.GT),
    TimestampLessThanEquals(Kind.TIMESTAMP, Cmp.LE),
    TimestampGreaterThanEquals(Kind.TIMESTAMP, Cmp.GE),
    IsNull(Kind.TYPE_TEST, Cmp.EQ),
    IsPresent(Kind.TYPE_TEST, Cmp.EQ),
    IsNumeric(Kind.TYPE_TEST, Cmp.EQ),
    IsString(Kind.TYPE_TEST, Cmp.EQ),
    IsBoolean(Kind.TYPE_TEST, Cmp.EQ),
    IsTimestamp(Kind.TYPE_TEST, Cmp.EQ);

    /** What an operator compares. */
    public enum Kind {
        STRING,
        NUMERIC,
        BOOLEAN,
        TIMESTAMP,
        MATCHES,
        TYPE_TEST
    }

    /** How it compares. */
    public enum Cmp {
        EQ,
        LT,
        GT,
        LE,
        GE
    }

    private final Kind kind;
    private final Cmp cmp;

    Operator(Kind kind, Cmp cmp) {
        this.kind = kind;
        this.cmp = cmp;
    }

    public Kind kind() {
        return kind;
    }

    public Cmp cmp() {
        return cmp;
    }

    /** Whether the operator has a {@code ...Path} form (comparisons do; StringMatches and type tests do not). */
    public boolean hasPathForm() {
        return kind != Kind.MATCHES && kind != Kind.TYPE_TEST;
    }

    private static final Map<String, Operator> BY_FIELD = new HashMap<>();

    static {
        for (Operator o : values()) BY_FIELD.put(o.name(), o);
    }

    /** The operator a rule field names ({@code NumericEqualsPath} gives NumericEquals), or null. */
    public static Operator forField(String field) {
        Operator o = BY_FIELD.get(field);
        if (o != null) return o;
        if (field.endsWith("Path")) {
            o = BY_FIELD.get(field.substring(0, field.length() - 4));
            if (o != null && o.hasPathForm()) return o;
        }
        return null;
    }
}
