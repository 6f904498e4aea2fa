-- One row per stored chart. The image and metadata bytes live on disk as `<id>.<format>` and
-- `<id>.json`; a row is written only after both files are durable, so a row means a whole chart.
CREATE TABLE charts (
    -- Hyphenated lowercase UUID, the stem of the chart's file names.
    id            TEXT    PRIMARY KEY NOT NULL,
    chart_type    TEXT    NOT NULL,
    theme         TEXT    NOT NULL,
    -- "png" or "webp": the image file's extension.
    format        TEXT    NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    title         TEXT,
    narrative     TEXT,
    render_ms     INTEGER NOT NULL,
    -- Unix milliseconds, UTC: integers sort exactly, unlike mixed-precision RFC 3339 text.
    created_at_ms INTEGER NOT NULL,
    -- User id; NULL for anonymous or internal charts.
    owner         TEXT,
    -- Image size in bytes.
    size_bytes    INTEGER NOT NULL
);

-- The gallery lists newest first, optionally of one type; rowid (implicit in both indexes)
-- breaks ties between charts created in the same millisecond.
CREATE INDEX charts_created_at ON charts (created_at_ms);
CREATE INDEX charts_type_created_at ON charts (chart_type, created_at_ms);
