//! A person's stays kept beside the person row (`persons.stay_history`), so that the overstayer
//! sweep reads one row per present person instead of every crossing they ever made.
//!
//! The column is derived data: it always equals [`sapar_rules::stays_from_crossings`] over the person's
//! crossings in time order (ties broken by insertion order). Recording keeps it in step — a batch
//! whose crossings all come after the person's stored ones folds them in; anything else (a late
//! crossing, a batch out of time order, a merge) rebuilds it from the crossings in the same
//! transaction. A database from before the column is backfilled when it is opened.
//!
//! Encoding (version 1): one byte `1`, then eight bytes per stay in time order: the entry date and
//! the exit date, each as year (i16, little-endian), month (u8), day (u8); an open stay (only
//! ever the last) has an all-zero exit. Dates are packed rather than counted from an epoch so that
//! decoding is a validity check, not calendar arithmetic: the sweep decodes millions of them.

use jiff::civil::Date;
use sapar_rules::Stay;

use crate::error::StoreError;

const VERSION: u8 = 1;
const STAY_BYTES: usize = 8;

/// Encodes stays (in time order, the open one last) into the column's bytes.
pub(crate) fn encode(stays: &[Stay]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + STAY_BYTES * stays.len());
    out.push(VERSION);
    for stay in stays {
        put_date(&mut out, Some(stay.entry));
        put_date(&mut out, stay.exit);
    }
    out
}

fn put_date(out: &mut Vec<u8>, date: Option<Date>) {
    match date {
        Some(d) => {
            out.extend_from_slice(&d.year().to_le_bytes());
            out.push(d.month().unsigned_abs());
            out.push(d.day().unsigned_abs());
        }
        None => out.extend_from_slice(&[0; 4]),
    }
}

/// Decodes the column's bytes; anything but a well-formed version-1 history is `Corrupt`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Stay>, StoreError> {
    let corrupt = |why: &str| StoreError::Corrupt(format!("stay history: {why}"));
    let (&version, body) = bytes.split_first().ok_or_else(|| corrupt("empty"))?;
    if version != VERSION {
        return Err(corrupt(&format!("unknown version {version}")));
    }
    if body.len() % STAY_BYTES != 0 {
        return Err(corrupt(&format!("{} bytes is not a whole number of stays", body.len())));
    }
    let count = body.len() / STAY_BYTES;
    let mut stays = Vec::with_capacity(count);
    for (index, chunk) in body.chunks_exact(STAY_BYTES).enumerate() {
        let entry = get_date(&chunk[..4]).ok_or_else(|| corrupt("entry date"))?;
        let exit = match &chunk[4..] {
            [0, 0, 0, 0] => None,
            exit => Some(get_date(exit).ok_or_else(|| corrupt("exit date"))?),
        };
        if exit.is_none() && index + 1 != count {
            return Err(corrupt("an open stay before the last"));
        }
        stays.push(Stay { entry, exit });
    }
    Ok(stays)
}

fn get_date(b: &[u8]) -> Option<Date> {
    let [y0, y1, m, d] = *b else { return None };
    let month = i8::try_from(m).ok()?;
    let day = i8::try_from(d).ok()?;
    Date::new(i16::from_le_bytes([y0, y1]), month, day).ok()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn round_trips_closed_and_open_stays() {
        let stays = vec![
            Stay::closed(date(2024, 12, 31), date(2025, 1, 2)),
            Stay::closed(date(2025, 2, 28), date(2025, 2, 28)),
            Stay::open(date(2025, 3, 1)),
        ];
        let bytes = encode(&stays);
        assert_eq!(bytes.len(), 1 + 3 * 8);
        assert_eq!(decode(&bytes).unwrap(), stays);
        assert_eq!(decode(&encode(&[])).unwrap(), Vec::<Stay>::new());
    }

    #[test]
    fn refuses_damaged_bytes() {
        let good = encode(&[Stay::closed(date(2025, 1, 1), date(2025, 1, 5)), Stay::open(date(2025, 2, 1))]);
        let expect_corrupt = |bytes: &[u8], why: &str| match decode(bytes) {
            Err(StoreError::Corrupt(m)) => assert!(m.contains(why), "{m} should mention {why}"),
            other => panic!("expected Corrupt({why}), got {other:?}"),
        };
        expect_corrupt(&[], "empty");
        expect_corrupt(&[2], "unknown version 2");
        expect_corrupt(&good[..good.len() - 1], "whole number");
        let mut bad_month = good.clone();
        bad_month[3] = 13;
        expect_corrupt(&bad_month, "entry date");
        let mut bad_exit = good.clone();
        bad_exit[8] = 30; // 2025-01-30 exit is fine; make it February 30th instead
        bad_exit[7] = 2;
        expect_corrupt(&bad_exit, "exit date");
        // Swap the two stays: the open one is no longer last.
        let swapped = [&good[..1], &good[9..17], &good[1..9]].concat();
        expect_corrupt(&swapped, "open stay before the last");
    }
}
