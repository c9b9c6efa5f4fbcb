"""Multiple systems estimation: how many people no list recorded.

Pure library: takes capture histories (FORMATS.md s3), returns frozen :class:`Estimate`
values (FORMATS.md s6). Never touches the store.

Every function that returns an estimate is named ``estimate_<method>`` (``select_loglinear``
chooses a model, then estimates), so no public name is also the name of a submodule:
``unseen.estimation.stepwise`` is always the module.
"""

from unseen.estimation.auto import Choice, choose_method, estimate_auto
from unseen.estimation.dga import estimate_dga
from unseen.estimation.diagnostics import (
    capture_history_table,
    diagnose,
    list_overlap,
    n_curve,
)
from unseen.estimation.existence import check_identification, mle_exists
from unseen.estimation.heterogeneity import estimate_closed_model, estimate_closedp
from unseen.estimation.histories import (
    CaptureHistories,
    collapse,
    pattern_index,
    read_capture_histories,
)
from unseen.estimation.lcmcr import estimate_lcmcr
from unseen.estimation.loglinear import estimate_loglinear, select_loglinear
from unseen.estimation.models import hierarchical_models, model_from_name, model_name
from unseen.estimation.result import (
    NOT_ESTIMABLE,
    OK,
    Estimate,
    estimates_json_dict,
    write_estimates_json,
)
from unseen.estimation.stepwise import estimate_stepwise
from unseen.estimation.strata import (
    StratifiedEstimate,
    collapse_strata,
    estimate_strata,
    sparsity,
    total_estimate,
)
from unseen.estimation.twolist import estimate_chapman, estimate_lincoln_petersen

__all__ = [
    "NOT_ESTIMABLE",
    "OK",
    "CaptureHistories",
    "Choice",
    "Estimate",
    "StratifiedEstimate",
    "capture_history_table",
    "check_identification",
    "choose_method",
    "collapse",
    "collapse_strata",
    "diagnose",
    "estimate_auto",
    "estimate_chapman",
    "estimate_closed_model",
    "estimate_closedp",
    "estimate_dga",
    "estimate_lcmcr",
    "estimate_lincoln_petersen",
    "estimate_loglinear",
    "estimate_stepwise",
    "estimate_strata",
    "estimates_json_dict",
    "hierarchical_models",
    "list_overlap",
    "mle_exists",
    "model_from_name",
    "model_name",
    "n_curve",
    "pattern_index",
    "read_capture_histories",
    "select_loglinear",
    "sparsity",
    "total_estimate",
    "write_estimates_json",
]
