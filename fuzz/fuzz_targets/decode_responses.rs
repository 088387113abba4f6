//! Decodes arbitrary bytes as the answer of one of the 22 operations.
//!
//! Input: the first byte picks the operation (index into `OPERATIONS`, modulo 22), the rest is
//! the response body handed to `envelope::decode`. Decoding must never panic, whatever the
//! body; a success must re-encode (what `call_json` does) and an error must not carry the
//! secrets it was told to scrub from the platform's text.
#![no_main]

use cmi_core::api::{
    auth::*, cards::*, carriers::*, catalogue::*, channel::*, esim::*, lifecycle::*, orders::*, own_packages::*,
    refuel::*, subscriptions::*, upcc::*, usage::*,
};
use cmi_core::client::operations::OPERATIONS;
use cmi_core::{Operation, envelope};
use libfuzzer_sys::fuzz_target;

/// The secrets the client passes to `decode` (the app secret and the access token).
const SECRETS: [&str; 2] = ["fuzz-app-secret-0123", "fuzz-access-token-4567"];

fn check<Op: Operation>(body: &[u8]) {
    match envelope::decode::<Op>(body, &SECRETS) {
        Ok(answer) => {
            let _ = format!("{answer:?}");
            // `call_json` re-encodes typed answers; that must not fail or panic either.
            serde_json::to_value(&answer).expect("a decoded answer re-encodes");
        }
        Err(e) => {
            let _ = (e.kind(), e.category(), e.retryable(), e.code(), e.description(), e.to_string());
            // sdk-rules 18: the platform's description is scrubbed of the secrets.
            if let Some(api) = e.api() {
                for s in SECRETS {
                    assert!(!api.description.contains(s), "secret left in the description: {:?}", api.description);
                }
            }
        }
    }
}

/// One decoder per operation, in `OPERATIONS` order, plus the names to check that order.
macro_rules! decoders {
    ($($req:ty),+ $(,)?) => {
        const DECODERS: &[(&str, fn(&[u8]))] = &[$((<$req as Operation>::NAME, check::<$req>)),+];
    };
}

decoders![
    GetAccessTokenRequest,
    QueryDataBundlesRequest,
    ActivateDataBundleRequest,
    QueryHimsiStateRequest,
    CreateOrderRequest,
    QuerySubscribedBundlesRequest,
    QueryCarriersRequest,
    QueryQuotaRequest,
    EndPackageRequest,
    QuerySimInfoRequest,
    QueryUsageTrajectoriesRequest,
    UnsubscribeOrderRequest,
    QueryEsimCardInfoRequest,
    QueryUpccTemplatesRequest,
    AddPackageRequest,
    UpdatePackageRequest,
    DeletePackageRequest,
    AddRefuelPackageRequest,
    QueryRefuelPackagesRequest,
    DeleteRefuelPackageRequest,
    QueryChannelAppsRequest,
    QueryCountryGroupsRequest,
];

fuzz_target!(
    init: {
        // The list above must be the registry, in the same order, so that a seed's first byte
        // means the same operation here as in scripts/fuzz-seeds.
        let names: Vec<&str> = DECODERS.iter().map(|d| d.0).collect();
        let registry: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
        assert_eq!(names, registry, "fuzz target's operation list differs from OPERATIONS");
    },
    |data: &[u8]| {
        let Some((&pick, body)) = data.split_first() else { return };
        let (_, decode) = DECODERS[pick as usize % DECODERS.len()];
        decode(body);
    }
);
