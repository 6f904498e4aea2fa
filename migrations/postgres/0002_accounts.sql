-- PostgreSQL twin of migrations/sqlite/0002_accounts.sql (comments on the columns there).
-- Integers are BIGINT; `seq` stands in for SQLite's rowid as the insert-order tie-break.

ALTER TABLE charts ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
CREATE INDEX charts_visibility_created_at ON charts (visibility, created_at_ms, seq);
CREATE INDEX charts_owner_created_at ON charts (owner, created_at_ms, seq);

CREATE TABLE users (
    id                 TEXT    PRIMARY KEY NOT NULL,
    email              TEXT    NOT NULL UNIQUE,
    name               TEXT,
    password_hash      TEXT    NOT NULL,
    role               TEXT    NOT NULL DEFAULT 'user',
    disabled           BIGINT  NOT NULL DEFAULT 0,
    rate_limit_per_min BIGINT,
    created_at_ms      BIGINT  NOT NULL,
    last_login_at_ms   BIGINT,
    seq                BIGINT  GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX users_created_at ON users (created_at_ms, seq);

CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY NOT NULL,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms BIGINT  NOT NULL,
    revoked_at_ms BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash    TEXT    PRIMARY KEY NOT NULL,
    session_id    TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at_ms BIGINT  NOT NULL,
    expires_at_ms BIGINT  NOT NULL,
    used_at_ms    BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at_ms);

CREATE TABLE api_keys (
    id               TEXT    PRIMARY KEY NOT NULL,
    user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    prefix           TEXT    NOT NULL,
    key_hash         TEXT    NOT NULL UNIQUE,
    scopes           TEXT    NOT NULL,
    created_at_ms    BIGINT  NOT NULL,
    expires_at_ms    BIGINT,
    last_used_at_ms  BIGINT,
    revoked_at_ms    BIGINT,
    seq              BIGINT  GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at_ms, seq);
