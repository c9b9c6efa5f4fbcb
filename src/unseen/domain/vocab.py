"""Controlled vocabularies: violation and perpetrator types, legal instruments, victim attributes.

Loaded once (``functools.cache``) from the CSV files shipped in ``unseen/domain/data/`` (see the
README there for sources and attribution) and returned as read-only mappings keyed by code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TypeVar

from unseen.errors import ConfigError, ValueNotUnderstood

__all__ = [
    "PHASES",
    "InstrumentReference",
    "LegalInstrument",
    "PerpetratorType",
    "Sensitivity",
    "VictimAttribute",
    "ViolationType",
    "legal_instruments",
    "perpetrator_types",
    "require_perpetrator_type",
    "require_violation_type",
    "victim_attributes",
    "violation_types",
]

T = TypeVar("T")

#: Phases of the journey in which a violation happens (``all`` in the CSV means every one).
PHASES = ("exit", "China", "transit", "DPRK")

_VIOLATION_COLUMNS = (
    "code", "parent", "label_en", "label_ko", "label_zh", "definition", "instruments_articles",
    "rome_statute_art7_coi", "huridocs_concept_names", "typical_perpetrators", "phase",
)  # fmt: skip
_PERPETRATOR_COLUMNS = (
    "code", "label_en", "label_ko", "label_zh", "actor_category", "country", "notes",
)  # fmt: skip
_INSTRUMENT_COLUMNS = (
    "instrument_id", "short_name", "full_name", "year", "china_status", "dprk_status",
)  # fmt: skip
_ATTRIBUTE_COLUMNS = ("attribute", "allowed_values", "sensitivity", "notes")


class Sensitivity(StrEnum):
    """Disclosure sensitivity of a victim attribute (``victim_attributes.csv``)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"


@dataclass(frozen=True, slots=True)
class InstrumentReference:
    """One treaty reference of a violation: ``PALERMO art. 3(a)`` -> (``PALERMO``, ``art. 3(a)``).

    ``instrument_id`` is None when the reference names an instrument that is not in
    ``legal_instruments.csv`` (then ``text`` is all there is).
    """

    instrument_id: str | None
    articles: str
    text: str


@dataclass(frozen=True, slots=True)
class ViolationType:
    """One violation code (our HURIDOCS "act type")."""

    code: str
    parent: str | None
    label_en: str
    label_ko: str
    label_zh: str
    definition: str
    instruments: tuple[InstrumentReference, ...]
    rome_statute_art7_coi: str | None
    huridocs_concept_names: tuple[str, ...]
    typical_perpetrators: tuple[str, ...]
    phases: tuple[str, ...]
    instruments_articles: str
    phase: str

    def label(self, language: str = "en") -> str:
        return _label(self, language)

    @property
    def instrument_ids(self) -> tuple[str, ...]:
        """Ids of the instruments cited, in order, without repeats."""
        ids = (ref.instrument_id for ref in self.instruments if ref.instrument_id)
        return tuple(dict.fromkeys(ids))


@dataclass(frozen=True, slots=True)
class PerpetratorType:
    code: str
    label_en: str
    label_ko: str
    label_zh: str
    actor_category: str  # state, state-linked, non-state, unknown
    countries: tuple[str, ...]  # KP, CN, other; empty when unknown
    notes: str

    def label(self, language: str = "en") -> str:
        return _label(self, language)


@dataclass(frozen=True, slots=True)
class LegalInstrument:
    instrument_id: str
    short_name: str
    full_name: str
    year: str  # as written: "1951/1967", "1997 (amended)", "-"
    china_status: str
    dprk_status: str

    @property
    def code(self) -> str:
        return self.instrument_id


@dataclass(frozen=True, slots=True)
class VictimAttribute:
    """A victim/record attribute and its disclosure sensitivity.

    ``choices`` is the closed list of values when ``allowed_values`` is one (``F|M|X|unknown``),
    else None (free descriptions such as "YYYY or range").
    """

    attribute: str
    allowed_values: str
    choices: tuple[str, ...] | None
    multi_valued: bool
    sensitivity: Sensitivity
    notes: str

    @property
    def code(self) -> str:
        return self.attribute


def _label(entry: ViolationType | PerpetratorType, language: str) -> str:
    return {"en": entry.label_en, "ko": entry.label_ko, "zh": entry.label_zh}.get(
        language, entry.label_en
    )


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    text = resources.files("unseen.domain").joinpath("data", name).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise ConfigError(f"shipped vocabulary {name} has unexpected columns: reinstall unseen")
    rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    key = columns[0]
    if len({row[key] for row in rows}) != len(rows) or any(not row[key] for row in rows):
        raise ConfigError(
            f"shipped vocabulary {name} has empty or repeated codes: reinstall unseen"
        )
    return rows


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def _references(text: str, known: Mapping[str, LegalInstrument]) -> tuple[InstrumentReference, ...]:
    refs = []
    for chunk in _split(text, ";"):
        head, _, rest = chunk.partition(" ")
        if head in known:
            refs.append(InstrumentReference(head, rest.strip(), chunk))
        else:
            refs.append(InstrumentReference(None, "", chunk))
    return tuple(refs)


def _phases(text: str) -> tuple[str, ...]:
    if text.strip().lower() == "all":
        return PHASES
    return _split(text, "/")


@cache
def legal_instruments() -> Mapping[str, LegalInstrument]:
    rows = _rows("legal_instruments.csv", _INSTRUMENT_COLUMNS)
    return MappingProxyType({row["instrument_id"]: LegalInstrument(**row) for row in rows})


@cache
def perpetrator_types() -> Mapping[str, PerpetratorType]:
    out = {}
    for row in _rows("perpetrator_types.csv", _PERPETRATOR_COLUMNS):
        out[row["code"]] = PerpetratorType(
            code=row["code"],
            label_en=row["label_en"],
            label_ko=row["label_ko"],
            label_zh=row["label_zh"],
            actor_category=row["actor_category"],
            countries=_split(row["country"], "|"),
            notes=row["notes"],
        )
    return MappingProxyType(out)


@cache
def violation_types() -> Mapping[str, ViolationType]:
    instruments = legal_instruments()
    out = {}
    for row in _rows("violation_types.csv", _VIOLATION_COLUMNS):
        out[row["code"]] = ViolationType(
            code=row["code"],
            parent=row["parent"] or None,
            label_en=row["label_en"],
            label_ko=row["label_ko"],
            label_zh=row["label_zh"],
            definition=row["definition"],
            instruments=_references(row["instruments_articles"], instruments),
            rome_statute_art7_coi=row["rome_statute_art7_coi"] or None,
            huridocs_concept_names=_split(row["huridocs_concept_names"], ";"),
            typical_perpetrators=_split(row["typical_perpetrators"], "|"),
            phases=_phases(row["phase"]),
            instruments_articles=row["instruments_articles"],
            phase=row["phase"],
        )
    return MappingProxyType(out)


_CHOICES = re.compile(r"[A-Za-z0-9_+\-]+(?:\|[A-Za-z0-9_+\-]+)+")
_MULTI = ", multi-valued"


@cache
def victim_attributes() -> Mapping[str, VictimAttribute]:
    out = {}
    for row in _rows("victim_attributes.csv", _ATTRIBUTE_COLUMNS):
        allowed = row["allowed_values"]
        multi = allowed.endswith(_MULTI)
        values = allowed.removesuffix(_MULTI).strip()
        try:
            sensitivity = Sensitivity(row["sensitivity"])
        except ValueError:
            raise ConfigError(
                "shipped vocabulary victim_attributes.csv has an unknown sensitivity: reinstall"
            ) from None
        out[row["attribute"]] = VictimAttribute(
            attribute=row["attribute"],
            allowed_values=allowed,
            choices=_split(values, "|") if _CHOICES.fullmatch(values) else None,
            multi_valued=multi,
            sensitivity=sensitivity,
            notes=row["notes"],
        )
    return MappingProxyType(out)


def _require(table: Mapping[str, T], code: str, what_en: str, what_ko: str) -> T:
    found = table.get(code)
    if found is None:
        raise ValueNotUnderstood(
            f"unknown {what_en} code. Use one of: "
            + ", ".join(table)
            + f" / 알 수 없는 {what_ko} 코드입니다. 위 코드 중 하나를 쓰십시오"
        )
    return found


def require_violation_type(code: str) -> ViolationType:
    """The violation type with ``code``, or ValueNotUnderstood listing the valid codes."""
    return _require(violation_types(), code, "violation", "위반 유형")


def require_perpetrator_type(code: str) -> PerpetratorType:
    """The perpetrator type with ``code``, or ValueNotUnderstood listing the valid codes."""
    return _require(perpetrator_types(), code, "perpetrator type", "가해자 유형")
