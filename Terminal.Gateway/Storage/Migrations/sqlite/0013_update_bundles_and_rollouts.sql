-- 0012 (SQLite): over-the-air updates (docs/ota.md, "At the gateway"). update_bundles keeps each uploaded bundle's
-- manifest (its exact bytes: the device checks the MAC over them) and, once deleted, a tombstone so that a version
-- never names another bundle; update_bundle_files holds the files (at most 16 of at most 256 KB each) in the
-- database, so that every gateway instance on one database serves them. update_rollouts plans a version for devices,
-- stores or a percentage of the fleet; device_updates is each device's update state within a rollout.
CREATE TABLE update_bundles (
    version TEXT PRIMARY KEY,
    manifest BLOB NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    entry TEXT NOT NULL,
    file_count INTEGER NOT NULL,
    total_bytes INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL,
    uploaded_by TEXT NOT NULL,
    deleted_at INTEGER NULL
);
CREATE TABLE update_bundle_files (
    version TEXT NOT NULL REFERENCES update_bundles (version),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (version, name)
);
CREATE TABLE update_rollouts (
    rollout_id INTEGER PRIMARY KEY,
    version TEXT NOT NULL,
    devices TEXT NULL,
    stores TEXT NULL,
    percent INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    allow_downgrade INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX update_rollouts_state ON update_rollouts (state);
CREATE TABLE device_updates (
    rollout_id INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    version TEXT NOT NULL,
    state TEXT NOT NULL,
    bytes INTEGER NULL,
    reason TEXT NULL,
    since INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (rollout_id, device_id)
);
CREATE INDEX device_updates_device ON device_updates (device_id);
