package com.openplatform.availability.records;

import java.util.ArrayList;
import java.util.List;

/** A running week's early warning and whom it was sent to. */
public class WarnedWeek {
    private AlertRequest warning;

    /** The openIds warned, and {@link AlertRequest#NO_OPEN_ID} if a no-recipient row was made. */
    private List<String> openIds = new ArrayList<>();

    public WarnedWeek() {}

    public WarnedWeek(AlertRequest warning) {
        this.warning = warning;
    }

    public AlertRequest getWarning() {
        return warning;
    }

    public void setWarning(AlertRequest warning) {
        this.warning = warning;
    }

    public List<String> getOpenIds() {
        return openIds;
    }

    public void setOpenIds(List<String> openIds) {
        this.openIds = openIds;
    }
}
