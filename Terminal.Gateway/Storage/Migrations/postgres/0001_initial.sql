-- 0001: devices, keys, transactions, idempotency keys, payments, refunds, notifications (PostgreSQL).
-- Times are epoch milliseconds (BIGINT) so the SQL of the stores is the same for SQLite and PostgreSQL.

CREATE TABLE devices (
    device_id             TEXT PRIMARY KEY,
    status                TEXT NOT NULL,            -- active | revoked
    reference_merchant_id TEXT NOT NULL,
    reference_store_id    TEXT NOT NULL,
    store_terminal_id     TEXT NOT NULL,
    max_amount_minor      BIGINT NULL,              -- NULL = no limit
    currencies            TEXT NOT NULL,            -- comma-separated ISO 4217 codes; empty = any
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);

CREATE TABLE device_keys (
    device_id      TEXT NOT NULL REFERENCES devices (device_id),
    key_version    BIGINT NOT NULL,
    key_ciphertext TEXT NOT NULL,                   -- AES-256-GCM, see KeyProtector
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT NULL,                     -- set when the device first signs with a newer version
    PRIMARY KEY (device_id, key_version)
);

CREATE TABLE transactions (
    id                    TEXT PRIMARY KEY,
    device_id             TEXT NOT NULL,
    operation             TEXT NOT NULL,            -- pay | inquiryPayment | cancel | refund | inquiryRefund
    request_path          TEXT NOT NULL,
    request_time          BIGINT NOT NULL,          -- the device's Request-Time
    received_at           BIGINT NOT NULL,
    payment_request_id    TEXT NULL,
    payment_id            TEXT NULL,
    refund_request_id     TEXT NULL,
    device_request_body   TEXT NOT NULL,
    upstream_request_body TEXT NULL,
    upstream_sent_at      BIGINT NULL,
    upstream_completed_at BIGINT NULL,
    upstream_attempts     BIGINT NOT NULL DEFAULT 0,
    upstream_outcome      TEXT NOT NULL,            -- pending | ok | timeout | transport_error | http_error | bad_signature | not_sent | from_notification
    upstream_http_status  BIGINT NULL,
    upstream_detail       TEXT NULL,
    response_body         TEXT NULL,
    result_status         TEXT NULL,
    result_code           TEXT NULL,
    responded_at          BIGINT NULL,
    instance              TEXT NOT NULL
);
CREATE INDEX ix_transactions_payment_request_id ON transactions (payment_request_id);
CREATE INDEX ix_transactions_device ON transactions (device_id, received_at);

CREATE TABLE idempotency_keys (
    replay_key     TEXT PRIMARY KEY,                -- hex SHA-256 of the device's content-to-sign
    device_id      TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    completed_at   BIGINT NULL,
    response_body  TEXT NULL
);
CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);

CREATE TABLE payments (
    payment_request_id    TEXT PRIMARY KEY,
    device_id             TEXT NOT NULL,
    reference_merchant_id TEXT NOT NULL,
    reference_store_id    TEXT NOT NULL,
    currency              TEXT NOT NULL,
    amount_minor          BIGINT NOT NULL,
    payment_id            TEXT NULL,
    status                TEXT NOT NULL,            -- latest known: PENDING | PROCESSING | SUCCESS | FAIL | CANCELLED
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_payments_payment_id ON payments (payment_id);

CREATE TABLE refunds (
    refund_request_id TEXT PRIMARY KEY,
    device_id         TEXT NOT NULL,
    payment_id        TEXT NOT NULL,
    currency          TEXT NOT NULL,
    amount_minor      BIGINT NOT NULL,
    refund_id         TEXT NULL,
    status            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_refunds_refund_id ON refunds (refund_id);

CREATE TABLE notifications (
    notification_key   TEXT PRIMARY KEY,            -- notifyType|paymentId-or-requestId|resultStatus|resultCode
    notify_type        TEXT NOT NULL,
    payment_request_id TEXT NULL,
    payment_id         TEXT NULL,
    result_status      TEXT NULL,
    result_code        TEXT NULL,
    client_id          TEXT NOT NULL,
    request_time       TEXT NOT NULL,
    body               TEXT NOT NULL,
    received_at        BIGINT NOT NULL,
    duplicates         BIGINT NOT NULL DEFAULT 0,
    last_received_at   BIGINT NOT NULL
);
CREATE INDEX ix_notifications_payment_request_id ON notifications (payment_request_id);
CREATE INDEX ix_notifications_payment_id ON notifications (payment_id);
