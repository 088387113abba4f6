"""A CMI callback receiver on Flask (WSGI): 3.2.15 activation and 3.2.16 usage at
`/cmi/<token>/callbacks`, 3.2.17 eSIM status at `/cmi/<token>/esim` + the GSMA suffix CMI
appends. Register `https://your.host/cmi/<token>/callbacks` and `https://your.host/cmi/<token>/esim`.

    CMI_CALLBACK_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe())') \\
    CMI_CALLBACK_DB=callbacks.sqlite3 flask --app callbacks_flask run --port 8000

Every event is stored once (SQLite, see callback_receiver.py) before CMI gets its
acknowledgement; a redelivery is acknowledged again and counted.
"""

from __future__ import annotations

from typing import Optional

from flask import Flask, Response, request

from callback_receiver import ESIM_SUFFIX, Receiver


def create_app(receiver: Optional[Receiver] = None) -> Flask:
    receiver = receiver or Receiver.from_env()
    app = Flask(__name__)

    # snippet-start: flask-route
    @app.post("/cmi/<token>/callbacks")
    @app.post("/cmi/<token>/esim" + ESIM_SUFFIX)
    def cmi_callback(token: str) -> Response:
        answer = receiver.receive(token, request.remote_addr, request.headers, request.get_data())
        return Response(answer.body, status=answer.status, content_type=answer.content_type)
    # snippet-end: flask-route

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=8000)
