//! `sapar name`: romanise, key, compare and split personal names across scripts.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use sapar_identity::{
    Scheme, armenian_variants, cyrillic_forms, full_name_similarity, latin_forms, name_key, name_similarity,
    split_full_name, to_latin,
};
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub(crate) enum NameCommand {
    /// Latin forms of a name under every scheme (or one with --scheme), one per line as SCHEME<TAB>FORM.
    Latin(LatinArgs),
    /// The scheme-invariant matching key of each name, one per line.
    Key(KeyArgs),
    /// Compare two names in any scripts and either order; prints JSON.
    Compare(CompareArgs),
    /// Split a full name into surname, given names and patronymic; prints JSON.
    Split(TextArg),
    /// Plausible Cyrillic spellings of a Latin name, most likely first.
    Cyrillic(TextArg),
}

#[derive(Debug, Args)]
pub(crate) struct LatinArgs {
    /// The name, in Cyrillic, Armenian or Latin script.
    text: String,
    /// icao9303, fms2010, mvd1997, bgn_pcgn, kazakh or kyrgyz.
    #[arg(long, value_parser = parse_scheme)]
    scheme: Option<Scheme>,
}

#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// Names in any script.
    #[arg(required = true)]
    names: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    a: String,
    b: String,
}

#[derive(Debug, Args)]
pub(crate) struct TextArg {
    text: String,
}

fn parse_scheme(s: &str) -> Result<Scheme, String> {
    Scheme::parse(s)
        .ok_or_else(|| format!("unknown scheme {s:?}: expected icao9303, fms2010, mvd1997, bgn_pcgn, kazakh or kyrgyz"))
}

#[derive(Debug, Serialize)]
struct Comparison {
    key_a: String,
    key_b: String,
    name_similarity: f64,
    full_name_similarity: f64,
    same_key: bool,
}

#[derive(Debug, Serialize)]
struct Parts {
    surname: String,
    given_names: String,
    patronymic: Option<String>,
}

pub(crate) fn run(command: NameCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        NameCommand::Latin(args) => match args.scheme {
            Some(scheme) => writeln!(out, "{}", to_latin(&args.text, scheme))?,
            None => {
                for (scheme, form) in latin_forms(&args.text) {
                    writeln!(out, "{scheme}\t{form}")?;
                }
                for variant in armenian_variants(&args.text) {
                    writeln!(out, "armenian_variant\t{variant}")?;
                }
            }
        },
        NameCommand::Key(args) => {
            for name in &args.names {
                writeln!(out, "{}", name_key(name))?;
            }
        }
        NameCommand::Compare(args) => {
            let full = full_name_similarity(&args.a, &args.b);
            let comparison = Comparison {
                key_a: name_key(&args.a),
                key_b: name_key(&args.b),
                name_similarity: name_similarity(&args.a, &args.b),
                full_name_similarity: full.similarity,
                same_key: full.same_key,
            };
            serde_json::to_writer(&mut out, &comparison)?;
            writeln!(out)?;
        }
        NameCommand::Split(arg) => {
            let parts = split_full_name(&arg.text);
            let json = Parts { surname: parts.surname, given_names: parts.given_names, patronymic: parts.patronymic };
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        }
        NameCommand::Cyrillic(arg) => {
            for form in cyrillic_forms(&arg.text) {
                writeln!(out, "{form}")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
