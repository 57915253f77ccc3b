-- The result tables on MySQL 8 / MariaDB 10.6+ (SPEC §4.1), with the meanings of the PostgreSQL
-- migration of the same version:
--  * decimals are exact DECIMAL; week_start is a DATE (the local date of the Monday in --week.zone);
--  * TIMESTAMP(3) columns hold instants. The job's sessions use time_zone '+00:00' (JdbcOptions),
--    so values are written as UTC; a client sees them in its own session time zone. TIMESTAMP ends
--    at 2038-01-19 03:14:07 UTC on MySQL and MariaDB < 11.5;
--  * every TIMESTAMP has an explicit DEFAULT, so a server with explicit_defaults_for_timestamp=OFF
--    does not add ON UPDATE CURRENT_TIMESTAMP to the first one (which would rewrite week_start_at
--    on every correction);
--  * text compares case- and space-sensitively (utf8mb4_bin), as in PostgreSQL: two openIds that
--    differ only in case are two rows of alert_delivery, and a callback type renamed in case is a
--    change of callback_type_counts.
CREATE TABLE weekly_availability (
    developer_id         BIGINT         NOT NULL,
    week_start           DATE           NOT NULL,
    week_start_at        TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    week_end_at          TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    total_count          BIGINT         NOT NULL,
    failed_count         BIGINT         NOT NULL,
    connect_error_count  BIGINT         NOT NULL,
    timeout_count        BIGINT         NOT NULL,
    http_error_count     BIGINT         NOT NULL,
    bad_response_count   BIGINT         NOT NULL,
    main_failure_reason  VARCHAR(16),
    availability         DECIMAL(12,10) NOT NULL,  -- valid/total, rounded down
    standard             DECIMAL(12,10) NOT NULL,
    satisfied            BOOLEAN        NOT NULL,  -- exact: valid >= standard * total
    callback_type_counts TEXT           NOT NULL,  -- JSON {"type":{"total":n,"failed":n},...}
    revision             INTEGER        NOT NULL,  -- 1, then +1 for every correction
    first_judged_at      TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at           TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (developer_id, week_start),
    INDEX weekly_availability_breaches (week_start, satisfied)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The weeks not satisfied, with the numbers the alert shows. A view, so that a correction of a
-- week can never leave the two disagreeing. SQL SECURITY INVOKER: it does not depend on the
-- account that ran the migration.
CREATE SQL SECURITY INVOKER VIEW availability_breach AS
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
    availability        DECIMAL(12,10) NOT NULL,
    standard            DECIMAL(12,10) NOT NULL,
    total_count         BIGINT         NOT NULL,
    failed_count        BIGINT         NOT NULL,
    main_failure_reason VARCHAR(16),
    created_at          TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at          TIMESTAMP(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    sent_at             TIMESTAMP(3)   NULL DEFAULT NULL,
    PRIMARY KEY (developer_id, week_start, open_id, channel),
    INDEX alert_delivery_status (status, week_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
