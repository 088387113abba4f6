//! Types shared by several interfaces (spec §1.5, §1.7).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Unknown top-level or nested fields, kept as received (sdk-rules 10).
pub type Extra = BTreeMap<String, serde_json::Value>;

/// `ext`: extension properties, string to string. The outermost `ext` of a request is a
/// control parameter CMI does not persist (spec §1.3). Decodes leniently: `null`, `""` or a
/// missing node is empty, and non-string values are kept as their JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Ext(pub BTreeMap<String, String>);

impl<'de> Deserialize<'de> for Ext {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::lenient::string_map(d).map(Ext)
    }
}

impl Ext {
    /// No properties.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether there are no extension properties (the node is then left out when encoding).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of one property.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

impl std::ops::Deref for Ext {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Ext {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<BTreeMap<String, String>> for Ext {
    fn from(map: BTreeMap<String, String>) -> Self {
        Self(map)
    }
}

/// `LangInfo`: the language of a text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct LangInfo {
    /// `language`: ISO-639 code (`zh`, `en`).
    #[serde(rename = "language", default, deserialize_with = "crate::lenient::string")]
    pub language: String,
    /// `country`: ISO-3166 code (`CN`, `US`, `HK` = traditional Chinese).
    #[serde(rename = "country", default, deserialize_with = "crate::lenient::string")]
    pub country: String,
}

/// `DialectInfo`: a text in one language.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct DialectInfo {
    /// `langInfo`: its language.
    #[serde(rename = "langInfo", default, deserialize_with = "crate::lenient::opt_object")]
    pub lang_info: Option<LangInfo>,
    /// `value`: the text.
    #[serde(rename = "value", default, deserialize_with = "crate::lenient::string")]
    pub value: String,
}

/// Picks the text for a language from a list of translations: an exact `language` match,
/// else English, else the first; `None` only for an empty list.
pub fn pick_text<'a>(texts: &'a [DialectInfo], language: &str) -> Option<&'a str> {
    let by =
        |lang: &str| texts.iter().find(|t| t.lang_info.as_ref().is_some_and(|l| l.language.eq_ignore_ascii_case(lang)));
    by(language).or_else(|| by("en")).or(texts.first()).map(|t| t.value.as_str())
}

crate::wire_enum! {
    /// Language code of 3.2.6 and 3.2.7 (`language`).
    pub enum Language: str {
        /// `0`: simplified Chinese.
        SimplifiedChinese = "0",
        /// `1`: traditional Chinese.
        TraditionalChinese = "1",
        /// `2`: English.
        English = "2",
    }
}

crate::wire_enum! {
    /// Language code of 3.2.11 (`language`); note the order differs from [`Language`].
    pub enum TrajectoryLanguage: str {
        /// `0`: Chinese.
        Chinese = "0",
        /// `1`: English.
        English = "1",
        /// `2`: traditional Chinese.
        TraditionalChinese = "2",
    }
}

crate::wire_enum! {
    /// SMS language of 3.2.5 (`sendLang`).
    pub enum SendLanguage: str {
        /// `1`: traditional Chinese.
        TraditionalChinese = "1",
        /// `2`: English.
        English = "2",
        /// `3`: simplified Chinese.
        SimplifiedChinese = "3",
    }
}

crate::wire_enum! {
    /// The spec's yes/no flags (`1` yes, `2` no), sent as strings.
    pub enum YesNo: str {
        /// `1`: yes.
        Yes = "1",
        /// `2`: no.
        No = "2",
    }
}

crate::wire_enum! {
    /// The same yes/no flag where the table types it as Integer.
    pub enum YesNoInt: int {
        /// `1`: yes.
        Yes = "1",
        /// `2`: no.
        No = "2",
    }
}

crate::wire_enum! {
    /// Data-limit type (`type`, `packageType`, `flowLimitType`).
    pub enum LimitType: str {
        /// `1`: a limit for the whole cycle.
        PerCycle = "1",
        /// `2`: a limit per day.
        PerDay = "2",
    }
}

crate::wire_enum! {
    /// Deduction model (`deductionModel`).
    pub enum DeductionModel: str {
        /// `1`: standard.
        Standard = "1",
        /// `2`: binding.
        Binding = "2",
    }
}

crate::wire_enum! {
    /// Cooperation mode of a channel contract (`cooperationMode`).
    pub enum CooperationMode: str {
        /// `1`: consignment (代销).
        Consignment = "1",
        /// `2`: A2Z.
        A2z = "2",
    }
}
