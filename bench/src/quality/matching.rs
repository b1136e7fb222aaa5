//! Which box of a read-back drawing draws which box of the spec.
//!
//! The test suite's harness (tests/specs.rs) names a found box by the title its words begin
//! with. The benchmark's drawings break words and wrap titles (that is what it measures), so
//! here a found box is matched by its text with all white space removed: a title broken
//! mid-word (`Hightouc` / `h`) still matches, and two boxes whose wrapped first lines are equal
//! (`Payment` / `service`, `Payment` / `provider`) are still told apart.

/// Text with every white space removed.
pub fn squeeze<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().flat_map(|p| p.split_whitespace()).collect()
}

/// For each spec title (its words), the name the reader gave the found block drawing it: the
/// found block whose squeezed text begins with the squeezed title; the longest such title
/// wins, so a found `Kafka Connect` is not taken for `Kafka`. `found` is (name, lines).
///
/// # Errors
///
/// The first title drawn nowhere.
pub fn found_names(
    found: &[(&str, &[String])],
    titles: &[Vec<&str>],
) -> Result<Vec<String>, String> {
    let squeezed: Vec<String> = titles.iter().map(|t| squeeze(t.iter().copied())).collect();
    let mut names: Vec<Option<String>> = vec![None; titles.len()];
    for (name, lines) in found {
        let text = squeeze(lines.iter().map(String::as_str));
        let best = (0..titles.len())
            .filter(|&i| names[i].is_none() && !squeezed[i].is_empty())
            .filter(|&i| text.starts_with(&squeezed[i]))
            .max_by_key(|&i| (squeezed[i].len(), std::cmp::Reverse(i)));
        if let Some(i) = best {
            names[i] = Some((*name).to_owned());
        }
    }
    names
        .into_iter()
        .zip(titles)
        .map(|(n, t)| n.ok_or_else(|| format!("`{}` is not in the drawing", t.join(" "))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn broken_and_wrapped_titles_are_matched() {
        let hightouch = lines(&["Hightouc", "h", "reverse ETL"]);
        let payment_service = lines(&["Payment", "service"]);
        let payment_provider = lines(&["Payment", "provider"]);
        let found: Vec<(&str, &[String])> = vec![
            ("Payment", &payment_provider),
            ("Hightouc", &hightouch),
            ("Payment", &payment_service),
        ];
        let titles =
            vec![vec!["Payment", "service"], vec!["Hightouch"], vec!["Payment", "provider"]];
        assert_eq!(found_names(&found, &titles).unwrap(), ["Payment", "Hightouc", "Payment"]);
    }

    #[test]
    fn the_longest_title_wins_and_a_missing_one_fails() {
        let connect = lines(&["Kafka Connect"]);
        let kafka = lines(&["Kafka", "event spine"]);
        let found: Vec<(&str, &[String])> = vec![("Kafka Connect", &connect), ("Kafka", &kafka)];
        let titles = vec![vec!["Kafka"], vec!["Kafka", "Connect"]];
        assert_eq!(found_names(&found, &titles).unwrap(), ["Kafka", "Kafka Connect"]);
        let titles = vec![vec!["Kafka"], vec!["Kafka", "Connect"], vec!["Flink"]];
        assert_eq!(found_names(&found, &titles).unwrap_err(), "`Flink` is not in the drawing");
    }
}
