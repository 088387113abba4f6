"""Receiving CMI's callbacks in FastAPI (any ASGI app works the same way)."""

from typing import List

from fastapi import FastAPI, Request, Response

from cmi_datacard import CmiError, parse_notification
from cmi_datacard.callbacks import CONTENT_TYPE

app = FastAPI()
seen: List[str] = []  # use your database: the dedupe key drops redeliveries


async def handle(kind: str, event: object) -> None:
    """Your business logic (store the activation, the usage, the eSIM state)."""


@app.post("/cmi/callbacks")
async def cmi_callback(request: Request) -> Response:
    try:
        n = parse_notification(request.headers, await request.body())
    except CmiError:
        return Response(b'{"code":"1","description":"unreadable"}', status_code=400, media_type=CONTENT_TYPE)
    if n.dedupe_key not in seen:
        try:
            await handle(n.kind, n.event)
        except Exception:
            # Not acknowledged: CMI delivers again later.
            return Response(n.failure_ack_body("handler failed"), media_type=CONTENT_TYPE)
        seen.append(n.dedupe_key)
    # Acknowledge only after the handler succeeded.
    return Response(n.ack_body, media_type=CONTENT_TYPE)
