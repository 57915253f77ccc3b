package com.openplatform.availability.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A rejected input record with the reason, bound for the dead-letter output. */
public class DeadLetter {
    /** The input the record came from: {@code events}, {@code standards} or {@code bindings}. */
    private String input;

    private RejectReason reason;
    private String detail;
    private byte[] raw;

    /** The rejected record's size, more than {@code raw.length} when only its start was kept. */
    private long size;

    public DeadLetter() {}

    public DeadLetter(String input, RejectReason reason, String detail, byte[] raw) {
        this(input, reason, detail, raw, raw.length);
    }

    public DeadLetter(String input, RejectReason reason, String detail, byte[] raw, long size) {
        this.input = input;
        this.reason = reason;
        this.detail = detail;
        this.raw = raw;
        this.size = size;
    }

    /** Whether {@link #getRaw()} holds only the first bytes of the rejected record. */
    public boolean isTruncated() {
        return raw.length < size;
    }

    public String getInput() {
        return input;
    }

    public void setInput(String input) {
        this.input = input;
    }

    public RejectReason getReason() {
        return reason;
    }

    public void setReason(RejectReason reason) {
        this.reason = reason;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
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
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return Objects.equals(input, that.input)
                && reason == that.reason
                && Objects.equals(detail, that.detail)
                && size == that.size
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, reason, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        // The start of the payload as text: enough to recognise it, whatever its size.
        String start = new String(raw, 0, Math.min(raw.length, 200), StandardCharsets.UTF_8);
        return "DeadLetter{" + input + ", " + reason + ": " + detail + ", raw=" + start + '}';
    }
}
