"""LinkageSpec: config files, round trips, and exact errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from unseen.errors import ConfigError
from unseen.linkage import Comparison, LinkageSpec, Rule, default_spec
from unseen.linkage.model import splink_settings


def test_default_spec_round_trips_through_json() -> None:
    spec = default_spec()
    data = json.loads(spec.to_json())
    assert LinkageSpec.from_dict(data) == spec
    assert data["comparisons"][0]["type"] == "name"


def test_clustering_settings() -> None:
    spec = default_spec()
    assert (spec.clustering, spec.cluster_threshold, spec.merge_threshold) == ("average", 0.3, 0.3)
    assert spec.scoring_floor == pytest.approx(
        0.1
    )  # a third of the bar: pairs under it move no mean
    stricter = spec.with_threshold(0.8)  # --threshold: decision and merge bar alike
    assert (stricter.threshold, stricter.merge_threshold) == (0.8, 0.8)
    # A config without them keeps chained components at its threshold, and serialises (and
    # so hashes, in a PPRL schema) without them, as before they existed.
    febrl = LinkageSpec.from_config(Path(__file__).with_name("febrl.yaml"))
    assert (febrl.clustering, febrl.merge_threshold) == ("components", febrl.threshold)
    assert "clustering" not in febrl.to_dict() and "cluster_threshold" not in febrl.to_dict()
    assert LinkageSpec.from_dict(febrl.to_dict()) == febrl
    data = {**febrl.to_dict(), "clustering": "average", "cluster_threshold": 0.4}
    average = LinkageSpec.from_dict(data)
    assert (average.merge_threshold, average.scoring_floor) == (0.4, 0.4 / 3)
    assert average.to_dict()["cluster_threshold"] == 0.4


def test_febrl_config_reads_and_builds_splink_settings() -> None:
    spec = LinkageSpec.from_config(Path(__file__).with_name("febrl.yaml"))
    assert spec.record_id == "rec_id"
    assert spec.comparison("dob").metric == "levenshtein"
    assert spec.comparison("dob").thresholds == (1.0, 2.0)
    assert spec.blocking[4] == Rule(on=("postcode", "street_number"))
    settings = splink_settings(spec).get_settings("duckdb").as_dict()
    assert [c["output_column_name"] for c in settings["comparisons"]] == [
        c.name for c in spec.comparisons
    ]
    rule = settings["blocking_rules_to_generate_predictions"][4]["blocking_rule"]
    assert "postcode__value" in rule and "street_number__value" in rule


def test_json_config(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(
        json.dumps(
            {
                "comparisons": [{"name": "n", "type": "string", "column": "x"}],
                "blocking": ["n"],
                "threshold": 0.8,
            }
        )
    )
    spec = LinkageSpec.from_config(path)
    assert spec.threshold == 0.8
    assert spec.comparison("n").effective_thresholds == (0.92, 0.8)
    assert spec.training == (Rule(on=("n.value",)),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("comparisons: []\nblocking: [x]\n", "at least one comparison"),
        ("blocking: [x]\n", "'comparisons' is required"),
        ("comparisons: [{name: a, type: exact, column: c}]\nblockin: [a]\n", "unknown setting"),
        ("comparisons: [{name: a, type: fuzzy, column: c}]\nblocking: [a]\n", "type must be"),
        ("comparisons: [{name: A, type: exact, column: c}]\nblocking: [A]\n", "lower-case"),
        ("comparisons: [{name: a, type: exact, column: c}]\nblocking: [b]\n", "names no comp"),
        ("comparisons: [{name: a, type: exact, column: c}]\nblocking: [a.zz]\n", "offers value"),
        (
            "comparisons: [{name: a, type: string, column: c, thresholds: [0.8, 0.9]}]\n"
            "blocking: [a]\n",
            "strictest to loosest",
        ),
        (
            "comparisons: [{name: a, type: name, columns: [c]}]\nblocking: [a.keys]\n"
            "training: [a.keys]\n",
            "is a list",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c}]\nblocking: [a]\nthreshold: 2\n",
            "threshold must be",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c}]\nblocking: [a]\nseed: yes\n",
            "whole number",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c}]\nblocking: [a]\nclustering: single\n",
            "clustering must be one of components, average, not 'single'",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c}]\nblocking: [a]\n"
            "cluster_threshold: 1.5\n",
            "cluster_threshold must be between 0 and 1",
        ),
        (
            "comparisons: [{name: a, type: exact, columns: [c, d]}]\nblocking: [a]\n",
            "exactly one column",
        ),
        (
            "comparisons: [{name: a, type: name, columns: [c], swapped_with: b},\n"
            "  {name: b, type: exact, column: d}]\nblocking: [b]\n",
            "only 'exact' and 'string' comparisons take 'swapped_with'",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c, swapped_with: z}]\nblocking: [a]\n",
            "swapped_with must name another exact or string comparison",
        ),
        (
            "comparisons: [{name: a, type: exact, column: c, swapped_with: a}]\nblocking: [a]\n",
            "swapped_with names itself",
        ),
        ("comparisons: [: : :\n", "not valid YAML"),
    ],
)
def test_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        LinkageSpec.from_config(path)
    assert "bad.yaml" in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        LinkageSpec.from_config(tmp_path / "none.yaml")


def test_restricted_drops_rules_of_dropped_comparisons() -> None:
    spec = default_spec().restricted_to({"name", "sex"})
    assert [c.name for c in spec.comparisons] == ["name", "sex"]
    assert all(not r.on[0].startswith("birth") for r in spec.blocking)
    assert spec.training == (Rule(on=("name.key",)),)
    assert spec.prior == ()


def test_restricted_drops_sql_rules_and_swaps_of_dropped_comparisons() -> None:
    spec = LinkageSpec.from_config(Path(__file__).with_name("febrl.yaml"))
    assert spec.comparison("given_name").swapped_with == "surname"
    kept = spec.restricted_to({"given_name", "dob"})
    assert kept.comparison("given_name").swapped_with is None
    assert all(r.sql is None for r in kept.blocking)
    both = spec.restricted_to({"given_name", "surname"})
    assert any(r.sql and "surname__value" in r.sql for r in both.blocking)


def test_comparison_is_frozen() -> None:
    c = Comparison(name="a", type="exact", columns=("x",))
    with pytest.raises(AttributeError):
        c.name = "b"  # type: ignore[misc]


def test_tighten_alternatives_read_and_round_trip() -> None:
    text = (
        "comparisons: [{name: a, type: exact, column: c}, {name: b, type: exact, column: d}]\n"
        "blocking: [a]\n"
        "tighten: [b, [a, b]]\n"
    )
    data = yaml.safe_load(text)
    spec = LinkageSpec.from_dict(data)
    assert spec.tighten == (("b",), ("a", "b"))
    assert LinkageSpec.from_dict(json.loads(spec.to_json())) == spec
    with pytest.raises(ConfigError, match="given twice"):
        LinkageSpec.from_dict({**data, "tighten": ["b", ["b"]]})
    with pytest.raises(ConfigError, match="names no comparison"):
        LinkageSpec.from_dict({**data, "tighten": [["a", "zz"]]})


def test_a_blocking_rule_may_ask_for_a_missing_feature() -> None:
    base = {
        "comparisons": [
            {"name": "a", "type": "exact", "column": "c"},
            {"name": "b", "type": "exact", "column": "d"},
        ],
        "blocking": [{"on": ["a"], "missing": ["b"]}],
    }
    spec = LinkageSpec.from_dict(base)
    assert spec.blocking == (Rule(on=("a",), missing=("b",)),)
    assert LinkageSpec.from_dict(json.loads(spec.to_json())) == spec
    with pytest.raises(ConfigError, match="'missing' is for blocking rules"):
        LinkageSpec.from_dict({**base, "training": [{"on": ["a"], "missing": ["b"]}]})
    with pytest.raises(ConfigError, match="names no comparison"):
        LinkageSpec.from_dict({**base, "blocking": [{"on": ["a"], "missing": ["zz"]}]})
