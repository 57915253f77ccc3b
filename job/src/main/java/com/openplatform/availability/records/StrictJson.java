package com.openplatform.availability.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Strictly typed field reads over Jackson's streaming parser: no coercion, so {@code "200"} is not
 * an integer, {@code 1.5} is not an id and {@code null} is not a boolean.
 */
final class StrictJson {

    private static final JsonFactory FACTORY =
            JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(
                            StreamReadConstraints.builder()
                                    .maxNestingDepth(64)
                                    .maxNumberLength(64)
                                    .build())
                    .build();

    private StrictJson() {}

    /** Reads the fields of one record's top-level object. */
    interface FieldReader {
        /**
         * Reads the value the parser stands on.
         *
         * @return false if the field is unknown (its value is then skipped)
         */
        boolean read(String field, JsonParser parser) throws IOException, RecordRejectedException;
    }

    /**
     * Reads a record that must be exactly one JSON object, handing each field to {@code reader}.
     */
    static void readObject(byte[] raw, FieldReader reader) throws RecordRejectedException {
        try (JsonParser parser = open(raw)) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!reader.read(field, parser)) {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new RecordRejectedException(RejectReason.INVALID_JSON, "truncated object");
            }
            if (parser.nextToken() != null) {
                throw new RecordRejectedException(
                        RejectReason.INVALID_JSON, "unexpected content after the JSON object");
            }
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private static JsonParser open(byte[] raw) throws IOException, RecordRejectedException {
        if (raw.length > RawRecord.MAX_RECORD_BYTES) {
            throw RecordRejectedException.tooLarge(raw.length);
        }
        String malformation = Utf8Text.malformation(raw);
        if (malformation != null) {
            // Checked on the bytes: Jackson would decode some of these into other characters.
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD, "record is " + malformation);
        }
        JsonParser parser = FACTORY.createParser(raw);
        JsonToken first = parser.nextToken();
        if (first == null) {
            parser.close();
            throw new RecordRejectedException(RejectReason.INVALID_JSON, "empty record");
        }
        if (first != JsonToken.START_OBJECT) {
            String found = describe(first, parser);
            parser.close();
            throw new RecordRejectedException(
                    RejectReason.INVALID_JSON, "expected a JSON object, found " + found);
        }
        return parser;
    }

    static long integer(JsonParser parser, String field, long min, long max)
            throws IOException, RecordRejectedException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw invalid(field, "must be an integer from " + min + " to " + max, parser);
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw invalid(field, "must be an integer from " + min + " to " + max, parser);
        }
        return value;
    }

    static boolean bool(JsonParser parser, String field)
            throws IOException, RecordRejectedException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw invalid(field, "must be true or false", parser);
    }

    static String string(JsonParser parser, String field, int maxLength)
            throws IOException, RecordRejectedException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw invalid(field, "must be a string of 1 to " + maxLength + " characters", parser);
        }
        String value = parser.getText();
        String problem = Utf8Text.problem(value);
        if (problem != null) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD,
                    "'" + field + "' must be valid Unicode without NUL, but it " + problem);
        }
        if (value.isEmpty() || value.length() > maxLength) {
            throw invalid(field, "must be a string of 1 to " + maxLength + " characters", parser);
        }
        return value;
    }

    /** A decimal written as a JSON string or number. */
    static BigDecimal decimal(JsonParser parser, String field)
            throws IOException, RecordRejectedException {
        JsonToken token = parser.currentToken();
        try {
            if (token == JsonToken.VALUE_STRING) {
                return new BigDecimal(parser.getText().trim());
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDecimalValue();
            }
        } catch (NumberFormatException e) {
            throw invalid(field, "must be a decimal number", parser);
        }
        throw invalid(field, "must be a decimal number", parser);
    }

    static boolean isNull(JsonParser parser) {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    static RecordRejectedException missing(String field) {
        return new RecordRejectedException(
                RejectReason.MISSING_FIELD, "required field '" + field + "' is missing");
    }

    static RecordRejectedException invalid(String field, String rule, JsonParser parser)
            throws IOException {
        return new RecordRejectedException(
                RejectReason.INVALID_FIELD,
                "'" + field + "' " + rule + ", found " + describe(parser.currentToken(), parser));
    }

    /** A token as a person reads it: {@code string "200"}, {@code number 1.5}, {@code null}. */
    private static String describe(JsonToken token, JsonParser parser) throws IOException {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case VALUE_STRING:
                return "string \"" + shortText(parser) + "\"";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "number " + shortText(parser);
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            default:
                return token.asString();
        }
    }

    /** At most 40 characters (a surrogate pair kept whole), printable in a dead letter. */
    private static String shortText(JsonParser parser) throws IOException {
        String text = parser.getText();
        if (text.length() > 40) {
            int cut = Character.isHighSurrogate(text.charAt(39)) ? 39 : 40;
            text = text.substring(0, cut) + "…";
        }
        return Utf8Text.printable(text);
    }

    private static RecordRejectedException malformed(IOException e) {
        String message = e.getMessage();
        int cut = message == null ? -1 : message.indexOf('\n');
        return new RecordRejectedException(
                RejectReason.INVALID_JSON,
                "malformed JSON: "
                        + Utf8Text.printable(
                                String.valueOf(cut < 0 ? message : message.substring(0, cut))));
    }
}
