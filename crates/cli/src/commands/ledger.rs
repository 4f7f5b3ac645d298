//! `terminus keys` and `terminus ledger`: members' keys and the offline
//! check of a commission's record.

use super::print_json;
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{verify, Record, RecordError};

/// Arguments of `terminus keys`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A member's Ed25519 key pair is made and kept by the member; the commission's
record holds only the public key. The key file holds the secret: it is
written readable by its owner only, and never replaced.

Examples:
  terminus keys new --member arm-head --out arm-head.key
  terminus keys public arm-head.key"
)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(clap::Subcommand, Debug)]
enum KeysCommand {
    /// Make a new key pair: the secret to --out, the public key printed.
    New {
        /// The member's identifier in the commission.
        #[arg(long)]
        member: String,
        /// The secret key file to write.
        #[arg(long)]
        out: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the public key of a key file.
    Public {
        /// The key file.
        file: PathBuf,
    },
}

/// The key file: the member and the secret seed, hex.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeyFile {
    member: String,
    algorithm: String,
    secret: String,
    public: String,
}

/// Run `terminus keys`.
pub fn run_keys(args: KeysArgs) -> Result<u8, Failure> {
    match args.command {
        KeysCommand::New { member, out, json } => {
            if out.exists() {
                return Err(Failure::usage(format!("{} exists", out.display()))
                    .hint("a key file is never replaced: choose another --out"));
            }
            let key = MemberKey::generate();
            let file = KeyFile {
                member: member.clone(),
                algorithm: "Ed25519".into(),
                secret: key.secret_hex(),
                public: key.public_hex(),
            };
            let text = serde_json::to_string_pretty(&file).unwrap_or_default();
            write_private(&out, &text)?;
            if json {
                print_json(
                    &serde_json::json!({"member": member, "algorithm": "Ed25519", "public_key": file.public, "file": out.display().to_string()}),
                );
            } else {
                println!("{member}: Ed25519 public key {}", file.public);
                println!(
                    "secret key in {} (readable by you only; keep it, never send it)",
                    out.display()
                );
            }
            Ok(0)
        }
        KeysCommand::Public { file } => {
            let text = std::fs::read_to_string(&file)?;
            let k: KeyFile = serde_json::from_str(&text).map_err(|e| {
                Failure::usage(format!("{}: not a Terminus key file: {e}", file.display()))
            })?;
            let key = MemberKey::from_secret_hex(&k.secret)
                .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
            println!("{}", key.public_hex());
            Ok(0)
        }
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

/// Arguments of `terminus ledger`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A commission's record is a chain of events, each signed by its author and
linked to the one before by its hash, in a Merkle log whose tree heads the
members sign (RFC 6962/9162). `verify` replays it offline from the first
event: numbering, links, membership, every signature and every tree head;
it names the first event that fails and why (exit 1).

Examples:
  terminus ledger verify record.json
  terminus ledger verify record.json --json"
)]
pub struct LedgerArgs {
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(clap::Subcommand, Debug)]
enum LedgerCommand {
    /// Check a record offline and name the first event that fails.
    Verify {
        /// The record (JSON).
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Run `terminus ledger`.
pub fn run_ledger(args: LedgerArgs) -> Result<u8, Failure> {
    match args.command {
        LedgerCommand::Verify { file, json } => {
            let text = std::fs::read_to_string(&file)?;
            let record: Record = serde_json::from_str(&text).map_err(|e| {
                Failure::usage(format!(
                    "{}: not a commission record (line {}, column {}): {e}",
                    file.display(),
                    e.line(),
                    e.column()
                ))
            })?;
            match verify(&record) {
                Ok(v) => {
                    let agreed: serde_json::Map<String, serde_json::Value> = v
                        .agreed
                        .iter()
                        .map(|(k, a)| {
                            (
                                k.clone(),
                                serde_json::json!({"terms_sha256": a.terms_sha256, "parties": a.parties, "mediator": a.mediator, "at": a.at}),
                            )
                        })
                        .collect();
                    if json {
                        print_json(
                            &serde_json::json!({"valid": true, "commission": record.commission, "events": v.events, "root": v.root, "tree_heads": record.heads.len(), "members": v.members.keys().collect::<Vec<_>>(), "agreed": agreed}),
                        );
                    } else {
                        println!(
                            "{}: valid — {} events, {} signed tree heads, root {}; members: {}",
                            record.commission,
                            v.events,
                            record.heads.len(),
                            v.root,
                            v.members.keys().cloned().collect::<Vec<_>>().join(", ")
                        );
                        for (section, a) in &v.agreed {
                            println!(
                                "  agreed: {section} — signed by the heads of {}{} (event {}), terms SHA-256 {}",
                                a.parties.join(" and "),
                                if a.mediator { ", countersigned by the mediator" } else { "" },
                                a.at,
                                a.terms_sha256
                            );
                        }
                    }
                    Ok(0)
                }
                Err(e) => {
                    if json {
                        let (kind, at) = match &e {
                            RecordError::Event { seq, .. } => ("event", *seq),
                            RecordError::Head { size, .. } => ("tree_head", *size),
                        };
                        print_json(
                            &serde_json::json!({"valid": false, "commission": record.commission, "failed": kind, "at": at, "reason": e.to_string()}),
                        );
                    } else {
                        eprintln!("{}: NOT valid — {e}", record.commission);
                    }
                    Ok(1)
                }
            }
        }
    }
}
