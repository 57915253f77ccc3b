package com.openplatform.availability.functions;

import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeliveryStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With no WeChat app configured, alerts are only logged and recorded as SKIPPED (docs/reference.md
 * §9).
 */
public class SkipDelivery implements MapFunction<AlertRequest, AlertRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SkipDelivery.class);

    @Override
    public AlertRequest map(AlertRequest alert) {
        if (alert.getStatus() == DeliveryStatus.PENDING) {
            alert.setStatus(DeliveryStatus.SKIPPED);
        }
        LOG.info("No WeChat app configured, alert recorded as {}: {}", alert.getStatus(), alert);
        return alert;
    }
}
