"""Every operation, through the typed methods of Client and AsyncClient, against the sandbox."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any, Callable

import cmi_datacard
from cmi_datacard import AsyncClient, Client

from conftest import (
    BUNDLE_ASIA,
    BUNDLE_CN_3GB,
    BUNDLE_HK_MO_5GB,
    ICCID_ACTIVE,
    ICCID_ESIM,
    ICCID_PENDING,
    Sandbox,
)


def every_operation(c: Any, done: Callable[[Any], Any], sandbox: Sandbox, tag: str) -> None:
    """Calls all 22 operations once; `done` turns a call's result into its answer (identity
    for Client, run_until_complete for AsyncClient)."""
    token = done(c.get_access_token(id=sandbox.app_key, account_type="106"))
    assert token.access_token and "***" in repr(token) and token.access_token not in repr(token)

    bundles = done(c.query_data_bundles(cooperation_mode="Consignment"))
    assert isinstance(bundles, cmi_datacard.QueryDataBundlesResponse)
    assert bundles.data_bundles and isinstance(bundles.data_bundles[0], cmi_datacard.DataBundle)
    assert all(b.id.startswith("D") for b in bundles.data_bundles)

    done(c.activate_data_bundle(iccid=ICCID_PENDING, data_bundle_id=BUNDLE_CN_3GB, mcc="460"))
    state = done(c.query_himsi_state(iccid=ICCID_ESIM))
    assert state.mobile_country_code == "454"

    order = done(
        c.create_order(
            third_order_id=f"py-{tag}", include_card=0, purchase_kind="Bundle", data_bundle_id=BUNDLE_ASIA,
            quantity=1, iccid=ICCID_ESIM,
        )
    )
    assert order.order_id and order.quantity == 1
    assert order.to_dict()["orderID"] == order.order_id  # wire names

    subs = done(c.query_subscribed_bundles(iccid=ICCID_ESIM, language="English"))
    assert any(s.order_id == order.order_id for s in subs.user_data_bundles)
    assert done(c.query_carriers(language="English")).state_list
    done(c.query_quota(iccid=ICCID_ACTIVE))
    sims = done(c.query_sim_info(items=[{"iccid": ICCID_ESIM}]))
    assert len(sims.himsis) == 1
    done(c.query_usage_trajectories(iccid=ICCID_ACTIVE, data_bundle_id=BUNDLE_HK_MO_5GB))
    done(c.end_package(iccid_package_list=[{"iccid": ICCID_ACTIVE, "data_bundle_id": BUNDLE_HK_MO_5GB}]))
    done(c.unsubscribe_order(order_id=order.order_id))
    esim = done(c.query_esim_card_info(iccid=ICCID_ESIM))
    assert esim.to_dict()
    assert len(done(c.query_upcc_templates()).upcc_template) == 5

    added = done(
        c.add_package(
            name=f"py-{tag}", description="from Python", keep_period="3", flow_limit_type="PerCycle",
            control_logic="Throttle", is_supported_hotspots="No", is_support_direct="No",
            no_limit_template_id="P23061314255918", mcc_list=["454"], support_refuel="No",
        )
    )
    done(c.update_package(data_bundle_id=added.data_bundle_id, effective_day="30"))
    done(c.delete_package(data_bundle_id=added.data_bundle_id))
    refuel = done(c.add_refuel_package(flow_value="100")).refuel_pack
    listed = done(c.query_refuel_packages(page_no="1", page_size="50"))
    assert any(p.refueling_id == refuel.refueling_id for p in listed.refuel_packs)
    done(c.delete_refuel_package(refueling_id=refuel.refueling_id))
    assert len(done(c.query_channel_apps()).apps) == 3
    assert done(c.query_country_groups(is_supported_hotspots="Yes")).countries

    stats = sandbox.stats()
    never = [op for op, n in stats["calls"].items() if n == 0]
    assert not never, f"never called: {never}"


def test_every_operation_sync(client: Client, sandbox: Sandbox) -> None:
    every_operation(client, lambda r: r, sandbox, "sync")
    assert client.token_requests == 1


def test_every_operation_async(async_client: AsyncClient, sandbox: Sandbox) -> None:
    loop = asyncio.new_event_loop()
    try:
        every_operation(async_client, loop.run_until_complete, sandbox, "async")
    finally:
        loop.close()
    assert async_client.token_requests == 1


def test_paged_iterators_walk_every_page(client: Client, async_client: AsyncClient) -> None:
    whole = client.query_data_bundles(cooperation_mode="Consignment").data_bundles
    paged = list(client.iter_data_bundles(cooperation_mode="Consignment", page_size=3))
    assert [b.id for b in paged] == [b.id for b in whole] and len(whole) > 3

    async def collect() -> list:
        return [b.id async for b in async_client.iter_data_bundles(cooperation_mode="Consignment", page_size=4)]

    assert asyncio.run(collect()) == [b.id for b in whole]
    subs = list(client.iter_subscribed_bundles(iccid=ICCID_ACTIVE, language="English", page_size=1))
    assert subs and all(isinstance(s, cmi_datacard.UserDataBundle) for s in subs)
    for n in range(3):
        client.add_refuel_package(flow_value=str(100 + n))
    packs = list(client.iter_refuel_packages(page_size=2))
    assert len(packs) >= 3 and len({p.refueling_id for p in packs}) == len(packs)


def test_the_by_name_entry_point_takes_snake_or_wire_names(client: Client) -> None:
    answer = client.call("query-data-bundles", {"cooperation_mode": "Consignment", "mcc": "455"})
    assert answer["data_bundles"]
    assert client.call("queryDataBundles", {"cooperationMode": "Consignment"})["data_bundles"]


def test_from_env_and_repr_hide_the_secret(sandbox: Sandbox, monkeypatch: Any) -> None:
    for k, v in sandbox.env.items():
        monkeypatch.setenv(k, v)
    c = Client.from_env()
    assert sandbox.app_secret not in repr(c) and "app_secret='***'" in repr(c)
    assert c.query_upcc_templates().upcc_template
    a = AsyncClient.from_env(timeout=5)
    assert "timeout=5" in repr(a) and sandbox.app_secret not in repr(a)


def test_answers_carry_typed_values_and_requests_take_them(client: Client) -> None:
    entry = client.query_subscribed_bundles(iccid=ICCID_ACTIVE, language="English").user_data_bundles[0]
    assert isinstance(entry.create_time, datetime.datetime) and entry.create_time.year >= 2024
    assert entry.to_dict()["createTime"] == entry.create_time.strftime("%Y%m%d%H%M%S")
    quota = client.query_quota(iccid=ICCID_ACTIVE).quota_list[0]
    assert quota.subscriber_quota is not None
    balance = quota.subscriber_quota.balance
    assert isinstance(balance, cmi_datacard.DataVolume) and balance.unit == "Megabytes" and balance.value > 0
    assert isinstance(quota.history_quota[0].date, datetime.date)
    start = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=2)
    order = client.create_order(
        third_order_id="py-dated", include_card=0, purchase_kind="Bundle", data_bundle_id=BUNDLE_ASIA, quantity=1,
        iccid=ICCID_ESIM, set_active_time=start,
    )
    assert order.order_id
