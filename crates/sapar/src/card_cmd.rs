//! `sapar card`: verify a migrant card's seal offline, and write a signed sample card.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use jiff::ToSpan;
use jiff::civil::Date;
use sapar_card::{CardContent, CardNumber, CardSigner, Sex, VerifiedCard};
use sapar_model::Country;
use sapar_treaty::pki;

#[derive(Debug, Subcommand)]
pub(crate) enum CardCommand {
    /// Verify a card offline: FILE is the seal's JSON or a PNG of its QR code. Exits 0 and
    /// prints the holder's data only when the seal verifies against the CA on the day; otherwise
    /// prints the refusal's code and reason and exits 1.
    Verify(VerifyArgs),
    /// Write a signed sample card (card.json, card.png, card.svg, card.pdf) with the card signer of a
    /// keys directory made by `sapar keys init`.
    Sample(SampleArgs),
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The issuing state's CA certificate (PEM or DER), as pinned by the verifier.
    #[arg(long)]
    ca: PathBuf,
    /// The seal (JSON) or its QR code (PNG).
    file: PathBuf,
    /// The day to verify on (YYYY-MM-DD); default: today (UTC).
    #[arg(long)]
    on: Option<Date>,
    /// Print the answer as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SampleArgs {
    /// A keys directory holding card-signer.pem and card-signer.key.pem.
    #[arg(long)]
    keys: PathBuf,
    /// The directory to write card.json, card.png, card.svg and card.pdf to (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// The day the card is issued on; default: today (UTC). It is valid for 90 days.
    #[arg(long)]
    issued_on: Option<Date>,
}

pub(crate) fn run(command: CardCommand) -> anyhow::Result<ExitCode> {
    match command {
        CardCommand::Verify(args) => verify(&args),
        CardCommand::Sample(args) => sample(&args),
    }
}

fn today_utc() -> Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// A CA certificate from a PEM file holding one, or a DER file.
fn read_ca(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let der = match std::str::from_utf8(&bytes) {
        Ok(text) if text.contains("-----BEGIN") => pki::pem_decode_one(text, "CERTIFICATE")
            .with_context(|| format!("{} is not a PEM certificate", path.display()))?,
        _ => bytes,
    };
    pki::summarize(&der).with_context(|| format!("{} is not an X.509 certificate", path.display()))?;
    Ok(der)
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

fn verify(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let ca = read_ca(&args.ca)?;
    let input = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let today = args.on.unwrap_or_else(today_utc);
    let result = if input.starts_with(PNG_MAGIC) {
        sapar_card::read_qr_png(&input).and_then(|text| sapar_card::verify(text.as_bytes(), &ca, today))
    } else {
        sapar_card::verify(&input, &ca, today)
    };
    let mut out = std::io::stdout().lock();
    match result {
        Ok(card) => {
            if args.json {
                let answer = serde_json::json!({"valid": true, "on": today.to_string(), "card": card_json(&card)});
                writeln!(out, "{answer}")?;
            } else {
                writeln!(out, "valid on {today}: the seal verifies against {}", args.ca.display())?;
                print_card(&mut out, &card)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if args.json {
                let answer = serde_json::json!(
                    {"valid": false, "on": today.to_string(), "code": e.code(), "message": e.to_string()}
                );
                writeln!(out, "{answer}")?;
            } else {
                eprintln!("refused: {}: {e}", e.code());
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

fn card_json(card: &VerifiedCard) -> serde_json::Value {
    let c = &card.content;
    serde_json::json!({
        "number": c.number.to_string(),
        "issuing_state": c.issuing_state.code(),
        "surname": c.surname_latin,
        "given_names": c.given_names_latin,
        "name_native": c.name_native,
        "birth_date": c.birth_date.to_string(),
        "sex": c.sex.code(),
        "citizenship": c.citizenship.code(),
        "document_number": c.document_number,
        "issued_on": c.issued_on.to_string(),
        "valid_until": c.valid_until.to_string(),
        "signer": card.signer_subject,
        "signer_sha256": card.signer_fingerprint,
    })
}

/// The holder's data as text; a reader that closed the pipe early ends the writing, not the
/// process.
fn print_card(out: &mut impl Write, card: &VerifiedCard) -> std::io::Result<()> {
    let c = &card.content;
    writeln!(out, "card number      {}", c.number)?;
    writeln!(out, "issuing state    {}", c.issuing_state)?;
    writeln!(out, "surname          {}", c.surname_latin)?;
    writeln!(out, "given names      {}", c.given_names_latin)?;
    if let Some(native) = &c.name_native {
        writeln!(out, "name (native)    {native}")?;
    }
    writeln!(out, "date of birth    {}", c.birth_date)?;
    writeln!(out, "sex              {}", c.sex.code())?;
    writeln!(out, "citizenship      {}", c.citizenship)?;
    writeln!(out, "document         {}", c.document_number)?;
    writeln!(out, "issued on        {}", c.issued_on)?;
    writeln!(out, "valid until      {} (last day of legal stay)", c.valid_until)?;
    writeln!(out, "signed by        {} (sha256 {})", card.signer_subject, card.signer_fingerprint)
}

/// The keys directory's state, read from its `signatories.json`.
fn keys_state(dir: &Path) -> anyhow::Result<Country> {
    let path = dir.join("signatories.json");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let index: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let code = index["state"].as_str().with_context(|| format!("{}: `state` is missing", path.display()))?;
    Country::parse(code).with_context(|| format!("{}: state {code:?}", path.display()))
}

/// The sample card's holder: a Kyrgyz citizen with her name in Cyrillic, so the sample shows
/// the seal's size with a native-script name.
pub(crate) fn sample_content(state: Country, serial: u64, issued_on: Date) -> anyhow::Result<CardContent> {
    Ok(CardContent {
        number: CardNumber::new(state, serial)?,
        issuing_state: state,
        surname_latin: "ABDURAKHMANOVA".into(),
        given_names_latin: "GULNARA ZHANYBEKOVNA".into(),
        name_native: Some("Абдурахманова Гульнара Жаныбековна".into()),
        birth_date: jiff::civil::date(1991, 7, 14),
        sex: Sex::Female,
        citizenship: Country::parse("KGZ")?,
        document_number: "AC1234567".into(),
        issued_on,
        valid_until: issued_on.checked_add(89.days())?,
    })
}

fn sample(args: &SampleArgs) -> anyhow::Result<ExitCode> {
    let state = keys_state(&args.keys)?;
    let cert_path = args.keys.join("card-signer.pem");
    let key_path = args.keys.join("card-signer.key.pem");
    let cert = std::fs::read_to_string(&cert_path)
        .with_context(|| format!("reading {} (made by `sapar keys init`)", cert_path.display()))?;
    let key = std::fs::read_to_string(&key_path).with_context(|| format!("reading {}", key_path.display()))?;
    let signer = CardSigner::from_pem(&cert, &key).with_context(|| format!("loading {}", cert_path.display()))?;
    let content = sample_content(state, 1, args.issued_on.unwrap_or_else(today_utc))?;
    let seal = sapar_card::seal(&content, &signer)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = args.out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    };
    write("card.json", format!("{}\n", seal.as_str()).as_bytes())?;
    write("card.png", &sapar_card::qr_png(seal.as_str(), 4)?)?;
    write("card.svg", sapar_card::qr_svg(seal.as_str())?.as_bytes())?;
    write("card.pdf", &sapar_card::card_pdf(seal.as_str())?)?;
    println!("wrote card.json ({} bytes), card.png, card.svg and card.pdf to {}", seal.len(), args.out.display());
    println!("card {} valid until {}", content.number, content.valid_until);
    Ok(ExitCode::SUCCESS)
}
