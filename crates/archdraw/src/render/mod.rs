//! Renderers: a [`Layout`](crate::layout::Layout) in, a `String` out. They cannot fail.

#[cfg(feature = "png")]
pub mod png;
pub mod svg;
pub mod text;
