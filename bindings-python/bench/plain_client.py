"""A CMI client written the way typical users write one: requests (or httpx for asyncio)
plus hashlib for the WSSE digest, a token fetched once, JSON bodies by hand. It is the
baseline of bench.py; its signing is checked against tests/vectors/wsse.json."""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from typing import Any, Dict, Optional

import requests

AUTHORIZATION = 'WSSE realm="SDP", profile="UsernameToken", type="Appkey"'


def digest(nonce: str, created: str, secret: str) -> str:
    return base64.b64encode(hashlib.sha256((nonce + created + secret).encode("utf-8")).digest()).decode()


def wsse_headers(app_key: str, secret: str) -> Dict[str, str]:
    nonce = uuid.uuid4().hex.upper()
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "Authorization": AUTHORIZATION,
        "X-WSSE": f'UsernameToken Username="{app_key}", PasswordDigest="{digest(nonce, created, secret)}", '
        f'Nonce="{nonce}", Created="{created}"',
        "Content-Type": "application/json",
    }


class PlainClient:
    def __init__(self, base_url: str, app_key: str, secret: str) -> None:
        self.base_url, self.app_key, self.secret = base_url, app_key, secret
        self.session = requests.Session()
        self.token: Optional[str] = None

    def post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        r = self.session.post(f"{self.base_url}/aep/{path}", json=body, headers=wsse_headers(self.app_key, self.secret), timeout=30)
        r.raise_for_status()
        data: Dict[str, Any] = r.json()
        if data.get("code", "").strip("0") != "":
            raise RuntimeError(f"CMI error {data.get('code')}: {data.get('description')}")
        return data

    def call(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        if self.token is None:
            self.token = self.post("APP_getAccessToken_SBO/v1", {"id": self.app_key, "type": "106"})["accessToken"]
        return self.post(path, {"accessToken": self.token, **body})


class PlainAsyncClient:
    def __init__(self, base_url: str, app_key: str, secret: str) -> None:
        import httpx

        self.base_url, self.app_key, self.secret = base_url, app_key, secret
        self.http = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=100))
        self.token: Optional[str] = None

    async def post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        r = await self.http.post(f"{self.base_url}/aep/{path}", json=body, headers=wsse_headers(self.app_key, self.secret))
        r.raise_for_status()
        data: Dict[str, Any] = r.json()
        if data.get("code", "").strip("0") != "":
            raise RuntimeError(f"CMI error {data.get('code')}: {data.get('description')}")
        return data

    async def call(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        if self.token is None:
            self.token = (await self.post("APP_getAccessToken_SBO/v1", {"id": self.app_key, "type": "106"}))["accessToken"]
        return await self.post(path, {"accessToken": self.token, **body})
