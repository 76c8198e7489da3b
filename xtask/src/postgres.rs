//! A throwaway PostgreSQL cluster for the server's integration tests: made in a temporary
//! directory with Debian's binaries, listening on loopback only, trusted locally, and removed
//! when the tests end.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::tools::{free_port, is_root};

/// A running cluster; dropping it stops the server and deletes its files.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// The admin URL tests create their databases from.
    pub url: String,
}

/// The newest installed PostgreSQL's `bin` folder.
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// Runs a PostgreSQL tool; as root it runs as the `postgres` user, since PostgreSQL refuses root.
fn tool(bin: &Path, name: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(bin.join(name));
        command
    } else {
        Command::new(bin.join(name))
    }
}

impl Cluster {
    /// Makes and starts a new cluster.
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir().context("PostgreSQL is not installed (apt-get install postgresql)")?;
        let dir = std::env::temp_dir().join(format!("akinai-pg-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).context("clearing an old test cluster")?;
        }
        std::fs::create_dir_all(&dir).context("creating the test cluster's folder")?;
        if is_root() {
            let status = Command::new("chown").arg("postgres:").arg(&dir).status()?;
            if !status.success() {
                bail!("could not hand {} to the postgres user", dir.display());
            }
        }
        let data = dir.join("data");
        let init = tool(&bin, "initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync"])
            .output()
            .context("running initdb")?;
        if !init.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&init.stderr));
        }
        let port = free_port()?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            dir.display()
        );
        let cluster =
            Cluster { url: format!("postgres://postgres@127.0.0.1:{port}/postgres"), dir, bin };
        let started = tool(&cluster.bin, "pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("log"))
            .args(["-o", &options, "-w", "start"])
            .output()
            .context("running pg_ctl start")?;
        if !started.status.success() {
            bail!("the test cluster did not start: {}", String::from_utf8_lossy(&started.stderr));
        }
        Ok(cluster)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Best effort: a cluster left behind lives in a temporary folder and dies with the machine.
        let _ = tool(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
