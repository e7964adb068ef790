-- 0010 (postgres): the operations console (docs/console.md). Accounts with a role, a standard password hash and a lockout
-- counter; an append-only audit of every console action; the order reference of a payment (order.referenceOrderId,
-- what a cashier and a customer quote) and the indexes the console's searches are measured with (docs/benchmarks/console.md).
CREATE TABLE console_users (
    username        TEXT PRIMARY KEY,           -- lower case
    role            TEXT NOT NULL,              -- operator | technician | viewer
    password_hash   TEXT NOT NULL,              -- ASP.NET Core Identity PasswordHasher v3 (PBKDF2-HMAC-SHA512)
    stamp           TEXT NOT NULL,              -- changes with password, role or state: older sessions end
    disabled        BIGINT NOT NULL DEFAULT 0,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT NULL,
    last_login_at   BIGINT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE console_audit (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    username  TEXT NOT NULL,                    -- who (or the name tried, for a failed login)
    action    TEXT NOT NULL,                    -- login | login_failed | refund | settings | revoke | rotate_key | ...
    subject   TEXT NULL,                        -- what: a paymentRequestId, a deviceId, a settings scope
    detail    TEXT NULL,
    address   TEXT NULL                         -- the client's address
);
CREATE INDEX ix_console_audit_at ON console_audit (at);
CREATE INDEX ix_console_audit_subject ON console_audit (subject);

ALTER TABLE payments ADD COLUMN reference_order_id TEXT NULL;
CREATE INDEX ix_payments_created ON payments (created_at, payment_request_id);
CREATE INDEX ix_payments_store_created ON payments (reference_store_id, created_at, payment_request_id);
CREATE INDEX ix_payments_device_created ON payments (device_id, created_at, payment_request_id);
-- With currency and amount, the Overview's sales per hour read this index alone.
CREATE INDEX ix_payments_status_created ON payments (status, created_at, payment_request_id, currency, amount_minor);
CREATE INDEX ix_payments_amount_created ON payments (amount_minor, created_at, payment_request_id);
CREATE INDEX ix_payments_reference ON payments (reference_order_id);
CREATE INDEX ix_transactions_payment_id ON transactions (payment_id);
CREATE INDEX ix_devices_store ON devices (reference_store_id, device_id);
-- The Fleet page's needs-review count per terminal: open payments the repair pass no longer retries.
CREATE INDEX ix_payments_needs_review ON payments (device_id) WHERE status IN ('PENDING', 'PROCESSING') AND check_after IS NULL;
