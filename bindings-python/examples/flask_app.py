"""Receiving CMI's callbacks in Flask (any WSGI app works the same way)."""

from typing import List, Tuple

from flask import Flask, Response, request

from cmi_datacard import CmiError, parse_notification
from cmi_datacard.callbacks import CONTENT_TYPE

app = Flask(__name__)
seen: List[str] = []  # use your database: the dedupe key drops redeliveries


def handle(kind: str, event: object) -> None:
    """Your business logic (store the activation, the usage, the eSIM state)."""


@app.post("/cmi/callbacks")
def cmi_callback() -> Tuple[Response, int]:
    try:
        n = parse_notification(request.headers, request.get_data())
    except CmiError:
        return Response(b'{"code":"1","description":"unreadable"}', content_type=CONTENT_TYPE), 400
    if n.dedupe_key not in seen:
        try:
            handle(n.kind, n.event)
        except Exception:
            # Not acknowledged: CMI delivers again later.
            return Response(n.failure_ack_body("handler failed"), content_type=CONTENT_TYPE), 200
        seen.append(n.dedupe_key)
    # Acknowledge only after the handler succeeded.
    return Response(n.ack_body, content_type=CONTENT_TYPE), 200
