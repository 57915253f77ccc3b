package com.openplatform.availability.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.RawRecord;
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
            new NdjsonFormat<>(
                    (line, length) -> new String(line, StandardCharsets.UTF_8), Types.STRING);

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
    void linesLongerThanTheReadBufferAreReadWholeUpToTheKeptLimit(int chunk) throws Exception {
        String longLine = "x".repeat(BUFFER + 17);
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
                        (line, length) -> line,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
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

    @Test
    void lineOf50MegabytesIsCutInBoundedMemoryAndTheNextLinesStillCome() throws Exception {
        long hugeLength = 50L << 20;
        List<String> seen = new ArrayList<>();
        NdjsonFormat<String> sizes =
                new NdjsonFormat<>(
                        (line, length) -> line.length + "/" + length + "/" + (char) line[0],
                        Types.STRING);
        NdjsonFormat.LineReader<String> reader =
                (NdjsonFormat.LineReader<String>)
                        sizes.createReader(new Configuration(), new HugeLineFile(hugeLength));
        String line;
        while ((line = reader.read()) != null) {
            seen.add(line);
            assertTrue(reader.lineCapacity() <= RawRecord.MAX_KEPT_BYTES, "bounded buffer");
        }

        assertEquals(
                List.of("7/7/{", RawRecord.MAX_KEPT_BYTES + "/" + hugeLength + "/[", "7/7/{"),
                seen);
    }

    @Test
    void lineJustAtTheKeptLimitIsHandedOnWhole() throws Exception {
        String atLimit = "y".repeat(RawRecord.MAX_KEPT_BYTES);

        List<String> lines = read(atLimit + "\r\nz\n");

        assertEquals(List.of(atLimit, "z"), lines);
    }

    /**
     * {@code {"a":1}}, a JSON array export of {@code length} bytes on one line, {@code {"b":2}}:
     * generated as it is read, never held.
     */
    private static final class HugeLineFile extends FSDataInputStream {
        private static final byte[] FIRST = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
        private static final byte[] LAST = "\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);

        private final long hugeLength;
        private final long total;
        private long position;

        HugeLineFile(long hugeLength) {
            this.hugeLength = hugeLength;
            this.total = FIRST.length + hugeLength + LAST.length;
        }

        private byte at(long p) {
            if (p < FIRST.length) {
                return FIRST[(int) p];
            }
            long inHuge = p - FIRST.length;
            if (inHuge < hugeLength) {
                return inHuge == 0 ? (byte) '[' : (byte) (inHuge % 2 == 0 ? ',' : '1');
            }
            return LAST[(int) (inHuge - hugeLength)];
        }

        @Override
        public void seek(long desired) {
            position = desired;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public int read() {
            return position < total ? at(position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - position);
            for (int k = 0; k < n; k++) {
                b[off + k] = at(position++);
            }
            return n;
        }
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
