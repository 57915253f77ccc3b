-- The running week and its early warnings (docs/reference.md §10).

-- The alert ledger holds warnings too: kind is part of the key, so a week can have one breach
-- alert and one warning per openId. Rows written before this migration are breach alerts.
ALTER TABLE alert_delivery
    ADD COLUMN kind                VARCHAR(16)    NOT NULL DEFAULT 'BREACH',  -- BREACH or WARNING; the default: rows of the release before, and its inserts after a rollback
    ADD COLUMN rule                VARCHAR(16),     -- a warning's rule: FAST_BURN SLOW_BURN BUDGET_SPENT
    ADD COLUMN as_of               TIMESTAMPTZ,     -- a warning's evaluation point (an hour boundary)
    ADD COLUMN window_availability NUMERIC(12,10);  -- availability over the rule's window
ALTER TABLE alert_delivery DROP CONSTRAINT alert_delivery_pkey;
ALTER TABLE alert_delivery ADD PRIMARY KEY (developer_id, week_start, open_id, channel, kind);

-- One row per developerId and running week, rewritten at every local hour boundary as_of at which
-- the week has callbacks before it; at the week's end its counts equal the week's first
-- weekly_availability row.
CREATE TABLE week_to_date (
    developer_id        BIGINT         NOT NULL,
    week_start          DATE           NOT NULL,  -- local date of the Monday, in --week.zone
    week_start_at       TIMESTAMPTZ    NOT NULL,
    week_end_at         TIMESTAMPTZ    NOT NULL,
    as_of               TIMESTAMPTZ    NOT NULL,  -- the counts are of [week_start_at, as_of)
    total_count         BIGINT         NOT NULL,
    failed_count        BIGINT         NOT NULL,
    connect_error_count BIGINT         NOT NULL,
    timeout_count       BIGINT         NOT NULL,
    http_error_count    BIGINT         NOT NULL,
    bad_response_count  BIGINT         NOT NULL,
    availability        NUMERIC(12,10) NOT NULL,  -- valid/total, rounded down
    standard            NUMERIC(12,10) NOT NULL,  -- the week's standard as known at as_of
    burn_rate_1h        NUMERIC(16,4),            -- (failed/total)/(1 - standard) over the hour
    burn_rate_6h        NUMERIC(16,4),            -- … over the six hours before as_of; NULL: none
    on_track            BOOLEAN        NOT NULL,  -- false while the week's budget is spent
    updated_at          TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (developer_id, week_start)
);

CREATE INDEX week_to_date_off_track ON week_to_date (week_start) WHERE NOT on_track;
