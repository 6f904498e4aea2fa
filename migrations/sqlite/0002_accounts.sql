-- Accounts, sessions, refresh tokens, API keys, and who may see each chart.
-- Secrets are never stored: passwords as argon2id PHC strings, refresh tokens and API keys as
-- SHA-256 hex digests of their high-entropy raw values.

-- `public` (in the gallery), `unlisted` (reachable by id only) or `private` (owner and admins).
ALTER TABLE charts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
-- The gallery lists public charts newest first; `GET /api/me/charts` lists one owner's.
CREATE INDEX charts_visibility_created_at ON charts (visibility, created_at_ms);
CREATE INDEX charts_owner_created_at ON charts (owner, created_at_ms);

CREATE TABLE users (
    -- `usr_<base62>`: a namespace of its own, so local ids never collide with SSO user ids.
    id                 TEXT    PRIMARY KEY NOT NULL,
    -- Lowercased, so uniqueness is case-insensitive.
    email              TEXT    NOT NULL UNIQUE,
    name               TEXT,
    -- argon2id PHC string (salt and parameters included).
    password_hash      TEXT    NOT NULL,
    -- user, admin, super_admin or platform_admin.
    role               TEXT    NOT NULL DEFAULT 'user',
    -- 1: every token and key of the user stops working at once.
    disabled           INTEGER NOT NULL DEFAULT 0,
    -- Admin override of the per-minute API limit; NULL: the default tier, 0: unlimited.
    rate_limit_per_min INTEGER,
    created_at_ms      INTEGER NOT NULL,
    last_login_at_ms   INTEGER
);
CREATE INDEX users_created_at ON users (created_at_ms);

-- One row per login: access tokens carry its id (`sid`), refresh tokens belong to it. Revoking
-- it (logout, refresh-token reuse, disable) ends the access tokens and the refresh chain.
CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY NOT NULL,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    -- SHA-256 hex of the raw token.
    token_hash    TEXT    PRIMARY KEY NOT NULL,
    session_id    TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    -- Set when rotated; presenting a used token again revokes the whole session (family).
    used_at_ms    INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at_ms);

CREATE TABLE api_keys (
    -- `key_<base62>`.
    id               TEXT    PRIMARY KEY NOT NULL,
    user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    -- The first characters of the key, for display (`cc_live_AbC123`).
    prefix           TEXT    NOT NULL,
    -- SHA-256 hex of the raw key.
    key_hash         TEXT    NOT NULL UNIQUE,
    -- Space-separated: charts:write, charts:read, admin.
    scopes           TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    expires_at_ms    INTEGER,
    last_used_at_ms  INTEGER,
    revoked_at_ms    INTEGER
);
CREATE INDEX api_keys_user ON api_keys (user_id);
