"""Every "not estimable" an estimator returns says why in English and in Korean (documenters
read Korean): tables that no method can estimate, run through every estimator."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from msekit import table

from unseen.estimation import (
    NOT_ESTIMABLE,
    CaptureHistories,
    Estimate,
    estimate_auto,
    estimate_chapman,
    estimate_closed_model,
    estimate_dga,
    estimate_lcmcr,
    estimate_lincoln_petersen,
    estimate_loglinear,
    estimate_stepwise,
    select_loglinear,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]{3}")

SHORT = {"burnin": 200, "samples": 50, "thinning": 2, "chains": 2}
Fit = Callable[[CaptureHistories], Estimate]
ESTIMATORS: dict[str, Fit] = {
    "lincoln_petersen": estimate_lincoln_petersen,
    "chapman": estimate_chapman,
    "mt": estimate_loglinear,
    "saturated-ish": lambda h: estimate_loglinear(h, [(0, 1)] if h.n_lists == 2 else "[12,3]"),
    "loglinear_bic": select_loglinear,
    "mh_darroch": lambda h: estimate_closed_model(h, "Mh", "darroch"),
    "mh_chao": lambda h: estimate_closed_model(h, "Mh", "chao"),
    "stepwise": lambda h: estimate_stepwise(h, nboot=20, seed=1),
    "dga": estimate_dga,
    "lcmcr": lambda h: estimate_lcmcr(h, burnin=200, samples=50, thinning=2, chains=2, seed=1),
    "auto": lambda h: estimate_auto(h, nboot=20, seed=1, lcmcr=SHORT),
}


def _h(lists: str, patterns: list[list[int]], counts: list[int]) -> CaptureHistories:
    return CaptureHistories.from_counts(list(lists), patterns, counts)


TABLES: dict[str, CaptureHistories] = {
    "one list": _h("A", [[1]], [40]),
    "two lists apart": _h("AB", [[1, 0], [0, 1]], [50, 50]),
    "three lists apart": _h("ABC", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [30, 20, 10]),
    "all on one list": _h("AB", [[1, 0], [1, 1]], [40, 5]),
    "artificial3": table("artificial3"),
}

# (table, estimator) pairs known to be not estimable: the test fails if one turns estimable
KNOWN = {
    ("one list", "mt"),
    ("one list", "stepwise"),
    ("one list", "lcmcr"),
    ("one list", "dga"),
    ("two lists apart", "chapman"),
    ("two lists apart", "lincoln_petersen"),
    ("two lists apart", "mt"),
    ("two lists apart", "stepwise"),
    ("two lists apart", "mh_darroch"),
    ("three lists apart", "mt"),
    ("three lists apart", "loglinear_bic"),
    ("three lists apart", "stepwise"),
    ("all on one list", "stepwise"),
    ("artificial3", "saturated-ish"),
}


def _run(fit: Fit, h: CaptureHistories) -> Estimate | None:
    try:
        return fit(h)
    except ValueError:  # e.g. a two-list method on three lists: a caller's error, not a result
        return None


@pytest.mark.parametrize("name", sorted(TABLES))
def test_not_estimable_says_why_in_both_languages(name: str) -> None:
    h = TABLES[name]
    seen = set()
    for method, fit in ESTIMATORS.items():
        e = _run(fit, h)
        if e is None or e.status != NOT_ESTIMABLE:
            continue
        seen.add((name, method))
        assert " / " in e.message, (method, e.message)
        assert HANGUL.search(e.message) and LATIN.search(e.message), (method, e.message)
        assert e.estimate is None and e.lower is None and e.upper is None
    assert {k for k in KNOWN if k[0] == name} <= seen
