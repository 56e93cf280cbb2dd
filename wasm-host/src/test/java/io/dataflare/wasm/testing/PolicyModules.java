package io.dataflare.wasm.testing;

/** Policy and source modules in WAT for tests (see ABI.md for the exports). */
public final class PolicyModules {
    private PolicyModules() {}

    /** {@code $has(p, n, q, m)}: whether the m bytes at q occur in the n bytes at p. */
    static final String HAS = """
            (func $has (param $p i32) (param $n i32) (param $q i32) (param $m i32) (result i32)
              (local $i i32) (local $j i32)
              (block $no (loop $outer
                (br_if $no (i32.gt_s (i32.add (local.get $i) (local.get $m)) (local.get $n)))
                (local.set $j (i32.const 0))
                (block $mismatch (loop $inner
                  (if (i32.ge_u (local.get $j) (local.get $m)) (then (return (i32.const 1))))
                  (br_if $mismatch
                    (i32.ne (i32.load8_u (i32.add (local.get $p) (i32.add (local.get $i) (local.get $j))))
                            (i32.load8_u (i32.add (local.get $q) (local.get $j)))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $inner)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $outer)))
              (i32.const 0))
            """;

    /** {@code $digits(p, n)}: the number written by the decimal digits among the n bytes at p. */
    static final String DIGITS = """
            (func $digits (param $p i32) (param $n i32) (result i32)
              (local $i i32) (local $v i32) (local $c i32)
              (block $end (loop $l
                (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
                (if (i32.and (i32.ge_u (local.get $c) (i32.const 48)) (i32.le_u (local.get $c) (i32.const 57)))
                  (then (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 10))
                                               (i32.sub (local.get $c) (i32.const 48))))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $l)))
              (local.get $v))
            """;

    /** {@code $itoa(v, at)}: writes v in decimal at {@code at}; returns the end. */
    static final String ITOA = """
            (func $itoa (param $v i32) (param $at i32) (result i32)
              (local $len i32) (local $t i32) (local $i i32)
              (local.set $t (local.get $v))
              (local.set $len (i32.const 1))
              (block $d (loop $l
                (br_if $d (i32.lt_u (local.get $t) (i32.const 10)))
                (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
                (local.set $len (i32.add (local.get $len) (i32.const 1)))
                (br $l)))
              (local.set $i (local.get $len))
              (local.set $t (local.get $v))
              (loop $w
                (local.set $i (i32.sub (local.get $i) (i32.const 1)))
                (i32.store8 (i32.add (local.get $at) (local.get $i))
                            (i32.add (i32.const 48) (i32.rem_u (local.get $t) (i32.const 10))))
                (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
                (br_if $w (i32.gt_u (local.get $i) (i32.const 0))))
              (i32.add (local.get $at) (local.get $len)))
            """;

    /**
     * All three policies in one module. {@code df_route}: shard {@code (key / 5) % instances} of a numeric key.
     * {@code df_retry}: retry after 1 ms when the failure's class is {@code timeout} and fewer than 3 attempts
     * failed, else give up. {@code df_error_route}: skip {@code invalid_record}, dead-letter anything else.
     */
    public static final String POLICIES = """
            (module
              %s %s
              (memory (export "memory") 2)
              (data (i32.const 1024) "\\"error_class\\":\\"timeout\\"")
              (data (i32.const 1100) "\\"error_class\\":\\"invalid_record\\"")
              (data (i32.const 1200) "\\"attempts\\":1,")
              (data (i32.const 1220) "\\"attempts\\":2,")
              (func (export "df_alloc") (param i32) (result i32) (i32.const 65536))
              (func (export "df_route") (param $p i32) (param $n i32) (param $instances i32) (result i32)
                (i32.rem_u (i32.div_u (call $digits (local.get $p) (local.get $n)) (i32.const 5)) (local.get $instances)))
              (func (export "df_retry") (param $p i32) (param $n i32) (result i32)
                (if (i32.eqz (call $has (local.get $p) (local.get $n) (i32.const 1024) (i32.const 23)))
                  (then (return (i32.const -1))))
                (if (i32.or (call $has (local.get $p) (local.get $n) (i32.const 1200) (i32.const 13))
                            (call $has (local.get $p) (local.get $n) (i32.const 1220) (i32.const 13)))
                  (then (return (i32.const 1))))
                (i32.const -1))
              (func (export "df_error_route") (param $p i32) (param $n i32) (result i32)
                (if (result i32) (call $has (local.get $p) (local.get $n) (i32.const 1100) (i32.const 30))
                  (then (i32.const 0)) (else (i32.const 1)))))
            """.formatted(HAS, DIGITS);

    /** Policies that never return: every export loops forever. */
    public static final String LOOPING_POLICIES = """
            (module
              (memory (export "memory") 1)
              (func (export "df_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "df_route") (param i32 i32 i32) (result i32) (loop $l (br $l)) (i32.const 0))
              (func (export "df_retry") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0))
              (func (export "df_error_route") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0)))
            """;

    /**
     * A source of {@code total} records {@code {"id": n}}, n from 0, that resumes: its position is the next n
     * in decimal. With {@code hangAt >= 0}, the poll that would produce record {@code hangAt} never returns.
     */
    public static String counter(int total, int hangAt, boolean resumes) {
        String position = resumes ? """
                  (func (export "df_position") (result i32)
                    (call $output (i32.const 2048) (i32.sub (call $itoa (global.get $next) (i32.const 2048)) (i32.const 2048)))
                    (i32.const 0))
                  (func (export "df_seek") (param $p i32) (param $n i32) (result i32)
                    (global.set $next (call $digits (local.get $p) (local.get $n)))
                    (i32.const 0))
                  """ : "";
        return """
                (module
                  (import "dataflare" "output" (func $output (param i32 i32)))
                  %s %s
                  (memory (export "memory") 4)
                  (global $next (mut i32) (i32.const 0))
                  (data (i32.const 1024) "{\\"id\\":")
                  (func (export "df_alloc") (param i32) (result i32) (i32.const 65536))
                  %s
                  (func (export "df_poll") (param $max i32) (result i32)
                    (local $p i32) (local $k i32)
                    (if (i32.ge_u (global.get $next) (i32.const %d)) (then (return (i32.const 3))))
                    (if (i32.eq (global.get $next) (i32.const %d)) (then (loop $hang (br $hang))))
                    (local.set $p (i32.const 131072))
                    (i32.store8 (local.get $p) (i32.const 91))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (block $full (loop $l
                      (br_if $full (i32.ge_u (local.get $k) (local.get $max)))
                      (br_if $full (i32.ge_u (global.get $next) (i32.const %d)))
                      (if (i32.gt_u (local.get $k) (i32.const 0)) (then
                        (i32.store8 (local.get $p) (i32.const 44))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))))
                      (i32.store (local.get $p) (i32.load (i32.const 1024)))
                      (i32.store16 (i32.add (local.get $p) (i32.const 4)) (i32.load16_u (i32.const 1028)))
                      (local.set $p (call $itoa (global.get $next) (i32.add (local.get $p) (i32.const 6))))
                      (i32.store8 (local.get $p) (i32.const 125))
                      (local.set $p (i32.add (local.get $p) (i32.const 1)))
                      (global.set $next (i32.add (global.get $next) (i32.const 1)))
                      (local.set $k (i32.add (local.get $k) (i32.const 1)))
                      (br $l)))
                    (i32.store8 (local.get $p) (i32.const 93))
                    (call $output (i32.const 131072) (i32.sub (i32.add (local.get $p) (i32.const 1)) (i32.const 131072)))
                    (i32.const 0)))
                """.formatted(ITOA, DIGITS, position, total, hangAt, total);
    }
}
