"""docs/disclosure.md names the public API, states the rules with the default threshold, and
has its Korean summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from unseen.reports import disclosure, tables
from unseen.reports.model import DisclosureSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "disclosure.md"


@pytest.mark.parametrize("name", [*disclosure.__all__, "build_tables", "admin1_code",
                                  "PersonFact", "ActFact", "build_report_data", "read_facts",
                                  "clusters_of"])  # fmt: skip
def test_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in DOC.read_text(encoding="utf-8")


def test_the_rules_and_the_korean_summary_are_there() -> None:
    text = DOC.read_text(encoding="utf-8")
    t = DisclosureSettings().threshold
    assert f"1 to {t - 1} people (with the default threshold of {t})" in text
    assert f"1~{t - 1}명(기본 기준 {t}명)" in text
    assert "## 한국어 요약" in text
    assert f"at most {tables.DP_MAX_CONTRIBUTIONS} of them" in text
    assert f"every year from {tables.DP_FIRST_YEAR}" in text
    assert f"spends\n{len(tables.NOISED_TABLES) + 2} x epsilon" in text
    for flag in ("`primary`", "`secondary`", "`rounded`", "`noisy`"):
        assert flag in text
