package com.openplatform.availability.records;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A minimum availability set for one developerId (docs/reference.md §2); developerId 0 sets the
 * platform default.
 */
public class StandardUpdate {
    /** The effectiveFrom of an update that does not say: the beginning of time. */
    public static final long BEGINNING_OF_TIME = Long.MIN_VALUE;

    private long developerId;
    private BigDecimal standard;
    private long effectiveFrom = BEGINNING_OF_TIME;
    private long version;

    public StandardUpdate() {}

    public StandardUpdate(long developerId, BigDecimal standard, long effectiveFrom, long version) {
        this.developerId = developerId;
        this.standard = standard;
        this.effectiveFrom = effectiveFrom;
        this.version = version;
    }

    public long getDeveloperId() {
        return developerId;
    }

    public void setDeveloperId(long developerId) {
        this.developerId = developerId;
    }

    public BigDecimal getStandard() {
        return standard;
    }

    public void setStandard(BigDecimal standard) {
        this.standard = standard;
    }

    public long getEffectiveFrom() {
        return effectiveFrom;
    }

    public void setEffectiveFrom(long effectiveFrom) {
        this.effectiveFrom = effectiveFrom;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StandardUpdate)) {
            return false;
        }
        StandardUpdate that = (StandardUpdate) o;
        return developerId == that.developerId
                && effectiveFrom == that.effectiveFrom
                && version == that.version
                && standard != null
                && that.standard != null
                && standard.compareTo(that.standard) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(developerId, effectiveFrom, version);
    }

    @Override
    public String toString() {
        return "StandardUpdate{developerId="
                + developerId
                + ", standard="
                + standard
                + ", effectiveFrom="
                + effectiveFrom
                + ", version="
                + version
                + '}';
    }
}
