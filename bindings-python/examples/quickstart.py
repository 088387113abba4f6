"""A sale with the sync client, then the same queries with the async client. Run against the
sandbox: `eval "$(cmi sandbox --port 0 | head -3 | sed 's/^/export /')"` first."""

import asyncio
from typing import List

from cmi_datacard import ApiError, AsyncClient, Client, QueryQuotaResponse, ValidationError


def sell(client: Client, iccid: str) -> None:
    catalogue = client.query_data_bundles(cooperation_mode="Consignment", mcc="455")
    bundle = catalogue.data_bundles[0]
    print("selling", bundle.id, [p.to_dict() for p in bundle.price_info][:1])
    try:
        order = client.create_order(
            third_order_id="shop-1001", include_card=0, purchase_kind="Bundle",
            data_bundle_id=bundle.id, quantity=1, iccid=iccid, transaction_code="checkout-1001",
        )
        print("order", order.order_id, order.total_amount, order.currency)
    except ApiError as e:
        print("refused:", e.code, e.category, e.description, "retryable" if e.retryable else "final")
    except ValidationError as e:
        print("bad input in", e.field)
    for b in client.iter_subscribed_bundles(iccid=iccid, language="English"):
        print(b.order_id, b.status)


async def quota(client: AsyncClient, iccids: List[str]) -> None:
    answers = await asyncio.gather(*(client.query_quota(iccid=i) for i in iccids), return_exceptions=True)
    for iccid, a in zip(iccids, answers):
        print(iccid, a.to_dict() if isinstance(a, QueryQuotaResponse) else a)


if __name__ == "__main__":
    sell(Client.from_env(), "89852342024000000013")
    asyncio.run(quota(AsyncClient.from_env(), ["89852342024000000013", "89852342024000000021"]))
