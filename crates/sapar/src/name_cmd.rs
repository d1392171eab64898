//! `sapar name`: romanise, key, compare and split personal names across scripts; text for people
//! by default, JSON with `--json`.

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
    /// Latin forms of a name under every scheme (or one with --scheme), one per line as
    /// SCHEME<TAB>FORM; --json: [{"scheme", "latin"}].
    Latin(LatinArgs),
    /// The scheme-invariant matching key of each name, one per line; --json: [{"name", "key"}].
    Key(KeyArgs),
    /// Compare two names in any scripts and either order: keys and similarities.
    Compare(CompareArgs),
    /// Split a full name into surname, given names and patronymic.
    Split(TextArg),
    /// Plausible Cyrillic spellings of a Latin name, most likely first; --json: an array.
    Cyrillic(TextArg),
}

#[derive(Debug, Args)]
pub(crate) struct JsonFlag {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LatinArgs {
    /// The name, in Cyrillic, Armenian or Latin script.
    text: String,
    /// icao9303, fms2010, mvd1997, bgn_pcgn, kazakh or kyrgyz.
    #[arg(long, value_parser = parse_scheme)]
    scheme: Option<Scheme>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// Names in any script.
    #[arg(required = true)]
    names: Vec<String>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    a: String,
    b: String,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Args)]
pub(crate) struct TextArg {
    text: String,
    #[command(flatten)]
    output: JsonFlag,
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
struct LatinForm {
    scheme: String,
    latin: String,
}

#[derive(Debug, Serialize)]
struct NameKey<'a> {
    name: &'a str,
    key: String,
}

#[derive(Debug, Serialize)]
struct Parts {
    surname: String,
    given_names: String,
    patronymic: Option<String>,
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

pub(crate) fn run(command: NameCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        NameCommand::Latin(args) => {
            let forms: Vec<LatinForm> = match args.scheme {
                Some(scheme) => vec![LatinForm { scheme: scheme.to_string(), latin: to_latin(&args.text, scheme) }],
                None => latin_forms(&args.text)
                    .into_iter()
                    .map(|(scheme, latin)| LatinForm { scheme: scheme.to_string(), latin })
                    .chain(
                        armenian_variants(&args.text)
                            .into_iter()
                            .map(|latin| LatinForm { scheme: "armenian_variant".into(), latin }),
                    )
                    .collect(),
            };
            if args.output.json {
                json_line(&mut out, &forms)?;
            } else if args.scheme.is_some() {
                for form in &forms {
                    writeln!(out, "{}", form.latin)?;
                }
            } else {
                for form in &forms {
                    writeln!(out, "{}\t{}", form.scheme, form.latin)?;
                }
            }
        }
        NameCommand::Key(args) => {
            let keys: Vec<NameKey<'_>> = args.names.iter().map(|name| NameKey { name, key: name_key(name) }).collect();
            if args.output.json {
                json_line(&mut out, &keys)?;
            } else {
                for k in &keys {
                    writeln!(out, "{}", k.key)?;
                }
            }
        }
        NameCommand::Compare(args) => {
            let full = full_name_similarity(&args.a, &args.b);
            let c = Comparison {
                key_a: name_key(&args.a),
                key_b: name_key(&args.b),
                name_similarity: name_similarity(&args.a, &args.b),
                full_name_similarity: full.similarity,
                same_key: full.same_key,
            };
            if args.output.json {
                json_line(&mut out, &c)?;
            } else {
                writeln!(out, "key a                 {}", c.key_a)?;
                writeln!(out, "key b                 {}", c.key_b)?;
                writeln!(out, "name similarity       {:.3}", c.name_similarity)?;
                writeln!(out, "full name similarity  {:.3}", c.full_name_similarity)?;
                writeln!(out, "same key              {}", if c.same_key { "yes" } else { "no" })?;
            }
        }
        NameCommand::Split(arg) => {
            let parts = split_full_name(&arg.text);
            let p = Parts { surname: parts.surname, given_names: parts.given_names, patronymic: parts.patronymic };
            if arg.output.json {
                json_line(&mut out, &p)?;
            } else {
                writeln!(out, "surname      {}", p.surname)?;
                writeln!(out, "given names  {}", p.given_names)?;
                writeln!(out, "patronymic   {}", p.patronymic.as_deref().unwrap_or("-"))?;
            }
        }
        NameCommand::Cyrillic(arg) => {
            let forms = cyrillic_forms(&arg.text);
            if arg.output.json {
                json_line(&mut out, &forms)?;
            } else {
                for form in &forms {
                    writeln!(out, "{form}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
