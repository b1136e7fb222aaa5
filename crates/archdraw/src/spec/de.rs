//! The hand-written visitors for the values that take one of several shapes ([`ArrowSpec`],
//! [`Serves`]): serde's `untagged` enums buffer their input and lose every location.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{ArrowSpec, Serves, Spanned, escape};

impl<'de> Deserialize<'de> for ArrowSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArrowVisitor)
    }
}

struct ArrowVisitor;

impl<'de> Visitor<'de> for ArrowVisitor {
    type Value = ArrowSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an arrow: `a -> b`, `a -> b: label` or `{from: a, to: b, label: …}`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ArrowSpec, E> {
        Ok(ArrowSpec::Chain(v.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ArrowSpec, A::Error> {
        let Some(first) = map.next_key::<Spanned<String>>()? else {
            return Err(de::Error::custom(
                "an empty map is not an arrow: write `a -> b` or `{from: a, to: b}`",
            ));
        };
        // A key holding `->` is the one-key form; anything else is the long form, so a typo
        // like `form:` is reported as an unknown key rather than as a strange arrow.
        if first.value.contains("->") {
            let label = map.next_value::<Option<Spanned<String>>>()?;
            if let Some(extra) = map.next_key::<Spanned<String>>()? {
                return Err(de::Error::custom(format!(
                    "an arrow written `a -> b: label` is a map with one key, but this one also \
                     has `{}`",
                    escape(&extra.value)
                )));
            }
            return Ok(ArrowSpec::Labelled { arrow: first, label });
        }
        const FIELDS: &[&str] = &["from", "to", "label"];
        let (mut from, mut to, mut label, mut seen_label) = (None, None, None, false);
        let mut key = Some(first);
        while let Some(k) = key {
            match k.value.as_str() {
                "from" if from.is_none() => from = Some(map.next_value::<Spanned<String>>()?),
                "to" if to.is_none() => to = Some(map.next_value::<Spanned<String>>()?),
                "label" if !seen_label => {
                    label = map.next_value::<Option<Spanned<String>>>()?;
                    seen_label = true;
                }
                "from" | "to" | "label" => return Err(de::Error::duplicate_field("label")),
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
            key = map.next_key::<Spanned<String>>()?;
        }
        let from = from.ok_or_else(|| de::Error::missing_field("from"))?;
        let to = to.ok_or_else(|| de::Error::missing_field("to"))?;
        Ok(ArrowSpec::Long { from, to, label })
    }
}

impl<'de> Deserialize<'de> for Serves {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ServesVisitor)
    }
}

struct ServesVisitor;

impl<'de> Visitor<'de> for ServesVisitor {
    type Value = Serves;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a box id or a list of box ids")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Serves, E> {
        Ok(Serves::One(v.to_owned()))
    }

    // Box ids may be numbers (`id: 7` is the string "7"), so `serves: 7` must work too.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Serves, E> {
        Ok(Serves::One(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Serves, E> {
        Ok(Serves::One(v.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Serves, A::Error> {
        let mut ids = Vec::new();
        while let Some(id) = seq.next_element::<Spanned<String>>()? {
            ids.push(id);
        }
        Ok(Serves::Many(ids))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Spec, span_of};
    use super::*;
    use crate::diagnostic::{Error, Span};
    use crate::limits::Limits;

    fn parse(yaml: &str) -> Result<Spec, Error> {
        super::super::parse(yaml, &Limits::default())
    }

    #[test]
    fn reads_every_arrow_form_with_positions() {
        let spec = parse(
            "boxes: [{title: a}]\narrows:\n  - a -> b -> c\n  - \"a -> b\": hi\n  - {from: a, to: b, label: x}\n",
        )
        .unwrap();
        assert_eq!(spec.arrows[0].value, ArrowSpec::Chain("a -> b -> c".to_owned()));
        assert_eq!(span_of(&spec.arrows[0].referenced), Some(Span::new(3, 5, 11)));
        match &spec.arrows[1].value {
            ArrowSpec::Labelled { arrow, label } => {
                assert_eq!(arrow.value, "a -> b");
                assert_eq!(span_of(&arrow.referenced), Some(Span::new(4, 5, 8)));
                assert_eq!(label.as_ref().unwrap().value, "hi");
            }
            other => panic!("{other:?}"),
        }
        match &spec.arrows[2].value {
            ArrowSpec::Long { from, to, label } => {
                assert_eq!((from.value.as_str(), to.value.as_str()), ("a", "b"));
                assert_eq!(span_of(&to.referenced), Some(Span::new(5, 19, 1)));
                assert_eq!(label.as_ref().unwrap().value, "x");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serves_takes_one_id_or_a_list() {
        let spec = parse(
            "boxes: [{title: a}]\nservices:\n  - {title: s, serves: a}\n  - {title: t, serves: [a, b]}\n",
        )
        .unwrap();
        assert_eq!(spec.services[0].serves.value, Serves::One("a".to_owned()));
        match &spec.services[1].serves.value {
            Serves::Many(ids) => {
                assert_eq!(ids.len(), 2);
                assert_eq!(span_of(&ids[1].referenced), Some(Span::new(4, 28, 1)));
            }
            other => panic!("{other:?}"),
        }
    }
}
