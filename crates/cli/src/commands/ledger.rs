//! `terminus keys` and `terminus ledger`: members' keys and the offline
//! check of a commission's record.

use super::print_json;
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_app::ledger::{
    export_bundle, import, read_key, sign, verification_json, verify_file_with_witness,
    write_private, Imported, KeyFile, SignRequest, Signed, Verification,
};
use terminus_ledger::keys::MemberKey;

/// Arguments of `terminus keys`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A member's Ed25519 key pair is made and kept by the member; the commission's
record holds only the public key. The key file holds the secret: it is
written readable by its owner only, and never replaced.

Examples:
  terminus keys new --member arm-head --out arm-head.key
  terminus keys public arm-head.key
  terminus keys token --key arm-head.key --commission AM-AZ --days 7"
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
    /// Make an access token for `terminus serve`, signed with your key
    /// (give it to QGIS or GDAL as "Authorization: Bearer TOKEN").
    Token {
        /// The key file.
        #[arg(long)]
        key: PathBuf,
        /// The commission the service keeps.
        #[arg(long)]
        commission: String,
        /// Days the token is valid (at most 31).
        #[arg(long, default_value_t = 7)]
        days: u64,
    },
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
                print_json(&terminus_app::ledger::NewKey {
                    member: member.clone(),
                    algorithm: "Ed25519".into(),
                    public_key: file.public.clone(),
                    file: out.display().to_string(),
                });
            } else {
                println!("{member}: Ed25519 public key {}", file.public);
                println!(
                    "secret key in {} (readable by you only; keep it, never send it)",
                    out.display()
                );
            }
            Ok(0)
        }
        KeysCommand::Token {
            key,
            commission,
            days,
        } => {
            if days == 0 || days > 31 {
                return Err(Failure::usage(format!(
                    "--days {days}: a token is valid for 1 to 31 days"
                )));
            }
            let (kf, k) = read_key(&key)?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            println!(
                "{}",
                terminus_ledger::token::issue(&k, &commission, &kf.member, now + days * 86_400)
            );
            Ok(0)
        }
        KeysCommand::Public { file } => {
            let (_, key) = read_key(&file)?;
            println!("{}", key.public_hex());
            Ok(0)
        }
    }
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
        /// The record: JSON, a store (.sqlite) or a bundle (.gpkg).
        file: PathBuf,
        /// Your witness file: the longest log your tool has verified. The
        /// record must extend it (at least as many events, the same first
        /// ones), else it was rolled back or rewritten (exit 1); when it
        /// is valid and longer, the witness is moved up to it. Created on
        /// first use. Keep one per commission on your own machine.
        #[arg(long, alias = "expect-head", value_name = "FILE")]
        witness: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the record of a store as one bundle file for the other
    /// delegation: a GeoPackage (proposals and agreed sections as layers,
    /// for QGIS) holding the whole signed log.
    Export {
        /// The store (SQLite).
        #[arg(long)]
        store: PathBuf,
        /// The commission.
        #[arg(long)]
        commission: String,
        /// The bundle to write (.gpkg).
        #[arg(long)]
        out: PathBuf,
    },
    /// Verify a bundle and merge it into a store: new events are added if
    /// the bundle extends the store's record; two different histories (a
    /// fork) are refused with the first event where they part.
    Import {
        /// The bundle (.gpkg or .sqlite).
        bundle: PathBuf,
        /// Your witness file (see `verify --witness`): the merged record
        /// must extend it; it is moved up to the merged record.
        #[arg(long, value_name = "FILE")]
        witness: Option<PathBuf>,
        /// The store to merge into (created if absent).
        #[arg(long)]
        store: PathBuf,
        /// The commission.
        #[arg(long)]
        commission: String,
    },
}

/// Run `terminus ledger`.
pub fn run_ledger(args: LedgerArgs) -> Result<u8, Failure> {
    match args.command {
        LedgerCommand::Export {
            store,
            commission,
            out,
        } => {
            let (events, heads, agreed) = export_bundle(&store, &commission, &out)?;
            println!(
                "{commission}: {events} events, {heads} tree heads, {agreed} agreed sections → {}",
                out.display()
            );
            Ok(0)
        }
        LedgerCommand::Import {
            bundle,
            witness,
            store,
            commission,
        } => match import(&bundle, &store, &commission, witness.as_deref())? {
            Imported::Merged(m) => {
                println!("{m}");
                Ok(0)
            }
            Imported::Refused(why) => {
                eprintln!("{why}");
                Ok(1)
            }
        },
        LedgerCommand::Verify {
            file,
            witness,
            json,
        } => {
            let v = verify_file_with_witness(&file, witness.as_deref())?;
            if json {
                print_json(&verification_json(&v));
            } else {
                print_verification(&v);
            }
            Ok(match v {
                Verification::Valid { .. } => 0,
                Verification::Invalid { .. } => 1,
            })
        }
    }
}

/// Arguments of `terminus sign`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Signs one event with the member's own key (the key file never leaves the
member's machine) and appends it to the store, which checks it first: an
invalid event is not stored.

The body is given as JSON (--body), or built from a line file:
  proposal, counter_proposal, amendment   --section NAME --line FILE
      {section, crs: EPSG:4326, line: [[lon, lat], …], source}
  agreement   --section NAME --line FILE --basis TEXT --protocol FILE [--decimals 9]
      {terms: section, crs, decimals, line as text with exactly that many
       decimals, basis, protocol_sha256} — both heads must sign the same
       terms, byte for byte, for the section to be agreed.
  attachment  --section NAME --catalogue FILE [--document FILE …]
      {section, what: pillar_catalogue, terms_sha256 of the agreed terms,
       replaces: the previous version's event or null, pillars: [{number,
       lon, lat, …}], documents: [{name, sha256, text}]} — a new version of
       the section's pillar catalogue and protocol-description.
The first event of a store founds the commission: kind `commission`,
--body {\"members\": [{id, party, role, public_key}, …]}.

Examples:
  terminus sign commission --body members.json --key arm-head.key --store arm.sqlite --commission AM-AZ
  terminus sign proposal --section Tavush --line ne.geojson --key arm-head.key --store arm.sqlite --commission AM-AZ
  terminus sign agreement --section Tavush --line median.geojson --basis \"compromise median\" \\
      --protocol description_en.md --key aze-head.key --store aze.sqlite --commission AM-AZ
  terminus sign attachment --section Tavush --catalogue pillars/catalogue.geojson \\
      --document pillars/description_en.md --key aze-head.key --store aze.sqlite --commission AM-AZ"
)]
pub struct SignArgs {
    /// What happened: commission, member, revoke, rotate (a member's new key), section, proposal, counter_proposal, comment, agreement, amendment, attachment, survey; `draft` (the party's own, kept beside the record); or `tree-head` (vouch for the log as it stands).
    kind: String,
    /// The member's key file (from `terminus keys new`).
    #[arg(long)]
    key: PathBuf,
    /// The store to append to (SQLite file or PostgreSQL connection).
    #[arg(long)]
    store: PathBuf,
    /// The commission.
    #[arg(long)]
    commission: String,
    /// Print the signed event (or draft) as JSON instead of storing it: to
    /// send to `terminus serve` (POST /api/events or /api/drafts).
    #[arg(long)]
    print: bool,
    /// With --print: the position the event takes in the service's record
    /// (GET /api/tree-head gives `next`); default: the store's next.
    #[arg(long, requires = "print")]
    seq: Option<u64>,
    /// With --print: the leaf hash of the service's last event (GET
    /// /api/tree-head gives `next.prev`); default: the store's.
    #[arg(long, requires = "print")]
    prev: Option<String>,
    /// A draft's kind: proposal, counter_proposal or comment.
    #[arg(long, default_value = "proposal")]
    draft_kind: String,
    /// The body as a JSON file.
    #[arg(long, conflicts_with = "line")]
    body: Option<PathBuf>,
    /// The section the line is for.
    #[arg(long)]
    section: Option<String>,
    /// A line file (any format and CRS; brought to WGS 84).
    #[arg(long, requires = "section")]
    line: Option<PathBuf>,
    /// Where the line comes from, in words (e.g. "General Staff 1:50,000").
    #[arg(long, default_value = "")]
    source: String,
    /// The source's map series (e.g. "USSR General Staff").
    #[arg(long)]
    series: Option<String>,
    /// The source map's edition (year).
    #[arg(long)]
    edition: Option<i32>,
    /// The source map's scale denominator (50000 for 1:50,000).
    #[arg(long)]
    scale: Option<u32>,
    /// The source map's sheet(s), e.g. "K-38-128".
    #[arg(long)]
    sheet: Option<String>,
    /// Agreement: what the line rests on.
    #[arg(long, default_value = "")]
    basis: String,
    /// Agreement: the protocol-description text file, hashed into the terms.
    #[arg(long)]
    protocol: Option<PathBuf>,
    /// Attachment: the pillar catalogue (points with `number`, any format and
    /// CRS; e.g. catalogue.geojson from `terminus demarcate`).
    #[arg(long)]
    catalogue: Option<PathBuf>,
    /// Attachment: a document attached with it (the protocol-description
    /// text, e.g. description_en.md); repeatable.
    #[arg(long)]
    document: Vec<PathBuf>,
    /// Attachment: what it is — pillar_catalogue (the default with
    /// --catalogue), protocol_description (documents alone), or survey
    /// (surveyed pillars as points, with the survey's report). Each is a
    /// chain of versions of its own.
    #[arg(long)]
    what: Option<String>,
    /// Agreement: decimals of the coordinates in the terms.
    #[arg(long, default_value_t = 9)]
    decimals: usize,
    /// The time stated (default: now, UTC).
    #[arg(long)]
    time: Option<String>,
    #[command(flatten)]
    input: super::InputArgs,
}

/// Run `terminus sign`.
pub fn run_sign(a: SignArgs) -> Result<u8, Failure> {
    let req = SignRequest {
        kind: a.kind.clone(),
        key: a.key.clone(),
        store: a.store.clone(),
        commission: a.commission.clone(),
        print: a.print,
        seq: a.seq,
        prev: a.prev.clone(),
        draft_kind: a.draft_kind.clone(),
        body: a.body.clone(),
        section: a.section.clone(),
        line: a.line.clone(),
        source: a.source.clone(),
        series: a.series.clone(),
        edition: a.edition,
        scale: a.scale,
        sheet: a.sheet.clone(),
        basis: a.basis.clone(),
        protocol: a.protocol.clone(),
        catalogue: a.catalogue.clone(),
        document: a.document.clone(),
        what: a.what.clone(),
        decimals: a.decimals,
        time: a.time.clone(),
        input: a.input.plain()?,
    };
    match sign(&req)? {
        Signed::Printed(json) | Signed::Stored(json) => println!("{json}"),
    }
    Ok(0)
}

fn print_verification(v: &Verification) {
    let Verification::Valid {
        record,
        verified: v,
        covered,
        unprotected,
        witness: seen,
    } = v
    else {
        if let Verification::Invalid {
            commission, reason, ..
        } = v
        {
            eprintln!("{commission}: NOT valid — {reason}");
        }
        return;
    };
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
            if a.mediator {
                ", countersigned by the mediator"
            } else {
                ""
            },
            a.at,
            a.terms_sha256
        );
    }
    if *unprotected > 0 {
        println!(
            "  {unprotected} events after the last signed tree head (at {covered}): not yet protected — sign a tree head (terminus sign tree-head) to fix them"
        );
    }
    match seen {
        Some((w, Some(from))) => println!(
            "  extends your witness; witness moved up from {from} to {} events",
            w.size
        ),
        Some((w, None)) => println!("  extends your witness ({} events)", w.size),
        None => println!(
            "  no witness given: a record rolled back (its tail and tree heads removed) verifies; keep one with --witness FILE"
        ),
    }
}
