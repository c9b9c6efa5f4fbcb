"""Shared pieces of the record codecs: JSON-safe encoding and strict, value-free decoding.

Every entity writes ``(attributes, identity | None)``: plain dicts of JSON scalars and lists,
dates as ISO text, fuzzy dates as EDTF text, enums as their values. Decoding accepts a missing
key as "not recorded" (formats grow) but rejects unknown keys and wrong types with a message that
names the kind, the record id and the field, never the value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import Field, dataclass, fields
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar, Protocol, Self, TypeVar

from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.errors import ValueNotUnderstood

JsonScalar = str | int | float | bool | None
E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def fail(kind: str, record_id: str | None, problem: str, problem_ko: str) -> ValueNotUnderstood:
    where = f"{kind} record {record_id}" if record_id else f"{kind} record"
    return ValueNotUnderstood(f"{where}: {problem} / {where}: {problem_ko}")


def check_id(kind: str, record_id: str | None, name: str, value: object, *, required: bool) -> None:
    """Record ids that link entities are non-empty text."""
    if value is None and not required:
        return
    if not isinstance(value, str) or not value.strip():
        raise fail(
            kind, record_id, f"'{name}' must be a record id", f"'{name}'은(는) 레코드 ID여야 합니다"
        )


def check_text(kind: str, record_id: str | None, name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise fail(kind, record_id, f"'{name}' must be text", f"'{name}'은(는) 텍스트여야 합니다")


def check_texts(kind: str, record_id: str | None, name: str, values: object) -> None:
    if not isinstance(values, tuple) or not all(isinstance(v, str) for v in values):
        raise fail(
            kind,
            record_id,
            f"'{name}' must be a tuple of text",
            f"'{name}'은(는) 텍스트 목록이어야 합니다",
        )


def check_fuzzy(kind: str, record_id: str | None, name: str, value: object) -> None:
    if value is not None and not isinstance(value, FuzzyDate):
        raise fail(
            kind, record_id, f"'{name}' must be a FuzzyDate", f"'{name}'은(는) 날짜여야 합니다"
        )


def check_date(kind: str, record_id: str | None, name: str, value: object) -> None:
    if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
        raise fail(kind, record_id, f"'{name}' must be a date", f"'{name}'은(는) 날짜여야 합니다")


def coerce_enum(kind: str, record_id: str | None, name: str, cls: type[E], value: object) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise fail(
            kind, record_id, f"'{name}' must be one of: {allowed}", f"'{name}' 허용 값: {allowed}"
        ) from None


class _Entity(Protocol):
    @property
    def KIND(self) -> str: ...
    @property
    def record_id(self) -> str | None: ...


def coerce_enum_field(
    entity: _Entity, name: str, cls: type[Enum], *, optional: bool = False
) -> None:
    """Replace a frozen entity's field ``name`` by its ``cls`` member (None stays if optional)."""
    value = getattr(entity, name)
    if optional and value is None:
        return
    object.__setattr__(entity, name, coerce_enum(entity.KIND, entity.record_id, name, cls, value))


def check_identity(kind: str, record_id: str | None, value: object, cls: type) -> None:
    """The sealed part of an entity is None (not decoded) or its own identity class."""
    if value is not None and not isinstance(value, cls):
        article = "an" if cls.__name__[0] in "AEIOU" else "a"
        raise fail(
            kind,
            record_id,
            f"'identity' must be {article} {cls.__name__}",
            "'identity' 형식이 틀립니다",
        )


def sealed_repr(self: object) -> str:
    """repr/str of identity values: the class name only, so nothing sealed reaches a log."""
    return f"{type(self).__name__}(<sealed>)"


class TextIdentity:
    """Base of the sealed identity values whose fields are all optional text (a title, a
    narrative, a file name): one check, one dict and one reader for every such field, in the
    order the dataclass declares them. Subclasses are frozen, slotted dataclasses with
    ``repr=False`` (so :func:`sealed_repr` stays) and name their entity in ``OWNER_KIND``."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    OWNER_KIND: ClassVar[str]

    __repr__ = sealed_repr
    __str__ = sealed_repr

    def __post_init__(self) -> None:
        for f in fields(self):
            check_text(f"{self.OWNER_KIND} identity", None, f.name, getattr(self, f.name))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, record_id: str, data: Mapping[str, Any]) -> Self:
        r = RecordReader(cls.OWNER_KIND, record_id, data, "identity")
        out = cls(**{f.name: r.text(f.name) for f in fields(cls)})
        r.done()
        return out


def edtf(value: FuzzyDate | None) -> str | None:
    return None if value is None else value.to_edtf()


def iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def check_scalar_mapping(kind: str, record_id: str | None, name: str, value: object) -> None:
    ok = isinstance(value, Mapping) and all(
        isinstance(k, str) and _is_scalar(v) for k, v in value.items()
    )
    if not ok:
        raise fail(
            kind,
            record_id,
            f"'{name}' must map text to text, numbers, true/false or null",
            f"'{name}'은(는) 텍스트 키와 단순 값의 묶음이어야 합니다",
        )


def _is_scalar(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)


@dataclass
class RecordReader:
    """Reads one dict of a stored record (``part`` is "attributes" or "identity")."""

    kind: str
    record_id: str
    data: Mapping[str, Any]
    part: str = "attributes"

    def __post_init__(self) -> None:
        if not isinstance(self.data, Mapping) or not all(isinstance(k, str) for k in self.data):
            raise self._fail("is not an object", "객체가 아닙니다")
        self._seen: set[str] = set()

    def _fail(self, problem: str, problem_ko: str, key: str | None = None) -> ValueNotUnderstood:
        field = f"{self.part} field '{key}'" if key else self.part
        return fail(self.kind, self.record_id, f"{field} {problem}", f"{field} {problem_ko}")

    def _get(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value):
            raise self._fail("must be text", "텍스트여야 합니다", key)
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        if value is None:  # pragma: no cover - text(required=True) never returns None
            raise self._fail("is missing", "없습니다", key)
        return value

    def present(self, key: str, value: T | None, problem_ko: str) -> T:
        """``value``, just read from ``key``, which this kind cannot do without."""
        if value is None:
            where = f"{self.part} field '{key}'"
            raise fail(self.kind, self.record_id, f"{where} is missing", problem_ko)
        return value

    def integer(self, key: str) -> int | None:
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail("must be a whole number", "정수여야 합니다", key)
        return value

    def flag(self, key: str) -> bool | None:
        value = self._get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self._fail("must be true or false", "참/거짓이어야 합니다", key)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail("must be a list of text", "텍스트 목록이어야 합니다", key)
        return tuple(value)

    def fuzzy(self, key: str) -> FuzzyDate | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return parse_fuzzy_date(value).value
        except ValueNotUnderstood:
            raise self._fail("is not an EDTF date", "EDTF 날짜가 아닙니다", key) from None

    def day(self, key: str) -> date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._fail("is not an ISO date", "ISO 날짜가 아닙니다", key) from None

    def enum(self, key: str, cls: type[E], default: E | None = None) -> E:
        value = self._get(key)
        if value is None and default is not None:
            return default
        try:
            return cls(value)
        except ValueError:
            raise self._fail(
                "has a value that is not allowed", "허용되지 않는 값입니다", key
            ) from None

    def optional_enum(self, key: str, cls: type[E]) -> E | None:
        if self._get(key) is None:
            return None
        return self.enum(key, cls)

    def year_pair(self, key: str) -> tuple[int, int] | None:
        value = self._get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise self._fail(
                "must be [earliest, latest] years", "[시작 연도, 끝 연도]여야 합니다", key
            )
        return (value[0], value[1])

    def scalars(self, key: str) -> dict[str, JsonScalar]:
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and _is_scalar(v) for k, v in value.items()
        ):
            raise self._fail("must be an object of simple values", "단순 값의 객체여야 합니다", key)
        return dict(value)

    def done(self) -> None:
        """Reject keys this version does not know (without naming them: keys are not trusted)."""
        unknown = set(self.data) - self._seen
        if unknown:
            raise self._fail(
                f"has {len(unknown)} field(s) this version of unseen does not know",
                f"이 버전이 모르는 필드가 {len(unknown)}개 있습니다",
            )


def sorted_values(values: Iterable[Enum]) -> list[str]:
    return sorted(str(v.value) for v in values)
