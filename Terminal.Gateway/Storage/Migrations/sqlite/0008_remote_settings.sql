-- 0007 (SQLite): remote settings (docs/fleet-link.md, "Remote settings"). One document of values per scope
-- (fleet: scope_id '', store: the device's referenceStoreId, device: its id); every change takes the next version of
-- settings_audit, whose primary key makes two concurrent changes (two instances) take different versions.
CREATE TABLE settings_documents (
    scope TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    document TEXT NOT NULL,
    version INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (scope, scope_id)
);
CREATE TABLE settings_audit (
    version INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    document_before TEXT NULL,
    document_after TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL
);
