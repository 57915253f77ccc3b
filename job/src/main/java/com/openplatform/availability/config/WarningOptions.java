package com.openplatform.availability.config;

import com.openplatform.availability.records.BurnRules;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The in-week evaluation (docs/reference.md §10): whether it runs (warnings and the {@code
 * week_to_date} table), the burn-rate thresholds, and how old an evaluation point may be for its
 * warning to be sent.
 */
public record WarningOptions(
        boolean enabled,
        BigDecimal fastBurnRate,
        BigDecimal slowBurnRate,
        long minCallbacks,
        Duration maxAge) {

    public WarningOptions {
        if (fastBurnRate.signum() <= 0) {
            throw new ConfigException("--warning.fast-burn-rate must be positive");
        }
        if (slowBurnRate.signum() <= 0) {
            throw new ConfigException("--warning.slow-burn-rate must be positive");
        }
        if (minCallbacks < 1) {
            throw new ConfigException("--warning.min-callbacks must be at least 1");
        }
        if (maxAge.isNegative()) {
            throw new ConfigException("--warning.max-age must not be negative");
        }
    }

    public BurnRules rules() {
        return new BurnRules(fastBurnRate, slowBurnRate, minCallbacks);
    }
}
