//! The binary as a user runs it. Every `BLENDSCAN_*` variable of the test process is removed first,
//! so a developer's own settings never change what a test sees; the catalogue is this checkout's.

use std::process::{Command, Output};

/// `blendscan` with a clean environment on the database `db_url`.
pub fn command(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_blendscan"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("BLENDSCAN_") {
            cmd.env_remove(name);
        }
    }
    // One key file per test process, outside the checkout.
    let key = std::env::temp_dir().join(format!("blendscan-test-{}.key", std::process::id()));
    cmd.env("DATABASE_URL", db_url)
        .env("BLENDSCAN_CATALOGUE_DIR", env!("CARGO_MANIFEST_DIR"))
        .env("BLENDSCAN_KEY_FILE", key);
    cmd
}

/// Run `blendscan ARGS` on `db_url` with the extra environment `env`.
pub fn blendscan(db_url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(db_url);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run blendscan")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
