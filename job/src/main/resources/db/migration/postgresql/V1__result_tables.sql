-- Weekly availability of every developerId with callbacks that week (SPEC §4.1).
CREATE TABLE weekly_availability (
    developer_id         BIGINT         NOT NULL,
    week_start           DATE           NOT NULL,  -- local date of the Monday, in --week.zone
    week_start_at        TIMESTAMPTZ    NOT NULL,
    week_end_at          TIMESTAMPTZ    NOT NULL,
    total_count          BIGINT         NOT NULL,
    failed_count         BIGINT         NOT NULL,
    connect_error_count  BIGINT         NOT NULL,
    timeout_count        BIGINT         NOT NULL,
    http_error_count     BIGINT         NOT NULL,
    bad_response_count   BIGINT         NOT NULL,
    main_failure_reason  VARCHAR(16),
    availability         NUMERIC(12,10) NOT NULL,  -- valid/total, rounded down
    standard             NUMERIC(12,10) NOT NULL,
    satisfied            BOOLEAN        NOT NULL,  -- exact: valid >= standard * total
    callback_type_counts TEXT           NOT NULL,  -- JSON {"type":{"total":n,"failed":n},...}
    revision             INTEGER        NOT NULL,  -- 1, then +1 for every correction
    first_judged_at      TIMESTAMPTZ    NOT NULL,
    updated_at           TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (developer_id, week_start)
);

CREATE INDEX weekly_availability_breaches ON weekly_availability (week_start) WHERE NOT satisfied;

-- The weeks not satisfied, with the numbers the alert shows. A view, so that a correction of a
-- week can never leave the two disagreeing.
CREATE VIEW availability_breach AS
SELECT developer_id, week_start, week_start_at, week_end_at, availability, standard,
       total_count, failed_count, main_failure_reason,
       connect_error_count, timeout_count, http_error_count, bad_response_count,
       revision, first_judged_at, updated_at
FROM weekly_availability
WHERE NOT satisfied;

-- The alert delivery ledger: one row per (developer_id, week_start, open_id, channel).
CREATE TABLE alert_delivery (
    developer_id        BIGINT         NOT NULL,
    week_start          DATE           NOT NULL,
    open_id             VARCHAR(128)   NOT NULL,  -- '' for NO_RECIPIENT
    channel             VARCHAR(16)    NOT NULL,
    status              VARCHAR(16)    NOT NULL,  -- PENDING SENT FAILED UNREACHABLE SKIPPED NO_RECIPIENT
    attempts            INTEGER        NOT NULL,
    msgid               VARCHAR(64),
    client_msg_id       VARCHAR(64),
    last_error          VARCHAR(512),
    role                VARCHAR(32),
    account_type        VARCHAR(16),
    availability        NUMERIC(12,10) NOT NULL,
    standard            NUMERIC(12,10) NOT NULL,
    total_count         BIGINT         NOT NULL,
    failed_count        BIGINT         NOT NULL,
    main_failure_reason VARCHAR(16),
    created_at          TIMESTAMPTZ    NOT NULL,
    updated_at          TIMESTAMPTZ    NOT NULL,
    sent_at             TIMESTAMPTZ,
    PRIMARY KEY (developer_id, week_start, open_id, channel)
);

CREATE INDEX alert_delivery_status ON alert_delivery (status, week_start);
