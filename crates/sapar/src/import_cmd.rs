//! `sapar import`: load crossings from CSV or JSON Lines, with a progress bar and a rejects file.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sapar_store::Store;

use crate::config::DEFAULT_DB;
use crate::ingest::{self, Encoding, Format, ReadOptions, Reject, Summary};

/// Exit status when the import finished but some rows were rejected.
pub(crate) const EXIT_SOME_REJECTED: u8 = 3;

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// Import border crossings. CSV needs a header row with the columns id, direction, at,
    /// crossing_point, purpose, document_type, document_number, issuing_state, citizenship and a
    /// surname (surname and/or surname_latin); optional: document_expiry, given_names, patronymic,
    /// given_names_latin, patronymic_latin, sex, birth_date. JSON Lines: one object per line shaped
    /// like the body of POST /api/v1/crossings.
    ///
    /// Good rows are stored in batches of 16384 per transaction; rows that fail validation or a
    /// register rule are written to the rejects file with their line number and reason as the
    /// import goes. A line longer than --max-record-bytes is skipped (`record_too_long`), and a
    /// quoted CSV field that is not closed within a few lines costs its line only
    /// (`unterminated_quote`); reading goes on at the next line. Importing
    /// the same file again stores nothing twice (rows are keyed by their id). Exit status: 0 when
    /// every row was stored or already present, 3 when some rows were rejected, 1 on failure.
    Crossings(CrossingsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CrossingsArgs {
    /// The file to import (`-` for standard input).
    file: PathBuf,
    /// File format; by default from the extension (.csv, .jsonl / .ndjson).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write rejected rows (CSV: line, field, code, message). Default: FILE.rejects.csv.
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// How the file's text is encoded. A UTF-8 import that meets Windows-1251 rows says so once.
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    encoding: Encoding,
    /// The longest line (CSV: record) read, in bytes; longer ones are rejected as
    /// `record_too_long` and skipped without being held in memory.
    #[arg(long, default_value_t = ingest::DEFAULT_MAX_RECORD_BYTES, value_parser = byte_count)]
    max_record_bytes: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Register database (`sqlite:PATH` or `postgres://…`).
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
}

fn byte_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{text:?} is not a positive number of bytes")),
    }
}

fn format_of(path: &Path) -> anyhow::Result<Format> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => Ok(Format::Csv),
        Some("jsonl" | "ndjson") => Ok(Format::Jsonl),
        _ => anyhow::bail!("cannot tell the format of {}; pass --format csv or --format jsonl", path.display()),
    }
}

/// The rejects file, created at the first reject and written row by row.
struct RejectsFile {
    path: PathBuf,
    writer: Option<csv::Writer<std::fs::File>>,
}

impl RejectsFile {
    fn write(&mut self, reject: &Reject) -> anyhow::Result<()> {
        let writer = match &mut self.writer {
            Some(writer) => writer,
            None => {
                let writer =
                    csv::Writer::from_path(&self.path).with_context(|| format!("creating {}", self.path.display()))?;
                self.writer.insert(writer)
            }
        };
        writer.serialize(reject).with_context(|| format!("writing {}", self.path.display()))
    }

    fn finish(self) -> anyhow::Result<()> {
        if let Some(mut writer) = self.writer {
            writer.flush().with_context(|| format!("writing {}", self.path.display()))?;
        }
        Ok(())
    }
}

pub(crate) fn run(cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Crossings(args) = cmd;
    let stdin = args.file.as_os_str() == "-";
    let format = match args.format {
        Some(f) => f,
        None if stdin => anyhow::bail!("reading standard input: pass --format csv or --format jsonl"),
        None => format_of(&args.file)?,
    };
    let (input, size): (Box<dyn std::io::Read + Send>, u64) = if stdin {
        (Box::new(std::io::stdin()), 0)
    } else {
        let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(file), size)
    };
    let rejects_path = args.rejects.clone().unwrap_or_else(|| {
        let name = if stdin { "stdin".into() } else { args.file.as_os_str().to_owned() };
        let mut name = name;
        name.push(".rejects.csv");
        PathBuf::from(name)
    });
    let bar = if size > 0 { ProgressBar::new(size) } else { ProgressBar::new_spinner() };
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let options = ReadOptions { format, encoding: args.encoding, max_record_bytes: args.max_record_bytes };
    let mut rejects = RejectsFile { path: rejects_path.clone(), writer: None };
    let summary = crate::runtime()?.block_on(async {
        let store = Store::open(&args.db).await.with_context(|| format!("opening database {}", args.db))?;
        let register = sapar_register::Register::with_embedded_rules(store)?;
        let importer = sapar_register::Actor::new(importer_name(&args.file), sapar_model::Role::Admin);
        let progress = |bytes, s: &Summary| {
            bar.set_position(bytes);
            bar.set_message(format!("{} stored, {} rejected", s.stored, s.rejected));
        };
        let now = register.now();
        ingest::import(&register, &importer, input, options, now, |r| rejects.write(r), progress).await
    });
    bar.finish_and_clear();
    rejects.finish()?;
    let summary = summary?;
    let elapsed = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} rows read in {elapsed:.1} s: {} stored, {} already present, {} rejected; {} new persons",
            summary.rows, summary.stored, summary.already_present, summary.rejected, summary.persons_created
        );
        for (code, n) in &summary.rejected_by_code {
            println!("  {n:>8}  {code}");
        }
        if summary.rejected > 0 {
            println!("rejected rows written to {}", rejects_path.display());
        }
    }
    for hint in &summary.hints {
        eprintln!("hint: {}", hint.message);
    }
    Ok(if summary.rejected > 0 { ExitCode::from(EXIT_SOME_REJECTED) } else { ExitCode::SUCCESS })
}

/// Who an import's crossings are attributed to: the file they came from.
fn importer_name(file: &std::path::Path) -> String {
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    format!("import {name}")
}
