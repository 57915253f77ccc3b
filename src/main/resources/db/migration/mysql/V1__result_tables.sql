-- Weekly availability of every developerId with callbacks that week (SPEC §4.1).
-- TIMESTAMP columns hold instants: the job's sessions use time_zone '+00:00'.
CREATE TABLE weekly_availability (
    developer_id         BIGINT         NOT NULL,
    week_start           DATE           NOT NULL,
    week_start_at        TIMESTAMP(3)   NOT NULL,
    week_end_at          TIMESTAMP(3)   NOT NULL,
    total_count          BIGINT         NOT NULL,
    failed_count         BIGINT         NOT NULL,
    connect_error_count  BIGINT         NOT NULL,
    timeout_count        BIGINT         NOT NULL,
    http_error_count     BIGINT         NOT NULL,
    bad_response_count   BIGINT         NOT NULL,
    main_failure_reason  VARCHAR(16),
    availability         DECIMAL(12,10) NOT NULL,
    standard             DECIMAL(12,10) NOT NULL,
    satisfied            BOOLEAN        NOT NULL,
    callback_type_counts TEXT           NOT NULL,
    revision             INTEGER        NOT NULL,
    first_judged_at      TIMESTAMP(3)   NOT NULL,
    updated_at           TIMESTAMP(3)   NOT NULL,
    PRIMARY KEY (developer_id, week_start),
    INDEX weekly_availability_breaches (week_start, satisfied)
);

CREATE VIEW availability_breach AS
SELECT developer_id, week_start, week_start_at, week_end_at, availability, standard,
       total_count, failed_count, main_failure_reason,
       connect_error_count, timeout_count, http_error_count, bad_response_count,
       revision, first_judged_at, updated_at
FROM weekly_availability
WHERE NOT satisfied;

CREATE TABLE alert_delivery (
    developer_id        BIGINT         NOT NULL,
    week_start          DATE           NOT NULL,
    open_id             VARCHAR(128)   NOT NULL,
    channel             VARCHAR(16)    NOT NULL,
    status              VARCHAR(16)    NOT NULL,
    attempts            INTEGER        NOT NULL,
    msgid               VARCHAR(64),
    client_msg_id       VARCHAR(64),
    last_error          VARCHAR(512),
    role                VARCHAR(32),
    account_type        VARCHAR(16),
    availability        DECIMAL(12,10) NOT NULL,
    standard            DECIMAL(12,10) NOT NULL,
    total_count         BIGINT         NOT NULL,
    failed_count        BIGINT         NOT NULL,
    main_failure_reason VARCHAR(16),
    created_at          TIMESTAMP(3)   NOT NULL,
    updated_at          TIMESTAMP(3)   NOT NULL,
    sent_at             TIMESTAMP(3)   NULL,
    PRIMARY KEY (developer_id, week_start, open_id, channel),
    INDEX alert_delivery_status (status, week_start)
);
