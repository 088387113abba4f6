//! The operation registry: one named method per operation (operations.md), each a thin
//! wrapper over [`Client::call`], plus a by-name JSON entry point for the command line and
//! the bindings' relays, generated from the same list so they cannot disagree.

use super::Client;
use crate::api::{
    auth::*, cards::*, carriers::*, catalogue::*, channel::*, esim::*, lifecycle::*, orders::*, own_packages::*,
    refuel::*, subscriptions::*, upcc::*, usage::*,
};
use crate::error::{Error, Result};
use crate::operation::{Operation, OperationKind};
use serde_json::Value;

/// Static facts about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// Canonical snake_case name.
    pub name: &'static str,
    /// Wire path after `/aep/`.
    pub path: &'static str,
    /// Spec section.
    pub section: &'static str,
    /// What it does to the platform.
    pub kind: OperationKind,
    /// One line for help texts.
    pub summary: &'static str,
}

macro_rules! operations {
    ($( $name:ident($req:ty) -> $resp:ty : $summary:literal; )+) => {
        impl Client {
            $(
                #[doc = $summary]
                pub async fn $name(&self, request: &$req) -> Result<$resp> {
                    self.call(request).await
                }
            )+

            /// Sends the operation `name` (snake_case, kebab-case or camelCase) with a body
            /// in wire field names, and returns the typed answer re-encoded in wire names.
            /// The body is decoded into the typed request first, so it is validated exactly
            /// like a typed call.
            pub async fn call_json(&self, name: &str, body: Value) -> Result<Value> {
                let canonical = canonical_name(name).ok_or_else(|| unknown_operation(name))?;
                self.call_canonical(canonical, body, &WireTree).await
            }

            /// A by-name call for a name already made canonical, its answer in `form`.
            async fn call_canonical<F: AnswerForm>(&self, canonical: &str, body: Value, form: &F) -> Result<F::Out> {
                match canonical {
                    $( stringify!($name) => {
                        let request: $req = decode_request(body)?;
                        let answer = self.call(&request).await?;
                        form.write(<$req as Operation>::NAME, stringify!($resp), &answer)
                    } )+
                    _ => Err(unknown_operation(canonical)),
                }
            }
        }

        /// Describes every operation's request and response into `reg`.
        #[cfg(feature = "reflect")]
        pub(crate) fn describe_operations(reg: &mut crate::reflect::Registry) {
            use crate::reflect::Describe;
            $( <$req>::describe(reg); <$resp>::describe(reg); )+
        }

        /// Calls `visitor` with every operation's request type (tests that cover them all).
        #[cfg(all(test, feature = "reflect"))]
        pub(crate) fn visit_operations(visitor: &mut impl OperationVisitor) {
            $( visitor.visit::<$req>(); )+
        }

        /// The request and response model names of an operation (canonical name).
        #[cfg(feature = "reflect")]
        pub fn operation_types(name: &str) -> Option<(&'static str, &'static str)> {
            match name {
                $( stringify!($name) => Some((stringify!($req), stringify!($resp))), )+
                _ => None,
            }
        }

        /// Every outbound operation, in specification order.
        pub const OPERATIONS: &[OperationInfo] = &[
            $( OperationInfo {
                name: <$req as Operation>::NAME,
                path: <$req as Operation>::PATH,
                section: <$req as Operation>::SECTION,
                kind: <$req as Operation>::KIND,
                summary: $summary,
            }, )+
        ];
    };
}

#[cfg(feature = "reflect")]
impl Client {
    /// Sends the operation `name` (any spelling) with a body in the surface of `case` (field
    /// names of the bindings, typed values; wire names are accepted too) and returns the
    /// answer in that surface. What the bindings call; see [`crate::reflect`].
    pub async fn call_surface(&self, name: &str, body: Value, case: crate::reflect::Case) -> Result<Value> {
        let (canonical, response, wire) = surface_request(name, body, case)?;
        let answer = self.call_canonical(canonical, wire, &WireTree).await?;
        Ok(crate::reflect::to_surface(response, answer, case))
    }

    /// [`Client::call_surface`] from and to JSON text: the body as text in, the answer written
    /// as text straight from the typed answer, without a tree of it (what the WebAssembly
    /// binding hands to `JSON.parse`). A body that is not JSON is a validation error.
    pub async fn call_surface_text(&self, name: &str, body: &str, case: crate::reflect::Case) -> Result<String> {
        let body: Value = serde_json::from_str(body).map_err(|e| Error::validation("(body)", e.to_string()))?;
        let (canonical, _, wire) = surface_request(name, body, case)?;
        self.call_canonical(canonical, wire, &SurfaceText(case)).await
    }
}

/// A surface request body as wire JSON, with the operation's canonical name and its response
/// model's name.
#[cfg(feature = "reflect")]
fn surface_request(name: &str, body: Value, case: crate::reflect::Case) -> Result<(&'static str, &'static str, Value)> {
    let canonical = canonical_name(name).ok_or_else(|| unknown_operation(name))?;
    let (request, response) = operation_types(canonical).ok_or_else(|| unknown_operation(name))?;
    Ok((canonical, response, crate::reflect::from_surface(request, body, case)?))
}

/// What a by-name call makes of its typed answer.
trait AnswerForm {
    type Out;
    /// `answer`, of model `response`, the answer of `operation`.
    fn write<T: serde::Serialize>(
        &self,
        operation: &'static str,
        response: &'static str,
        answer: &T,
    ) -> Result<Self::Out>;
}

/// The answer re-encoded in wire names.
struct WireTree;

impl AnswerForm for WireTree {
    type Out = Value;
    fn write<T: serde::Serialize>(&self, operation: &'static str, _: &'static str, answer: &T) -> Result<Value> {
        serde_json::to_value(answer).map_err(|e| Error::Decode { operation, message: e.to_string() })
    }
}

/// The answer as surface JSON text.
#[cfg(feature = "reflect")]
struct SurfaceText(crate::reflect::Case);

#[cfg(feature = "reflect")]
impl AnswerForm for SurfaceText {
    type Out = String;
    fn write<T: serde::Serialize>(&self, _: &'static str, response: &'static str, answer: &T) -> Result<String> {
        Ok(crate::reflect::typed_to_surface_text(response, answer, self.0))
    }
}

/// What [`visit_operations`] calls for each operation.
#[cfg(all(test, feature = "reflect"))]
pub(crate) trait OperationVisitor {
    fn visit<Op: Operation>(&mut self);
}

/// The validation error for an operation name the registry does not hold.
fn unknown_operation(name: &str) -> Error {
    Error::validation("operation", format!("unknown operation `{name}`"))
}

/// Maps `create_order`, `create-order` and `createOrder` to `create_order`.
pub fn canonical_name(name: &str) -> Option<&'static str> {
    let mut snake = String::with_capacity(name.len() + 4);
    for c in name.trim().chars() {
        match c {
            '-' => snake.push('_'),
            c if c.is_ascii_uppercase() => {
                snake.push('_');
                snake.push(c.to_ascii_lowercase());
            }
            c => snake.push(c),
        }
    }
    OPERATIONS.iter().map(|o| o.name).find(|n| *n == snake)
}

/// Facts about an operation by any spelling of its name.
pub fn operation_info(name: &str) -> Option<&'static OperationInfo> {
    let n = canonical_name(name)?;
    OPERATIONS.iter().find(|o| o.name == n)
}

fn decode_request<T: serde::de::DeserializeOwned>(body: Value) -> Result<T> {
    serde_json::from_value(body).map_err(|e| {
        let text = e.to_string();
        // serde names the field in backticks: "missing field `ICCID`".
        let field = text.split('`').nth(1).unwrap_or("(body)").to_owned();
        Error::validation(field, text)
    })
}

operations! {
    get_access_token(GetAccessTokenRequest) -> GetAccessTokenResponse:
        "3.2.1 Get an access token (the client does this itself; this call is uncached, for diagnostics).";
    query_data_bundles(QueryDataBundlesRequest) -> QueryDataBundlesResponse:
        "3.2.2 List the bundles the channel can sell, with prices, coverage and add-ons.";
    activate_data_bundle(ActivateDataBundleRequest) -> ActivateDataBundleResponse:
        "3.2.3 Activate a bundle a card has bought, in a country.";
    query_himsi_state(QueryHimsiStateRequest) -> QueryHimsiStateResponse:
        "3.2.4 Current location (MCC) and state of a card's home IMSI.";
    create_order(CreateOrderRequest) -> CreateOrderResponse:
        "3.2.5 Buy a bundle or add-on for a card (spends the deposit; idempotent by transactionCode).";
    query_subscribed_bundles(QuerySubscribedBundlesRequest) -> QuerySubscribedBundlesResponse:
        "3.2.6 A card's bundles with state, dates and remaining data.";
    query_carriers(QueryCarriersRequest) -> QueryCarriersResponse:
        "3.2.7 Countries and operators (with APN) configured on the platform.";
    query_quota(QueryQuotaRequest) -> QueryQuotaResponse:
        "3.2.8 Real-time quota and daily usage history of a card's bundle.";
    end_package(EndPackageRequest) -> EndPackageResponse:
        "3.2.9 End in-use bundles early on one or many cards.";
    query_sim_info(QuerySimInfoRequest) -> QuerySimInfoResponse:
        "3.2.10 State and basic data of one or many cards.";
    query_usage_trajectories(QueryUsageTrajectoriesRequest) -> QueryUsageTrajectoriesResponse:
        "3.2.11 Countries where a card's bundle was used, in time order, with volumes.";
    unsubscribe_order(UnsubscribeOrderRequest) -> UnsubscribeOrderResponse:
        "3.2.12 Cancel a not-yet-activated order and refund the channel.";
    query_esim_card_info(QueryEsimCardInfoRequest) -> QueryEsimCardInfoResponse:
        "3.2.13 eSIM profile data for the QR code (SM-DP+ address, activation code) and install state.";
    query_upcc_templates(QueryUpccTemplatesRequest) -> QueryUpccTemplatesResponse:
        "3.2.14 UPCC (speed policy) templates linked to the channel.";
    add_package(AddPackageRequest) -> AddPackageResponse:
        "3.2.18 Create a bundle of the channel's own.";
    update_package(UpdatePackageRequest) -> UpdatePackageResponse:
        "3.2.19 Change a bundle of the channel's own.";
    delete_package(DeletePackageRequest) -> DeletePackageResponse:
        "3.2.20 Delete a bundle of the channel's own.";
    add_refuel_package(AddRefuelPackageRequest) -> AddRefuelPackageResponse:
        "3.2.21 Create an add-on (refuel pack) of a given size.";
    query_refuel_packages(QueryRefuelPackagesRequest) -> QueryRefuelPackagesResponse:
        "3.2.22 Page through the channel's add-ons.";
    delete_refuel_package(DeleteRefuelPackageRequest) -> DeleteRefuelPackageResponse:
        "3.2.23 Delete an add-on of the channel's own.";
    query_channel_apps(QueryChannelAppsRequest) -> QueryChannelAppsResponse:
        "3.2.24 Directional apps linked to the channel, with their speed templates.";
    query_country_groups(QueryCountryGroupsRequest) -> QueryCountryGroupsResponse:
        "3.2.25 Countries the channel's card pools cover, with usage tiers.";
}
