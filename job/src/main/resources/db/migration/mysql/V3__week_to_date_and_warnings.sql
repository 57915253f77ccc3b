-- The running week and its early warnings (docs/reference.md §10), with the meanings of the
-- PostgreSQL migration of the same version. Rows of alert_delivery written before it are breach
-- alerts.
ALTER TABLE alert_delivery
    ADD COLUMN kind                VARCHAR(16)    NOT NULL DEFAULT 'BREACH',
    ADD COLUMN rule                VARCHAR(16)    NULL,
    ADD COLUMN as_of               TIMESTAMP(3)   NULL DEFAULT NULL,
    ADD COLUMN window_availability DECIMAL(12,10) NULL,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (developer_id, week_start, open_id, channel, kind);

CREATE TABLE week_to_date (
    developer_id        BIGINT         NOT NULL,
    week_start          DATE           NOT NULL,
    week_start_at       TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    week_end_at         TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    as_of               TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    total_count         BIGINT         NOT NULL,
    failed_count        BIGINT         NOT NULL,
    connect_error_count BIGINT         NOT NULL,
    timeout_count       BIGINT         NOT NULL,
    http_error_count    BIGINT         NOT NULL,
    bad_response_count  BIGINT         NOT NULL,
    availability        DECIMAL(12,10) NOT NULL,
    standard            DECIMAL(12,10) NOT NULL,
    burn_rate_1h        DECIMAL(16,4)  NULL,
    burn_rate_6h        DECIMAL(16,4)  NULL,
    on_track            BOOLEAN        NOT NULL,
    updated_at          TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (developer_id, week_start),
    INDEX week_to_date_week (week_start, on_track)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
