package com.openplatform.availability.functions;

import com.openplatform.availability.records.StandardHistory;
import com.openplatform.availability.records.StandardUpdate;
import java.math.BigDecimal;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/** The standard of a developerId's week (docs/reference.md §3.2) from the broadcast standards. */
final class Standards {
    private Standards() {}

    /** Records an update; says whether the choice of standard may have changed for some week. */
    static boolean remember(BroadcastState<Long, StandardHistory> standards, StandardUpdate update)
            throws Exception {
        StandardHistory history = standards.get(update.getDeveloperId());
        if (history == null) {
            history = new StandardHistory();
        }
        if (!history.add(update)) {
            return false;
        }
        standards.put(update.getDeveloperId(), history);
        return true;
    }

    /** Own standard, else the developerId-0 standard, else {@code defaultStandard}. */
    static BigDecimal of(
            long developerId,
            long weekEnd,
            ReadOnlyBroadcastState<Long, StandardHistory> standards,
            BigDecimal defaultStandard)
            throws Exception {
        StandardHistory own = standards.get(developerId);
        BigDecimal standard = own == null ? null : own.standardFor(weekEnd);
        if (standard == null) {
            StandardHistory platform = standards.get(0L);
            standard = platform == null ? null : platform.standardFor(weekEnd);
        }
        return standard == null ? defaultStandard : standard;
    }
}
