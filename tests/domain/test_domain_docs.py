"""docs/data-model.md documents every entity kind and every field the codecs write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from unseen.domain import model

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"

SAMPLES: list[model.AnyEntity] = [
    model.Source(source_type=model.SourceType.TESTIMONY, identity=model.SourceIdentity()),
    model.Person(identity=model.PersonIdentity()),
    model.Event(identity=model.EventIdentity()),
    model.Act(event_id="e", victim_id="v", violation="TIP"),
    model.Involvement(act_id="a", perpetrator_type="BROKER-CN"),
    model.Perpetrator(perpetrator_type="CN-PSB", identity=model.PerpetratorIdentity()),
    model.Relationship(
        person_id="p", other_id="q", relationship_type=model.RelationshipType.FAMILY
    ),
    model.Consent(person_id="p", scopes=frozenset(), given=date(2020, 1, 1)),
    model.EvidenceFile(sha256="0" * 64, size=0, media_type="text/plain", address="a"),
]


@pytest.mark.parametrize("entity", SAMPLES, ids=lambda e: e.KIND)
def test_every_field_documented(entity: model.AnyEntity) -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert f"(`{entity.KIND}`)" in doc
    attributes, identity = entity.to_record()
    for key in [*attributes, *(identity or {})]:
        assert f"`{key}`" in doc, key


def test_every_kind_sampled() -> None:
    assert {e.KIND for e in SAMPLES} == set(model.ENTITY_TYPES)
