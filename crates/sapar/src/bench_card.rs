//! `sapar bench cards`: issuing (seal and QR code) and verifying migrant cards, per card.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use sapar_card::CardSigner;
use sapar_model::Country;
use sapar_treaty::pki;

#[derive(Debug, Args)]
pub(crate) struct CardsArgs {
    /// Number of cards to issue and verify.
    #[arg(long, default_value_t = 2000)]
    n: u32,
    /// Pixels per QR module in the PNG.
    #[arg(long, default_value_t = 4)]
    module_px: u32,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, serde::Serialize)]
struct Latency {
    what: &'static str,
    n: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    per_second: f64,
}

fn latency(what: &'static str, mut times: Vec<Duration>) -> Latency {
    times.sort_unstable();
    let n = times.len();
    let at =
        |q: f64| times.get(((n as f64 * q).ceil() as usize).saturating_sub(1)).map_or(0.0, |d| d.as_secs_f64() * 1e3);
    let total: f64 = times.iter().map(Duration::as_secs_f64).sum();
    Latency { what, n, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1.0), per_second: n as f64 / total.max(1e-9) }
}

pub(crate) fn run(args: CardsArgs) -> anyhow::Result<ExitCode> {
    let kaz = Country::parse("KAZ")?;
    let now = jiff::Timestamp::now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let keys = sapar_treaty::keys::init_state_keys(kaz, &[], now).context("generating keys")?;
    let signer = CardSigner::from_pem(&keys.card_signer.cert_pem, &keys.card_signer.key_pem)?;
    let ca = pki::pem_decode_one(&keys.ca.cert_pem, "CERTIFICATE")?;

    let n = args.n.max(1);
    let mut seal_only = Vec::with_capacity(n as usize);
    let mut issue = Vec::with_capacity(n as usize);
    let mut verify = Vec::with_capacity(n as usize);
    let mut seals = Vec::with_capacity(n as usize);
    let mut png_bytes = 0;
    for serial in 0..n {
        let content = crate::card_cmd::sample_content(kaz, u64::from(serial), today)?;
        let started = Instant::now();
        let seal = sapar_card::seal(&content, &signer)?;
        let sealed = started.elapsed();
        let png = sapar_card::qr_png(seal.as_str(), args.module_px)?;
        issue.push(started.elapsed());
        seal_only.push(sealed);
        png_bytes = png.len();
        seals.push(seal);
    }
    for seal in &seals {
        let started = Instant::now();
        let card = sapar_card::verify(seal.as_str().as_bytes(), &ca, today);
        verify.push(started.elapsed());
        card.map_err(|e| anyhow::anyhow!("a benchmark card did not verify: {}: {e}", e.code()))?;
    }
    let seal_bytes = seals.first().map_or(0, sapar_card::Seal::len);
    let figures =
        [latency("issue: seal + QR PNG", issue), latency("issue: seal only", seal_only), latency("verify", verify)];
    if args.json {
        let out = serde_json::json!({"cards": n, "seal_bytes": seal_bytes, "png_bytes": png_bytes, "figures": figures});
        println!("{out}");
    } else {
        println!(
            "{n} cards, seal {seal_bytes} bytes (Cyrillic name), PNG {png_bytes} bytes at {} px/module",
            args.module_px
        );
        for l in &figures {
            println!(
                "{:<22} p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms  {:.0} per second (one core)",
                l.what, l.p50_ms, l.p99_ms, l.max_ms, l.per_second
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
