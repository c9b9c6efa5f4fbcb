"""``unseen link``: deduplicate and link person lists into clusters (one id per person)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._unlock import PassFileOpt, UserOpt, unlock
from unseen.errors import ConfigError
from unseen.linkage import EngineOptions, Evaluation, LinkageSpec, LinkResult, default_spec
from unseen.services.linking import link_files, read_decisions, read_model, write_run
from unseen.services.review import queue_pairs
from unseen.services.workspace_linking import WorkspaceLink, link_workspace

_STAGES = {
    "reading": "reading the lists / 명단을 읽는 중",
    "features": "deriving name, date and place keys / 이름·날짜·장소 키 계산",
    "blocking": "finding candidate pairs / 후보 쌍 찾기",
    "training": "training the model / 모델 학습",
    "scoring": "scoring pairs / 쌍 점수 계산",
    "clustering": "clustering / 묶는 중",
}


def link(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the outputs.", file_okay=False)
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Person lists (CSV, XLSX, JSON, Uwazi CSV) or tables (or give --workspace).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Link the people in this workspace instead of files; the reviewers' "
            "decisions stored there are used.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="With --workspace: queue the uncertain pairs for `unseen review`.",
        ),
    ] = False,
    band: Annotated[
        tuple[float, float] | None,
        typer.Option(
            help="With --review: queue pairs with LOW <= match probability < HIGH "
            "(default: the config's review_band; the default model's is 0.3 0.9).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Linkage config (YAML/JSON, docs/linkage.md); default: the model "
            "for Korean refugee person lists.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    truth: Annotated[
        Path | None,
        typer.Option(
            help="truth.csv (record_id,list,person_id): report precision, recall, F1.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Match probability that joins two records (0-1); with average clustering, the "
            "mean probability that merges two clusters."
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            help="Reviewers' decisions: pairs CSV with a decision column "
            "(match / non-match / unsure).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    strata: Annotated[
        str,
        typer.Option(
            help="Capture-history strata, comma-separated: a column, or "
            "column:year, column:decade, column:province."
        ),
    ] = "",
    list_name: Annotated[
        str | None, typer.Option("--list", help="List name for files without a list column.")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Column mapping for person lists.", exists=True, dir_okay=False),
    ] = None,
    memory_limit: Annotated[str, typer.Option(help="Engine memory limit.")] = "2GB",
    threads: Annotated[int, typer.Option(help="Engine threads.", min=1)] = 2,
    model: Annotated[
        Path | None,
        typer.Option(
            help="model.json of an earlier run with the same config: skip training "
            "and score with that model (the same clusters on another engine).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    spill_dir: Annotated[
        Path | None,
        typer.Option(
            help="Let DuckDB spill to this folder when memory runs out (off by "
            "default: spilled data holds names; use an encrypted disk)."
        ),
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Deduplicate and link person lists, or the people of a workspace, into clusters.

    Writes clusters.csv, pairs.csv, capture_histories.csv and model.json to --out (and
    evaluation.json with --truth). The outputs hold record ids and probabilities, never names;
    pairs.csv says, for each pair, why the model scored it so (each comparison's level and
    weight). With --workspace, linking on names needs a reviewer, documenter or admin; the run is
    audited, and the reviewers' decisions stored in the workspace are always used.

    Examples:

      unseen link ngo-a.csv shelter-b.xlsx --out linked/

      unseen link febrl.csv --config febrl.yaml --out linked/ --list febrl

      unseen link --workspace WS --out linked/ --review
    """
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter("--engine is duckdb or spark")
    if bool(files) == (workspace is not None):
        raise typer.BadParameter(
            "give either FILE... or --workspace WS, not both / 파일 또는 --workspace 중 하나만"
        )
    if workspace is None and (review or band is not None):
        raise typer.BadParameter("--review and --band need --workspace / --workspace가 필요합니다")
    if workspace is not None and (list_name is not None or mapping is not None):
        raise typer.BadParameter("--list and --mapping are for files, not --workspace")
    spec = LinkageSpec.from_config(config) if config else default_spec()
    if threshold is not None:
        if not 0 < threshold < 1:
            raise ConfigError("--threshold is a probability between 0 and 1")
        spec = spec.with_threshold(threshold)
    options = EngineOptions(
        memory_limit=memory_limit,
        threads=threads,
        spill_dir=str(spill_dir) if spill_dir else None,
    )
    chosen = read_decisions(decisions) if decisions else []
    trained = read_model(model) if model else None
    strata_list = [s.strip() for s in strata.split(",") if s.strip()]
    console = err()
    run: WorkspaceLink | None = None
    queued: int | None = None
    with console.status(_STAGES["reading"]) as status:

        def progress(stage: str) -> None:
            status.update(_STAGES.get(stage, stage))

        if workspace is not None:
            with unlock(workspace, user, passphrase_file) as ws:
                run = link_workspace(
                    ws,
                    spec,
                    engine=engine,
                    options=options,
                    decisions=chosen,
                    truth=truth,
                    strata=strata_list,
                    progress=progress,
                    model=trained,
                )
                result, evaluation = run.result, run.evaluation
                written = write_run(result, evaluation, out_dir, strata=strata_list)
                if review:
                    queued = queue_pairs(ws, result, band=band)
        else:
            result, evaluation = link_files(
                files or [],
                spec,
                engine=engine,
                options=options,
                decisions=chosen,
                truth=truth,
                list_name=list_name,
                mapping=mapping,
                progress=progress,
                model=trained,
                strata=strata_list,
            )
            written = write_run(result, evaluation, out_dir, strata=strata_list)
    _summary(result, evaluation, written, run, queued)


def _summary(
    result: LinkResult,
    evaluation: Evaluation | None,
    written: tuple[str, ...],
    run: WorkspaceLink | None,
    queued: int | None,
) -> None:
    stats = result.stats
    table = Table(title="linkage / 연결 결과")
    table.add_column("")
    table.add_column("", justify="right")
    for label, value in (
        ("records / 기록", f"{stats['records']:,}"),
        ("lists / 명단", f"{stats['lists']:,}"),
        ("candidate pairs / 후보 쌍", f"{stats['candidate_pairs']:,}"),
        ("people (clusters) / 사람(묶음)", f"{stats['clusters']:,}"),
        ("threshold / 기준", f"{result.threshold:g}"),
        ("clustering / 묶는 방법", _clustering(stats)),
        ("seconds / 초", f"{stats['seconds']['total']:.1f}"),
    ):
        table.add_row(label, value)
    if stats["decisions"]["match"] or stats["decisions"]["non-match"]:
        d = stats["decisions"]
        table.add_row("decisions / 검토 결정", f"{d['match']} match, {d['non-match']} non-match")
    if run is not None and run.decisions_not_applied:
        table.add_row(
            "decisions on deleted records / 삭제된 기록의 결정", f"{run.decisions_not_applied}"
        )
    if queued is not None:
        table.add_row("queued for review / 검토 대기", f"{queued:,}")
    unreadable = {k: v for k, v in stats["unreadable"].items() if v}
    if unreadable:
        table.add_row(
            "unreadable values / 읽지 못한 값", ", ".join(f"{k} {v}" for k, v in unreadable.items())
        )
    skipped = stats.get("training_sessions_skipped") or []
    if skipped:
        # The model trained without these rules' sessions (no pairs, or EM refused them).
        label = "training rules that trained nothing / 학습하지 못한 규칙"
        table.add_row(label, "; ".join(skipped))
    if evaluation is not None:
        e = evaluation
        table.add_row("precision / 정밀도", f"{e.precision:.4f}")
        table.add_row("recall / 재현율", f"{e.recall:.4f}")
        table.add_row("pairwise F1", f"{e.f1:.4f}")
        table.add_row("B-cubed F1", f"{e.bcubed_f1:.4f}")
        if e.pair_completeness is not None:
            table.add_row("pair completeness / 쌍 완전성", f"{e.pair_completeness:.4f}")
    console_out = out()
    console_out.print(table)
    for f in written:
        console_out.print(f"wrote {f}")
    if run is not None:
        console_out.print(f"audited as linkage run {run.run_id[:8]} / 감사 기록 {run.run_id[:8]}")


def _clustering(stats: Mapping[str, Any]) -> str:
    c = stats["clustering"]
    if c["method"] == "average":
        return f"average, mean >= {c['threshold']:g} / 평균 {c['threshold']:g} 이상"
    return f"pairs >= {c['threshold']:g}, chained / 쌍 {c['threshold']:g} 이상, 연쇄"


def register(app: typer.Typer) -> None:
    app.command("link")(link)
