//! QR codes of seals: drawn at error correction level M in byte mode (SVG, PNG), and read back
//! from a PNG.

use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::error::{CardError, VerifyError};

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_MODULES: u32 = 4;

/// The largest PNG side [`read_qr_png`] accepts, in pixels (a photo of a card is smaller).
const MAX_PNG_SIDE: u32 = 8192;

/// The smallest QR code holding `text` in one byte-mode segment at level M.
fn code_of(text: &str) -> Result<QrCode, CardError> {
    let mut last = String::from("empty");
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        let pushed = bits.push_byte_data(text.as_bytes()).and_then(|()| bits.push_terminator(EcLevel::M));
        match pushed {
            Ok(()) => return QrCode::with_bits(bits, EcLevel::M).map_err(|e| CardError::QrTooLong(e.to_string())),
            Err(e) => last = e.to_string(),
        }
    }
    Err(CardError::QrTooLong(format!("{} bytes: {last}", text.len())))
}

/// The QR code of `seal` as an SVG document (level M, byte mode, 4-module quiet zone).
pub fn qr_svg(seal: &str) -> Result<String, CardError> {
    let code = code_of(seal)?;
    Ok(code.render::<svg::Color<'_>>().quiet_zone(true).module_dimensions(4, 4).build())
}

/// The QR code of `seal` as a 1-bit greyscale PNG, `module_px` pixels per module (at least 1),
/// with a 4-module quiet zone.
pub fn qr_png(seal: &str, module_px: u32) -> Result<Vec<u8>, CardError> {
    let code = code_of(seal)?;
    let modules = u32::try_from(code.width()).map_err(|_| CardError::QrTooLong("too wide".into()))?;
    let px = module_px.max(1);
    let side = (modules + 2 * QUIET_MODULES) * px;
    let row_bytes = side.div_ceil(8) as usize;
    let colors = code.to_colors();
    let mut pixels = vec![0xffu8; row_bytes * side as usize];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i as u32 % modules, i as u32 / modules);
        for dy in 0..px {
            let y = (my + QUIET_MODULES) * px + dy;
            for dx in 0..px {
                let x = (mx + QUIET_MODULES) * px + dx;
                // Dark is 0 in greyscale; the most significant bit is the leftmost pixel.
                pixels[y as usize * row_bytes + (x / 8) as usize] &= !(0x80u8 >> (x % 8));
            }
        }
    }
    let mut out = Vec::with_capacity(pixels.len() / 4 + 128);
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let png_err = |e: png::EncodingError| CardError::QrTooLong(format!("png: {e}"));
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(&pixels).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}

/// Reads the text of the first QR code found in a PNG image (any colour type or depth).
pub fn read_qr_png(bytes: &[u8]) -> Result<String, VerifyError> {
    let not_qr = |m: String| VerifyError::NotAQr(m);
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| not_qr(format!("not a PNG image: {e}")))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w > MAX_PNG_SIDE || h > MAX_PNG_SIDE {
        return Err(not_qr(format!("{w}x{h} pixels is larger than {MAX_PNG_SIDE} on a side")));
    }
    let size = reader.output_buffer_size().ok_or_else(|| not_qr("the image is too large".into()))?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(|e| not_qr(format!("bad PNG data: {e}")))?;
    let channels = frame.color_type.samples();
    let line = frame.line_size;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let luma = |x: usize, y: usize| -> u8 {
        let p = &buf[y * line + x * channels..];
        match channels {
            1 | 2 => p[0],
            // ITU-R BT.601 weights, in integers.
            _ => ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8,
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    let grids = image.detect_grids();
    let Some(grid) = grids.first() else {
        return Err(not_qr("no QR code found in the image".into()));
    };
    let (_, text) = grid.decode().map_err(|e| not_qr(format!("the QR code does not decode: {e}")))?;
    Ok(text)
}
