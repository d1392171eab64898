//! `sapar link` and `sapar synth persons`: record linkage of CSV files with a `LINK.toml`, and
//! generated persons of the region to try it on (logic in `sapar-match`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand};
use sapar_match::csv_io::{read_csv_file, write_clusters, write_pairs, write_table};
use sapar_match::synth::{PERSON_COLUMNS, synth_persons};
use sapar_match::{LinkConfig, Linkage, Table, clusters, one_to_one};

#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// The linkage configuration (see docs/linking.md).
    #[arg(long)]
    config: PathBuf,
    /// Records to deduplicate, or the left source when --right is given.
    #[arg(long)]
    left: PathBuf,
    /// The right source; without it the left file is deduplicated.
    #[arg(long)]
    right: Option<PathBuf>,
    /// Where to write the pairs (left_id,right_id,match_probability,match_weight).
    #[arg(long)]
    out: PathBuf,
    /// Where to write every record's cluster (cluster_id,source,record_id,cluster_size).
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// Lowest match probability written and clustered; defaults to the configuration's `match`.
    #[arg(long)]
    threshold: Option<f64>,
    /// Add per-field levels and weights and a readable explanation to each pair.
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SynthCommand {
    /// Generate a Cyrillic register and document records of the same region, partly the same
    /// people, with transliteration variants and errors; writes left.csv, right.csv and truth.csv.
    Persons(SynthPersonsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SynthPersonsArgs {
    /// Records on each side.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Share of the register's persons that reappear in the documents.
    #[arg(long, default_value_t = 0.5)]
    duplicates: f64,
    /// Seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for left.csv, right.csv and truth.csv.
    #[arg(long, default_value = ".")]
    out_dir: PathBuf,
}

pub(crate) fn run_link(args: LinkArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let text = std::fs::read_to_string(&args.config).with_context(|| format!("reading {}", args.config.display()))?;
    let config = LinkConfig::parse(&text).with_context(|| format!("in {}", args.config.display()))?;
    if let Some(t) = args.threshold
        && !(0.0..=1.0).contains(&t)
    {
        anyhow::bail!("--threshold must be a probability between 0 and 1, got {t}");
    }
    let left = read_csv_file(&args.left, config.id_column())?;
    let right = match &args.right {
        Some(path) => Some(read_csv_file(path, config.id_column())?),
        None => None,
    };
    let linkage = Linkage::new(&config, &left, right.as_ref())?;
    let (model, fit) = linkage.fit()?;
    let threshold = args.threshold.unwrap_or(config.thresholds().match_at);
    let (pairs, report) = linkage.predict(&model, threshold)?;
    let pairs = if right.is_some() && config.one_to_one() { one_to_one(&pairs) } else { pairs };
    let out = BufWriter::new(File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?);
    write_pairs(out, &linkage, &model, &pairs, args.explain)?;
    if let Some(path) = &args.clusters {
        let members = clusters(linkage.data(), &pairs, threshold);
        let out = BufWriter::new(File::create(path).with_context(|| format!("creating {}", path.display()))?);
        write_clusters(out, &members)?;
    }
    eprintln!(
        "{} candidate pairs compared, {} pairs at p >= {threshold} written to {} ({} deterministic pairs, prior {:.3e}) in {:.2} s",
        report.compared_pairs,
        pairs.len(),
        args.out.display(),
        fit.deterministic_pairs,
        model.prior,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn run_synth(command: SynthCommand) -> anyhow::Result<ExitCode> {
    match command {
        SynthCommand::Persons(args) => {
            if !(0.0..=1.0).contains(&args.duplicates) {
                anyhow::bail!("--duplicates must be a share between 0 and 1, got {}", args.duplicates);
            }
            std::fs::create_dir_all(&args.out_dir).with_context(|| format!("creating {}", args.out_dir.display()))?;
            let (left, right, truth) = synth_persons(args.count, args.duplicates, args.seed);
            let columns: Vec<String> = PERSON_COLUMNS.iter().map(|c| c.to_string()).collect();
            for (name, records) in [("left.csv", left), ("right.csv", right)] {
                let path = args.out_dir.join(name);
                let table = Table::new(columns.clone(), records)?;
                let out = BufWriter::new(File::create(&path).with_context(|| format!("creating {}", path.display()))?);
                write_table(out, &table)?;
            }
            let path = args.out_dir.join("truth.csv");
            let mut out = BufWriter::new(File::create(&path).with_context(|| format!("creating {}", path.display()))?);
            writeln!(out, "left_id,right_id")?;
            for (l, r) in &truth {
                writeln!(out, "{l},{r}")?;
            }
            out.flush()?;
            eprintln!(
                "wrote {} persons per side, {} true pairs, to {}",
                args.count,
                truth.len(),
                args.out_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
