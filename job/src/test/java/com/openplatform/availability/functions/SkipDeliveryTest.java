package com.openplatform.availability.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkipDeliveryTest {
    private static AlertRequest alert(DeliveryStatus status) {
        AlertRequest alert = new AlertRequest();
        alert.setDeveloperId(7);
        alert.setWeekStart("2026-11-16");
        alert.setOpenId(status == DeliveryStatus.NO_RECIPIENT ? AlertRequest.NO_OPEN_ID : "oX3f");
        alert.setStatus(status);
        return alert;
    }

    @ParameterizedTest(name = "{0} is recorded as {1}")
    @CsvSource({
        "PENDING, SKIPPED",
        "NO_RECIPIENT, NO_RECIPIENT",
        "SENT, SENT",
        "FAILED, FAILED",
        "UNREACHABLE, UNREACHABLE",
        "SKIPPED, SKIPPED"
    })
    void onlyPendingAlertsBecomeSkipped(DeliveryStatus before, DeliveryStatus after) {
        AlertRequest mapped = new SkipDelivery().map(alert(before));

        assertEquals(after, mapped.getStatus());
        assertEquals(7, mapped.getDeveloperId());
    }
}
