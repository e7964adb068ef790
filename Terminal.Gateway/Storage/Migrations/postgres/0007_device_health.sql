-- 0006 (PostgreSQL): the terminals' heartbeats (docs/fleet-link.md). device_health holds the latest heartbeat of each
-- device as received (its body, checked) with what the gateway derived from it; device_heartbeats a bounded history
-- of the figures a console draws (the newest HeartbeatHistoryLength beats per device; older rows are deleted on insert).
CREATE TABLE device_health (
    device_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    request_time BIGINT NOT NULL,
    interval_ms BIGINT NOT NULL,
    firmware TEXT NOT NULL,
    degraded TEXT NULL,
    body TEXT NOT NULL,
    beats BIGINT NOT NULL
);
CREATE TABLE device_heartbeats (
    device_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    uptime_s BIGINT NOT NULL,
    heap_bytes BIGINT NULL,
    wifi_rssi BIGINT NULL,
    degraded TEXT NULL,
    PRIMARY KEY (device_id, received_at)
);
