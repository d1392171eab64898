//! String normalisation and the similarity measures the comparisons use (Jaro-Winkler,
//! optimal-string-alignment distance), written for short byte strings without allocation.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases, decomposes accents away and keeps letters and digits, with single spaces
/// between words. The result is what "exact" means for every field kind.
pub(crate) fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.nfc() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            // Latin letters lose their accents; Cyrillic keeps Й and Ё distinct from И and Е.
            if ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c) {
                for d in c.nfkd().filter(|d| d.is_alphanumeric()) {
                    out.extend(d.to_lowercase());
                }
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c.is_whitespace() || matches!(c, '-' | '\'' | '.' | ',' | '/' | '_' | '<') {
            pending_space = true;
        }
        // combining marks and other symbols are dropped
    }
    out
}

/// Upper-case letters and digits only: how identifiers (passport, social security numbers)
/// are compared, so `AB 12-34` and `ab1234` are the same value.
pub(crate) fn normalise_identifier(raw: &str) -> String {
    raw.nfkd().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

/// Jaro-Winkler similarity with the usual prefix scale 0.1 and a prefix of at most four.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// Jaro similarity of two byte strings.
pub(crate) fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() <= 64 && b.len() <= 64 { jaro_small(a, b) } else { jaro_large(a, b) }
}

fn jaro_small(a: &[u8], b: &[u8]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_flags: u64 = 0;
    let mut b_flags: u64 = 0;
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if b_flags & (1 << j) == 0 && ca == cb {
                a_flags |= 1 << i;
                b_flags |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut bj = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_flags & (1 << i) != 0 {
            while b_flags & (1 << bj) == 0 {
                bj += 1;
            }
            if ca != b[bj] {
                transpositions += 1;
            }
            bj += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

fn jaro_large(a: &[u8], b: &[u8]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_flags = vec![false; a.len()];
    let mut b_flags = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_flags[j] && ca == b[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut bj = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_flags[i] {
            while !b_flags[bj] {
                bj += 1;
            }
            if ca != b[bj] {
                transpositions += 1;
            }
            bj += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped:
/// any distance above `max` is reported as `max + 1`.
pub fn osa_distance_capped(a: &[u8], b: &[u8], max: usize) -> usize {
    // Larger caps mean nothing for the short strings compared here, and keep cells in a byte.
    let max = max.min(250);
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    if a == b {
        return 0;
    }
    // A shared prefix or suffix never needs an edit: compare only the differing middle.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()).min(max + 1);
    }
    if b.len() < 64 && a.len() < 64 {
        osa_small(a, b, max)
    } else {
        let mut big = vec![0u16; 3 * (b.len() + 1)];
        osa_rows(a, b, max, &mut big)
    }
}

/// The OSA matrix in three byte rows on the stack, for strings shorter than 64 bytes; cells are
/// capped at `max + 1` (at most 251), so they fit a byte.
fn osa_small(a: &[u8], b: &[u8], max: usize) -> usize {
    let n = b.len();
    let cap = (max + 1) as u8;
    let (mut before, mut prev, mut cur) = ([0u8; 64], [0u8; 64], [0u8; 64]);
    for (j, cell) in prev.iter_mut().enumerate().take(n + 1) {
        *cell = (j as u8).min(cap);
    }
    for i in 1..=a.len() {
        cur[0] = (i as u8).min(cap);
        let mut row_min = cur[0];
        let ai = a[i - 1];
        for j in 1..=n {
            let cost = u8::from(ai != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && ai == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            let v = v.min(cap);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if usize::from(row_min) > max {
            return max + 1;
        }
        before = prev;
        prev = cur;
    }
    usize::from(prev[n]).min(max + 1)
}

/// Three rolling rows of the OSA matrix in one buffer, addressed by row number modulo 3.
fn osa_rows<T: Copy + Into<usize> + TryFrom<usize>>(a: &[u8], b: &[u8], max: usize, rows: &mut [T]) -> usize {
    let n = b.len();
    let w = rows.len() / 3;
    let set = |rows: &mut [T], r: usize, j: usize, v: usize| {
        if let Ok(x) = T::try_from(v.min(max + 1)) {
            rows[(r % 3) * w + j] = x;
        }
    };
    for j in 0..=n {
        set(rows, 0, j, j);
    }
    for i in 1..=a.len() {
        set(rows, i, 0, i);
        let mut row_min = i;
        for j in 1..=n {
            let get = |r: usize, j: usize| -> usize { rows[(r % 3) * w + j].into() };
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (get(i - 1, j) + 1).min(get(i, j - 1) + 1).min(get(i - 1, j - 1) + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(get(i - 2, j - 2) + 1);
            }
            set(rows, i, j, v);
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
    }
    let last: usize = rows[(a.len() % 3) * w + n].into();
    last.min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_matches_reference_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler(b"dwayne", b"duane") - 0.84).abs() < 1e-3);
        assert!((jaro_winkler(b"dixon", b"dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler(b"abc", b"abc"), 1.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
        let long_a = b"a".repeat(70);
        assert_eq!(jaro_winkler(&long_a, &long_a), 1.0);
    }

    #[test]
    fn osa_counts_transposition_as_one_edit() {
        assert_eq!(osa_distance_capped(b"1234567", b"1243567", 2), 1);
        assert_eq!(osa_distance_capped(b"1234567", b"1234568", 2), 1);
        assert_eq!(osa_distance_capped(b"1234567", b"7654321", 2), 3);
        assert_eq!(osa_distance_capped(b"kitten", b"sitting", 5), 3);
        assert_eq!(osa_distance_capped(b"", b"ab", 5), 2);
        assert_eq!(osa_distance_capped(b"xab", b"xba", 2), 1);
        assert_eq!(osa_distance_capped(b"ab", b"bab", 2), 1);
        assert_eq!(osa_distance_capped(b"ca", b"abc", 5), 3);
        assert_eq!(osa_distance_capped(b"N12345678", b"N12354678", 2), 1);
        let a = b"x".repeat(60);
        let mut b = a.clone();
        b[3] = b'y';
        assert_eq!(osa_distance_capped(&a, &b, 2), 1);
    }

    #[test]
    fn normalise_folds_case_accents_and_punctuation() {
        assert_eq!(normalise("  O'Brien-Smith "), "o brien smith");
        assert_eq!(normalise("Éloïse"), "eloise");
        assert_eq!(normalise("ИВАНОВ"), "иванов");
        assert_eq!(normalise("Йўлдош"), "йўлдош");
        assert_eq!(normalise_identifier("ab 12-34"), "AB1234");
    }
}
