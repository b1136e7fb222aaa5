//! archdraw: boxes, arrows and control-plane services from YAML to text and SVG diagrams.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod geom;
pub mod layout;
pub mod model;
pub mod render;
