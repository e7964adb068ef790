-- 0006 (SQLite): payment state that only moves forward, is repaired from what was recorded, and is driven to a final
-- status by the resolver (docs/gateway.md, "Payment state" and "The resolver").
-- status_source: which record last moved the status. check_after: when the repair pass looks at an open row next
-- (also its lease while an instance works on it); checks: how often it has, for the backoff.
ALTER TABLE payments ADD COLUMN status_source TEXT NULL;
ALTER TABLE payments ADD COLUMN check_after BIGINT NULL;
ALTER TABLE payments ADD COLUMN checks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN status_source TEXT NULL;
ALTER TABLE refunds ADD COLUMN check_after BIGINT NULL;
ALTER TABLE refunds ADD COLUMN checks BIGINT NOT NULL DEFAULT 0;
-- Rows left open before this version (some of them by the lost updates this version fixes) are repaired first.
UPDATE payments SET check_after = updated_at WHERE status IN ('PENDING', 'PROCESSING');
UPDATE refunds SET check_after = updated_at WHERE status IN ('PENDING', 'PROCESSING');
CREATE INDEX ix_payments_open ON payments (check_after) WHERE status IN ('PENDING', 'PROCESSING');
CREATE INDEX ix_refunds_open ON refunds (check_after) WHERE status IN ('PENDING', 'PROCESSING');
CREATE INDEX ix_transactions_refund_request_id ON transactions (refund_request_id);

-- Every call the resolver makes to Antom on its own (not for a device request in flight), recorded before it is sent
-- and completed with Antom's answer in the same database transaction as the state it proves.
CREATE TABLE resolution_steps (
    id               TEXT PRIMARY KEY,
    subject          TEXT NOT NULL,            -- payment | refund
    request_id       TEXT NOT NULL,            -- paymentRequestId or refundRequestId
    transaction_id   TEXT NULL,                -- the device request the step resolves, if any
    reason           TEXT NOT NULL,            -- stale_request | repair | ...
    operation        TEXT NOT NULL,            -- inquiryPayment | inquiryRefund | cancel | refund
    request_body     TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    upstream_outcome TEXT NOT NULL,            -- pending until answered, then as transactions.upstream_outcome
    response_body    TEXT NULL,
    result_status    TEXT NULL,
    result_code      TEXT NULL,
    learnt_antom_id  TEXT NULL,                -- paymentId or refundId the answer named
    learnt_status    TEXT NULL,                -- paymentStatus or refundStatus the answer proved
    completed_at     BIGINT NULL,
    instance         TEXT NOT NULL
);
CREATE INDEX ix_resolution_steps_request ON resolution_steps (subject, request_id);
CREATE INDEX ix_resolution_steps_antom_id ON resolution_steps (learnt_antom_id);
CREATE INDEX ix_resolution_steps_started_at ON resolution_steps (started_at);
