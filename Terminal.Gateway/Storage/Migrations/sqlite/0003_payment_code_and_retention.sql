-- 0003 (SQLite): the customer's payment code kept only as a keyed hash (idempotency checks; stored bodies carry it
-- masked), and indexes for the retention purge (docs/gateway.md, "Retention").
ALTER TABLE payments ADD COLUMN payment_code_hash TEXT NULL;
CREATE INDEX ix_transactions_received_at ON transactions (received_at);
CREATE INDEX ix_notifications_last_received_at ON notifications (last_received_at);
CREATE INDEX ix_payments_updated_at ON payments (updated_at);
CREATE INDEX ix_refunds_updated_at ON refunds (updated_at);
CREATE INDEX ix_refunds_payment_id ON refunds (payment_id);
