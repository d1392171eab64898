//! `sapar mrz`: read machine-readable zones (text for people, or `--json`), and write zones from
//! fields.

use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use jiff::civil::Date;
use sapar_identity::{Field, Mrz, MrzFields, MrzFormat, ParseOptions, SpecimenPolicy, emit};
use sapar_model::{Country, Sex};
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub(crate) enum MrzCommand {
    /// Read zones (from FILE or stdin; documents separated by blank lines) and print each
    /// document's fields, check digits, errors and suggested corrections; with --json, one JSON
    /// object per document and line. Exit code 1 when any document is invalid.
    Parse(ParseArgs),
    /// Write a zone from fields; names in any script are romanised under ICAO 9303. With --json:
    /// {"lines": [...], "name_truncated": bool}.
    Emit(EmitArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// File with zones; stdin when absent or `-`.
    file: Option<String>,
    /// Reference date for two-digit years (default: today).
    #[arg(long)]
    today: Option<Date>,
    /// Accept the ICAO specimen code UTO (test documents).
    #[arg(long)]
    allow_specimen: bool,
    /// One JSON object per document and line instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct EmitArgs {
    /// td1, td2, td3, mrv_a or mrv_b.
    #[arg(long, value_parser = parse_format)]
    format: MrzFormat,
    /// Document code, e.g. P, PK, I, ID, V (default: P, I or V by format).
    #[arg(long)]
    document_code: Option<String>,
    /// Issuing state (ISO 3166-1 alpha-3; UTO needs --allow-specimen).
    #[arg(long)]
    issuing_state: String,
    /// Document number.
    #[arg(long)]
    number: String,
    /// Nationality (alpha-3 or XXA, XXB, XXC, XXX).
    #[arg(long)]
    nationality: String,
    /// Date of birth (YYYY-MM-DD); unknown when absent.
    #[arg(long)]
    birth_date: Option<Date>,
    /// M, F or X.
    #[arg(long, default_value = "X", value_parser = parse_sex)]
    sex: Sex,
    /// Date of expiry (YYYY-MM-DD).
    #[arg(long)]
    expiry_date: Date,
    /// Surname in any script.
    #[arg(long)]
    surname: String,
    /// Given names in any script.
    #[arg(long, default_value = "")]
    given_names: String,
    /// Optional data (TD3: personal number).
    #[arg(long, default_value = "")]
    optional_data: String,
    /// TD1 only: optional data of line 2.
    #[arg(long, default_value = "")]
    optional_data_2: String,
    /// Accept the ICAO specimen code UTO.
    #[arg(long)]
    allow_specimen: bool,
    /// Print the zone as JSON instead of its lines.
    #[arg(long)]
    json: bool,
}

fn parse_format(s: &str) -> Result<MrzFormat, String> {
    MrzFormat::parse(s).ok_or_else(|| format!("unknown format {s:?}: expected td1, td2, td3, mrv_a or mrv_b"))
}

fn parse_sex(s: &str) -> Result<Sex, String> {
    Sex::parse(s).ok_or_else(|| format!("unknown sex {s:?}: expected M, F or X"))
}

pub(crate) fn run(command: MrzCommand) -> anyhow::Result<ExitCode> {
    match command {
        MrzCommand::Parse(args) => parse(args),
        MrzCommand::Emit(args) => emit_zone(args),
    }
}

#[derive(Debug, Serialize)]
struct CheckJson {
    line: usize,
    column: usize,
    found: String,
    expected: String,
    valid: bool,
}

#[derive(Debug, Serialize)]
struct ErrorJson {
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'static str>,
    message: String,
}

#[derive(Debug, Serialize)]
struct SuggestionJson {
    line: usize,
    column: usize,
    field: &'static str,
    found: String,
    replacement: String,
    resolves: usize,
}

#[derive(Debug, Serialize, Default)]
struct DocumentJson {
    format: Option<&'static str>,
    document_code: Option<String>,
    document_type: Option<&'static str>,
    issuing_state: Option<String>,
    document_number: Option<String>,
    nationality: Option<String>,
    birth_date: Option<String>,
    sex: Option<&'static str>,
    expiry_date: Option<String>,
    surname: Option<String>,
    given_names: Option<String>,
    name_truncated: Option<bool>,
    optional_data: Option<String>,
    optional_data_2: Option<String>,
    checks: std::collections::BTreeMap<&'static str, CheckJson>,
    valid: bool,
    errors: Vec<ErrorJson>,
    suggestions: Vec<SuggestionJson>,
}

fn check_name(field: Field) -> &'static str {
    match field {
        Field::DocumentNumberCheck => "document_number",
        Field::BirthDateCheck => "birth_date",
        Field::ExpiryDateCheck => "expiry_date",
        Field::OptionalDataCheck => "optional_data",
        Field::CompositeCheck => "composite",
        other => other.as_str(),
    }
}

fn document_json(mrz: &Mrz, options: &ParseOptions) -> DocumentJson {
    let empty_to_none = |s: &str| if s.is_empty() { None } else { Some(s.to_owned()) };
    DocumentJson {
        format: Some(mrz.format().as_str()),
        document_code: Some(mrz.document_code().to_owned()),
        document_type: Some(mrz.document_type().as_str()),
        issuing_state: mrz.issuing_state().map(|c| c.to_string()),
        document_number: empty_to_none(mrz.document_number()),
        nationality: mrz.nationality().map(|c| c.to_string()),
        birth_date: mrz.birth_date().map(|d| d.to_string()),
        sex: mrz.sex().map(Sex::code),
        expiry_date: mrz.expiry_date().map(|d| d.to_string()),
        surname: Some(mrz.surname()),
        given_names: Some(mrz.given_names()),
        name_truncated: Some(mrz.name_truncated()),
        optional_data: empty_to_none(mrz.optional_data()),
        optional_data_2: empty_to_none(mrz.optional_data_2()),
        checks: mrz
            .checks()
            .map(|c| {
                let json = CheckJson {
                    line: c.line,
                    column: c.column,
                    found: c.found.to_string(),
                    expected: c.expected.to_string(),
                    valid: c.valid,
                };
                (check_name(c.field), json)
            })
            .collect(),
        valid: mrz.is_valid(),
        errors: mrz
            .errors()
            .iter()
            .map(|e| ErrorJson {
                line: e.position().map(|p| p.0),
                column: e.position().map(|p| p.1),
                field: e.field().map(Field::as_str),
                message: e.to_string(),
            })
            .collect(),
        suggestions: mrz
            .suggestions(options)
            .into_iter()
            .map(|s| SuggestionJson {
                line: s.line,
                column: s.column,
                field: s.field.as_str(),
                found: s.found.to_string(),
                replacement: s.replacement.to_string(),
                resolves: s.resolves.len(),
            })
            .collect(),
    }
}

/// Documents in the input: runs of non-blank lines.
fn documents(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

fn parse(args: ParseArgs) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    match args.file.as_deref() {
        None | Some("-") => {
            std::io::stdin().lock().read_to_string(&mut text).context("reading stdin")?;
        }
        Some(path) => {
            let file = std::fs::File::open(path).with_context(|| format!("opening {path}"))?;
            for line in std::io::BufReader::new(file).lines() {
                text.push_str(&line.with_context(|| format!("reading {path}"))?);
                text.push('\n');
            }
        }
    }
    let today = args.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let specimen = if args.allow_specimen { SpecimenPolicy::Accept } else { SpecimenPolicy::Reject };
    let options = ParseOptions::new(today).with_specimen(specimen);
    let mut out = std::io::stdout().lock();
    let mut all_valid = true;
    let docs = documents(&text);
    anyhow::ensure!(!docs.is_empty(), "no machine-readable zone in the input");
    for (number, doc) in (1..).zip(docs) {
        let json = match Mrz::parse(&doc, &options) {
            Ok(mrz) => document_json(&mrz, &options),
            Err(e) => DocumentJson {
                errors: vec![ErrorJson {
                    line: e.position().map(|p| p.0),
                    column: e.position().map(|p| p.1),
                    field: None,
                    message: e.to_string(),
                }],
                ..DocumentJson::default()
            },
        };
        all_valid &= json.valid;
        if args.json {
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        } else {
            if number > 1 {
                writeln!(out)?;
            }
            write_document(&mut out, number, &json)?;
        }
    }
    out.flush()?;
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// One document as text: a verdict line, the fields read, then errors and suggestions.
fn write_document(out: &mut impl Write, number: usize, d: &DocumentJson) -> std::io::Result<()> {
    let verdict = if d.valid { "valid" } else { "INVALID" };
    let kind = [d.format, d.document_type].into_iter().flatten().collect::<Vec<_>>().join(" ");
    if kind.is_empty() {
        writeln!(out, "document {number}: {verdict}")?;
    } else {
        writeln!(out, "document {number}: {verdict} {kind}")?;
    }
    let rows = [
        ("document code", d.document_code.as_deref()),
        ("document number", d.document_number.as_deref()),
        ("issuing state", d.issuing_state.as_deref()),
        ("nationality", d.nationality.as_deref()),
        ("surname", d.surname.as_deref()),
        ("given names", d.given_names.as_deref()),
        ("birth date", d.birth_date.as_deref()),
        ("sex", d.sex),
        ("expiry date", d.expiry_date.as_deref()),
        ("optional data", d.optional_data.as_deref()),
        ("optional data 2", d.optional_data_2.as_deref()),
    ];
    for (label, value) in rows {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            writeln!(out, "  {label:<16} {value}")?;
        }
    }
    if d.name_truncated == Some(true) {
        writeln!(out, "  {:<16} the name was truncated to fit the zone", "note")?;
    }
    if !d.checks.is_empty() {
        let checks: Vec<String> = d
            .checks
            .iter()
            .map(|(name, c)| if c.valid { format!("{name} ok") } else { format!("{name} BAD") })
            .collect();
        writeln!(out, "  {:<16} {}", "check digits", checks.join(", "))?;
    }
    // The messages name their line, position and field already.
    for e in &d.errors {
        writeln!(out, "  error: {}", e.message)?;
    }
    for s in &d.suggestions {
        let checks = if s.resolves == 1 { "check" } else { "checks" };
        writeln!(
            out,
            "  suggestion: line {}, column {} ({}): read {:?} as {:?} (resolves {} {checks})",
            s.line, s.column, s.field, s.found, s.replacement, s.resolves
        )?;
    }
    Ok(())
}

fn country(code: &str, specimen: bool) -> anyhow::Result<Country> {
    let parsed = if specimen { Country::parse_allowing_specimen(code) } else { Country::parse(code) };
    parsed.with_context(|| format!("country {code:?}"))
}

fn emit_zone(args: EmitArgs) -> anyhow::Result<ExitCode> {
    let default_code = match args.format {
        MrzFormat::Td3 => "P",
        MrzFormat::MrvA | MrzFormat::MrvB => "V",
        MrzFormat::Td1 | MrzFormat::Td2 => "I",
    };
    let fields = MrzFields {
        format: args.format,
        document_code: args.document_code.unwrap_or_else(|| default_code.to_owned()),
        issuing_state: country(&args.issuing_state, args.allow_specimen)?,
        document_number: args.number,
        nationality: country(&args.nationality, args.allow_specimen)?,
        birth_date: args.birth_date,
        sex: args.sex,
        expiry_date: args.expiry_date,
        surname: args.surname,
        given_names: args.given_names,
        optional_data: args.optional_data,
        optional_data_2: args.optional_data_2,
    };
    let zone = emit(&fields)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let json = serde_json::json!({ "lines": zone.lines, "name_truncated": zone.name_truncated });
        serde_json::to_writer(&mut out, &json)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if zone.name_truncated {
        writeln!(std::io::stderr(), "note: the name was truncated to fit the zone")?;
    }
    for line in &zone.lines {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
