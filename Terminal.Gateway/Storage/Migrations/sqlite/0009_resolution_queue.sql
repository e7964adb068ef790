-- 0009 (SQLite): the resolution queue (docs/resolution-queue.md). One item per transaction whose outcome the gateway
-- still has to find for a device: a sale or void (paymentRequestId) or a refund (refundRequestId), entered when the
-- repair pass could not settle it or a heartbeat reported it for review. The background job works on an open item
-- when due_at has come (due_at is also its lease while an instance works on it, owner says which); what it cannot
-- resolve before give_up_at becomes an exception for an operator. resolution_events is every item's history and the
-- audit of operators' actions; the Antom calls themselves are resolution_steps.
CREATE TABLE resolution_items (
    id           TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,            -- sale | void | refund (the terminal's words)
    request_id   TEXT NOT NULL,            -- paymentRequestId (sale, void) or refundRequestId (refund)
    entered_at   BIGINT NOT NULL,
    entered_why  TEXT NOT NULL,            -- no_final_answer | device_review
    abandoned    BIGINT NOT NULL,          -- 1: the terminal gave the transaction up (Antom's rule applies)
    state        TEXT NOT NULL,            -- open | resolved | exception | closed
    due_at       BIGINT NULL,              -- open: when the job looks next (and its lease)
    owner        TEXT NULL,                -- the instance that claimed it last
    attempts     BIGINT NOT NULL,
    give_up_at   BIGINT NOT NULL,
    status       TEXT NULL,                -- the final status for the terminal: SUCCESS | FAILED | CANCELLED
    result_code  TEXT NULL,                -- GATEWAY_CANCELLED | GATEWAY_REFUNDED | GATEWAY_NOT_PAID | GATEWAY_CONFIRMED | GATEWAY_FAILED | OPERATOR_CLOSED
    exception    TEXT NULL,                -- still_unknown | refused | unknown_reference | contradiction
    detail       TEXT NULL,                -- what the job learnt last, in words
    updated_at   BIGINT NOT NULL,
    closed_by    TEXT NULL,
    closed_at    BIGINT NULL,
    close_note   TEXT NULL,
    UNIQUE (device_id, kind, request_id)
);
CREATE INDEX ix_resolution_items_due ON resolution_items (due_at) WHERE state = 'open';
CREATE INDEX ix_resolution_items_state ON resolution_items (state, updated_at);
CREATE INDEX ix_resolution_items_request_id ON resolution_items (request_id);

CREATE TABLE resolution_events (
    id       TEXT PRIMARY KEY,
    item_id  TEXT NOT NULL,
    seq      BIGINT NOT NULL,              -- 1, 2, ... per item: the order (every event is written after its item's row, which serializes them)
    at       BIGINT NOT NULL,
    actor    TEXT NOT NULL,                -- the instance (the job) or the operator's name
    event    TEXT NOT NULL,                -- entered | abandoned | waiting | resolved | exception | retry | closed
    detail   TEXT NOT NULL,
    step_id  TEXT NULL                     -- the resolution step it came from, if any
);
CREATE UNIQUE INDEX ix_resolution_events_item ON resolution_events (item_id, seq);
