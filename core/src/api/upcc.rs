//! 3.2.14 UPCC templates (`SBO_queryUpccTemplate/v1`).

use super::common::{Extra, YesNo};
use crate::error::{Error, Result};
use crate::operation::{Operation, OperationKind, TokenPolicy};
use serde::{Deserialize, Serialize};

/// Request of 3.2.14: the UPCC (speed policy) templates linked to the channel, whose IDs
/// 3.2.18 and 3.2.19 use. Every filter is optional; the default lists all.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryUpccTemplatesRequest {
    /// `templateId`: only this template.
    #[serde(
        rename = "templateId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub upcc_template_id: Option<String>,
    /// `templateName`: only templates with this name.
    #[serde(
        rename = "templateName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub template_name: Option<String>,
    /// `templateDesc`: only templates with this description.
    #[serde(
        rename = "templateDesc",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_string"
    )]
    pub template_description: Option<String>,
    /// `supportHotspot`: only templates that allow (`1`) or forbid (`2`) hotspot use.
    #[serde(
        rename = "supportHotspot",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_enum"
    )]
    pub support_hotspot: Option<YesNo>,
}

impl QueryUpccTemplatesRequest {
    /// Every template linked to the channel.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Operation for QueryUpccTemplatesRequest {
    const NAME: &'static str = "query_upcc_templates";
    const PATH: &'static str = "SBO_queryUpccTemplate/v1";
    const SECTION: &'static str = "3.2.14";
    const KIND: OperationKind = OperationKind::Query;
    const TOKEN: TokenPolicy = TokenPolicy::Required;
    type Response = QueryUpccTemplatesResponse;

    fn validate(&self) -> Result<()> {
        if self.support_hotspot.as_ref().is_some_and(|v| !v.is_known()) {
            return Err(Error::validation("supportHotspot", "must be 1 (yes) or 2 (no)"));
        }
        Ok(())
    }
}

/// Answer of 3.2.14.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct QueryUpccTemplatesResponse {
    /// `upccTemplate`: the templates.
    #[serde(rename = "upccTemplate", default, deserialize_with = "crate::lenient::vec")]
    pub upcc_template: Vec<UpccTemplate>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}

impl QueryUpccTemplatesResponse {
    /// The template with this ID.
    pub fn find(&self, upcc_template_id: &str) -> Option<&UpccTemplate> {
        self.upcc_template.iter().find(|t| t.upcc_template_id.trim() == upcc_template_id.trim())
    }

    /// The templates that allow hotspot use.
    pub fn hotspot_capable(&self) -> impl Iterator<Item = &UpccTemplate> {
        self.upcc_template.iter().filter(|t| t.support_hotspot == Some(YesNo::Yes))
    }
}

/// `UpccTemplate`: one speed-policy template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, cmi_derive::Model)]
pub struct UpccTemplate {
    /// `templateId`: its ID (`P23061314267445`).
    #[serde(rename = "templateId", default, deserialize_with = "crate::lenient::string")]
    pub upcc_template_id: String,
    /// `templateName`: its name.
    #[serde(rename = "templateName", default, deserialize_with = "crate::lenient::string")]
    pub template_name: String,
    /// `templateDesc`: its description, as sent.
    #[serde(rename = "templateDesc", default, deserialize_with = "crate::lenient::string")]
    pub template_description: String,
    /// `supportHotspot`: whether hotspot use is allowed.
    #[serde(
        rename = "supportHotspot",
        default,
        deserialize_with = "crate::lenient::opt_enum",
        skip_serializing_if = "Option::is_none"
    )]
    pub support_hotspot: Option<YesNo>,
    /// Fields the spec does not list.
    #[serde(flatten)]
    pub extra: Extra,
}
