//! Serde for the enums that travel as their wire names ([`ChartType`], [`ThemeName`],
//! [`Format`]): a stored chart's record carries them typed, and its JSON (the metadata file, the
//! API answers) and database columns keep the plain strings clients see.

use super::{ChartType, Format, ThemeName};

/// Implements `Serialize` as `$name(self)` and `Deserialize` through `$parse`, naming `$what` in
/// the error for an unknown name.
macro_rules! wire_name_serde {
    ($ty:ty, $name:ident, $parse:path, $what:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $parse(&name).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("unknown ", $what, " {:?}"), name))
                })
            }
        }
    };
}

wire_name_serde!(ChartType, name, ChartType::parse, "chart type");
wire_name_serde!(ThemeName, name, ThemeName::parse, "theme");
wire_name_serde!(Format, name, Format::parse, "format");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_json() {
        for t in ChartType::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.name()));
            assert_eq!(serde_json::from_str::<ChartType>(&json).unwrap(), t);
        }
        for t in ThemeName::ALL {
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<ThemeName>(&json).unwrap(), t);
        }
        for f in Format::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.name()));
            assert_eq!(serde_json::from_str::<Format>(&json).unwrap(), f);
        }
        let err = serde_json::from_str::<Format>("\"gif\"").unwrap_err();
        assert!(err.to_string().contains("unknown format \"gif\""), "{err}");
    }
}
