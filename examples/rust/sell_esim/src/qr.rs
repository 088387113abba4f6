//! The QR code a customer scans to install the eSIM: the LPA string as a greyscale PNG.

use qrcode::{Color, QrCode};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Pixels per QR module: large enough for phone cameras and for decoders in tests.
const SCALE: usize = 8;
/// Light modules around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// Writes `text` as a QR code PNG at `path` (parent directories created) and returns its
/// side in pixels.
pub fn write_png(text: &str, path: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let code = QrCode::new(text.as_bytes())?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * SCALE..(my + 1) * SCALE {
            pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let side_u32 = u32::try_from(side)?;
    let mut encoder = png::Encoder::new(BufWriter::new(File::create(path)?), side_u32, side_u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(side)
}
