"""The names and places commands, through typer's runner on a fresh app."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from unseen.cli.names import register

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_key_prints_one_key_for_every_spelling() -> None:
    result = runner.invoke(
        _app(), ["names", "key", "--json", "리순자", "Lee Soon-ja", "Ri Sun Ja", "李顺子"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["key"] for r in rows] == ["i_sonca"] * 4
    assert rows[3]["mandarin"] == "Li Shunzi"
    assert "n:i_sonca" in rows[1]["tokens"]


def test_key_table() -> None:
    result = runner.invoke(_app(), ["names", "key", "SUN-HUI KIM"])
    assert result.exit_code == 0
    assert "kim_sonhi" in result.output and "김순희" in result.output


def test_compare() -> None:
    result = runner.invoke(_app(), ["names", "compare", "리순자", "Lee Soon-ja"])
    assert result.exit_code == 0
    assert result.output.startswith("1.000")
    assert "같은 이름" in result.output and "romanisation" in result.output
    result = runner.invoke(_app(), ["names", "compare", "--json", "김순희", "김선희"])
    payload = json.loads(result.output)
    assert payload["same"] is False and payload["score"] < 0.9
    assert payload["reason_ko"] == "성은 같고 이름이 다름"


def test_compare_without_letters_is_an_unseen_error() -> None:
    result = runner.invoke(_app(), ["names", "compare", "123", "Kim"])
    assert result.exit_code == 1
    assert "Hangul" in str(result.exception)


def test_places_resolve() -> None:
    result = runner.invoke(_app(), ["places", "resolve", "--json", "연길", "혜산", "Atlantis"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["CN-222401", "KP-10-hyesan-si", None]
    result = runner.invoke(_app(), ["places", "resolve", "Musan", "--country", "KP"])
    assert result.exit_code == 0 and "KP-09-musan-gun" in result.output


def test_help_is_bilingual_with_korean_examples() -> None:
    for args in (
        ["names", "key", "--help"],
        ["names", "compare", "--help"],
        ["places", "resolve", "--help"],
    ):
        result = runner.invoke(_app(), args)
        assert result.exit_code == 0
        assert "Examples / 예" in result.output
        assert any("\uac00" <= ch <= "\ud7a3" for ch in result.output)
