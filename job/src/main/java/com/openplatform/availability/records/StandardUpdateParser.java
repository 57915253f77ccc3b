package com.openplatform.availability.records;

import java.io.Serializable;
import java.math.BigDecimal;

/** Reads one availability standard update (docs/reference.md §2). */
public final class StandardUpdateParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Standards have at most as many decimals as the stored availability. */
    static final int MAX_STANDARD_SCALE = WeeklyResult.AVAILABILITY_SCALE;

    public StandardUpdate parse(byte[] raw) throws RecordRejectedException {
        StandardUpdate update = new StandardUpdate();
        RequiredFields seen = new RequiredFields("developerId", "standard", "version");
        StrictJson.readObject(
                raw,
                (field, parser) -> {
                    switch (field) {
                        case "developerId":
                            update.setDeveloperId(
                                    StrictJson.integer(parser, field, 0, Long.MAX_VALUE));
                            break;
                        case "standard":
                            update.setStandard(standard(StrictJson.decimal(parser, field)));
                            break;
                        case "effectiveFrom":
                            update.setEffectiveFrom(
                                    StrictJson.isNull(parser)
                                            ? StandardUpdate.BEGINNING_OF_TIME
                                            : StrictJson.integer(
                                                    parser, field, Long.MIN_VALUE, Long.MAX_VALUE));
                            break;
                        case "version":
                            update.setVersion(StrictJson.integer(parser, field, 0, Long.MAX_VALUE));
                            break;
                        default:
                            return false;
                    }
                    seen.mark(field);
                    return true;
                });
        seen.check();
        return update;
    }

    private static BigDecimal standard(BigDecimal value) throws RecordRejectedException {
        if (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD, "'standard' must be in (0, 1], found " + value);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > MAX_STANDARD_SCALE) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD,
                    "'standard' must have at most "
                            + MAX_STANDARD_SCALE
                            + " decimal places, found "
                            + value);
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
