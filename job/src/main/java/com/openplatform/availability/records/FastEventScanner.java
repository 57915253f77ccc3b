package com.openplatform.availability.records;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link CallbackEventParser}: a single pass over the bytes of the common record,
 * a flat object of exactly the seven fields in plain ASCII, that allocates only the event and its
 * two strings. It accepts a record only when Jackson's strict reading surely accepts it with the
 * same values; anything else (escapes, non-ASCII, unknown or duplicate fields, fractions,
 * exponents, leading zeros, 19-digit numbers, out-of-range values, other whitespace, missing
 * fields, trailing content, …) returns null and goes the Jackson way, which decides and explains.
 * Profiling put Jackson's parser creation, duplicate detection and name handling at most of the
 * job's per-event cost.
 */
final class FastEventScanner {
    private static final int EVENT_ID = 0;
    private static final int DEVELOPER_ID = 1;
    private static final int CALLBACK_TYPE = 2;
    private static final int EVENT_TIME = 3;
    private static final int HTTP_STATUS = 4;
    private static final int LATENCY_MS = 5;
    private static final int RESPONSE_OK = 6;
    private static final int ALL_FIELDS = (1 << 7) - 1;

    private static final byte[][] NAMES = {
        ascii("eventId"),
        ascii("developerId"),
        ascii("callbackType"),
        ascii("eventTime"),
        ascii("httpStatus"),
        ascii("latencyMs"),
        ascii("responseOk")
    };

    // The canonical layout's constant parts, each up to the value that follows it.
    private static final byte[] EVENT_ID_KEY = ascii("{\"eventId\":");
    private static final byte[] DEVELOPER_ID_KEY = ascii(",\"developerId\":");
    private static final byte[] CALLBACK_TYPE_KEY = ascii(",\"callbackType\":");
    private static final byte[] EVENT_TIME_KEY = ascii(",\"eventTime\":");
    private static final byte[] HTTP_STATUS_KEY = ascii(",\"httpStatus\":");
    private static final byte[] LATENCY_MS_KEY = ascii(",\"latencyMs\":");
    private static final byte[] RESPONSE_OK_KEY = ascii(",\"responseOk\":");

    private static final String[] TYPE_CACHE = new String[64];

    /** Integers of up to 18 digits cannot overflow a long. */
    private static final int MAX_DIGITS = 18;

    private final byte[] b;
    private int i;

    private FastEventScanner(byte[] raw) {
        this.b = raw;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The event, or null when the record needs the full (Jackson) parser. */
    static CallbackEvent tryParse(byte[] raw) {
        if (raw.length > RawRecord.MAX_RECORD_BYTES) {
            return null;
        }
        FastEventScanner scanner = new FastEventScanner(raw);
        CallbackEvent event = scanner.canonical(new CallbackEvent());
        if (event != null) {
            return event;
        }
        scanner.i = 0;
        return scanner.scan(new CallbackEvent());
    }

    /**
     * The layout nearly every producer writes (the documented field order, no whitespace), matched
     * name by name as whole constants; any difference (order, spacing, a value the field rules
     * refuse) returns null and the record is scanned field by field. The values are read by the
     * same methods as there, so this accepts a subset of what {@link #scan} accepts, with equal
     * values.
     */
    private CallbackEvent canonical(CallbackEvent event) {
        if (!expect(EVENT_ID_KEY)) {
            return null;
        }
        event.setEventId(string(128));
        if (event.getEventId() == null || !expect(DEVELOPER_ID_KEY)) {
            return null;
        }
        int start = i;
        event.setDeveloperId(integer());
        if (i == start || event.getDeveloperId() < 1 || !expect(CALLBACK_TYPE_KEY)) {
            return null;
        }
        event.setCallbackType(callbackType());
        if (event.getCallbackType() == null || !expect(EVENT_TIME_KEY)) {
            return null;
        }
        start = i;
        event.setEventTime(integer());
        if (i == start
                || event.getEventTime() < 0
                || event.getEventTime() > CallbackEventParser.MAX_EVENT_TIME
                || !expect(HTTP_STATUS_KEY)) {
            return null;
        }
        start = i;
        long status = integer();
        if (i == start || status < 0 || status > 599 || !expect(LATENCY_MS_KEY)) {
            return null;
        }
        event.setHttpStatus((int) status);
        start = i;
        event.setLatencyMs(integer());
        if (i == start || event.getLatencyMs() < 0 || !expect(RESPONSE_OK_KEY)) {
            return null;
        }
        if (!value(RESPONSE_OK, event)) {
            return null;
        }
        return consume('}') && i == b.length ? event : null;
    }

    /** Whether the bytes at {@code i} are {@code key}; moves past them if so. */
    private boolean expect(byte[] key) {
        int end = i + key.length;
        if (end > b.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (b[i + k] != key[k]) {
                return false;
            }
        }
        i = end;
        return true;
    }

    private CallbackEvent scan(CallbackEvent event) {
        skipWhitespace();
        if (!consume('{')) {
            return null;
        }
        int seen = 0;
        while (true) {
            skipWhitespace();
            int field = fieldName();
            if (field < 0 || (seen & (1 << field)) != 0) {
                return null; // unknown (maybe fine, Jackson decides) or duplicate
            }
            seen |= 1 << field;
            skipWhitespace();
            if (!consume(':')) {
                return null;
            }
            skipWhitespace();
            if (!value(field, event)) {
                return null;
            }
            skipWhitespace();
            if (consume(',')) {
                continue;
            }
            if (consume('}')) {
                break;
            }
            return null;
        }
        skipWhitespace();
        return i == b.length && seen == ALL_FIELDS ? event : null;
    }

    private boolean value(int field, CallbackEvent event) {
        switch (field) {
            case EVENT_ID:
                String id = string(128);
                event.setEventId(id);
                return id != null;
            case CALLBACK_TYPE:
                String type = callbackType();
                event.setCallbackType(type);
                return type != null;
            case RESPONSE_OK:
                if (literal("true")) {
                    event.setResponseOk(true);
                    return true;
                }
                event.setResponseOk(false);
                return literal("false");
            default:
                break;
        }
        int start = i;
        long value = integer();
        if (i == start) {
            return false;
        }
        switch (field) {
            case DEVELOPER_ID:
                event.setDeveloperId(value);
                return value >= 1;
            case EVENT_TIME:
                event.setEventTime(value);
                return value >= 0 && value <= CallbackEventParser.MAX_EVENT_TIME;
            case HTTP_STATUS:
                event.setHttpStatus((int) value);
                return value >= 0 && value <= 599;
            default: // LATENCY_MS
                event.setLatencyMs(value);
                return value >= 0;
        }
    }

    /**
     * A field name among the seven, told apart by its first letters and then compared whole; moves
     * past its closing quote. Anything else (another name, escapes) is -1.
     */
    private int fieldName() {
        int start = i + 1;
        if (start >= b.length || b[i] != '"') {
            return -1;
        }
        int field;
        switch (b[start]) {
            case 'e':
                field = start + 5 < b.length && b[start + 5] == 'I' ? EVENT_ID : EVENT_TIME;
                break;
            case 'd':
                field = DEVELOPER_ID;
                break;
            case 'c':
                field = CALLBACK_TYPE;
                break;
            case 'h':
                field = HTTP_STATUS;
                break;
            case 'l':
                field = LATENCY_MS;
                break;
            case 'r':
                field = RESPONSE_OK;
                break;
            default:
                return -1;
        }
        byte[] name = NAMES[field];
        int end = start + name.length;
        if (end >= b.length || b[end] != '"' || !regionEquals(name, start)) {
            return -1;
        }
        i = end + 1;
        return field;
    }

    private boolean regionEquals(byte[] name, int start) {
        for (int k = 0; k < name.length; k++) {
            if (b[start + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The callbackType, as the same String instance for the same text while it stays in a small
     * cache: a provider has a handful of types, so the per-type counts compare by identity and no
     * String is made per event. The cache is racy but safe: Strings are immutable.
     */
    private String callbackType() {
        if (i >= b.length || b[i] != '"') {
            return null;
        }
        int start = i + 1;
        int end = start;
        int hash = 0;
        while (end < b.length && b[end] != '"') {
            hash = 31 * hash + b[end];
            end++;
        }
        int length = end - start;
        int slot = hash & (TYPE_CACHE.length - 1);
        String cached = TYPE_CACHE[slot];
        if (cached != null && cached.length() == length && end < b.length) {
            boolean same = true;
            for (int k = 0; k < length; k++) {
                if (cached.charAt(k) != b[start + k]) {
                    same = false;
                    break;
                }
            }
            if (same) {
                i = end + 1; // cached strings were checked by string(64) when they were made
                return cached;
            }
        }
        String type = string(64);
        if (type != null) {
            TYPE_CACHE[slot] = type;
        }
        return type;
    }

    /** A string of 1 to {@code maxLength} printable ASCII characters without escapes; else null. */
    private String string(int maxLength) {
        if (!consume('"')) {
            return null;
        }
        int start = i;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                int length = i - start;
                i++;
                if (length < 1 || length > maxLength) {
                    return null;
                }
                return new String(b, start, length, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0x20 || c > 0x7e) {
                return null; // escapes, control characters, non-ASCII: Jackson's job
            }
            i++;
        }
        return null;
    }

    /**
     * An integer of at most 18 digits, no leading zero, no fraction or exponent; leaves {@code i}
     * where it was when there is none.
     */
    private long integer() {
        int start = i;
        boolean negative = consume('-');
        int digitsStart = i;
        long value = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - digitsStart;
        boolean leadingZero = digits > 1 && b[digitsStart] == '0';
        if (digits == 0 || digits > MAX_DIGITS || leadingZero || !endsValue()) {
            i = start;
            return 0;
        }
        return negative ? -value : value;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (i + n > b.length) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        i += n;
        if (!endsValue()) {
            i -= n;
            return false;
        }
        return true;
    }

    /** Whether a value may end here: at a structural character or whitespace. */
    private boolean endsValue() {
        if (i == b.length) {
            return true;
        }
        byte c = b[i];
        return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private boolean consume(char c) {
        if (i < b.length && b[i] == c) {
            i++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
