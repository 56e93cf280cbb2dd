package io.dataflare.polyglot.manifest;

import io.dataflare.polyglot.runtime.ScriptLanguage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a manifest written as a plain literal ({@code export const manifest = {...}} in JavaScript,
 * {@code manifest = {...}} in Python) without running the script: objects / dicts, arrays / lists, quoted
 * strings, numbers, {@code true}/{@code false}/{@code null} ({@code True}/{@code False}/{@code None}) and
 * comments. Anything else (a constant, a call, a spread, a template or f-string, string concatenation, an
 * expression after the literal) makes it "not a literal", and only running the script can tell what it
 * is: so what this reads is always what evaluation would give.
 */
final class ManifestLiteral {
    /** The text is not a plain literal. */
    private static final class NotLiteral extends Exception {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private final boolean js;
    private int i;

    private ManifestLiteral(String s, int from, ScriptLanguage language) {
        this.s = s;
        this.i = from;
        this.js = language == ScriptLanguage.JAVASCRIPT;
    }

    /** The object literal starting at {@code from} (after white space), or empty when it is not a plain literal. */
    static Optional<Map<String, Object>> read(String text, int from, ScriptLanguage language) {
        ManifestLiteral p = new ManifestLiteral(text, from, language);
        try {
            p.skip(true);
            if (p.peek() != '{') return Optional.empty();
            Map<String, Object> m = p.object();
            p.skip(false); // the statement must end here: nothing may apply to the literal
            int c = p.peek();
            return c == -1 || c == '\n' || c == '\r' || (p.js && c == ';') ? Optional.of(m) : Optional.empty();
        } catch (NotLiteral e) {
            return Optional.empty();
        }
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : -1;
    }

    private void expect(char c) throws NotLiteral {
        if (peek() != c) throw new NotLiteral();
        i++;
    }

    /** Skips white space ({@code newlines}: line ends too) and comments. */
    private void skip(boolean newlines) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
                i++;
            } else if (js ? s.startsWith("//", i) : c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (js && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                return;
            }
        }
    }

    private Object value() throws NotLiteral {
        skip(true);
        int c = peek();
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"' || c == '\'') return string();
        if (c == '-' || c == '+' || (c >= '0' && c <= '9') || c == '.') return number();
        if (Character.isLetter(c)) {
            String w = word();
            if (w.equals(js ? "true" : "True")) return Boolean.TRUE;
            if (w.equals(js ? "false" : "False")) return Boolean.FALSE;
            if (w.equals(js ? "null" : "None")) return null;
        }
        throw new NotLiteral(); // a name, a call, a spread, a template...
    }

    private Map<String, Object> object() throws NotLiteral {
        expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            skip(true);
            if (peek() == '}') break;
            String key = key();
            skip(true);
            expect(':');
            m.put(key, value());
            skip(true);
            if (peek() == ',') i++;
            else if (peek() != '}') throw new NotLiteral();
        }
        i++;
        return m;
    }

    private List<Object> array() throws NotLiteral {
        expect('[');
        List<Object> l = new ArrayList<>();
        while (true) {
            skip(true);
            if (peek() == ']') break;
            l.add(value());
            skip(true);
            if (peek() == ',') i++;
            else if (peek() != ']') throw new NotLiteral();
        }
        i++;
        return l;
    }

    private String key() throws NotLiteral {
        int c = peek();
        if (c == '"' || c == '\'') return string();
        if (js && (Character.isLetter(c) || c == '_' || c == '$')) return word();
        throw new NotLiteral(); // a Python name is a variable; a computed key needs evaluation
    }

    private String word() {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$'))
            i++;
        return s.substring(start, i);
    }

    private String string() throws NotLiteral {
        char q = s.charAt(i++);
        if (s.startsWith("" + q + q, i) && !js)
            throw new NotLiteral(); // """triple""" (or "" followed by a concatenation)
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw new NotLiteral();
            char c = s.charAt(i++);
            if (c == q) break;
            if (c == '\n' || c == '\r') throw new NotLiteral();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) throw new NotLiteral();
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case '\\', '\'', '"', '/' -> sb.append(e);
                case 'u' -> {
                    if (i + 4 > s.length()) throw new NotLiteral();
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw new NotLiteral(); // \\u{...} and the like
                    }
                    i += 4;
                }
                default -> throw new NotLiteral(); // escapes that differ between the languages
            }
        }
        return sb.toString();
    }

    private Object number() throws NotLiteral {
        int start = i;
        if (peek() == '-' || peek() == '+') i++;
        boolean fraction = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                i++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                fraction = true;
                i++;
                if ((c == 'e' || c == 'E') && (peek() == '-' || peek() == '+')) i++;
            } else {
                break;
            }
        }
        if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'))
            throw new NotLiteral(); // 0x1f, 1_000, 10n
        String n = s.substring(start, i);
        try {
            return fraction
                    ? (Object) Double.parseDouble(n)
                    : (Object) Long.parseLong(n.startsWith("+") ? n.substring(1) : n);
        } catch (NumberFormatException e) {
            throw new NotLiteral();
        }
    }
}
