//! The drawing-quality benchmark (issue 12): what archdraw draws for a spec, measured, and the
//! same graph handed to Graphviz dot and Graph::Easy for comparison.
//!
//! - [`figure`]: the spec's graph as plain data (boxes with their drawn text and natural sizes,
//!   arrows, services, groups), taken from the model and from archdraw's layout.
//! - [`drawn`]: archdraw's layout as its `-f json` output describes it, and the measures taken
//!   on it: crossings, bends, words broken or changed, rank stretch.
//! - [`dot`] and [`graph_easy`]: the figure written for those tools, and their output read.
//! - [`matching`]: which found box of a read-back drawing is which box of the spec.
//! - [`cache`]: baselines kept in a committed file, so nobody has to rerun dot for minutes.
//!
//! The `quality` binary runs all of it over `bench/quality/specs/`, `specs/` and the generated
//! graphs and prints the tables; `bench/QUALITY.md` says how every number is defined.

pub mod cache;
pub mod dot;
pub mod drawn;
pub mod figure;
pub mod graph_easy;
pub mod matching;

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
    }
}
