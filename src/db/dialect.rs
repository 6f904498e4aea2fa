//! [`Dialect`]: what differs between SQLite and PostgreSQL in the stores' SQL — placeholders
//! and the insert-order tie-break column.

use std::borrow::Cow;

/// The SQL dialect of a [`Db`](super::Db).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Dialect {
    /// `"sqlite"` or `"postgres"`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// The column that orders rows of `charts`, `users` and `api_keys` by insertion, to break
    /// ties of the same millisecond: SQLite's implicit `rowid`, PostgreSQL's identity `seq`.
    pub fn insert_order(self) -> &'static str {
        match self {
            Dialect::Sqlite => "rowid",
            Dialect::Postgres => "seq",
        }
    }

    /// `sql` with its placeholders as this dialect writes them: unchanged for SQLite; for
    /// PostgreSQL `?N` becomes `$N` and each bare `?` the next `$n`. Quoted text is left alone.
    pub fn placeholders(self, sql: &str) -> Cow<'_, str> {
        if self == Dialect::Sqlite || !sql.contains('?') {
            return Cow::Borrowed(sql);
        }
        let mut out = String::with_capacity(sql.len() + 8);
        let (mut quoted, mut next) = (false, 0u32);
        let mut chars = sql.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    quoted = !quoted;
                    out.push(c);
                }
                '?' if !quoted => {
                    out.push('$');
                    if chars.peek().is_some_and(char::is_ascii_digit) {
                        while let Some(d) = chars.next_if(char::is_ascii_digit) {
                            out.push(d);
                        }
                    } else {
                        next += 1;
                        out.push_str(&next.to_string());
                    }
                }
                _ => out.push(c),
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Dialect;

    #[test]
    fn postgres_numbers_placeholders_outside_quotes() {
        let pg = Dialect::Postgres;
        assert_eq!(
            pg.placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2"
        );
        assert_eq!(
            pg.placeholders("WHERE (?1 IS NULL OR e LIKE ?1 ESCAPE '\\') LIMIT ?2 OFFSET ?3"),
            "WHERE ($1 IS NULL OR e LIKE $1 ESCAPE '\\') LIMIT $2 OFFSET $3"
        );
        assert_eq!(Dialect::Sqlite.placeholders("a = ?"), "a = ?");
    }
}
