-- 0004 (PostgreSQL): resolution of requests left pending by a crash (docs/gateway.md, "After a crash"). An instance
-- claims a stale pending row with a lease (owner, until when) before it inquires at Antom; attempts count for backoff.
ALTER TABLE transactions ADD COLUMN resolve_owner TEXT NULL;
ALTER TABLE transactions ADD COLUMN resolve_lease_until BIGINT NULL;
ALTER TABLE transactions ADD COLUMN resolve_attempts BIGINT NOT NULL DEFAULT 0;
CREATE INDEX ix_transactions_pending ON transactions (received_at) WHERE upstream_outcome = 'pending';
CREATE INDEX ix_idempotency_keys_transaction_id ON idempotency_keys (transaction_id);
