"""The prior's recall follows how often the lists write what the prior rules need."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from conftest import korean_table
from unseen.errors import ConfigError
from unseen.linkage import LinkageSpec, build_features, default_spec
from unseen.linkage.engine import prior_recall_of

PRECISE = "birth__hi - birth__lo < 31"


def _frame(precise: int, vague: int, unknown: int) -> pd.DataFrame:
    rows = [(1000, 1000)] * precise + [(1000, 1365)] * vague + [(None, None)] * unknown
    return pd.DataFrame(rows, columns=["birth__lo", "birth__hi"])


def test_the_recall_is_the_share_squared_times_the_setting() -> None:
    spec = replace(default_spec(), prior_recall=0.7, prior_when=PRECISE)
    # 3 of 10 records have a precise date: a match has both only 9% of the time.
    assert prior_recall_of(_frame(3, 5, 2), spec) == pytest.approx(0.7 * 0.3**2)
    assert prior_recall_of(_frame(10, 0, 0), spec) == pytest.approx(0.7)
    assert prior_recall_of(_frame(0, 8, 2), spec) == 1e-4  # never: still a prior
    assert prior_recall_of(_frame(1, 0, 0), replace(spec, prior_when=None)) == 0.7


def test_the_default_model_measures_it_on_the_lists_it_links() -> None:
    table, _ = korean_table(seed=3, n_people=150)
    spec = default_spec()
    assert spec.prior_when == PRECISE
    frame = build_features(table, spec).frame
    share = float(((frame["birth__hi"] - frame["birth__lo"]) < 31).mean())
    assert 0.1 < share < 0.9
    assert prior_recall_of(frame, spec) == pytest.approx(spec.prior_recall * share**2)


def test_prior_when_is_checked() -> None:
    spec = default_spec()
    with pytest.raises(ConfigError, match="prior_when needs prior rules"):
        LinkageSpec.from_dict({**spec.to_dict(), "prior": []})
    with pytest.raises(ConfigError, match="prior_when: 'height__...' names no comparison"):
        LinkageSpec.from_dict({**spec.to_dict(), "prior_when": "height__value > 150"})
    with pytest.raises(ConfigError, match="not a condition on one record's features"):
        prior_recall_of(_frame(3, 5, 2), replace(spec, prior_when="birth__hi <<< 3"))
    # A config written without it reads as before, and says nothing of it.
    assert "prior_when" not in replace(spec, prior_when=None).to_dict()
    assert LinkageSpec.from_dict(spec.to_dict()).prior_when == PRECISE
    # Without the comparison it needs, the condition goes with the rules.
    assert spec.restricted_to({"name", "sex"}).prior_when is None
