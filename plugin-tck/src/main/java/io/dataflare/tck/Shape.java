package io.dataflare.tck;

/** How many records a processor emits for what it receives: what "no record silently lost" means for it. */
public enum Shape {
    /** Every input record comes out once, or is rejected: {@code in = out + rejected}. */
    ONE_TO_ONE,
    /** Records may be dropped on purpose (a filter): {@code in >= out + rejected}, and nothing is invented. */
    FILTERS,
    /** Records may be multiplied (a flat map): {@code out + rejected >= in}. */
    EXPANDS
}
