//! `sapar link`, `sapar link register` and `sapar synth persons`: record linkage of CSV files with
//! a `LINK.toml`, the register's own linking run (merges and the review queue, logic in
//! `sapar_register::linking`), and generated persons of the region to try them on (`sapar-match`).

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
use sapar_register::Actor;
use sapar_register::linking::{DEFAULT_LOWER, DEFAULT_UPPER, LinkOptions, LinkSummary};

use crate::config::DEFAULT_DB;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct LinkArgs {
    #[command(subcommand)]
    command: Option<LinkCommand>,
    /// The linkage configuration (see docs/linking.md).
    #[arg(long, required = true)]
    config: Option<PathBuf>,
    /// Records to deduplicate, or the left source when --right is given.
    #[arg(long, required = true)]
    left: Option<PathBuf>,
    /// The right source; without it the left file is deduplicated.
    #[arg(long)]
    right: Option<PathBuf>,
    /// Where to write the pairs (left_id,right_id,match_probability,match_weight).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
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
pub(crate) enum LinkCommand {
    /// Link the register's persons: everyone recorded since the last run is compared with
    /// everyone before them. At or above --upper the pair is merged (the older person survives,
    /// the merged id keeps answering); from --lower to --upper it goes to the review queue
    /// (GET /api/v1/review); below, the person stays distinct. Pairs an officer rejected are
    /// never proposed or merged again. The model is fitted on the register without labels the
    /// first time (and when the register has doubled since) and stored.
    Register(RegisterArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RegisterArgs {
    /// Register database. [default: sqlite:sapar.db; env: SAPAR_DB]
    #[arg(long, env = "SAPAR_DB", default_value = DEFAULT_DB)]
    db: String,
    /// Probability from which a pair goes to the review queue.
    #[arg(long, default_value_t = DEFAULT_LOWER)]
    lower: f64,
    /// Probability from which a pair is merged without review.
    #[arg(long, default_value_t = DEFAULT_UPPER)]
    upper: f64,
    /// Fit a new model even when the stored one still fits the register.
    #[arg(long)]
    refit: bool,
    /// Compare every person again, not only those recorded since the last run.
    #[arg(long)]
    all: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
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
    if let Some(LinkCommand::Register(register)) = args.command {
        return run_register(register);
    }
    let (Some(config_path), Some(left_path), Some(out_path)) = (&args.config, &args.left, &args.out) else {
        anyhow::bail!("sapar link needs --config, --left and --out (or the register subcommand)");
    };
    let start = Instant::now();
    let text = std::fs::read_to_string(config_path).with_context(|| format!("reading {}", config_path.display()))?;
    let config = LinkConfig::parse(&text).with_context(|| format!("in {}", config_path.display()))?;
    if let Some(t) = args.threshold
        && !(0.0..=1.0).contains(&t)
    {
        anyhow::bail!("--threshold must be a probability between 0 and 1, got {t}");
    }
    let left = read_csv_file(left_path, config.id_column())?;
    let right = match &args.right {
        Some(path) => Some(read_csv_file(path, config.id_column())?),
        None => None,
    };
    let linkage = Linkage::new(&config, &left, right.as_ref())?;
    let (model, fit) = linkage.fit()?;
    let threshold = args.threshold.unwrap_or(config.thresholds().match_at);
    let (pairs, report) = linkage.predict(&model, threshold)?;
    let pairs = if right.is_some() && config.one_to_one() { one_to_one(&pairs) } else { pairs };
    let out = BufWriter::new(File::create(out_path).with_context(|| format!("creating {}", out_path.display()))?);
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
        out_path.display(),
        fit.deterministic_pairs,
        model.prior,
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_register(args: RegisterArgs) -> anyhow::Result<ExitCode> {
    let options = LinkOptions { lower: args.lower, upper: args.upper, refit: args.refit, relink_all: args.all };
    let summary = crate::runtime()?.block_on(async {
        let (_, register) = crate::config::open_register(&args.db, crate::config::DEFAULT_HOST_STATE).await?;
        let operator = Actor::new("sapar link register", sapar_model::Role::Admin);
        Ok::<_, anyhow::Error>(register.link(&operator, options).await?)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary_json(&summary))?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("persons            {} ({} compared with everyone before them)", summary.persons, summary.linked);
    match summary.model {
        "none" => println!("model              not needed: nobody new since the last run"),
        source => println!("model              {source}, fitted on {} persons", summary.model_persons),
    }
    println!("merged             {} (p >= {})", summary.merged, summary.upper);
    println!(
        "queued for review  {} pairs ({} <= p < {}), for {} persons",
        summary.proposed, summary.lower, summary.upper, summary.uncertain
    );
    println!("kept distinct      {}", summary.distinct);
    println!("non-matches        {} confirmed by officers, honoured", summary.non_matches);
    if summary.reattached > 0 {
        println!("reattached         {} merged persons still held records; moved to the survivor", summary.reattached);
    }
    println!("time               {:.2} s", summary.elapsed.as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// A run's summary as JSON (`--json`).
fn summary_json(s: &LinkSummary) -> serde_json::Value {
    serde_json::json!({
        "run_id": s.run_id.to_string(),
        "persons": s.persons,
        "linked": s.linked,
        "model": s.model,
        "model_persons": s.model_persons,
        "lower": s.lower,
        "upper": s.upper,
        "merged": s.merged,
        "proposed": s.proposed,
        "uncertain": s.uncertain,
        "distinct": s.distinct,
        "non_matches": s.non_matches,
        "reattached": s.reattached,
        "seconds": s.elapsed.as_secs_f64(),
    })
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
