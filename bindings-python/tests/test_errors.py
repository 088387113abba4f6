"""Each exception type, raised by the sync and the async client for a real failure."""

from __future__ import annotations

import asyncio
import builtins

import pytest

from cmi_datacard import (
    ApiError,
    AsyncClient,
    AuthError,
    Client,
    CmiError,
    ConfigError,
    TimeoutError,
    TransportError,
    ValidationError,
)

from conftest import ICCID_UNKNOWN, Sandbox


def test_api_error_carries_code_category_and_retryable(client: Client, sandbox: Sandbox) -> None:
    with pytest.raises(ApiError) as info:
        client.query_himsi_state(iccid=ICCID_UNKNOWN)
    e = info.value
    assert isinstance(e, CmiError)
    assert e.code == "1000013" and e.kind == "api" and e.operation == "query_himsi_state"
    assert e.category == "validation" and e.retryable is False and e.description
    sandbox.fault(operation="query_upcc_templates", kind="return_code", code="9000004", count=5)
    with pytest.raises(ApiError) as info:
        Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, max_retries=0).query_upcc_templates()
    assert info.value.code == "9000004" and info.value.retryable is True


def test_auth_error_for_a_wrong_secret(sandbox: Sandbox) -> None:
    c = Client(sandbox.base_url, sandbox.app_key, "not-the-secret")
    with pytest.raises(AuthError) as info:
        c.query_upcc_templates()
    assert info.value.code == "1000001" and info.value.category == "auth"
    assert "not-the-secret" not in str(info.value) and "not-the-secret" not in repr(info.value)


def test_validation_error_names_the_field_and_sends_nothing(client: Client, sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as info:
        client.query_himsi_state(iccid="12")
    assert info.value.field == "iccid" and isinstance(info.value, ValueError)
    with pytest.raises(ValidationError) as info:
        client.call("buy_everything", {})
    assert info.value.field == "operation"
    assert sandbox.stats()["total_calls"] == 0


def test_transport_errors_for_http_status_and_dropped_connections(sandbox: Sandbox) -> None:
    c = Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, max_retries=0)
    sandbox.fault(operation="query_carriers", kind="http_status", status=503)
    with pytest.raises(TransportError) as info:
        c.query_carriers(language="English")
    assert info.value.status == 503 and info.value.kind == "http_status" and info.value.retryable
    sandbox.admin("POST", "faults/clear")
    sandbox.fault(operation="query_carriers", kind="drop")
    with pytest.raises(TransportError) as info:
        c.query_carriers(language="English")
    assert info.value.kind == "transport" and info.value.status is None


def test_timeout_error(sandbox: Sandbox) -> None:
    sandbox.fault(operation="query_channel_apps", kind="delay", ms=3000)
    c = Client(sandbox.base_url, sandbox.app_key, sandbox.app_secret, timeout=0.2, max_retries=0)
    with pytest.raises(TimeoutError) as info:
        c.query_channel_apps()
    assert isinstance(info.value, builtins.TimeoutError) and info.value.phase in ("attempt", "total")


def test_config_error_for_plain_http_to_a_remote_host() -> None:
    with pytest.raises(ConfigError):
        Client("http://10.0.0.1:8080", "key", "secret")
    with pytest.raises(ConfigError):
        Client("https://example.invalid", "key", "")


def test_async_client_raises_the_same_types(async_client: AsyncClient, sandbox: Sandbox) -> None:
    async def run() -> None:
        with pytest.raises(ApiError) as api:
            await async_client.query_himsi_state(iccid=ICCID_UNKNOWN)
        assert api.value.code == "1000013"
        with pytest.raises(ValidationError) as val:
            await async_client.query_himsi_state(iccid="12")
        assert val.value.field == "iccid"
        bad = AsyncClient(sandbox.base_url, sandbox.app_key, "not-the-secret")
        with pytest.raises(AuthError):
            await bad.query_channel_apps()
        sandbox.fault(operation="query_channel_apps", kind="delay", ms=3000)
        slow = AsyncClient(sandbox.base_url, sandbox.app_key, sandbox.app_secret, timeout=0.2, max_retries=0)
        with pytest.raises(TimeoutError):
            await slow.query_channel_apps()

    asyncio.run(run())
