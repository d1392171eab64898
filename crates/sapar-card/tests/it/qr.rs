//! QR codes: drawn, read back, and what is not one.

use sapar_card::{qr_png, qr_svg, read_qr_png, seal, verify};

use crate::support::{ca_der, card, keys, signer, today};

#[test]
fn a_seal_drawn_as_png_reads_back_and_verifies() {
    let keys = keys();
    let sealed = seal(&card(), &signer(&keys)).expect("seal");
    for module_px in [2, 4] {
        let png = qr_png(sealed.as_str(), module_px).expect("png");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let text = read_qr_png(&png).expect("reads back");
        assert_eq!(text, sealed.as_str());
        assert_eq!(verify(text.as_bytes(), &ca_der(&keys), today()).expect("verifies").content, card());
    }
}

#[test]
fn the_svg_is_an_svg_document() {
    let sealed = seal(&card(), &signer(&keys())).expect("seal");
    let svg = qr_svg(sealed.as_str()).expect("svg");
    assert!(svg.contains("<svg"), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.trim_end().ends_with("</svg>"));
}

#[test]
fn an_image_without_a_qr_code_is_not_a_qr() {
    let mut blank = Vec::new();
    let mut encoder = png::Encoder::new(&mut blank, 64, 64);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&[255u8; 64 * 64]).expect("data");
    writer.finish().expect("finish");
    assert_eq!(read_qr_png(&blank).expect_err("blank").code(), "not_a_qr");
    assert_eq!(read_qr_png(b"{\"data\":{}}").expect_err("json").code(), "not_a_qr");
    assert_eq!(read_qr_png(b"\x89PNG\r\n\x1a\ntruncated").expect_err("truncated").code(), "not_a_qr");
}

#[test]
fn text_too_long_for_any_qr_code_is_refused() {
    let long = "x".repeat(3000);
    assert!(qr_png(&long, 1).is_err());
    assert!(qr_svg(&long).is_err());
}
