//! Any bytes through the whole pipeline: parse → resolve → layout → every renderer.
//!
//! The library promises a located error or a drawing for any input, never a panic, so any
//! crash here is a bug, and so is a layout that breaks a rule of the drawing
//! (`archdraw::layout::verify`). The first byte picks options (format, width) so the
//! width-fitting passes and the ASCII fold are explored too; the rest is the spec.
#![no_main]

use archdraw::layout::{LayoutOptions, verify};
use archdraw::render::{svg, text};
use archdraw::style::AsciiText;
use archdraw::{Diagram, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, rest)) = data.split_first() else { return };
    let Ok(yaml) = std::str::from_utf8(rest) else { return };
    // Smaller limits than the defaults keep each run fast, so the fuzzer tries more inputs;
    // the code paths are the same.
    let mut limits = Limits::default();
    limits.max_input_bytes = 64 << 10;
    limits.max_boxes = 200;
    limits.max_arrows = 400;
    limits.max_text_len = 300;
    let Ok(spec) = archdraw::parse_with_limits(yaml, &limits) else { return };
    let Ok(diagram) = Diagram::from_spec_with_limits(&spec, &limits) else { return };
    let charset = if knobs & 1 == 1 { text::Charset::Ascii } else { text::Charset::Unicode };
    let max_width = (knobs & 2 == 2).then_some(usize::from(knobs >> 2) + 1);
    // ASCII with the words folded too is the one drawing that must be all 7-bit; the default
    // (words kept as written) is checked by verify like every other.
    let ascii_text = if knobs & 1 == 1 { AsciiText::Fold } else { AsciiText::Keep };
    let options = LayoutOptions { max_width, charset: Some(charset), ascii_text, fit: None };
    let layout = archdraw::layout(&diagram, &options);
    if let Err(broken) = verify(&layout, &diagram) {
        panic!("the text layout breaks a rule: {broken}");
    }
    let drawing = text::render(&layout, charset);
    if charset == text::Charset::Ascii {
        assert!(drawing.is_ascii(), "ASCII output holds a non-ASCII byte");
    }
    let layout = archdraw::layout(&diagram, &LayoutOptions { max_width, charset: None, ..LayoutOptions::default() });
    if let Err(broken) = verify(&layout, &diagram) {
        panic!("the SVG layout breaks a rule: {broken}");
    }
    let _ = svg::render(&layout, &svg::SvgOptions::for_appearance(diagram.appearance));
});
