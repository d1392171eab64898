//! ICAO 9303 check digits: weights 7, 3, 1 repeating over character values modulo 10.
//!
//! Values: `0`-`9` are 0-9, `A`-`Z` are 10-35, the filler `<` is 0.
//!
//! What the scheme cannot detect, exactly:
//!
//! * A substitution between two characters whose values agree modulo 10. The classes are
//!   {`<` `0` `A` `K` `U`}, {`1` `B` `L` `V`}, {`2` `C` `M` `W`}, {`3` `D` `N` `X`}, {`4` `E` `O` `Y`},
//!   {`5` `F` `P` `Z`}, {`6` `G` `Q`}, {`7` `H` `R`}, {`8` `I` `S`}, {`9` `J` `T`}. Every other single
//!   substitution is caught, because 7, 3 and 1 are all coprime with 10; so every single-digit
//!   change in a date is caught, and so are the OCR confusions `0`/`O`, `1`/`I`, `5`/`S`,
//!   `8`/`B`, `2`/`Z` (their values differ modulo 10).
//! * Swapping two adjacent characters whose values differ by a multiple of 5 (`05` ↔ `50`,
//!   `16` ↔ `61`, ...): the weight differences 4, 2 and 6 are even, so the change in the sum is a
//!   multiple of 10 exactly then.
//! * Swapping two characters three positions apart (same weight), whatever they are.

const WEIGHTS: [u32; 3] = [7, 3, 1];

/// Character values by byte, 0 outside the alphabet (a table keeps the hot loop branch-free).
static VALUES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'A'..=b'Z' => c - b'A' + 10,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// Weighted sum over several ranges taken as one sequence (the composite check digit spans
/// non-adjacent ranges); characters outside the MRZ alphabet count as 0.
pub(crate) fn check_digit_of(parts: &[&[u8]]) -> u8 {
    let mut sum = 0u32;
    let mut w = 0usize;
    for part in parts {
        for &b in *part {
            sum += u32::from(VALUES[usize::from(b)]) * WEIGHTS[w];
            w = if w == 2 { 0 } else { w + 1 };
        }
    }
    // The remainder is below 10, so the cast is exact.
    (sum % 10) as u8
}

/// The check digit of `field`, as an ASCII digit character.
pub fn check_digit(field: &str) -> char {
    char::from(b'0' + check_digit_of(&[field.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_doc_9303_worked_example() {
        // Doc 9303 Part 3, 4.9: 520727 gives 3 (5*7 + 2*3 + 0*1 + 7*7 + 2*3 + 7*1 = 103).
        assert_eq!(check_digit("520727"), '3');
    }

    #[test]
    fn filler_counts_as_zero() {
        assert_eq!(check_digit("AB2134<<<"), check_digit("AB2134000"));
    }
}
