"""docs/linkage.md: its example configs are valid, and it documents every type and part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from unseen.linkage import COMPARISON_TYPES, LinkageSpec
from unseen.linkage.spec import PARTS

DOC = Path(__file__).parents[2] / "docs" / "linkage.md"
TEXT = DOC.read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.S)


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_configs_are_valid(example: str) -> None:
    spec = LinkageSpec.from_dict(yaml.safe_load(example), source="docs/linkage.md")
    assert spec.comparisons


def test_every_type_and_part_is_documented() -> None:
    assert len(EXAMPLES) == 2
    for ctype, parts in PARTS.items():
        assert f"| `{ctype}` |" in TEXT
        for part in parts:
            assert f"`{part}`" in TEXT, (ctype, part)
    assert set(PARTS) == set(COMPARISON_TYPES)


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    for f in fields(LinkageSpec):
        assert f"`{f.name}`" in TEXT, f.name
