"""The same library through uniffi's Python bindings (generated into the build dir by
run-kotlin): the constructor from the environment, the async foreign transport driven by
asyncio rather than Kotlin coroutines, and the error fields, against the sandbox."""

import asyncio
import os
import sys
import urllib.request

import cmi_mobile as cmi

ICCID_ACTIVE = "89852342024000000021"
results = []


def test(fn):
    results.append(fn)
    return fn


class UrllibTransport(cmi.HttpTransport):
    """A Python HttpTransport (blocking urllib in a thread, as an app would wrap its stack)."""

    def __init__(self):
        self.calls = 0

    async def send(self, request):
        self.calls += 1
        headers = {h.name: h.value for h in request.headers()}
        req = urllib.request.Request(request.url(), data=request.body(), headers=headers, method=request.method())

        def blocking():
            with urllib.request.urlopen(req, timeout=request.timeout_ms() / 1000) as r:
                return r.status, list(r.headers.items()), r.read()

        status, hs, body = await asyncio.to_thread(blocking)
        return cmi.HttpResponse(status=status, headers=[cmi.HttpHeader(name=k, value=v) for k, v in hs], body=body)


@test
async def from_env_and_call_json():
    c = cmi.CmiClient.from_env()
    answer = await c.call_json("queryCarriers", '{"language":"2"}')
    assert "data" in answer or "carrier" in answer.lower(), answer[:200]


@test
async def python_transport():
    t = UrllibTransport()
    c = cmi.CmiClient(os.environ["CMI_BASE_URL"], os.environ["CMI_APP_KEY"], os.environ["CMI_APP_SECRET"], None, t)
    s = await c.card_summary(ICCID_ACTIVE)
    assert s.active_bundles and s.remaining_mb is not None, s
    assert t.calls == 3, t.calls


@test
async def error_fields():
    c = cmi.CmiClient.from_env()
    try:
        await c.esim_activation("89852342024999999990")
    except cmi.CmiError.Api as e:
        assert e.code == "1000013" and e.category == cmi.ErrorCategory.VALIDATION and e.retryable is False, e
    else:
        raise AssertionError("no error")


@test
async def request_text_hides_the_signature():
    seen = []

    class Spy(cmi.HttpTransport):
        async def send(self, request):
            seen.append(str(request))
            raise cmi.TransportError.Timeout()

    c = cmi.CmiClient(os.environ["CMI_BASE_URL"], "k", "s", cmi.ClientOptions(max_retries=0), Spy())
    try:
        await c.card_summary(ICCID_ACTIVE)
    except (cmi.CmiError.Timeout, cmi.CmiError.Transport):
        pass
    assert seen and "***" in seen[0] and "Digest" not in seen[0], seen


def main():
    passed = failed = 0
    for fn in results:
        try:
            asyncio.run(fn())
            passed += 1
            print(f"  ok    {fn.__name__}")
        except Exception as e:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"  FAIL  {fn.__name__}: {e!r}")
    print(f"python (uniffi): {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
