//! What the 7-3-1 check digit detects and what it cannot (see the module doc of `mrz::check`).

use sapar_identity::check_digit;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

fn value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 0,
    }
}

fn replace(field: &str, at: usize, with: u8) -> String {
    let mut bytes = field.as_bytes().to_vec();
    bytes[at] = with;
    String::from_utf8(bytes).expect("ascii")
}

#[test]
fn substitution_is_caught_exactly_when_values_differ_modulo_ten() {
    let field = "L898902C3";
    let digit = check_digit(field);
    for at in 0..field.len() {
        for &c in ALPHABET {
            let original = field.as_bytes()[at];
            if c == original {
                continue;
            }
            let same_class = value(c) % 10 == value(original) % 10;
            let undetected = check_digit(&replace(field, at, c)) == digit;
            assert_eq!(undetected, same_class, "position {at}: {} -> {}", original as char, c as char);
        }
    }
}

#[test]
fn zero_letter_a_and_filler_are_indistinguishable() {
    // 0, A (10), K (20), U (30) and < (0) agree modulo 10 in every position.
    let digit = check_digit("AB0<<<<<<");
    for c in ["AB<<<<<<<", "ABA<<<<<<", "ABK<<<<<<", "ABU<<<<<<"] {
        assert_eq!(check_digit(c), digit, "{c}");
    }
}

#[test]
fn ocr_confusions_are_always_caught() {
    for (a, b) in [('0', 'O'), ('1', 'I'), ('5', 'S'), ('8', 'B'), ('2', 'Z')] {
        for at in 0..6 {
            let mut x = vec![b'7'; 6];
            let mut y = x.clone();
            x[at] = a as u8;
            y[at] = b as u8;
            let (x, y) = (String::from_utf8(x).expect("ascii"), String::from_utf8(y).expect("ascii"));
            assert_ne!(check_digit(&x), check_digit(&y), "{a}/{b} at {at}");
        }
    }
}

#[test]
fn every_single_digit_change_in_a_date_is_caught() {
    for date in ["740812", "000229", "991231", "250101"] {
        let digit = check_digit(date);
        for at in 0..6 {
            for d in b'0'..=b'9' {
                if d != date.as_bytes()[at] {
                    assert_ne!(check_digit(&replace(date, at, d)), digit, "{date} at {at} -> {}", d as char);
                }
            }
        }
    }
}

#[test]
fn adjacent_swaps_go_unnoticed_exactly_when_digits_differ_by_five() {
    for at in 0..5 {
        for a in b'0'..=b'9' {
            for b in b'0'..=b'9' {
                if a == b {
                    continue;
                }
                let mut x = *b"314159";
                x[at] = a;
                x[at + 1] = b;
                let mut y = x;
                y.swap(at, at + 1);
                let (xs, ys) = (std::str::from_utf8(&x).expect("ascii"), std::str::from_utf8(&y).expect("ascii"));
                let undetected = check_digit(xs) == check_digit(ys);
                assert_eq!(undetected, (a.abs_diff(b)) % 5 == 0, "{xs} <-> {ys}");
            }
        }
    }
}

#[test]
fn swaps_three_apart_are_never_noticed() {
    assert_eq!(check_digit("123456"), check_digit("423156"));
    assert_eq!(check_digit("740812"), check_digit("840712"));
}
