//! QR codes of seals: drawn at error correction level M in byte mode (SVG, PNG), and read back
//! from a PNG.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};

use crate::error::{CardError, VerifyError};

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
pub(crate) const QUIET_MODULES: u32 = 4;

/// The largest PNG side [`read_qr_png`] accepts, in pixels (a photo of a card is smaller).
const MAX_PNG_SIDE: u32 = 8192;

/// The smallest QR code holding `text` in one byte-mode segment at level M, the mask chosen by
/// the standard's penalty rules.
pub(crate) fn code_of(text: &str) -> Result<(QrCode, u32), CardError> {
    let segments = [QrSegment::make_bytes(text.as_bytes())];
    let code = QrCode::encode_segments_advanced(&segments, QrCodeEcc::Medium, Version::MIN, Version::MAX, None, false)
        .map_err(|e| CardError::QrTooLong(format!("{} bytes: {e}", text.len())))?;
    let modules = u32::try_from(code.size()).map_err(|_| CardError::QrTooLong("negative size".into()))?;
    Ok((code, modules))
}

fn dark(code: &QrCode, x: u32, y: u32) -> bool {
    // Both coordinates are below the code's size (at most 177), so they fit an i32.
    code.get_module(x as i32, y as i32)
}

/// The QR code of `seal` as an SVG document (level M, byte mode, 4-module quiet zone): one
/// path of unit squares in a view box measured in modules.
pub fn qr_svg(seal: &str) -> Result<String, CardError> {
    let (code, modules) = code_of(seal)?;
    let side = modules + 2 * QUIET_MODULES;
    let mut path = String::with_capacity(modules as usize * modules as usize * 6);
    for y in 0..modules {
        for x in 0..modules {
            if dark(&code, x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_MODULES, y + QUIET_MODULES));
            }
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {side} {side}\" \
         width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n\
         <path d=\"{path}\" fill=\"#000\"/>\n</svg>\n",
        px = side * 4
    ))
}

/// The QR code of `seal` as a 1-bit greyscale PNG, `module_px` pixels per module (at least 1),
/// with a 4-module quiet zone.
pub fn qr_png(seal: &str, module_px: u32) -> Result<Vec<u8>, CardError> {
    let (code, modules) = code_of(seal)?;
    let px = module_px.clamp(1, 64);
    let side = (modules + 2 * QUIET_MODULES) * px;
    let row_bytes = side.div_ceil(8) as usize;
    let mut pixels = vec![0xffu8; row_bytes * side as usize];
    let mut row = vec![0xffu8; row_bytes];
    for my in 0..modules {
        row.fill(0xff);
        for mx in 0..modules {
            if !dark(&code, mx, my) {
                continue;
            }
            for dx in 0..px {
                let x = (mx + QUIET_MODULES) * px + dx;
                // Dark is 0 in greyscale; the most significant bit is the leftmost pixel.
                row[(x / 8) as usize] &= !(0x80u8 >> (x % 8));
            }
        }
        for dy in 0..px {
            let y = ((my + QUIET_MODULES) * px + dy) as usize;
            pixels[y * row_bytes..(y + 1) * row_bytes].copy_from_slice(&row);
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
