"""Multiple systems estimation: how many people no list recorded.

Pure library: takes capture histories (FORMATS.md s3), returns frozen :class:`Estimate`
values (FORMATS.md s6). Never touches the store.
"""

from unseen.estimation.existence import check_identification, mle_exists
from unseen.estimation.heterogeneity import closed_model, closedp
from unseen.estimation.histories import (
    CaptureHistories,
    collapse,
    pattern_index,
    read_capture_histories,
)
from unseen.estimation.loglinear import loglinear, select_loglinear
from unseen.estimation.models import hierarchical_models, model_from_name, model_name
from unseen.estimation.result import (
    NOT_ESTIMABLE,
    OK,
    Estimate,
    estimates_json_dict,
    write_estimates_json,
)
from unseen.estimation.stepwise import stepwise
from unseen.estimation.twolist import chapman, lincoln_petersen

__all__ = [
    "NOT_ESTIMABLE",
    "OK",
    "CaptureHistories",
    "Estimate",
    "chapman",
    "check_identification",
    "closed_model",
    "closedp",
    "collapse",
    "estimates_json_dict",
    "hierarchical_models",
    "lincoln_petersen",
    "loglinear",
    "mle_exists",
    "model_from_name",
    "model_name",
    "pattern_index",
    "read_capture_histories",
    "select_loglinear",
    "stepwise",
    "write_estimates_json",
]
