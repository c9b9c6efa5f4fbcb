"""``unseen estimate``: how many people the lists missed (multiple systems estimation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._progress import progress_bars
from unseen.cli._unlock import PassFileOpt, UserOpt, unlock
from unseen.estimation import Estimate
from unseen.estimation.result import stratum_key
from unseen.services.estimating import (
    METHODS,
    EstimateSettings,
    EstimationRun,
    estimate_file,
    estimate_workspace,
)

_METHOD_HELP = ", ".join(METHODS)


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split(",") if s.strip())


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _status(e: Estimate) -> str:
    return "ok / 추정함" if e.ok else "not estimable / 추정 불가"


def _interval(e: Estimate) -> str:
    if not e.ok:
        return "-"
    hi = "unbounded / 상한 없음" if e.upper is None else _num(e.upper)
    return f"{_num(e.lower)} - {hi}"


def _table(run: EstimationRun) -> Table:
    level = run.headline.level
    t = Table(title=f"population estimate / 인구 추정 ({run.source})")
    if run.stratified:
        t.add_column("stratum / 층")
    for head, justify in (
        ("method / 방법", "left"),
        ("observed / 관측", "right"),
        ("estimate / 추정", "right"),
        (f"{level:.0%} interval / {level:.0%} 구간", "right"),
        ("status / 상태", "left"),
    ):
        t.add_column(head, justify=justify)  # type: ignore[arg-type]
    rows: list[tuple[str, Estimate]] = []
    if run.stratified:
        rows = [(stratum_key(e.stratum), e) for e in run.result.strata]
        rows.append(("total / 합계", run.result.total))
    else:
        rows = [("", run.result.total)]
    for key, e in rows:
        cells = [e.method, f"{e.observed:,}", _num(e.estimate), _interval(e), _status(e)]
        t.add_row(*([key] if run.stratified else []), *cells)
    return t


def _notes(run: EstimationRun) -> list[str]:
    lines = list(run.notes)
    items = list(run.result.strata) if run.stratified else []
    items.append(run.result.total)
    for e in items:
        where = f"[{stratum_key(e.stratum)}] " if e.stratum else ""
        auto = e.diagnostics.get("auto")
        if auto:
            lines.append(f"{where}auto chose / 자동 선택: {auto['why']}")
        if e.message:
            lines.append(f"{where}{e.message}")
    combined = run.result.total.diagnostics.get("combined_by")
    if run.stratified and combined:
        lines.append(f"total interval / 합계 구간: {combined}")
    lines.append(f"seed / 시드: {run.settings.seed}")
    return lines


def estimate(
    histories: Annotated[
        Path | None,
        typer.Argument(
            help="Capture histories CSV (FORMATS.md s3), e.g. the capture_histories.csv "
            "that `unseen link` writes (or give --workspace).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--method", "-m", help=f"One of {_METHOD_HELP} (which when: above).", show_default=True
        ),
    ] = "auto",
    strata: Annotated[
        str,
        typer.Option(
            help="Estimate by these stratum columns, comma-separated (others are summed over); "
            "the total adds the strata up. Default: everyone together."
        ),
    ] = "",
    collapse: Annotated[
        str, typer.Option(help="Stratum columns to sum over after --strata, comma-separated.")
    ] = "",
    merge_sparse: Annotated[
        bool,
        typer.Option(
            "--merge-sparse",
            help="Pool the strata that are too sparse (fewer than 50 people, fewer than 10 on "
            "two or more lists, or a list sharing nobody) into one before estimating.",
        ),
    ] = False,
    json_out: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Write estimates.json (FORMATS.md s6) here.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            help="Random seed for the bootstrap and MCMC (default: drawn, printed).", min=0
        ),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(help="Bootstrap replicates for stepwise (0: no interval).", min=0),
    ] = 1000,
    level: Annotated[float, typer.Option(help="Interval level.", min=0.5, max=0.999)] = 0.95,
    max_order: Annotated[
        int, typer.Option(help="Highest interaction for loglinear-bic/-aic.", min=1)
    ] = 2,
    burnin: Annotated[int, typer.Option(help="LCMCR burn-in scans per chain.", min=0)] = 10_000,
    samples: Annotated[int, typer.Option(help="LCMCR draws kept per chain.", min=4)] = 1_000,
    thinning: Annotated[int, typer.Option(help="LCMCR scans per kept draw.", min=1)] = 100,
    chains: Annotated[int, typer.Option(help="LCMCR chains (R-hat needs two or more).", min=1)] = 4,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Estimate from the latest linkage run of this workspace instead of a file.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Estimate how many people no list recorded, with an interval (multiple systems
    estimation). / 어느 명단에도 없는 사람이 몇 명인지 구간과 함께 추정합니다.

    Each person in the input is on one or more lists; how the lists overlap tells how many
    were missed by all of them. The estimate is the total (observed plus missed).

    \b
    Which method when / 어떤 방법을 언제:
      auto          the default: picks per table and says why (rules in docs/estimation.md)
      chapman       exactly two lists
      stepwise      three or more lists that depend on each other in pairs (referrals),
                    sparse tables, lists that never overlap; BCa bootstrap interval
      lcmcr         people differ in how visible they are (heterogeneity); Bayesian
      dga           3-5 lists, averaging over models; Bayesian
      mt            lists independent of each other (rarely true: a baseline)
      loglinear-bic Rcapture's model choice; its interval ignores the choice (too narrow)
      mh-*/mth-*    Rcapture's heterogeneity models (Chao's is a lower bound)

    A table that cannot be estimated is reported as "not estimable" with the reason, never
    as a huge number. Exit codes: 0 estimated; 1 the input is unusable or the estimate (the
    total) is not estimable, with the reason on stderr; 2 the command line is wrong.

    \b
    Examples:
      unseen estimate linked/capture_histories.csv
      unseen estimate histories.csv --strata region --json estimates.json --seed 7
      unseen estimate histories.csv --method stepwise --bootstrap 2000
      unseen estimate --workspace WS --method lcmcr --chains 4
    """
    if (histories is None) == (workspace is None):
        raise typer.BadParameter(
            "give either HISTORIES.csv or --workspace WS, not both / "
            "파일 또는 --workspace 중 하나만 주세요"
        )
    if method not in METHODS:
        raise typer.BadParameter(
            f"--method is one of {', '.join(METHODS)} / --method는 다음 중 하나: "
            f"{', '.join(METHODS)}"
        )
    settings = EstimateSettings(
        method=method,
        strata=_split(strata),
        collapse=_split(collapse),
        merge_sparse=merge_sparse,
        seed=seed,
        nboot=bootstrap,
        level=level,
        max_order=max_order,
        lcmcr={"burnin": burnin, "samples": samples, "thinning": thinning, "chains": chains},
    )
    with progress_bars(_label) as progress:
        if histories is not None:
            run = estimate_file(histories, settings, progress=progress)
        else:
            with unlock(workspace, user, passphrase_file) as ws:  # type: ignore[arg-type]
                run = estimate_workspace(ws, settings, progress=progress)
    console = out()
    console.print(_table(run))
    for line in _notes(run):
        console.print(f"  {line}")
    if json_out is not None:
        console.print(f"wrote / 씀: {run.write_json(json_out)}")
    if not run.headline.ok:
        err().print(
            f"[bold red]not estimable / 추정 불가:[/] {run.headline.message}", highlight=False
        )
        raise typer.Exit(1)


def _label(what: str) -> str:
    if what == "strata":
        return "strata / 층"
    if what.startswith("bootstrap"):
        return what.replace("bootstrap", "bootstrap / 부트스트랩", 1)
    if what.startswith("MCMC"):
        return what.replace("MCMC (LCMCR)", "MCMC (LCMCR) / 표본추출", 1)
    return what


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
