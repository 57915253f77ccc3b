package com.openplatform.availability.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NdjsonFormatTest {
    private static final int BUFFER = 64 * 1024;

    private static final NdjsonFormat<String> FORMAT =
            new NdjsonFormat<>(line -> new String(line, StandardCharsets.UTF_8), Types.STRING);

    /**
     * Reads every record of {@code content}, the stream handing out at most {@code chunk} bytes a
     * read.
     */
    private static List<String> read(byte[] content, int chunk) throws IOException {
        ChunkedInputStream in = new ChunkedInputStream(content, chunk);
        List<String> lines = new ArrayList<>();
        StreamFormat.Reader<String> reader = FORMAT.createReader(new Configuration(), in);
        String line;
        while ((line = reader.read()) != null) {
            lines.add(line);
        }
        assertNull(reader.read(), "the end stays the end");
        reader.close();
        assertTrue(in.closed, "closing the reader closes the stream");
        return lines;
    }

    private static List<String> read(String content) throws IOException {
        return read(content.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
    }

    @Test
    void splitsTheFileIntoLines() throws Exception {
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "x"), read("{\"a\":1}\n{\"b\":2}\nx\n"));
    }

    @Test
    void blankLinesAreEmptyRecords() throws Exception {
        assertEquals(List.of("a", "", "", "b"), read("a\n\n\nb\n"));
        assertEquals(List.of(""), read("\n"));
        assertEquals(List.of("", "a"), read("\na"));
    }

    @Test
    void emptyFileHasNoRecords() throws Exception {
        assertEquals(List.of(), read(""));
    }

    @Test
    void trailingCarriageReturnIsDropped() throws Exception {
        assertEquals(List.of("a", "", "b"), read("a\r\n\r\nb\r\n"));
        assertEquals(List.of("a"), read("a\r"));
    }

    @Test
    void onlyOneTrailingCarriageReturnIsDroppedAndInnerOnesStay() throws Exception {
        assertEquals(List.of("a\rb", "c\r"), read("a\rb\nc\r\r\n"));
    }

    @Test
    void lastLineWithoutNewlineIsARecord() throws Exception {
        assertEquals(List.of("a", "last"), read("a\nlast"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, BUFFER - 1, BUFFER, Integer.MAX_VALUE})
    void linesLongerThanTheBufferAreReadWhole(int chunk) throws Exception {
        String longLine = "x".repeat(3 * BUFFER + 17);
        String content = "short\n" + longLine + "\n" + longLine + "y\r\nend";

        List<String> lines = read(content.getBytes(StandardCharsets.UTF_8), chunk);

        assertEquals(List.of("short", longLine, longLine + "y", "end"), lines);
    }

    @Test
    void crLfSplitAcrossTwoBufferFillsIsStillOneLineEnd() throws Exception {
        String line = "z".repeat(BUFFER - 1);

        assertEquals(List.of(line, "next"), read(line + "\r\nnext\n"));
    }

    @Test
    void multiByteCharactersSplitAcrossBufferFillsStayIntact() throws Exception {
        String line = "p".repeat(BUFFER - 1) + "订单推送";

        assertEquals(List.of(line, "b"), read(line + "\nb"));
    }

    @Test
    void bytesAreHandedOnUndecoded() throws Exception {
        byte[] content = {'o', 'k', (byte) 0xFF, '\n', (byte) 0xC3};
        List<byte[]> lines = new ArrayList<>();
        NdjsonFormat<byte[]> raw =
                new NdjsonFormat<>(
                        line -> line, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        StreamFormat.Reader<byte[]> reader =
                raw.createReader(new Configuration(), new ChunkedInputStream(content, 2));
        byte[] line;
        while ((line = reader.read()) != null) {
            lines.add(line);
        }

        assertEquals(2, lines.size());
        assertEquals(List.of((byte) 'o', (byte) 'k', (byte) 0xFF), boxed(lines.get(0)));
        assertEquals(List.of((byte) 0xC3), boxed(lines.get(1)));
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    @Test
    void producedTypeIsTheDecodersType() {
        assertEquals(Types.STRING, FORMAT.getProducedType());
        assertTrue(!FORMAT.isSplittable());
    }

    @Test
    void manyLinesEachGetTheirOwnArray() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String line = "{\"n\":" + i + "}";
            expected.add(line);
            content.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        assertEquals(expected, read(content.toByteArray(), 1000));
    }

    /** An in-memory file that hands out at most {@code chunk} bytes per read, as streams may. */
    private static final class ChunkedInputStream extends FSDataInputStream {
        private final byte[] content;
        private final int chunk;
        private int position;
        boolean closed;

        ChunkedInputStream(byte[] content, int chunk) {
            this.content = content;
            this.chunk = chunk;
        }

        @Override
        public void seek(long desired) {
            position = (int) desired;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public int read() {
            return position < content.length ? content[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= content.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), content.length - position);
            System.arraycopy(content, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
