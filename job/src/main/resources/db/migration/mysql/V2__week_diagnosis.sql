-- What a provider needs to find the cause of a bad week (docs/reference.md §6), with the meanings of the
-- PostgreSQL migration of the same version. Rows written before it keep NULL until their week is
-- written again. The TIMESTAMP columns say NULL DEFAULT NULL, so no server adds an automatic value.
ALTER TABLE weekly_availability
    ADD COLUMN latency_p50_ms      BIGINT       NULL,
    ADD COLUMN latency_p95_ms      BIGINT       NULL,
    ADD COLUMN latency_p99_ms      BIGINT       NULL,
    ADD COLUMN peak_hour_start_at  TIMESTAMP(3) NULL DEFAULT NULL,
    ADD COLUMN peak_hour_count     BIGINT       NULL,
    ADD COLUMN worst_hour_start_at TIMESTAMP(3) NULL DEFAULT NULL,
    ADD COLUMN worst_hour_failed   BIGINT       NULL,
    ADD COLUMN worst_hour_total    BIGINT       NULL;

CREATE OR REPLACE SQL SECURITY INVOKER VIEW availability_breach AS
SELECT developer_id, week_start, week_start_at, week_end_at, availability, standard,
       total_count, failed_count, main_failure_reason,
       connect_error_count, timeout_count, http_error_count, bad_response_count,
       revision, first_judged_at, updated_at,
       latency_p50_ms, latency_p95_ms, latency_p99_ms,
       worst_hour_start_at, worst_hour_failed, worst_hour_total
FROM weekly_availability
WHERE NOT satisfied;
