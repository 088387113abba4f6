"""The sync and asyncio clients. The per-operation methods come from the generated mixins
(``_generated.py``); this module holds what they share: construction, the one call path,
and the paged iterators."""

from __future__ import annotations

import asyncio
import os
from typing import Any, AsyncIterator, Dict, Iterator, Mapping, Optional, Type, TypeVar

from . import _native
from ._generated import (
    AsyncOperations,
    DataBundle,
    QueryDataBundlesResponse,
    QueryRefuelPackagesResponse,
    QuerySubscribedBundlesResponse,
    RefuelPack,
    SyncOperations,
    UserDataBundle,
)
from ._model import Model, plain

R = TypeVar("R", bound=Model)
C = TypeVar("C", bound="_Base")

__all__ = ["Client", "AsyncClient"]


def _resolve(future: "asyncio.Future[Any]", value: Any, failed: bool) -> None:
    """Runs on the event loop (scheduled by the extension's hand-back thread)."""
    if future.done():  # cancelled meanwhile
        return
    if failed:
        future.set_exception(value)
    else:
        future.set_result(value)


class _Base:
    # Fleet mode (a token store and rate limit shared through Redis, crate cmi-fleet) plugs
    # in here: a `redis_url=` keyword handed to the native client's builder.
    __slots__ = ("_native",)

    def __init__(
        self,
        base_url: str,
        app_key: str,
        app_secret: str,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """``timeout`` is per HTTP attempt, in seconds; ``max_retries`` bounds retries of
        queries. Plain ``http://`` is refused except to loopback unless
        ``allow_insecure_http``."""
        self._native = _native.NativeClient(base_url, app_key, app_secret, timeout, max_retries, allow_insecure_http)

    @classmethod
    def from_env(cls: Type[C], *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> C:
        """A client from ``CMI_BASE_URL``, ``CMI_APP_KEY``, ``CMI_APP_SECRET`` (and the optional
        ``CMI_TIMEOUT_MS``, ``CMI_MAX_RETRIES``)."""
        obj = cls.__new__(cls)
        obj._native = _native.NativeClient.from_env(dict(os.environ), timeout, max_retries)
        return obj

    @property
    def token_requests(self) -> int:
        """How many token requests this client has sent (one for any number of callers)."""
        return int(self._native.token_requests())

    @property
    def clock_skew_ms(self) -> int:
        """The platform clock's measured offset from ours, in milliseconds."""
        return int(self._native.clock_skew_ms())

    def __repr__(self) -> str:
        base_url, app_key, timeout_ms, retries = self._native.describe()
        return (
            f"{type(self).__name__}(base_url={base_url!r}, app_key={app_key!r}, app_secret='***', "
            f"timeout={timeout_ms / 1000:g}, max_retries={retries})"
        )


class Client(_Base, SyncOperations):
    """A client of the CMI platform for threads and plain scripts. Share one per credential:
    it is thread-safe, releases the GIL while waiting, and all threads use one token."""

    __slots__ = ()

    def call(self, operation: str, body: Optional[Any] = None, *, wire: bool = False) -> Dict[str, Any]:
        """Calls ``operation`` (any spelling) with a snake_case body; returns the plain answer in
        snake_case. With ``wire=True`` the body and the answer use the platform's wire names
        (``ICCID``, ``is_Refuel``), for JSON you already hold in that form."""
        result: Dict[str, Any] = self._native.call(operation, plain({} if body is None else body), wire)
        return result

    def _call(self, operation: str, body: Dict[str, Any], response: Type[R]) -> R:
        return response._from_surface(self._native.call(operation, plain(body)))

    def iter_data_bundles(self, *, page_size: int = 50, **query: Any) -> Iterator[DataBundle]:
        """Every bundle of 3.2.2 ``query_data_bundles(**query)``, fetching pages as needed."""
        offset = int(query.pop("begin_index", 0) or 0)
        while True:
            page = self._call("query_data_bundles", {**query, "begin_index": offset, "count": page_size}, QueryDataBundlesResponse)
            yield from page.data_bundles
            if len(page.data_bundles) < page_size:
                return
            offset += len(page.data_bundles)

    def iter_subscribed_bundles(self, *, page_size: int = 50, **query: Any) -> Iterator[UserDataBundle]:
        """Every entry of 3.2.6 ``query_subscribed_bundles(**query)``, page by page."""
        offset = int(query.pop("begin_index", 0) or 0)
        while True:
            page = self._call(
                "query_subscribed_bundles", {**query, "begin_index": offset, "count": page_size}, QuerySubscribedBundlesResponse
            )
            yield from page.user_data_bundles
            if len(page.user_data_bundles) < page_size:
                return
            offset += len(page.user_data_bundles)

    def iter_refuel_packages(self, *, page_size: int = 50, **query: Any) -> Iterator[RefuelPack]:
        """Every add-on of 3.2.22 ``query_refuel_packages(**query)``, page by page."""
        page_no = int(query.pop("page_no", 1) or 1)
        while True:
            page = self._call(
                "query_refuel_packages", {**query, "page_no": str(page_no), "page_size": str(page_size)}, QueryRefuelPackagesResponse
            )
            yield from page.refuel_packs
            if len(page.refuel_packs) < page_size:
                return
            page_no += 1


class AsyncClient(_Base, AsyncOperations):
    """The asyncio client: the same methods as :class:`Client`, as coroutines. The calls run
    on the extension's own threads, so the event loop is never blocked."""

    __slots__ = ()

    async def call(self, operation: str, body: Optional[Any] = None, *, wire: bool = False) -> Dict[str, Any]:
        """Calls ``operation`` (any spelling) with a snake_case body; returns the plain answer in
        snake_case. With ``wire=True`` the body and the answer use the platform's wire names."""
        result: Dict[str, Any] = await self._start(operation, plain({} if body is None else body), wire)
        return result

    async def _start(self, operation: str, body: Any, wire: bool = False) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        handle = self._native.start(operation, body, loop, future, _resolve, wire)
        try:
            return await future
        except asyncio.CancelledError:
            handle.abort()  # nobody waits for the answer any more
            raise

    async def _call(self, operation: str, body: Dict[str, Any], response: Type[R]) -> R:
        return response._from_surface(await self._start(operation, plain(body)))

    async def iter_data_bundles(self, *, page_size: int = 50, **query: Any) -> AsyncIterator[DataBundle]:
        """Every bundle of 3.2.2 ``query_data_bundles(**query)``, fetching pages as needed."""
        offset = int(query.pop("begin_index", 0) or 0)
        while True:
            page = await self._call(
                "query_data_bundles", {**query, "begin_index": offset, "count": page_size}, QueryDataBundlesResponse
            )
            for item in page.data_bundles:
                yield item
            if len(page.data_bundles) < page_size:
                return
            offset += len(page.data_bundles)

    async def iter_subscribed_bundles(self, *, page_size: int = 50, **query: Any) -> AsyncIterator[UserDataBundle]:
        """Every entry of 3.2.6 ``query_subscribed_bundles(**query)``, page by page."""
        offset = int(query.pop("begin_index", 0) or 0)
        while True:
            page = await self._call(
                "query_subscribed_bundles", {**query, "begin_index": offset, "count": page_size}, QuerySubscribedBundlesResponse
            )
            for item in page.user_data_bundles:
                yield item
            if len(page.user_data_bundles) < page_size:
                return
            offset += len(page.user_data_bundles)

    async def iter_refuel_packages(self, *, page_size: int = 50, **query: Any) -> AsyncIterator[RefuelPack]:
        """Every add-on of 3.2.22 ``query_refuel_packages(**query)``, page by page."""
        page_no = int(query.pop("page_no", 1) or 1)
        while True:
            page = await self._call(
                "query_refuel_packages", {**query, "page_no": str(page_no), "page_size": str(page_size)}, QueryRefuelPackagesResponse
            )
            for item in page.refuel_packs:
                yield item
            if len(page.refuel_packs) < page_size:
                return
            page_no += 1
