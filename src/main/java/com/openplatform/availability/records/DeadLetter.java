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

    public DeadLetter() {}

    public DeadLetter(String input, RejectReason reason, String detail, byte[] raw) {
        this.input = input;
        this.reason = reason;
        this.detail = detail;
        this.raw = raw;
    }

    /** The raw payload as text; bytes that are not UTF-8 become U+FFFD. */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return Objects.equals(input, that.input)
                && reason == that.reason
                && Objects.equals(detail, that.detail)
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, reason, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        return "DeadLetter{" + input + ", " + reason + ": " + detail + ", raw=" + rawText() + '}';
    }
}
