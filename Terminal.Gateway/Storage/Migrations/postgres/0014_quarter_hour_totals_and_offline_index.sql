-- 0014 (PostgreSQL): two things the console's pages measured too slow at 10,000 terminals and 1,000,000 payments
-- (docs/benchmarks/console.md).
--
-- 1. Counts and sums of payments and refunds per quarter hour (UTC) of their creation, currency and status, kept by
-- triggers in the same transaction as every insert, status change and delete of a payment or refund, whoever writes it.
-- A quarter hour is created_at / 900000: every time zone's offset is a whole number of quarter hours, so a business day
-- in the merchant's zone, and each of its hours, is a range of quarters. The whole fleet's totals of a day (96 quarters)
-- and the Overview's sales per hour are sums of a few hundred rows here instead of a pass over the day's payments. Rows
-- are never removed; a group whose records all moved on holds zeros.
CREATE TABLE quarter_totals (
    quarter      BIGINT NOT NULL,               -- created_at / 900000 (UTC quarter hour of creation)
    kind         TEXT NOT NULL,                 -- payment | refund
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL,
    records      BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (quarter, kind, currency, status)
);

INSERT INTO quarter_totals (quarter, kind, currency, status, records, amount_minor)
SELECT created_at / 900000, 'payment', currency, status, COUNT(*), SUM(amount_minor) FROM payments GROUP BY created_at / 900000, currency, status;
INSERT INTO quarter_totals (quarter, kind, currency, status, records, amount_minor)
SELECT created_at / 900000, 'refund', currency, status, COUNT(*), SUM(amount_minor) FROM refunds GROUP BY created_at / 900000, currency, status;

-- TG_ARGV[0]: the kind. The search path is the one the migration ran with, so the function finds quarter_totals in its
-- own schema whatever the writing session's path is.
CREATE FUNCTION quarter_totals_count() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO quarter_totals AS t (quarter, kind, currency, status, records, amount_minor)
        VALUES (OLD.created_at / 900000, TG_ARGV[0], OLD.currency, OLD.status, -1, -OLD.amount_minor)
        ON CONFLICT (quarter, kind, currency, status) DO UPDATE SET records = t.records + EXCLUDED.records, amount_minor = t.amount_minor + EXCLUDED.amount_minor;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO quarter_totals AS t (quarter, kind, currency, status, records, amount_minor)
        VALUES (NEW.created_at / 900000, TG_ARGV[0], NEW.currency, NEW.status, 1, NEW.amount_minor)
        ON CONFLICT (quarter, kind, currency, status) DO UPDATE SET records = t.records + EXCLUDED.records, amount_minor = t.amount_minor + EXCLUDED.amount_minor;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tr_payments_quarter_totals_insert_delete AFTER INSERT OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION quarter_totals_count('payment');
CREATE TRIGGER tr_payments_quarter_totals_update AFTER UPDATE OF created_at, currency, status, amount_minor ON payments
    FOR EACH ROW WHEN (OLD.created_at <> NEW.created_at OR OLD.currency <> NEW.currency OR OLD.status <> NEW.status OR OLD.amount_minor <> NEW.amount_minor)
    EXECUTE FUNCTION quarter_totals_count('payment');
CREATE TRIGGER tr_refunds_quarter_totals_insert_delete AFTER INSERT OR DELETE ON refunds
    FOR EACH ROW EXECUTE FUNCTION quarter_totals_count('refund');
CREATE TRIGGER tr_refunds_quarter_totals_update AFTER UPDATE OF created_at, currency, status, amount_minor ON refunds
    FOR EACH ROW WHEN (OLD.created_at <> NEW.created_at OR OLD.currency <> NEW.currency OR OLD.status <> NEW.status OR OLD.amount_minor <> NEW.amount_minor)
    EXECUTE FUNCTION quarter_totals_count('refund');

-- 2. The Fleet page's offline filter: a terminal is offline once no heartbeat came for 3 of its intervals
-- (FleetHealth.OfflineAfterIntervals; FleetQuery writes this same expression). Indexed, the expression also gets its own
-- statistics, so the planners know how many terminals are offline instead of guessing.
CREATE INDEX ix_device_health_offline_at ON device_health ((received_at + 3 * interval_ms));
