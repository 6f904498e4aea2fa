-- PostgreSQL twin of migrations/sqlite/0003_short_urls.sql: the short URLs of `POST
-- /chart/create`, with BIGINT for SQLite's 64-bit INTEGER.
CREATE TABLE short_urls (
    id            TEXT    PRIMARY KEY NOT NULL,
    chart_json    TEXT    NOT NULL,
    -- Unix milliseconds, UTC.
    created_at_ms BIGINT  NOT NULL,
    expires_at_ms BIGINT  NOT NULL,
    key_id        TEXT
);
CREATE INDEX short_urls_expires ON short_urls (expires_at_ms);
