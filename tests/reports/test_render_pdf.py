"""The PDF report: renders to PNG pages with pdftoppm, each chapter on its own page, the map
drawn in its class colours, the Korean text present as text, nothing fetched from anywhere."""

from __future__ import annotations

import base64
import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from renderkit import sample_report
from weasyprint.urls import FatalURLFetchingError

from unseen.reports import maps, pdf
from unseen.reports.model import ReportData

CHAPTERS_KO = (
    "기록된 사람",
    "지역",
    "시기",
    "기록되지 않은 사람은 얼마나 되는가",
    "법적 근거",
    "방법",
)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportData, Path]:
    data = sample_report("ko")
    path = pdf.write_pdf(data, tmp_path_factory.mktemp("pdf") / "report-ko.pdf")
    return data, path


def _pages(path: Path) -> int:
    info = _run("pdfinfo", str(path))
    return int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))


def _page_text(path: Path, page: int) -> str:
    return _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def test_renders_to_png_pages(report: tuple[ReportData, Path], tmp_path: Path) -> None:
    _, path = report
    n = _pages(path)
    _run("pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page"))
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == n
    for png in pngs:
        with Image.open(png) as im:
            w, h = im.size
            assert abs(w - 248) <= 1 and abs(h - 351) <= 1  # A4 (210 x 297 mm) at 30 dpi


def test_each_chapter_starts_a_page_after_the_headline(report: tuple[ReportData, Path]) -> None:
    _, path = report
    n = _pages(path)
    texts = [_page_text(path, p) for p in range(1, n + 1)]
    first = texts[0]
    assert "기록된 피해와 기록되지 않은 피해" in first and "핵심 수치" in first
    assert "시연용" in first and "2,731" in first and "2,900" in first  # estimate, truth
    starts = []
    for chapter in CHAPTERS_KO:
        # A chapter heading is the first line of the page it starts.
        hits = [i for i, t in enumerate(texts) if t.strip().splitlines()[0].strip() == chapter]
        assert len(hits) == 1, chapter
        starts.append(hits[0])
    assert starts == sorted(starts) and starts[0] == 1
    assert f"{n} / {n}" in texts[-1]  # page numbers in the footer


def test_map_page_shows_the_choropleth(report: tuple[ReportData, Path], tmp_path: Path) -> None:
    data, path = report
    n = _pages(path)
    page = next(p for p in range(1, n + 1) if _page_text(path, p).strip().startswith("지역"))
    _run("pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(path),
         str(tmp_path / "map"))  # fmt: skip
    (png,) = tmp_path.glob("map-*.png")
    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3).astype(int)
    for hex_colour in (maps.CLASS_COLOURS[0], maps.CLASS_COLOURS[-1]):
        rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(pixels - rgb).sum(axis=1) < 15).sum() > 100, hex_colour
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(images) >= len(data.tables) + len(data.maps) + 3


def test_hangul_is_text_in_an_embedded_cjk_font(report: tuple[ReportData, Path]) -> None:
    _, path = report
    text = _run("pdftotext", str(path), "-")
    for phrase in ("핵심 수치", "피해 유형별 사람 수", "인신매매", "동의 범위", "공개 통제"):
        assert phrase in text
    fonts = _run("pdffonts", str(path))
    assert "CJK" in fonts and " yes " in fonts


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="http://example.invalid/pixel.png" alt="">',
        '<link rel="stylesheet" href="https://example.invalid/a.css">',
        '<img src="file:///etc/hostname" alt="">',
    ],
)
def test_fetches_nothing_but_data_uris(tag: str) -> None:
    fetcher = pdf.OfflineFetcher()
    doc = f"<!DOCTYPE html><html lang='en'><head><title>x</title></head><body>{tag}</body></html>"
    with pytest.raises(FatalURLFetchingError):
        pdf.html_to_pdf(doc, fetcher=fetcher)
    assert (
        len(fetcher.refused) == 1
        and "example.invalid" in fetcher.refused[0]
        or (fetcher.refused == ["file:///etc/hostname"])
    )


def test_data_uri_images_print() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "#253494").save(buf, format="PNG")
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    doc = (
        "<!DOCTYPE html><html lang='en'><head><title>x</title></head><body>"
        f"<img src='data:image/png;base64,{png}' alt='dot'></body></html>"
    )
    fetcher = pdf.OfflineFetcher()
    assert pdf.html_to_pdf(doc, fetcher=fetcher).startswith(b"%PDF")
    assert fetcher.refused == []
