"""`unseen report`: HTML and PDF from a real (small, encrypted) workspace, the consent scope,
the headline it prints, exit codes 0/1/2 and a help that teaches."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unseen.cli import build_app
from unseen.crypto import KdfParams
from unseen.domain.model import ConsentScope
from unseen.services.ingest import ConsentGrant, import_person_list
from unseen.store import Workspace

PW = "report admin passphrase words"
HEADER = ["record_id", "list", "family_name", "given_name", "name_hangul", "sex", "birth_date",
          "origin_place", "china_place", "event_date", "event_place", "violation"]  # fmt: skip


def run(*args: str, passphrase: str = PW):  # type: ignore[no-untyped-def]
    env = {"UNSEEN_PASSPHRASE": passphrase, "UNSEEN_USER": "admin", "COLUMNS": "160"}
    return CliRunner().invoke(build_app(), list(args), env=env)


def _list(path: Path, name: str, n: int, start: int) -> Path:
    """Made-up people: every value synthetic."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        for i in range(start, start + n):
            w.writerow({
                "record_id": f"{name}{i:04d}", "list": name, "family_name": "Kim",
                "given_name": f"Test-{i}", "name_hangul": "김시험", "sex": "F",
                "birth_date": str(1975 + i % 20), "origin_place": "Hyesan" if i % 3 else "Musan",
                "china_place": "Yanji", "event_date": str(2005 + i % 15), "event_place": "Yanji",
                "violation": "FMAR" if i % 2 else "TIP.SALE",
            })  # fmt: skip
    return path


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-cli")
    path = folder / "ws"
    public = ConsentGrant(frozenset({ConsentScope.PUBLIC}), dt.date(2025, 1, 1))
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as w:
        import_person_list(w, _list(folder / "a.csv", "A", 30, 0), consent=public)
        import_person_list(w, _list(folder / "b.csv", "B", 12, 100))
    return path


def test_help_teaches_scopes_exit_codes_and_examples() -> None:
    r = run("report", "--help")
    assert r.exit_code == 0
    for text in ("Which scope when / 어떤 범위를 언제", "public    press, website, anyone",
                 "Exit codes: 0 written", "unseen report WS --out report.pdf --lang en",
                 "fonts-noto-cjk", "--threshold", "--round", "--epsilon"):  # fmt: skip
        assert text in r.output, text


def test_internal_html_in_korean(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    r = run("report", str(ws), "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "documented / 기록됨: 42" in r.stdout
    assert "left out by consent / 동의 범위로 제외: 0" in r.stdout
    assert "estimate / 추정: none / 없음" in r.stdout  # no linkage run yet, and it says why
    assert f"wrote / 씀: {out}" in r.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="ko">' in text
    assert "내부용(기관 내부만)" in text and "핵심 수치" in text
    assert not list(tmp_path.glob(".*.part"))


def test_public_pdf_counts_only_the_consented(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "public.pdf"
    r = run("report", str(ws), "--out", str(out), "--lang", "en", "--scope", "public",
            "--threshold", "3")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "documented / 기록됨: 30" in r.stdout
    assert "left out by consent / 동의 범위로 제외: 12" in r.stdout
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "12 documented people are left out" in text
    assert "public (anyone)" in text and "fewer than 3 people" in text


@pytest.mark.parametrize(
    "extra",
    [
        ["--out", "report.txt"],
        ["--out", "r.html", "--scope", "press"],
        ["--out", "r.html", "--scope", "partner"],
        ["--out", "r.html", "--scope", "public", "--partner", "Shelter North"],
        ["--out", "r.html", "--lang", "fr"],
        ["--out", "no-such-folder/r.html"],
        ["--out", "r.html", "--threshold", "0"],
        ["--out", "r.html", "--round", "1"],
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    ws: Path, tmp_path: Path, extra: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("report", str(ws), *extra)
    assert r.exit_code == 2, r.output
    assert not list(tmp_path.iterdir())


def test_wrong_passphrase_exits_1_and_writes_nothing(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = run("report", str(ws), "--out", str(out), passphrase="not the passphrase")
    assert r.exit_code == 1
    assert "error:" in r.stderr
    assert not out.exists()


def test_no_korean_font_exits_1_before_opening_the_workspace(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    from unseen.cli import report as report_cli
    from unseen.reports import fonts

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    # A machine whose only font is DejaVu: the real lookup, over that font list.
    monkeypatch.setattr(report_cli, "cjk_font", lambda: fonts.find_cjk_font([("DejaVu", dejavu)]))
    out = tmp_path / "r.pdf"
    r = run("report", str(ws), "--out", str(out), passphrase="never asked for")
    assert r.exit_code == 1
    assert "sudo apt install fonts-noto-cjk" in r.stderr and "글꼴" in r.stderr
    assert "passphrase" not in r.stderr.lower()  # it stopped before unlocking
    assert not out.exists()
