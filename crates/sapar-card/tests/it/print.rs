//! The printable card: a one-page PDF of what the seal says, in Russian and the holder's
//! language; what is not a seal is not printed. (The page's text and its QR code are read back
//! by poppler and zxing-cpp in `.ci/card-verifier.sh`.)

use sapar_card::{CardError, PrintLanguage, card_pdf, seal};
use sapar_model::Country;

use crate::support::{card, keys, signer};

fn country(code: &str) -> Country {
    Country::parse(code).expect("country")
}

/// The PDF objects of type Page (not Pages).
fn pages(pdf: &[u8]) -> usize {
    pdf.windows(11).filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's').count()
}

#[test]
fn the_printed_card_is_one_pdf_page_titled_with_the_card_number_and_the_native_name() {
    let keys = keys();
    let content = card();
    let sealed = seal(&content, &signer(&keys)).expect("seal");
    let pdf = card_pdf(sealed.as_str()).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "no PDF trailer");
    assert_eq!(pages(&pdf), 1);
    let text = String::from_utf8_lossy(&pdf);
    let title = format!("Карта мигранта {} — Абдурахманова Гульнара Жаныбековна", content.number);
    assert!(text.contains(&title), "the document's metadata lacks the title {title:?}");
}

#[test]
fn the_second_language_is_the_holders_where_the_card_has_it() {
    let beside = |code| PrintLanguage::beside_russian_for(country(code));
    assert_eq!(beside("KGZ"), Some(PrintLanguage::Kyrgyz));
    assert_eq!(beside("KAZ"), Some(PrintLanguage::Kazakh));
    assert_eq!(beside("RUS"), None);
    assert_eq!(beside("BLR"), None);
    assert_eq!(beside("UZB"), Some(PrintLanguage::English));
    assert_eq!(beside("ARM").map(PrintLanguage::tag), Some("en"));
}

#[test]
fn long_names_and_a_holder_without_a_second_language_still_print() {
    let keys = keys();
    let mut content = card();
    content.citizenship = country("RUS");
    content.surname_latin = "A".repeat(64);
    content.name_native = Some(format!("{} {}", "Ж".repeat(60), "Щ".repeat(35)));
    let sealed = seal(&content, &signer(&keys)).expect("seal");
    let pdf = card_pdf(sealed.as_str()).expect("pdf");
    assert_eq!(pages(&pdf), 1);
    assert!(String::from_utf8_lossy(&pdf).contains(&"Ж".repeat(60)), "the title keeps the whole name");
}

#[test]
fn what_is_not_a_seal_is_not_printed() {
    for text in ["", "not json", "{}", r#"{"data":{"hdr":{"is":"KAZ"},"msg":{}}}"#, r#"{"data":{"hdr":{"is":"XXX"}}}"#]
    {
        match card_pdf(text) {
            Err(CardError::Content(reason)) => assert!(reason.starts_with("the seal to print"), "{text:?}: {reason}"),
            other => panic!("{text:?} was answered {other:?}"),
        }
    }
}
