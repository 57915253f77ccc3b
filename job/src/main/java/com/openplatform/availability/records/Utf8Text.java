package com.openplatform.availability.records;

import java.util.Locale;

/**
 * The text rules every input string obeys before it can reach a database or WeChat: well-formed
 * UTF-8 bytes, and decoded strings of valid Unicode without NUL. Jackson alone is not enough: it
 * decodes some malformed UTF-8 (overlong forms, encoded surrogates) into other characters and
 * accepts unpaired {@code \}{@code u} surrogate escapes, which the JDBC drivers and WeChat then
 * store or send as something else; and PostgreSQL refuses the NUL character outright.
 */
final class Utf8Text {
    private Utf8Text() {}

    /**
     * Why {@code bytes} are not well-formed UTF-8 (RFC 3629: no overlong forms, no encoded
     * surrogates, nothing above U+10FFFF, no truncated sequence), or null if they are.
     */
    static String malformation(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        // Records are nearly always ASCII: one comparison per byte until the first that is not.
        while (i < n && bytes[i] >= 0) {
            i++;
        }
        while (i < n) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80;
            int max = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                if (b == 0xe0) {
                    min = 0xa0; // below: overlong
                } else if (b == 0xed) {
                    max = 0x9f; // above: an encoded surrogate (CESU-8)
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                if (b == 0xf0) {
                    min = 0x90; // below: overlong
                } else if (b == 0xf4) {
                    max = 0x8f; // above: beyond U+10FFFF
                }
            } else {
                // An overlong C0/C1 form is shown with the byte it was meant to encode.
                int shown = b == 0xc0 || b == 0xc1 ? Math.min(2, n - i) : 1;
                return invalidAt(bytes, i, shown, leadProblem(b));
            }
            if (i + length > n) {
                return invalidAt(bytes, i, n - i, "truncated sequence");
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min || second > max) {
                return invalidAt(bytes, i, 2, secondProblem(b, second));
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xc0) != 0x80) {
                    return invalidAt(bytes, i, k + 1, "truncated sequence");
                }
            }
            i += length;
        }
        return null;
    }

    private static String leadProblem(int b) {
        if (b < 0xc0) {
            return "continuation byte without a lead byte";
        }
        return b < 0xc2 ? "overlong encoding" : "byte above F4 (beyond U+10FFFF)";
    }

    private static String secondProblem(int lead, int second) {
        if ((second & 0xc0) != 0x80) {
            return "truncated sequence";
        }
        if (lead == 0xed) {
            return "encoded surrogate (CESU-8)";
        }
        return lead == 0xf4 ? "beyond U+10FFFF" : "overlong encoding";
    }

    private static String invalidAt(byte[] bytes, int offset, int count, String problem) {
        StringBuilder hex = new StringBuilder();
        for (int k = 0; k < count; k++) {
            hex.append(k == 0 ? "" : " ")
                    .append(String.format(Locale.ROOT, "%02X", bytes[offset + k] & 0xff));
        }
        return "not valid UTF-8 at byte " + offset + " (" + hex + "): " + problem;
    }

    /** Why {@code text} is not valid Unicode without NUL, or null if it is. */
    static String problem(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains NUL (\\u0000) at character " + i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < n
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return "contains an unpaired surrogate " + escape(c) + " at character " + i;
                }
            }
        }
        return null;
    }

    /**
     * {@code text} safe to put in a dead letter's detail: NUL, other control characters and
     * unpaired surrogates as {@code \}{@code uXXXX} escapes (an unpaired surrogate cannot even be
     * written as UTF-8).
     */
    static String printable(String text) {
        if (problem(text) == null && text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                out.append(escape(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String escape(char c) {
        return String.format(Locale.ROOT, "\\u%04X", (int) c);
    }
}
