-- 0002: when a cancel was first forwarded for a payment (PostgreSQL). Set before the cancel is sent, whatever
-- Antom answers; from then on a recorded notification no longer answers inquiries of that payment (docs/gateway.md).
ALTER TABLE payments ADD COLUMN cancel_forwarded_at BIGINT NULL;
