"""cmi_datacard: SDK for the China Mobile International (CMI / CMLink) Global Data Card
Platform API V4.2, on the project's Rust core.

>>> from cmi_datacard import Client
>>> client = Client.from_env()                              # doctest: +SKIP
>>> client.query_data_bundles(cooperation_mode="1")         # doctest: +SKIP
"""

from . import _native
from ._client import AsyncClient, Client
from ._generated import *  # noqa: F401,F403  (the typed answers)
from ._model import DataVolume, Model
from .callbacks import Notification, parse_notification
from .errors import (
    ApiError,
    AuthError,
    CmiError,
    ConfigError,
    DecodeError,
    RefusedError,
    TimeoutError,
    TransportError,
    ValidationError,
)

__version__: str = _native.VERSION

__all__ = [
    "Client",
    "AsyncClient",
    "parse_notification",
    "Notification",
    "DataVolume",
    "Model",
    "CmiError",
    "ApiError",
    "AuthError",
    "ValidationError",
    "TransportError",
    "TimeoutError",
    "ConfigError",
    "DecodeError",
    "RefusedError",
]
