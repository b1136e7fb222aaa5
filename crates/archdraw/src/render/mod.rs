//! Renderers: a [`Layout`](crate::layout::Layout) in, a `String` out. They cannot fail.

pub mod svg;
pub mod text;
