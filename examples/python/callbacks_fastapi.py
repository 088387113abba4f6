"""A CMI callback receiver on FastAPI (ASGI): 3.2.15 activation and 3.2.16 usage at
`/cmi/{token}/callbacks`, 3.2.17 eSIM status at `/cmi/{token}/esim` + the GSMA suffix CMI
appends. Register `https://your.host/cmi/<token>/callbacks` and `https://your.host/cmi/<token>/esim`.

    CMI_CALLBACK_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe())') \\
    CMI_CALLBACK_DB=callbacks.sqlite3 uvicorn --factory callbacks_fastapi:create_app --port 8000

Every event is stored once (SQLite, see callback_receiver.py) before CMI gets its
acknowledgement; a redelivery is acknowledged again and counted.
"""

from __future__ import annotations

import asyncio
from typing import Optional

from fastapi import FastAPI, Request, Response

from callback_receiver import ESIM_SUFFIX, Receiver


def create_app(receiver: Optional[Receiver] = None) -> FastAPI:
    receiver = receiver or Receiver.from_env()
    app = FastAPI()

    # snippet-start: fastapi-route
    @app.post("/cmi/{token}/callbacks")
    @app.post("/cmi/{token}/esim" + ESIM_SUFFIX)
    async def cmi_callback(token: str, request: Request) -> Response:
        body = await request.body()
        address = request.client.host if request.client else None
        # SQLite blocks: store on a worker thread, never on the event loop.
        answer = await asyncio.to_thread(receiver.receive, token, address, request.headers, body)
        return Response(answer.body, status_code=answer.status, media_type=answer.content_type)
    # snippet-end: fastapi-route

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=8000)
