package com.openplatform.availability.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of an update input (standards, bindings) as read, before parsing: its bytes, or only
 * the first of them when the file reader cut a line far over the record limit, and its size.
 */
public class RawRecord {
    /** Records larger than this are rejected unread (SPEC §3.1). */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    /**
     * How much of a record over the limit is kept (file reader, dead-letter file): enough to see
     * what it was, never the whole of a line of any length.
     */
    public static final int MAX_KEPT_BYTES = MAX_RECORD_BYTES + 1024;

    private byte[] raw;
    private long size;

    public RawRecord() {}

    public RawRecord(byte[] raw, long size) {
        this.raw = raw;
        this.size = size;
    }

    /** A record read whole. */
    public static RawRecord of(byte[] raw) {
        return new RawRecord(raw, raw.length);
    }

    /** Whether {@link #getRaw()} holds only the first bytes of the record. */
    public boolean isTruncated() {
        return raw.length < size;
    }

    public byte[] getRaw() {
        return raw;
    }

    public void setRaw(byte[] raw) {
        this.raw = raw;
    }

    public long getSize() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord
                && ((RawRecord) o).size == size
                && Arrays.equals(((RawRecord) o).raw, raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        return "RawRecord{" + raw.length + " of " + size + " bytes}";
    }
}
