//! A serde deserializer over the merged TOML tree whose error is data
//! ([`DeError`]), not text: which key is unknown and which keys the table
//! takes, which value was found where which kind of value was wanted, a
//! type's own [`Refusal`]. The collector in `collect.rs` reads these fields;
//! nothing matches on serde's English wording.
//!
//! The typed `deserialize_*` calls say what is wanted ([`Want`]), so a value of
//! the wrong kind is refused here, with both sides known; what serde's derived
//! code refuses (unknown or missing keys, unknown words of a closed set) comes
//! through the `serde::de::Error` constructors, which [`DeError`] implements
//! field by field.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, Expected, IntoDeserializer, Unexpected, Visitor};
use toml::Value;

use crate::scenario::bounded::Refusal;

/// A value as found in the file, for messages and for locating it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Found {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    DateTime(String),
    Array,
    Table,
    /// Something only serde's buffered values describe (a unit, say).
    Other(String),
}

impl Found {
    pub(super) fn of(value: &Value) -> Found {
        match value {
            Value::String(s) => Found::Text(s.clone()),
            Value::Integer(i) => Found::Integer(*i),
            Value::Float(f) => Found::Float(*f),
            Value::Boolean(b) => Found::Bool(*b),
            Value::Datetime(d) => Found::DateTime(d.to_string()),
            Value::Array(_) => Found::Array,
            Value::Table(_) => Found::Table,
        }
    }

    fn from_unexpected(u: Unexpected<'_>) -> Found {
        match u {
            Unexpected::Str(s) => Found::Text(s.to_string()),
            Unexpected::Char(c) => Found::Text(c.to_string()),
            Unexpected::Signed(i) => Found::Integer(i),
            Unexpected::Unsigned(u) => match i64::try_from(u) {
                Ok(i) => Found::Integer(i),
                Err(_) => Found::Other(format!("integer `{u}`")),
            },
            Unexpected::Float(f) => Found::Float(f),
            Unexpected::Bool(b) => Found::Bool(b),
            Unexpected::Seq => Found::Array,
            Unexpected::Map => Found::Table,
            other => Found::Other(other.to_string()),
        }
    }

    /// Whether `value` is what this describes (a scalar's value, or the
    /// kind of an array or table).
    pub(super) fn is(&self, value: &Value) -> bool {
        match (self, Found::of(value)) {
            (Found::Float(a), Found::Float(b)) => a.to_bits() == b.to_bits(),
            (a, b) => *a == b,
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Text(s) => write!(f, "string {s:?}"),
            Found::Integer(i) => write!(f, "integer `{i}`"),
            Found::Float(x) => {
                let mut text = x.to_string();
                if x.is_finite() && !text.contains(['.', 'e']) {
                    text.push_str(".0");
                }
                write!(f, "floating point `{text}`")
            }
            Found::Bool(b) => write!(f, "boolean `{b}`"),
            Found::DateTime(d) => write!(f, "date-time `{d}`"),
            Found::Array => f.write_str("an array"),
            Found::Table => f.write_str("a table"),
            Found::Other(s) => f.write_str(s),
        }
    }
}

/// What kind of value a `deserialize_*` call asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Want {
    /// An integer of this Rust type.
    Integer(&'static str),
    /// A number of this Rust type.
    Number(&'static str),
    Text,
    Bool,
    Array,
    Table,
    /// One of a closed set of words (a derived enum's variants).
    Word(&'static [&'static str]),
    /// Something TOML cannot write (a unit, bytes).
    Unwritable,
}

/// Why deserializing failed, as data.
#[derive(Debug, Clone)]
pub(super) enum DeError {
    UnknownField {
        name: String,
        expected: &'static [&'static str],
    },
    MissingField(&'static str),
    DuplicateField(&'static str),
    UnknownVariant {
        name: String,
        expected: &'static [&'static str],
    },
    /// A value of another kind than the call wanted.
    WrongType {
        found: Found,
        want: Want,
    },
    /// An integer outside its Rust type's range.
    IntegerRange {
        found: i64,
        ty: &'static str,
        min: i128,
        max: i128,
    },
    /// A visitor refused the kind of a buffered value; `expected` is the
    /// visitor's own description.
    InvalidType {
        found: Found,
        expected: String,
    },
    /// A visitor refused a value.
    InvalidValue {
        found: Found,
        expected: String,
    },
    InvalidLength {
        len: usize,
        expected: String,
    },
    /// A type of ours refused the value ([`Refusal`]).
    Refused(Refusal),
    /// Any other message.
    Custom(String),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::UnknownField { name, .. } => write!(f, "unknown key `{name}`"),
            DeError::MissingField(name) => write!(f, "missing required key `{name}`"),
            DeError::DuplicateField(name) => write!(f, "duplicate key `{name}`"),
            DeError::UnknownVariant { name, .. } => write!(f, "unknown value `{name}`"),
            DeError::WrongType { found, want } => write!(f, "expected {want:?}, found {found}"),
            DeError::IntegerRange { found, ty, .. } => write!(f, "expected {ty}, found {found}"),
            DeError::InvalidType { found, expected }
            | DeError::InvalidValue { found, expected } => {
                write!(f, "expected {expected}, found {found}")
            }
            DeError::InvalidLength { len, expected } => {
                write!(f, "expected {expected}, found {len} elements")
            }
            DeError::Refused(r) => r.fmt(f),
            DeError::Custom(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        // Our types encode their refusal in the alternate form.
        let text = format!("{msg:#}");
        match Refusal::decode(&text) {
            Some(r) => DeError::Refused(r),
            None => DeError::Custom(msg.to_string()),
        }
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::InvalidType {
            found: Found::from_unexpected(unexp),
            expected: exp.to_string(),
        }
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::InvalidValue {
            found: Found::from_unexpected(unexp),
            expected: exp.to_string(),
        }
    }
    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::InvalidLength {
            len,
            expected: exp.to_string(),
        }
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::UnknownVariant {
            name: variant.to_string(),
            expected,
        }
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::UnknownField {
            name: field.to_string(),
            expected,
        }
    }
    fn missing_field(field: &'static str) -> Self {
        DeError::MissingField(field)
    }
    fn duplicate_field(field: &'static str) -> Self {
        DeError::DuplicateField(field)
    }
}

/// A deserializer for one value of the tree.
#[derive(Clone, Copy)]
pub(super) struct ValueDe<'de>(pub &'de Value);

impl<'de> IntoDeserializer<'de, DeError> for ValueDe<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> ValueDe<'de> {
    fn wrong(self, want: Want) -> DeError {
        DeError::WrongType {
            found: Found::of(self.0),
            want,
        }
    }

    fn integer<V: Visitor<'de>>(
        self,
        ty: &'static str,
        min: i128,
        max: i128,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Integer(i) if (min..=max).contains(&i128::from(*i)) => visitor.visit_i64(*i),
            Value::Integer(i) => Err(DeError::IntegerRange {
                found: *i,
                ty,
                min,
                max,
            }),
            _ => Err(self.wrong(Want::Integer(ty))),
        }
    }

    fn number<V: Visitor<'de>>(self, ty: &'static str, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Float(x) => visitor.visit_f64(*x),
            Value::Integer(i) => visitor.visit_f64(*i as f64),
            _ => Err(self.wrong(Want::Number(ty))),
        }
    }

    fn seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(ValueDe));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            _ => Err(self.wrong(Want::Array)),
        }
    }

    fn map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Table(t) => {
                let mut map = MapDeserializer::new(
                    t.iter()
                        .map(|(k, v)| (BorrowedStrDeserializer::new(k.as_str()), ValueDe(v))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
            _ => Err(self.wrong(Want::Table)),
        }
    }

    fn text<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.wrong(Want::Text)),
        }
    }
}

macro_rules! integers {
    ($($method:ident $ty:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.integer(stringify!($ty), $ty::MIN as i128, $ty::MAX as i128, visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Integer(i) => visitor.visit_i64(*i),
            Value::Float(x) => visitor.visit_f64(*x),
            Value::Boolean(b) => visitor.visit_bool(*b),
            Value::Datetime(d) => visitor.visit_string(d.to_string()),
            Value::Array(_) => self.seq(visitor),
            Value::Table(_) => self.map(visitor),
        }
    }

    integers!(deserialize_i8 i8, deserialize_i16 i16, deserialize_i32 i32, deserialize_i64 i64,
        deserialize_u8 u8, deserialize_u16 u16, deserialize_u32 u32, deserialize_u64 u64);

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.number("f32", visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.number("f64", visitor)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Boolean(b) => visitor.visit_bool(*b),
            _ => Err(self.wrong(Want::Bool)),
        }
    }
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.text(visitor)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.text(visitor)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.text(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.text(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(self.wrong(Want::Unwritable))
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(self.wrong(Want::Unwritable))
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // TOML has no null: a key that is present is `Some`.
        visitor.visit_some(self)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, DeError> {
        Err(self.wrong(Want::Unwritable))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, DeError> {
        Err(self.wrong(Want::Unwritable))
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.seq(visitor)
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map(visitor)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map(visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            // A word of a closed set (unit variants only).
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            _ => Err(self.wrong(Want::Word(variants))),
        }
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}
