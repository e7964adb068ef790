-- 0015 (SQLite): the slot column PostgreSQL's quarter totals are spread over (its 0015: concurrent writers there queued
-- for one row per group). SQLite has one writer at a time, so its triggers keep adding to slot 0; readers add the slots
-- up on both databases.
ALTER TABLE quarter_totals ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
