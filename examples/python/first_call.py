"""The Python quick start's whole program: the catalogue for Hong Kong, one order, its bundle
on the card. Run it against the simulator:

    eval "$(cmi sandbox --port 8080 | head -3 | sed 's/^/export /')" &   # or paste the 3 lines
    python first_call.py
"""

from __future__ import annotations

import sys

# snippet-start: first-call
from cmi_datacard import ApiError, Client, CmiError, ValidationError


def main() -> int:
    client = Client.from_env()  # CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
    catalogue = client.query_data_bundles(cooperation_mode="Consignment", mcc="454")
    for bundle in catalogue.data_bundles:
        print(bundle.id, bundle.name[0].value if bundle.name else "")

    iccid = "89852342024000000013"  # the sandbox's eSIM for happy paths
    try:
        order = client.create_order(
            third_order_id="shop-1001",
            include_card=0,
            purchase_kind="Bundle",
            data_bundle_id="D2401011200000000002",
            quantity=1,
            iccid=iccid,
            transaction_code="checkout-1001",  # the same code never buys twice
        )
    except ValidationError as e:  # refused before anything was sent
        print("invalid input:", e.field, e)
        return 2
    except ApiError as e:  # the platform said no: its code, category and retryability
        print("refused:", e.code, e.category, e.retryable, e.description)
        return 1
    except CmiError as e:  # transport, timeout, auth, ...
        print("failed:", type(e).__name__, e)
        return 1
    print("order", order.order_id, order.total_amount, order.currency)

    for entry in client.iter_subscribed_bundles(iccid=iccid, language="English"):
        print(entry.data_bundle_id, entry.status, entry.subscription_key)
    return 0
# snippet-end: first-call


if __name__ == "__main__":
    sys.exit(main())
