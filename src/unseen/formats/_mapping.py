"""Column-mapping files: how an organisation's own spreadsheet maps onto a person list.

```yaml
columns: {성: family_name, 이름: given_name, 성별: sex, 생년월일: birth_date}
keep: [면담자]             # their extra columns, kept as attributes of each record
list: NGO-A               # the list every row belongs to, unless a row says otherwise
sheet: 명단                # XLSX only: which sheet to read (default: the first)
values: {sex: {여: F, 남: M}}
```
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from unseen.errors import ConfigError

from ._columns import OUR_COLUMN_KEYS, PERSON_LIST_COLUMNS, column_key
from ._problems import both

FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "uwazi")
# Day-first/month-first layouts a spreadsheet may use; they are rewritten to ISO before parsing.
DATE_FORMATS: tuple[str, ...] = (
    "YYYY-MM-DD",
    "YYYY/MM/DD",
    "YYYY.MM.DD",
    "DD/MM/YYYY",
    "DD.MM.YYYY",
    "DD-MM-YYYY",
    "MM/DD/YYYY",
    "MM-DD-YYYY",
)
_KEYS = (
    "columns",
    "keep",
    "ignore",
    "list",
    "sheet",
    "values",
    "format",
    "language",
    "date_format",
)


def _bad(source: str, key: str, en: str, ko: str) -> ConfigError:
    return ConfigError(f"{source}: '{key}': {both(en, ko)}")


@dataclass(frozen=True)
class ColumnMapping:
    """How their columns and values become ours. Build with :meth:`from_file` or directly."""

    columns: Mapping[str, str] = field(default_factory=dict)
    keep: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    list_name: str | None = None
    sheet: str | None = None
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    format: str | None = None
    language: str | None = None
    date_format: str | None = None
    source: str = field(default="column mapping", compare=False)
    _targets: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _keep_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _ignore_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _value_maps: Mapping[str, Mapping[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        src = self.source
        targets: dict[str, str] = {}
        seen_ours: dict[str, str] = {}
        for theirs, ours in self.columns.items():
            key = f"columns.{theirs}"
            if not isinstance(theirs, str) or not isinstance(ours, str) or not theirs.strip():
                raise _bad(
                    src,
                    key,
                    "must map a column name to a column name",
                    "열 이름을 열 이름에 연결해야 합니다",
                )
            if ours not in OUR_COLUMN_KEYS:
                raise _bad(
                    src,
                    key,
                    f"'{ours}' is not a person-list column; use one of "
                    + ", ".join(PERSON_LIST_COLUMNS),
                    f"'{ours}'은(는) 명단 열이 아닙니다",
                )
            if ours in seen_ours:
                raise _bad(
                    src,
                    key,
                    f"'{ours}' is already the target of '{seen_ours[ours]}'",
                    f"'{ours}'에는 이미 '{seen_ours[ours]}' 열이 연결되어 있습니다",
                )
            seen_ours[ours] = theirs
            targets[column_key(theirs)] = ours
        keep_keys = set()
        for name in self.keep:
            if not isinstance(name, str) or not name.strip():
                raise _bad(
                    src, "keep", "must be a list of column names", "열 이름 목록이어야 합니다"
                )
            if column_key(name) in targets:
                raise _bad(
                    src,
                    f"keep.{name}",
                    "is also mapped in 'columns'; choose one",
                    "'columns'에도 있습니다. 하나만 고르세요",
                )
            keep_keys.add(column_key(name))
        ignore_keys = set()
        for name in self.ignore:
            if not isinstance(name, str) or not name.strip():
                raise _bad(
                    src, "ignore", "must be a list of column names", "열 이름 목록이어야 합니다"
                )
            if column_key(name) in targets or column_key(name) in keep_keys:
                raise _bad(
                    src,
                    f"ignore.{name}",
                    "is also mapped or kept; choose one",
                    "이미 연결되었거나 보존 목록에 있습니다. 하나만 고르세요",
                )
            ignore_keys.add(column_key(name))
        value_maps: dict[str, Mapping[str, str]] = {}
        for ours, table in self.values.items():
            if ours not in OUR_COLUMN_KEYS:
                raise _bad(
                    src, f"values.{ours}", "is not a person-list column", "명단 열이 아닙니다"
                )
            if not isinstance(table, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()
            ):
                raise _bad(
                    src,
                    f"values.{ours}",
                    "must map their values to ours (text to text)",
                    "기존 값을 새 값(글자)에 연결해야 합니다",
                )
            exact = {k.strip(): v.strip() for k, v in table.items()}
            folded = {k.casefold(): v for k, v in exact.items()}
            value_maps[ours] = MappingProxyType({**folded, **exact})
        for key, text in (
            ("list", self.list_name),
            ("sheet", self.sheet),
            ("language", self.language),
        ):
            if text is not None and (not isinstance(text, str) or not text.strip()):
                raise _bad(src, key, "must be non-empty text", "비어 있지 않은 글자여야 합니다")
        if self.format is not None and self.format not in FORMATS:
            raise _bad(
                src,
                "format",
                "must be one of " + ", ".join(FORMATS),
                "다음 중 하나여야 합니다: " + ", ".join(FORMATS),
            )
        if self.date_format is not None and self.date_format not in DATE_FORMATS:
            raise _bad(
                src,
                "date_format",
                "must be one of " + ", ".join(DATE_FORMATS),
                "다음 중 하나여야 합니다: " + ", ".join(DATE_FORMATS),
            )
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))
        object.__setattr__(self, "keep", tuple(self.keep))
        object.__setattr__(self, "ignore", tuple(self.ignore))
        object.__setattr__(
            self,
            "values",
            MappingProxyType({k: MappingProxyType(dict(v)) for k, v in self.values.items()}),
        )
        object.__setattr__(self, "_targets", MappingProxyType(targets))
        object.__setattr__(self, "_keep_keys", frozenset(keep_keys))
        object.__setattr__(self, "_ignore_keys", frozenset(ignore_keys))
        object.__setattr__(self, "_value_maps", MappingProxyType(value_maps))

    # -- lookups used by the readers -------------------------------------------------------
    def target(self, header: str) -> str | None:
        """Our column for their header, if the mapping names it."""
        return self._targets.get(column_key(header))

    def keeps(self, header: str) -> bool:
        return column_key(header) in self._keep_keys

    def ignores(self, header: str) -> bool:
        return column_key(header) in self._ignore_keys

    def translate_value(self, column: str, value: str) -> str:
        table = self._value_maps.get(column)
        if not table:
            return value
        found = table.get(value)
        if found is None:
            found = table.get(value.casefold())
        return value if found is None else found

    def with_defaults(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping, falling back on ``other`` (a built-in default) where it says nothing."""
        columns = dict(other.columns)
        ours_here = set(self.columns.values())
        mine = {column_key(k) for k in self.columns}
        mine |= {column_key(k) for k in (*self.keep, *self.ignore)}
        columns = {
            k: v for k, v in columns.items() if v not in ours_here and column_key(k) not in mine
        }
        columns.update(self.columns)
        return ColumnMapping(
            columns=columns,
            keep=self.keep + tuple(k for k in other.keep if column_key(k) not in mine),
            ignore=self.ignore
            + tuple(
                k
                for k in other.ignore
                if column_key(k) not in mine and column_key(k) not in self._targets
            ),
            list_name=self.list_name or other.list_name,
            sheet=self.sheet or other.sheet,
            values={**other.values, **self.values},
            format=self.format or other.format,
            language=self.language or other.language,
            date_format=self.date_format or other.date_format,
            source=self.source,
        )

    # -- construction from files -----------------------------------------------------------
    @classmethod
    def from_file(cls, path: str | Path) -> ColumnMapping:
        """Read a YAML or JSON mapping file; any problem -> :class:`ConfigError` naming the key."""
        path = Path(path)
        name = path.name
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(
                f"{name}: {both('mapping file not found', '매핑 파일을 찾을 수 없습니다')}"
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(
                f"{name}: "
                + both("mapping file is not UTF-8 text", "매핑 파일이 UTF-8 글자 파일이 아닙니다")
            ) from None
        except OSError as exc:
            raise ConfigError(
                f"{name}: {both('mapping file cannot be read', '매핑 파일을 읽을 수 없습니다')}"
                f" ({exc.strerror})"
            ) from None
        data: Any
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(text)
            except (json.JSONDecodeError, RecursionError) as exc:
                where = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "?"
                raise ConfigError(
                    f"{name}: {both(f'invalid JSON at {where}', f'JSON 오류 ({where})')}"
                ) from None
        else:
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}" if mark is not None else "?"
                raise ConfigError(
                    f"{name}: {both(f'invalid YAML at {where}', f'YAML 오류 ({where})')}"
                ) from None
            except RecursionError:
                raise ConfigError(f"{name}: {both('invalid YAML', 'YAML 오류')}") from None
        return cls.from_dict(data, source=name)

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "column mapping") -> ColumnMapping:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError(
                f"{source}: "
                + both(
                    "must be a mapping with keys such as columns, keep, list",
                    "columns, keep, list 같은 키를 가진 매핑이어야 합니다",
                )
            )
        for key in data:
            if key not in _KEYS:
                raise _bad(
                    source,
                    str(key),
                    "unknown key; allowed: " + ", ".join(_KEYS),
                    "알 수 없는 키입니다. 허용: " + ", ".join(_KEYS),
                )
        columns = _text_map(data.get("columns"), source, "columns")
        values_raw = data.get("values")
        values: dict[str, Mapping[str, str]] = {}
        if values_raw is not None:
            if not isinstance(values_raw, Mapping):
                raise _bad(
                    source,
                    "values",
                    "must be a mapping: our column -> {their: ours}",
                    "매핑이어야 합니다: 열 -> {기존 값: 새 값}",
                )
            for col, table in values_raw.items():
                values[_scalar(col, source, "values")] = _text_map(table, source, f"values.{col}")
        return cls(
            columns=columns,
            keep=_text_list(data.get("keep"), source, "keep"),
            ignore=_text_list(data.get("ignore"), source, "ignore"),
            list_name=_opt_text(data.get("list"), source, "list"),
            sheet=_opt_text(data.get("sheet"), source, "sheet"),
            values=values,
            format=_opt_text(data.get("format"), source, "format"),
            language=_opt_text(data.get("language"), source, "language"),
            date_format=_opt_text(data.get("date_format"), source, "date_format"),
            source=source,
        )


def _scalar(value: Any, source: str, key: str) -> str:
    # YAML reads `yes`/`no`/`on`/`off` as booleans: a value meant as text must be quoted.
    if isinstance(value, bool) or value is None:
        raise _bad(
            source,
            f"{key}.{value}",
            'write this value as quoted text, e.g. "yes"',
            '이 값은 따옴표로 감싼 글자로 쓰세요 (예: "yes")',
        )
    if isinstance(value, str | int | float):
        return str(value)
    raise _bad(source, key, "must be text", "글자여야 합니다")


def _text_map(raw: Any, source: str, key: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _bad(source, key, "must be a mapping (their: ours)", "매핑(기존: 새)이어야 합니다")
    out: dict[str, str] = {}
    for k, v in raw.items():
        k_text = _scalar(k, source, key)
        out[k_text] = _scalar(v, source, f"{key}.{k_text}")
    return out


def _text_list(raw: Any, source: str, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list):
        raise _bad(source, key, "must be a list of column names", "열 이름 목록이어야 합니다")
    return tuple(_scalar(v, source, key) for v in raw)


def _opt_text(raw: Any, source: str, key: str) -> str | None:
    if raw is None:
        return None
    return _scalar(raw, source, key)
