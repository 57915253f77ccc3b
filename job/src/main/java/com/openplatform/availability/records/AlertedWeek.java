package com.openplatform.availability.records;

import java.util.ArrayList;
import java.util.List;

/** A week that breached at some point: its latest result and whom it was alerted to. */
public class AlertedWeek {
    private WeeklyResult latest;

    /** The openIds alerted, and {@link AlertRequest#NO_OPEN_ID} if a no-recipient row was made. */
    private List<String> openIds = new ArrayList<>();

    public AlertedWeek() {}

    public WeeklyResult getLatest() {
        return latest;
    }

    public void setLatest(WeeklyResult latest) {
        this.latest = latest;
    }

    public List<String> getOpenIds() {
        return openIds;
    }

    public void setOpenIds(List<String> openIds) {
        this.openIds = openIds;
    }
}
