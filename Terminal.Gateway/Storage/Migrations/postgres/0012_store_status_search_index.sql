-- 0012 (PostgreSQL): the console's transaction search by store and status together (docs/benchmarks/console.md). Neither
-- ix_payments_store_created nor ix_payments_status_created serves the pair: with 1 % of a store's payments PENDING the
-- search walked the store's index row by row (about 5,000 table rows per page of 50). With both as equalities ahead of
-- created_at this index gives the page's order directly, like the single filters' indexes do.
CREATE INDEX ix_payments_store_status_created ON payments (reference_store_id, status, created_at, payment_request_id);
