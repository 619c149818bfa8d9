//! How the vocabulary's closed sets are written in scenario files.
//!
//! Each enum's `key()` is the one place its keys are spelled. The
//! `scenario_keys!` macro derives from it, and from the list of values a
//! scenario may write, serde's `Deserialize` (an unknown key is serde's
//! "unknown variant" error, which the loader turns into a located problem
//! listing the keys), `Serialize` (for defaults in the JSON Schema) and
//! `JsonSchema` (a string enum of the keys).

use super::kinds::{Activity, Channel, ContactKind, Urgency};
use super::slot::SlotType;

/// Implements `Deserialize`, `Serialize` and `JsonSchema` for `$ty` from its
/// `const fn key(self) -> &'static str` and the array `$values` of the values
/// a scenario may write; adds `$ty::KEYS`, their keys in order.
macro_rules! scenario_keys {
    ($ty:ident, $values:expr) => {
        impl $ty {
            /// The keys a scenario file may write, in order.
            pub const KEYS: [&'static str; $values.len()] = {
                let mut keys = [""; $values.len()];
                let mut i = 0;
                while i < keys.len() {
                    keys[i] = $values[i].key();
                    i += 1;
                }
                keys
            };
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let key = <String as serde::Deserialize>::deserialize(d)?;
                $values
                    .into_iter()
                    .find(|v| v.key() == key)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&key, &Self::KEYS))
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": Self::KEYS })
            }
        }
    };
}

pub(crate) use scenario_keys;

scenario_keys!(Channel, Channel::ALL);
scenario_keys!(ContactKind, ContactKind::ALL);
scenario_keys!(Activity, Activity::ALL);
scenario_keys!(Urgency, Urgency::ALL);
scenario_keys!(SlotType, SlotType::ALL);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_as_its_value_and_others_are_refused() {
        fn check<T>(values: &[T])
        where
            T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
        {
            for &v in values {
                let text = serde_json::to_value(v).unwrap();
                assert_eq!(serde_json::from_value::<T>(text).unwrap(), v);
            }
            let e = serde_json::from_value::<T>(serde_json::json!("nonsense")).unwrap_err();
            assert!(
                e.to_string().starts_with("unknown variant `nonsense`"),
                "{e}"
            );
        }
        check(&Channel::ALL);
        check(&ContactKind::ALL);
        check(&Activity::ALL);
        check(&Urgency::ALL);
        check(&SlotType::ALL);
        assert_eq!(Urgency::KEYS[1], "within_3_days");
        assert_eq!(Activity::KEYS[0], "dropin");
    }
}
