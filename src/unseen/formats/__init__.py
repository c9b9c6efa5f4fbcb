"""Pure readers and writers of the files in FORMATS.md (docs/formats.md).

* :func:`read_person_list` reads a person list from CSV (UTF-8), XLSX, JSON or an Uwazi CSV
  export, applies an optional :class:`ColumnMapping`, and validates every row: all problems come
  back at once as :class:`~unseen.errors.ValidationFailed`; unreadable files raise
  :class:`~unseen.errors.InputError`.
* :func:`write_person_list_csv` writes the canonical CSV in :data:`PERSON_LIST_COLUMNS` order.
"""

from ._columns import PERSON_LIST_COLUMNS
from ._mapping import ColumnMapping
from ._model import DateFormUse, PersonList, PersonRow, ReadLimits
from ._read import read_person_list
from ._write import write_person_list_csv

__all__ = [
    "PERSON_LIST_COLUMNS",
    "ColumnMapping",
    "DateFormUse",
    "PersonList",
    "PersonRow",
    "ReadLimits",
    "read_person_list",
    "write_person_list_csv",
]
