"""Multiple systems estimation: how many people no list recorded.

Pure library: takes capture histories (FORMATS.md s3), returns frozen :class:`Estimate`
values (FORMATS.md s6). Never touches the store.
"""

from unseen.estimation.histories import (
    CaptureHistories,
    collapse,
    pattern_index,
    read_capture_histories,
)
from unseen.estimation.result import (
    NOT_ESTIMABLE,
    OK,
    Estimate,
    estimates_json_dict,
    write_estimates_json,
)

__all__ = [
    "NOT_ESTIMABLE",
    "OK",
    "CaptureHistories",
    "Estimate",
    "collapse",
    "estimates_json_dict",
    "pattern_index",
    "read_capture_histories",
    "write_estimates_json",
]
