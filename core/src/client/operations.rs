//! One named method per operation (operations.md), each a thin wrapper over
//! [`Client::call`](super::Client::call).

use super::Client;
use crate::api::*;
use crate::error::Result;

macro_rules! operations {
    ($( $(#[$doc:meta])* $name:ident($req:ty) -> $resp:ty; )+) => {
        impl Client {
            $(
                $(#[$doc])*
                pub async fn $name(&self, request: &$req) -> Result<$resp> {
                    self.call(request).await
                }
            )+
        }
    };
}

operations! {
    /// 3.2.1: fetches a new access token. The client does this itself; this is for
    /// diagnostics and does not touch the cache.
    get_access_token(GetAccessTokenRequest) -> GetAccessTokenResponse;
}
