-- Short URLs of the QuickChart-compatible `POST /chart/create`: the normalised chart request
-- (JSON text, the object the validator reads), rendered again on every `GET /chart/render/{id}`
-- through the render cache. Rows past `expires_at_ms` are never served and are deleted as new
-- ones are made. Plain and portable: TEXT and INTEGER only (BIGINT in PostgreSQL).
CREATE TABLE short_urls (
    -- 22 base62 characters (~131 random bits): unguessable, so a link is its own permission.
    id            TEXT    PRIMARY KEY NOT NULL,
    -- The chart object with the request's size, background, ratio and format in it.
    chart_json    TEXT    NOT NULL,
    -- Unix milliseconds, UTC.
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    -- API key id that made it, when made with a key; NULL for public requests.
    key_id        TEXT
);
CREATE INDEX short_urls_expires ON short_urls (expires_at_ms);
