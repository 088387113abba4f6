"""Base of the typed answer classes generated from the core's schema (``_generated.py``),
and the conversions between them and the plain values the extension module exchanges."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, ClassVar, Dict, Mapping, Optional, Tuple, Type, TypeVar

from . import _native

M = TypeVar("M", bound="Model")

# Attribute names whose values are never shown by repr (sdk-rules 18).
_SECRET_WORDS = ("token", "secret", "password", "digest", "nonce")


class Model:
    """A typed answer (or part of one). Attributes are the snake_case field names;
    :meth:`to_dict` gives the wire form, :meth:`to_surface` the snake_case form."""

    __slots__ = ("_surface",)
    _TYPE: ClassVar[str] = ""
    #: (attribute, surface key) pairs, in schema order.
    _FIELDS: ClassVar[Tuple[Tuple[str, str], ...]] = ()
    #: surface key -> converter for values that are not plain scalars.
    _CONVERT: ClassVar[Dict[str, Callable[[Any], Any]]] = {}
    #: surface key -> default for an absent key (lists, maps, extra).
    _DEFAULTS: ClassVar[Dict[str, Callable[[], Any]]] = {}

    _surface: Dict[str, Any]

    @classmethod
    def _from_surface(cls: Type[M], surface: Mapping[str, Any]) -> M:
        obj = cls.__new__(cls)
        object.__setattr__(obj, "_surface", surface)
        convert, defaults = cls._CONVERT, cls._DEFAULTS
        for attr, key in cls._FIELDS:
            value = surface.get(key)
            if value is None:
                factory = defaults.get(key)
                value = factory() if factory is not None else None
            else:
                conv = convert.get(key)
                if conv is not None:
                    value = conv(value)
            object.__setattr__(obj, attr, value)
        return obj

    def to_surface(self) -> Dict[str, Any]:
        """This value as plain data with snake_case keys (as received)."""
        return dict(self._surface)

    def to_dict(self) -> Dict[str, Any]:
        """This value as plain data with the platform's wire names (``ICCID``, ``orderID``)
        and values in forms the platform reads (enum codes, volumes in the field's unit)."""
        result: Dict[str, Any] = _native.to_wire(self._TYPE, self._surface)
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and type(other) is type(self) and other._surface == self._surface

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable

    def __repr__(self) -> str:
        parts = []
        for attr, _key in self._FIELDS:
            value = getattr(self, attr)
            if value is None or value == [] or value == {}:
                continue
            if any(w in attr for w in _SECRET_WORDS):
                parts.append(f"{attr}='***'")
            else:
                parts.append(f"{attr}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class DataVolume:
    """A data volume with its unit: ``Bytes``, ``Megabytes`` or ``Gigabytes``."""

    __slots__ = ("value", "unit")

    def __init__(self, value: float, unit: str = "Megabytes") -> None:
        self.value = value
        self.unit = unit

    @classmethod
    def _from_surface(cls, surface: Mapping[str, Any]) -> "DataVolume":
        return cls(surface.get("value", 0.0), surface.get("unit", "Megabytes"))

    _SCALE = {"Bytes": 1.0, "Megabytes": 1024.0 * 1024.0, "Gigabytes": 1024.0 * 1024.0 * 1024.0}

    @property
    def bytes(self) -> float:
        """The volume in bytes (1 MB = 1024 x 1024 bytes)."""
        return self.value * self._SCALE.get(self.unit, 1.0)

    def to_surface(self) -> Dict[str, Any]:
        return {"value": self.value, "unit": self.unit}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataVolume) and (other.value, other.unit) == (self.value, self.unit)

    def __hash__(self) -> int:
        return hash((self.value, self.unit))

    def __repr__(self) -> str:
        return f"DataVolume({self.value!r}, {self.unit!r})"


_DATETIME_FORMATS = ("%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _datetime(text: Any) -> Any:
    """A date-time as the core gives it (``20240109175959``, or ISO) as a naive ``datetime``:
    its zone is the one the field documents (UTC for nearly all fields, spec 1.4). Text in
    no known form is kept as received."""
    if isinstance(text, str):
        for fmt in _DATETIME_FORMATS:
            try:
                return _dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
    return text


def _date(text: Any) -> Any:
    """A date as the core gives it (``20240109`` or ``2024-01-09``) as a ``date``."""
    if isinstance(text, str):
        for fmt in ("%Y%m%d", "%Y-%m-%d"):
            try:
                return _dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return text


def _volume(value: Any) -> Any:
    return DataVolume._from_surface(value) if isinstance(value, Mapping) else value


def plain(value: Any) -> Any:
    """A request value as plain data for the extension: models and volumes to dicts,
    date-times to the core's text, None-valued keys dropped."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Model):
        return value.to_surface()
    if isinstance(value, DataVolume):
        return value.to_surface()
    if isinstance(value, _dt.datetime):
        # Aware values are sent in UTC; naive ones as they are (the field's documented zone).
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, _dt.date):
        return value.strftime("%Y%m%d")
    return value


