"""Validate and convert the rows of a person list, one pass, with per-read caches.

Nothing here echoes a cell of an identity column: problems name the row and the column only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from types import MappingProxyType

from unseen.domain.dates import ACCEPTED_FORMS_EN, ACCEPTED_FORMS_KO, FuzzyDate
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import Problem

from . import _uwazi
from ._cells import SEX_VALUES, DateReader, VocabReader, reformat_day
from ._columns import DATE_COLUMNS, NAME_COLUMNS, VOCAB_COLUMNS
from ._header import CONTROL, ColumnPlan
from ._mapping import ColumnMapping
from ._model import EMPTY_EXTRA, DateFormUse, PersonRow, ReadLimits
from ._problems import CONTROL_FIX, LONG_FIX, SEX_FIX, TOO_MANY_FIX, WIDE_FIX, Pair, echo, fixed
from ._problems import problem as make_problem
from ._problems import with_commas as n_
from ._table import RawRow

MAX_FORM_USES = 100  # free-text dates reported back for checking, most frequent first
_LABELS = ("label_en", "label_ko", "label_zh")
_VOCAB_NAMES: dict[str, Pair] = {
    "violation": ("violation", "침해 유형"),
    "perpetrator_type": ("perpetrator", "가해자 유형"),
}


class RowBuilder:
    """One read of one file: holds the caches and the running record-id index."""

    def __init__(
        self,
        file: str,
        plan: ColumnPlan,
        mapping: ColumnMapping,
        default_list: str | None,
        limits: ReadLimits,
        uwazi: bool,
        problems: list[Problem],
    ) -> None:
        self.file = file
        self.plan = plan
        self.mapping = mapping
        self.default_list = default_list
        self.limits = limits
        self.uwazi = uwazi
        self.problems = problems
        self.count = 0
        self.dates = DateReader()
        self._vocabs: dict[str, VocabReader] = {}
        self.form_counts: dict[str, int] = {}
        self.text_counts: dict[str, int] = {}
        self.reformat: Callable[[str], str] = partial(reformat_day, layout=mapping.date_format)
        self.translated = {c for c in plan.ours if c in mapping.values}
        self.cell_labels = {i: plan.label(c) for i, c in plan.slots} | dict(plan.extras)
        self.name_columns = [c for c in NAME_COLUMNS if c in plan.ours]

    def _add(self, row: int | None, column: str | None, reason: Pair, fix: Pair = ("", "")) -> None:
        self.problems.append(make_problem(self.file, row, self.plan.label(column), reason, fix))

    def _fixed(self, row: int, column: str | None, key: str) -> None:
        self.problems.append(fixed(self.file, row, self.plan.label(column), key))

    def vocab(self, column: str) -> VocabReader:
        reader = self._vocabs.get(column)
        if reader is None:
            table = violation_types() if column == "violation" else perpetrator_types()
            reader = self._vocabs[column] = VocabReader(table, _LABELS)
        return reader

    def form_uses(self) -> tuple[DateFormUse, ...]:
        """The free-text dates understood, most frequent first (EDTF needs no explaining)."""
        uses = []
        for text, count in sorted(self.text_counts.items(), key=lambda kv: -kv[1]):
            got = self.dates.read(text)
            uses.append(DateFormUse(got.form, count, got.understood_as, got.understood_as_ko, text))
            if len(uses) == MAX_FORM_USES:
                break
        return tuple(uses)

    # -- the pass ------------------------------------------------------------------------------
    def run(self, rows: Iterator[RawRow]) -> list[PersonRow]:
        out: list[PersonRow] = []
        seen_ids: dict[str, int] = {}
        mothers: list[tuple[int, str, str]] = []
        reported_unnamed: set[int] = set()
        for number, raw in rows:
            joined = "\t".join(raw)
            if not joined.strip():
                continue  # blank rows are common at the end of spreadsheets
            self.count += 1
            if self.count > self.limits.max_rows:
                most = n_(self.limits.max_rows)
                reason = (f"more than {most} records", f"레코드가 {most}개를 넘습니다")
                self._add(number, None, reason, TOO_MANY_FIX)
                break
            cells = raw
            if "\r" in joined:
                cells = [c.replace("\r\n", "\n").replace("\r", "\n") for c in raw]
            self._structure(number, cells, joined, reported_unnamed)
            row = self._row(number, cells, seen_ids, mothers)
            if row is not None:
                out.append(row)
        for number, record_id, mother in mothers:
            if mother == record_id:
                self._fixed(number, "mother_record_id", "mother_self")
            elif mother not in seen_ids:
                self._fixed(number, "mother_record_id", "mother_missing")
        return out

    def _structure(
        self, number: int, cells: list[str], joined: str, reported_unnamed: set[int]
    ) -> None:
        if CONTROL.search(joined):
            for index, cell in enumerate(cells):
                found = CONTROL.search(cell)
                if found is not None:
                    code = f"U+{ord(found.group()):04X}"
                    self.problems.append(
                        make_problem(
                            self.file,
                            number,
                            self.cell_labels.get(index, f"#{index + 1}"),
                            (
                                f"contains a control character ({code})",
                                f"제어 문자({code})가 있습니다",
                            ),
                            CONTROL_FIX,
                        )
                    )
        width = self.plan.width
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            self._add(
                number,
                None,
                (
                    f"the row has more cells than the header's {width} columns",
                    f"행의 셀이 머리글의 열 {width}개보다 많습니다",
                ),
                WIDE_FIX,
            )
        for index in self.plan.unnamed:
            if index not in reported_unnamed and index < len(cells) and cells[index].strip():
                reported_unnamed.add(index)  # once per column is enough to find it
                self._fixed(number, f"#{index + 1}", "unnamed_value")

    def _value(self, number: int, column: str, text: str) -> str:
        """One non-empty cell of ours, translated and checked ('' when it was rejected)."""
        if column in self.translated:
            text = self.mapping.translate_value(column, text)
        if self.uwazi and text:
            got = _uwazi.transform(column, text, self.reformat)
            if got.trouble:
                self._fixed(number, column, got.trouble)
                return ""
            text = got.text
        limit = self.limits.max_notes_chars if column == "notes" else self.limits.max_chars
        if len(text) > limit:
            self._add(
                number,
                column,
                (
                    f"longer than the limit of {n_(limit)} characters ({n_(len(text))})",
                    f"{n_(limit)}자 제한을 넘습니다({n_(len(text))}자)",
                ),
                LONG_FIX,
            )
            return ""
        return text

    def _row(
        self,
        number: int,
        cells: list[str],
        seen_ids: dict[str, int],
        mothers: list[tuple[int, str, str]],
    ) -> PersonRow | None:
        n = len(cells)
        values: dict[str, str] = {}
        rejected: set[str] = set()  # present but refused: not reported again as empty
        for index, column in self.plan.slots:
            if index < n:
                text = cells[index].strip()
                if text:
                    if text := self._value(number, column, text):
                        values[column] = text
                    else:
                        rejected.add(column)
        extra = self._extra(number, cells)
        record_id = self._record_id(
            number, values.get("record_id"), seen_ids, report_empty="record_id" not in rejected
        )
        list_name = values.get("list") or self.default_list
        if list_name is None and "list" in self.plan.ours and "list" not in rejected:
            self._fixed(number, "list", "empty_list")
        if self.name_columns and not any(c in values or c in rejected for c in self.name_columns):
            self._fixed(number, None, "no_name")
        sex = self._sex(number, values.get("sex"))
        dates = self._dates(number, values)
        codes = self._codes(number, values)
        mother = values.get("mother_record_id")
        if mother is not None and record_id is not None:
            mothers.append((number, record_id, mother))
        if self.problems or record_id is None or list_name is None:
            return None  # nothing will be returned: skip building the value
        aliases_text = values.get("aliases")
        return PersonRow(
            record_id=record_id,
            list=list_name,
            family_name=values.get("family_name"),
            given_name=values.get("given_name"),
            full_name=values.get("full_name"),
            name_hangul=values.get("name_hangul"),
            name_hanzi=values.get("name_hanzi"),
            aliases=tuple(a for a in (p.strip() for p in aliases_text.split(";")) if a)
            if aliases_text
            else (),
            sex=sex,
            birth_date=dates.get("birth_date"),
            origin_place=values.get("origin_place"),
            china_place=values.get("china_place"),
            first_exit_date=dates.get("first_exit_date"),
            event_date=dates.get("event_date"),
            event_place=values.get("event_place"),
            violation=codes.get("violation"),
            perpetrator_type=codes.get("perpetrator_type"),
            mother_record_id=mother,
            notes=values.get("notes"),
            extra=MappingProxyType(extra) if extra else EMPTY_EXTRA,
            row=number,
        )

    def _extra(self, number: int, cells: list[str]) -> dict[str, str]:
        extra: dict[str, str] = {}
        most = self.limits.max_chars
        for index, key in self.plan.extras:
            text = cells[index].strip() if index < len(cells) else ""
            if len(text) > most:
                self._add(
                    number,
                    key,
                    (
                        f"longer than the limit of {n_(most)} characters",
                        f"{n_(most)}자 제한을 넘습니다",
                    ),
                    LONG_FIX,
                )
            elif text:
                extra[key] = text
        return extra

    def _record_id(
        self, number: int, record_id: str | None, seen_ids: dict[str, int], *, report_empty: bool
    ) -> str | None:
        if record_id is None:
            if "record_id" in self.plan.ours and report_empty:
                self._fixed(number, "record_id", "empty_record_id")
            return None
        first = seen_ids.get(record_id)
        if first is not None:
            self._add(
                number,
                "record_id",
                (
                    f"duplicate record_id (already on row {first})",
                    f"중복된 record_id ({first}행에 이미 있음)",
                ),
                ("give each record its own record_id", "레코드마다 다른 record_id를 쓰세요"),
            )
            return None
        seen_ids[record_id] = number
        return record_id

    def _sex(self, number: int, text: str | None) -> str | None:
        if text is None or text in ("F", "M", "X"):
            return text
        folded = text.casefold()
        if folded in SEX_VALUES:
            return SEX_VALUES[folded]
        shown = echo(text)
        reason = (
            f"sex must be F, M, X or empty, not {shown}",
            f"성별은 F, M, X 또는 빈칸이어야 합니다({shown}은(는) 안 됨)",
        )
        self._add(number, "sex", reason, SEX_FIX)
        return None

    def _dates(self, number: int, values: dict[str, str]) -> dict[str, FuzzyDate]:
        dates: dict[str, FuzzyDate] = {}
        for column in DATE_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            if not self.uwazi:  # Uwazi values were reformatted part by part already
                text = self.reformat(text)
            got = self.dates.read(text)
            if got.value is None:
                self.problems.append(
                    Problem(
                        self.file,
                        number,
                        self.plan.label(column),
                        "date not understood / 날짜를 이해할 수 없습니다",
                        got.error or f"{ACCEPTED_FORMS_EN} / {ACCEPTED_FORMS_KO}",
                    )
                )
                continue
            dates[column] = got.value
            self.form_counts[got.form] = self.form_counts.get(got.form, 0) + 1
            if got.form != "edtf":
                self.text_counts[text] = self.text_counts.get(text, 0) + 1
        return dates

    def _codes(self, number: int, values: dict[str, str]) -> dict[str, str]:
        codes: dict[str, str] = {}
        for column in VOCAB_COLUMNS:
            text = values.get(column)
            if text is None:
                continue
            reader = self.vocab(column)
            code = reader.code(text)
            if code is not None:
                codes[column] = code
                continue
            near = ", ".join(reader.closest(text))
            en, ko = _VOCAB_NAMES[column]
            shown = echo(text)
            reason = (f"{shown} is not a {en} code", f"{shown}은(는) {ko} 코드가 아닙니다")
            if near:
                fix = (f"closest codes: {near}", f"가장 가까운 코드: {near}")
            else:
                fix = (
                    f"see the {en} codes in docs/formats.md",
                    f"docs/formats.md의 {ko} 코드를 보세요",
                )
            self._add(number, column, reason, fix)
        return codes
