//! Rebuild when an embedded SQL migration changes (sqlx embeds `migrations/` at compile time).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
