-- What a provider needs to find the cause of a bad week (docs/reference.md §6). Rows written before this
-- migration keep NULL until their week is written again.
ALTER TABLE weekly_availability
    ADD COLUMN latency_p50_ms      BIGINT,       -- nearest rank over callbacks with a response,
    ADD COLUMN latency_p95_ms      BIGINT,       -- within 1 % of the exact value; NULL: no response
    ADD COLUMN latency_p99_ms      BIGINT,
    ADD COLUMN peak_hour_start_at  TIMESTAMPTZ,  -- local hour with most callbacks (earliest of equals)
    ADD COLUMN peak_hour_count     BIGINT,
    ADD COLUMN worst_hour_start_at TIMESTAMPTZ,  -- local hour with most failures; NULL: none failed
    ADD COLUMN worst_hour_failed   BIGINT,
    ADD COLUMN worst_hour_total    BIGINT;

-- The breach view shows where to look, too: new columns go last (CREATE OR REPLACE VIEW).
CREATE OR REPLACE VIEW availability_breach AS
SELECT developer_id, week_start, week_start_at, week_end_at, availability, standard,
       total_count, failed_count, main_failure_reason,
       connect_error_count, timeout_count, http_error_count, bad_response_count,
       revision, first_judged_at, updated_at,
       latency_p50_ms, latency_p95_ms, latency_p99_ms,
       worst_hour_start_at, worst_hour_failed, worst_hour_total
FROM weekly_availability
WHERE NOT satisfied;
