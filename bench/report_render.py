"""How long a report takes to draw and print: the synthetic test report of
``tests/reports/renderkit.py`` (6 tables, 2 maps, timeline, 4 estimates), in both languages.

    .venv/bin/python bench/report_render.py [--repeat 3]

Prints wall and CPU seconds (best of the repeats, after one warm-up that loads fonts and
polygons) for: the figures as SVG, the HTML page, the figures as PNG, WeasyPrint's PDF; and
the file sizes and PDF pages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))

from renderkit import sample_report  # noqa: E402

from unseen.reports import html, pdf  # noqa: E402


def _best(fn, repeat: int):  # type: ignore[no-untyped-def]
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return out, best_wall, best_cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    html.draw_figures(sample_report("en"), "png")  # warm-up: font, polygons, imports
    print(f"warm-up (fonts, polygons): {time.perf_counter() - t0:.2f} s wall")
    print(f"{'lang':<5}{'step':<16}{'wall s':>8}{'cpu s':>8}")
    for lang in ("en", "ko"):
        data = sample_report(lang)
        svg, w, c = _best(lambda: html.draw_figures(data, "svg"), args.repeat)  # noqa: B023
        print(f"{lang:<5}{'figures (svg)':<16}{w:>8.2f}{c:>8.2f}")
        page, w, c = _best(lambda: html.render_html(data, figures=svg), args.repeat)  # noqa: B023
        print(f"{lang:<5}{'html page':<16}{w:>8.2f}{c:>8.2f}   {len(page) / 1e6:.2f} MB")
        png, w, c = _best(lambda: html.draw_figures(data, "png"), args.repeat)  # noqa: B023
        print(f"{lang:<5}{'figures (png)':<16}{w:>8.2f}{c:>8.2f}")
        doc, w, c = _best(lambda: pdf.render_pdf(data, figures=png), args.repeat)  # noqa: B023
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(doc)
            f.flush()
            info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
        pages = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")
        print(f"{lang:<5}{'pdf (weasyprint)':<16}{w:>8.2f}{c:>8.2f}   "
              f"{len(doc) / 1e6:.2f} MB, {pages} pages")  # fmt: skip


if __name__ == "__main__":
    main()
