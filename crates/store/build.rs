//! Rebuilds the crate when a migration is added or edited, so `sqlx::migrate!` embeds the current files.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
