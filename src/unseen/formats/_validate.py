"""Turn a decoded table into a person list, collecting every problem before giving up."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from unseen.errors import Problem, ValidationFailed

from ._header import plan_columns
from ._mapping import ColumnMapping
from ._model import PersonList, ReadLimits
from ._problems import fixed
from ._rows import RowBuilder
from ._table import RawTable


def build_person_list(
    table: RawTable,
    path: Path,
    *,
    mapping: ColumnMapping,
    list_name: str | None,
    limits: ReadLimits,
    uwazi: bool,
    problems: list[Problem],
) -> PersonList:
    """Validate every row of ``table``; raise :class:`ValidationFailed` with all problems."""
    file = table.file
    if table.header is None or not any(h.strip() for h in table.header):
        if table.header is not None and any("".join(c).strip() for _, c in table.rows):
            problems.append(fixed(file, 1, None, "empty_header"))
        elif not problems:
            problems.append(fixed(file, None, None, "empty_file"))
        raise ValidationFailed(problems)
    default_list = list_name or mapping.list_name
    plan = plan_columns(
        table.header,
        mapping,
        uwazi=uwazi,
        has_default_list=default_list is not None,
        file=file,
        problems=problems,
    )
    builder = RowBuilder(file, plan, mapping, default_list, limits, uwazi, problems)
    rows = builder.run(table.rows)
    if builder.count == 0 and not any((p.row or 0) > 1 for p in problems):
        problems.append(fixed(file, None, None, "header_only"))
    if problems:
        raise ValidationFailed(sorted(problems, key=lambda p: p.row or 0))
    return PersonList(
        file=path,
        list_names=tuple(dict.fromkeys(r.list for r in rows)),
        rows=tuple(rows),
        date_forms=MappingProxyType(dict(builder.form_counts)),
        date_form_uses=builder.form_uses(),
        format="uwazi" if uwazi else table.format,
    )
