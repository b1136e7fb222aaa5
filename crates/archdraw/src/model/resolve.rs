//! Spec → model: resolves ids, measures text and collects every problem with its position.
// Written by the spec/model work; see Diagram::from_spec.
