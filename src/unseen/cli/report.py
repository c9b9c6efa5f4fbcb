"""``unseen report``: the workspace as an HTML or PDF report, safe to publish for its scope."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from unseen.cli._console import out
from unseen.cli._progress import progress_bars
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.reports.fonts import cjk_font
from unseen.reports.model import DisclosureSettings, ReportData
from unseen.reports.wording import count
from unseen.services.reporting import SCOPES, build_report_data

_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}

_STAGES = {
    "read people": "reading people / 사람 읽기",
    "count": "counting / 집계",
    "draw": "charts and maps / 차트·지도",
    "print": "printing the PDF / PDF 만들기",
}


def _label(stage: str) -> str:
    if stage in _STAGES:
        return _STAGES[stage]
    if stage.startswith("bootstrap"):
        return stage.replace("bootstrap", "estimating: bootstrap / 추정: 부트스트랩", 1)
    if stage.startswith("MCMC"):
        return f"estimating: {stage} / 추정"
    return stage


def _check(out_path: Path, lang: str, scope: str, partner: str | None) -> str:
    kind = _FORMATS.get(out_path.suffix.lower())
    if kind is None:
        raise typer.BadParameter(
            f"--out must end in .html or .pdf, not {out_path.name!r} / "
            "--out 파일 이름은 .html 또는 .pdf로 끝나야 합니다",
            param_hint="--out",
        )
    if lang not in ("en", "ko"):
        raise typer.BadParameter("--lang is ko or en / --lang은 ko 또는 en", param_hint="--lang")
    if scope not in SCOPES:
        raise typer.BadParameter(
            f"--scope is one of {', '.join(SCOPES)} / --scope는 다음 중 하나: {', '.join(SCOPES)}",
            param_hint="--scope",
        )
    if (scope == "partner") != (partner is not None):
        raise typer.BadParameter(
            "--partner NAME goes with --scope partner, and only with it / "
            "--partner 이름은 --scope partner와 함께만 씁니다",
            param_hint="--partner",
        )
    if not out_path.parent.is_dir():
        raise typer.BadParameter(
            f"the folder {out_path.parent} does not exist / 폴더 {out_path.parent}이(가) 없습니다",
            param_hint="--out",
        )
    return kind


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a failed render never leaves half a report."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render(data: ReportData, kind: str, progress: Callable[[str, int, int], None]) -> bytes:
    def drawn(done: int, total: int) -> None:
        progress("draw", done, total)

    if kind == "html":
        from unseen.reports.html import render_html

        return render_html(data, progress=drawn).encode("utf-8")
    from unseen.reports.html import draw_figures
    from unseen.reports.pdf import render_pdf  # WeasyPrint loads only for PDF

    figures = draw_figures(data, "png", progress=drawn)
    progress("print", 0, 1)
    pdf = render_pdf(data, figures=figures)
    progress("print", 1, 1)
    return pdf


def _headline(data: ReportData) -> list[str]:
    lines = [f"documented / 기록됨: {count(data.people_in_scope)}"]
    if data.estimates:
        top = data.estimates[0]
        e = top.estimate
        if e.ok:
            hi = "unbounded / 상한 없음" if e.upper is None else count(e.upper)
            lines.append(
                f"estimated in all / 추정 전체: {count(e.estimate)} "
                f"({e.level:.0%} {count(e.lower)} – {hi})"
            )
        else:
            lines.append(f"estimate / 추정: not estimable / 추정 불가 ({e.message})")
        if top.truth is not None:
            lines.append(f"true (simulation) / 실제(모의): {count(top.truth)}")
    else:
        why = data.methods.estimation.get("why")
        lines.append(f"estimate / 추정: none / 없음{f' ({why})' if why else ''}")
    lines.append(f"left out by consent / 동의 범위로 제외: {count(data.left_out_by_consent)}")
    return lines


def report(
    workspace: WorkspaceArg,
    out_path: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="The report file: NAME.html (one self-contained page) or NAME.pdf (A4).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    lang: Annotated[str, typer.Option(help="Language of the report: ko or en.")] = "ko",
    scope: Annotated[
        str,
        typer.Option(
            help="Who the report is for, which decides who is counted: internal (everyone), "
            "partner, un or public (only people whose consent covers that use)."
        ),
    ] = "internal",
    partner: Annotated[
        str | None,
        typer.Option(
            help="With --scope partner: the partner organisation, as the consents name it.",
            show_default=False,
        ),
    ] = None,
    threshold: Annotated[
        int,
        typer.Option(
            help="Publish no cell of fewer than this many people (small-cell rule).", min=1
        ),
    ] = 5,
    round_to: Annotated[
        int | None,
        typer.Option(
            "--round",
            help="Round every published count to a multiple of N (e.g. 5).",
            min=2,
            show_default=False,
        ),
    ] = None,
    epsilon: Annotated[
        float | None,
        typer.Option(
            help="Add differential-privacy noise with this budget per table (for reports "
            "released again and again; smaller is more private and noisier, e.g. 1.0).",
            min=0.001,
            show_default=False,
        ),
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Write a report of the workspace: tables, maps, timeline, estimates of the people no list
    recorded, legal framing and methods, in Korean or English. / 작업공간의 보고서를
    한국어 또는 영어로 만듭니다: 표, 지도, 시기, 기록되지 않은 사람의 추정, 법적 근거, 방법.

    Every number in the report has passed disclosure control: a cell of fewer than
    --threshold people is not published ("<5"), other cells are hidden ("×") so that one
    cannot be worked out from the totals, and --round / --epsilon blur the rest further.
    The scope decides who is counted at all: a partner, UN or public report counts only the
    people whose consent covers that use, and says how many were left out.

    The report needs nothing from the network, and opening it fetches nothing: the HTML is
    one file with its charts inside; the PDF carries its fonts. Charts need a font for
    Korean: on Debian/Ubuntu `sudo apt install fonts-noto-cjk`.

    \b
    Which scope when / 어떤 범위를 언제:
      internal  the organisation's own staff (counts everyone)
      partner   one partner organisation named in the consents (--partner NAME)
      un        UN mechanisms (special rapporteur, COI follow-up)
      public    press, website, anyone

    Exit codes: 0 written; 1 the workspace cannot be used (wrong passphrase, no font, ...),
    with the reason on stderr; 2 the command line is wrong.

    \b
    Examples:
      unseen report WS --out report.html
      unseen report WS --out report.pdf --lang en --scope public
      unseen report WS --out un.pdf --scope un --threshold 10 --round 5
      unseen report WS --out p.html --scope partner --partner "Seoul Partner NGO"
    """
    kind = _check(out_path, lang, scope, partner)
    cjk_font()  # no Korean font: say so now, not after counting the whole workspace
    settings = DisclosureSettings(threshold=threshold, rounding=round_to, epsilon=epsilon)
    started = time.perf_counter()
    with unlock(workspace, user, passphrase_file) as ws:
        with progress_bars(_label) as progress:
            data = build_report_data(
                ws,
                scope=scope,
                lang=lang,  # type: ignore[arg-type]
                today=dt.date.today(),
                disclosure=settings,
                partner=partner,
                progress=progress,
            )
    with progress_bars(_label) as progress:
        rendered = _render(data, kind, progress)
    _write_atomically(out_path, rendered)
    console = out()
    for line in _headline(data):
        console.print(f"  {line}")
    console.print(
        f"wrote / 씀: {out_path} ({kind.upper()}, {len(rendered) / 1e6:.1f} MB, "
        f"{time.perf_counter() - started:.1f} s)"
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
