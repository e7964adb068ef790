-- 0011 (SQLite): the end-of-day totals and reconciliation read a day's payments and refunds by created_at
-- (docs/reconciliation.md). Covering indexes: the totals are summed from the index alone, without visiting the rows.
CREATE INDEX ix_payments_day ON payments (created_at, reference_store_id, device_id, currency, status, amount_minor);
CREATE INDEX ix_refunds_day ON refunds (created_at, device_id, currency, status, amount_minor, payment_id);
