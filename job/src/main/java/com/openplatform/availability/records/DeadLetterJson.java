package com.openplatform.availability.records;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dead-letter file format: one {@code {"reason","detail","input","raw"}} object a line. Of a
 * record larger than {@link RawRecord#MAX_KEPT_BYTES}, {@code raw} holds only the first bytes and
 * {@code "truncated":true,"size":N} say so and how large it was: a rejected line of any length
 * costs bounded memory.
 */
public final class DeadLetterJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    public static byte[] toJson(DeadLetter letter) {
        byte[] raw = letter.getRaw();
        int kept = Math.min(raw.length, RawRecord.MAX_KEPT_BYTES);
        ByteArrayOutputStream out = new ByteArrayOutputStream(kept + 256);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("reason", letter.getReason().name());
            json.writeStringField("detail", letter.getDetail());
            json.writeStringField("input", letter.getInput());
            // Bytes that are not UTF-8 become U+FFFD (the Kafka dead letter keeps them as read).
            json.writeStringField("raw", new String(raw, 0, kept, StandardCharsets.UTF_8));
            if (kept < letter.getSize()) {
                json.writeBooleanField("truncated", true);
                json.writeNumberField("size", letter.getSize());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
