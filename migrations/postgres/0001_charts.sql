-- PostgreSQL twin of migrations/sqlite/0001_charts.sql: the same tables and columns. Integers are
-- BIGINT (SQLite's INTEGER is 64-bit), and `seq` stands in for SQLite's implicit rowid: it breaks
-- ties between charts created in the same millisecond, in insert order.
CREATE TABLE charts (
    id            TEXT    PRIMARY KEY NOT NULL,
    chart_type    TEXT    NOT NULL,
    theme         TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    width         BIGINT  NOT NULL,
    height        BIGINT  NOT NULL,
    title         TEXT,
    narrative     TEXT,
    render_ms     BIGINT  NOT NULL,
    -- Unix milliseconds, UTC.
    created_at_ms BIGINT  NOT NULL,
    owner         TEXT,
    size_bytes    BIGINT  NOT NULL,
    seq           BIGINT  GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX charts_created_at ON charts (created_at_ms, seq);
CREATE INDEX charts_type_created_at ON charts (chart_type, created_at_ms, seq);
