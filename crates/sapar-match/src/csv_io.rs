//! Reading records from CSV and writing pairs and clusters as CSV: the only IO of the crate,
//! kept apart from the engine, for analyst tools such as `sapar link`.

use std::io::{Read, Write};
use std::path::Path;

use crate::cluster::ClusterMember;
use crate::error::MatchError;
use crate::features::{Record, Table};
use crate::link::{Linkage, ScoredPair};
use crate::model::Model;

/// Reads a CSV with a header row. Values are trimmed (some exports put a space after each
/// comma); the column `id_column` becomes the record identifier.
pub fn read_csv<R: Read>(reader: R, source_name: &str, id_column: &str) -> Result<Table, MatchError> {
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(reader);
    let err = |e: csv::Error| MatchError::Csv {
        source_name: source_name.to_string(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    };
    let headers: Vec<String> = rdr.headers().map_err(err)?.iter().map(str::to_string).collect();
    let id_at = headers.iter().position(|h| h == id_column).ok_or_else(|| MatchError::MissingColumn {
        source_name: source_name.to_string(),
        column: id_column.to_string(),
        available: headers.join(", "),
    })?;
    let mut records = Vec::new();
    let mut row = csv::StringRecord::new();
    while rdr.read_record(&mut row).map_err(err)? {
        let values: Vec<String> = row.iter().map(str::to_string).collect();
        let id = values[id_at].clone();
        if id.is_empty() {
            return Err(MatchError::Csv {
                source_name: source_name.to_string(),
                line: row.position().map_or(0, |p| p.line()),
                message: format!("empty {id_column}"),
            });
        }
        records.push(Record { id, values });
    }
    Table::new(headers, records)
}

/// Reads a CSV file (see [`read_csv`]).
pub fn read_csv_file(path: &Path, id_column: &str) -> Result<Table, MatchError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| MatchError::Csv {
        source_name: name.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    read_csv(std::io::BufReader::new(file), &name, id_column)
}

fn io_err(what: &str, e: impl std::fmt::Display) -> MatchError {
    MatchError::Csv { source_name: what.to_string(), line: 0, message: e.to_string() }
}

/// Writes `left_id,right_id,match_probability,match_weight`, plus with `explain` the columns
/// `explanation` (readable summary) and one `<field>_level,<field>_weight` pair per field.
pub fn write_pairs<W: Write>(
    out: W,
    linkage: &Linkage<'_>,
    model: &Model,
    pairs: &[ScoredPair],
    explain: bool,
) -> Result<(), MatchError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> =
        ["left_id", "right_id", "match_probability", "match_weight"].iter().map(|s| s.to_string()).collect();
    if explain {
        header.push("prior_weight".into());
        for f in &model.fields {
            header.push(format!("{}_level", f.name));
            header.push(format!("{}_weight", f.name));
        }
        header.push("explanation".into());
    }
    w.write_record(&header).map_err(|e| io_err("pairs", e))?;
    let data = linkage.data();
    for p in pairs {
        let mut row = vec![
            data.left_id(p.left).to_string(),
            data.right_id(p.right).to_string(),
            format!("{:.6}", p.probability()),
            format!("{:.4}", p.weight),
        ];
        if explain {
            let e = linkage.explain(model, p);
            row.push(format!("{:.4}", e.prior_weight));
            for c in &e.contributions {
                row.push(c.level.clone());
                row.push(format!("{:.4}", c.weight));
            }
            row.push(e.summary());
        }
        w.write_record(&row).map_err(|e| io_err("pairs", e))?;
    }
    w.flush().map_err(|e| io_err("pairs", e))
}

/// Writes `cluster_id,source,record_id,cluster_size`.
pub fn write_clusters<W: Write>(out: W, members: &[ClusterMember]) -> Result<(), MatchError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["cluster_id", "source", "record_id", "cluster_size"]).map_err(|e| io_err("clusters", e))?;
    for m in members {
        w.write_record([m.cluster_id.as_str(), m.source.as_str(), m.record_id.as_str(), &m.size.to_string()])
            .map_err(|e| io_err("clusters", e))?;
    }
    w.flush().map_err(|e| io_err("clusters", e))
}

/// Writes records as CSV: the identifier column first, then the table's columns.
pub fn write_table<W: Write>(out: W, table: &Table) -> Result<(), MatchError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.columns()).map_err(|e| io_err("records", e))?;
    for r in table.records() {
        w.write_record(&r.values).map_err(|e| io_err("records", e))?;
    }
    w.flush().map_err(|e| io_err("records", e))
}
