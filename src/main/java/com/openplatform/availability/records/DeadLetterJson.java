package com.openplatform.availability.records;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The dead-letter file format: one {@code {"reason","detail","input","raw"}} object a line. */
public final class DeadLetterJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    public static byte[] toJson(DeadLetter letter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(letter.getRaw().length + 128);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("reason", letter.getReason().name());
            json.writeStringField("detail", letter.getDetail());
            json.writeStringField("input", letter.getInput());
            json.writeStringField("raw", letter.rawText());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
