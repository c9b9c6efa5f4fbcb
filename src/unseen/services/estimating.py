"""Estimate how many people the lists missed, from a capture-histories file or a workspace.

:func:`estimate_file` reads FORMATS.md s3 (``capture_histories.csv``, which ``unseen link``
writes), estimates overall or by the stratum columns asked for, and returns an
:class:`EstimationRun` whose :meth:`~EstimationRun.write_json` writes ``estimates.json``
(FORMATS.md s6). :func:`estimate_workspace` does the same from the latest ``linkage_run``
record of a workspace when that run kept its capture histories (counts only: no names), and
otherwise says what to run first.

Each stratum's diagnostics gain ``"report"``: the capture-history table, the list-overlap
matrix and the data of a plot of N (:mod:`unseen.estimation.diagnostics`), for the reports.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unseen.errors import ConfigError, InputError
from unseen.estimation import (
    CaptureHistories,
    Estimate,
    estimate_chapman,
    estimate_closed_model,
    estimate_dga,
    estimate_lcmcr,
    estimate_lincoln_petersen,
    estimate_loglinear,
    estimate_stepwise,
    read_capture_histories,
    select_loglinear,
    write_estimates_json,
)
from unseen.estimation._bilingual import both
from unseen.estimation.auto import default_runner, estimate_auto
from unseen.estimation.diagnostics import diagnose
from unseen.estimation.strata import StratifiedEstimate, collapse_strata, estimate_strata
from unseen.store import Workspace

__all__ = [
    "METHODS",
    "RUN_KIND",
    "EstimateSettings",
    "EstimationRun",
    "Progress",
    "estimate_file",
    "estimate_histories",
    "estimate_workspace",
    "histories_of_run",
]

RUN_KIND = "linkage_run"  # services.workspace_linking.RUN_KIND
Progress = Callable[[str, int, int], None]  # (what, done, total)

# CLI name -> what it is and when to use it (the CLI's --help prints these).
METHODS: dict[str, str] = {
    "auto": "choose per table and say why: Chapman for two lists, LCMCR when people differ "
    "in how visible they are, else stepwise + BCa",
    "chapman": "two lists; nearly unbiased Lincoln-Petersen",
    "lincoln-petersen": "two lists; the classic n1 n2 / m",
    "mt": "independent lists (Rcapture Mt), profile-likelihood interval",
    "m0": "independent lists with equal capture probability (Rcapture M0)",
    "mh-chao": "heterogeneous people, Chao's lower bound (Rcapture Mh Chao)",
    "mh-poisson": "heterogeneous people, Poisson form (Rcapture Mh Poisson)",
    "mh-darroch": "heterogeneous people, Darroch form (Rcapture Mh Darroch)",
    "mh-gamma": "heterogeneous people, Gamma form (Rcapture Mh Gamma)",
    "mth-chao": "list effects plus Chao heterogeneity (Rcapture Mth Chao)",
    "mth-poisson": "list effects plus Poisson heterogeneity (Rcapture Mth Poisson)",
    "mth-darroch": "list effects plus Darroch heterogeneity (Rcapture Mth Darroch)",
    "mth-gamma": "list effects plus Gamma heterogeneity (Rcapture Mth Gamma)",
    "loglinear-bic": "all hierarchical log-linear models, the best BIC (interval too narrow: "
    "it ignores the model choice)",
    "loglinear-aic": "as loglinear-bic with AIC",
    "stepwise": "Chan-Silverman-Vincent stepwise + BCa bootstrap: sparse lists, lists that "
    "never overlap",
    "dga": "Bayesian model averaging over decomposable graphs (3-5 lists)",
    "lcmcr": "Bayesian latent-class model (Manrique-Vallier 2016): heterogeneous people",
}
BOOTSTRAP_METHODS = frozenset({"stepwise", "auto"})
MCMC_METHODS = frozenset({"lcmcr", "auto"})


@dataclass(frozen=True)
class EstimateSettings:
    """How to estimate. ``strata``: the stratum columns to estimate by (empty: everyone
    together); ``collapse``: stratum columns to sum over after that; ``lcmcr``: settings of
    :func:`~unseen.estimation.estimate_lcmcr` (burnin, samples, thinning, chains)."""

    method: str = "auto"
    strata: tuple[str, ...] = ()
    collapse: tuple[str, ...] = ()
    merge_sparse: bool = False
    seed: int | None = None
    nboot: int = 1000
    level: float = 0.95
    max_order: int = 2
    lcmcr: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ConfigError(
                both(
                    f"unknown method {self.method!r}; use one of {', '.join(METHODS)}",
                    f"알 수 없는 방법 {self.method!r}입니다. 다음 중 하나를 쓰세요",
                )
            )
        if not 0 < self.level < 1:
            raise ConfigError(both("level is between 0 and 1", "신뢰 수준은 0과 1 사이입니다"))
        if self.nboot < 0 or self.max_order < 1:
            raise ConfigError(
                both(
                    "the bootstrap size is 0 or more and the order 1 or more",
                    "부트스트랩 횟수는 0 이상, 차수는 1 이상이어야 합니다",
                )
            )


@dataclass(frozen=True)
class EstimationRun:
    """What was estimated from where, and the result."""

    source: str
    settings: EstimateSettings
    tables: tuple[CaptureHistories, ...]  # the tables estimated, one per stratum
    result: StratifiedEstimate
    stratum_columns: tuple[str, ...] = ()  # stratum columns of the input
    notes: tuple[str, ...] = ()  # for the reader: what was collapsed, what to try

    @property
    def stratified(self) -> bool:
        return any(h.stratum for h in self.tables)

    @property
    def headline(self) -> Estimate:
        return self.result.total

    def write_json(self, path: str | Path) -> Path:
        """``estimates.json``: ``{"total": ..., "strata": {...}}`` (empty strata when the
        estimate is for everyone together)."""
        strata = self.result.strata if self.stratified else ()
        return write_estimates_json(path, strata, self.result.total)


def _not_two(h: CaptureHistories, method: str, level: float) -> Estimate:
    return Estimate.not_estimable(
        method,
        h.observed,
        h.lists,
        both(
            f"{method} needs exactly two lists and this table has {h.n_lists}; use "
            "--method auto (or stepwise) for more lists",
            f"{method}에는 명단이 정확히 두 개 필요한데 이 표에는 {h.n_lists}개가 있습니다. 더 "
            "많은 명단에는 --method auto(또는 stepwise)를 쓰세요",
        ),
        level=level,
        stratum=h.stratum,
    )


def estimator(
    settings: EstimateSettings, progress: Progress | None = None
) -> Callable[[CaptureHistories, int], Estimate]:
    """The function that estimates one table with these settings (seed given per table)."""
    s = settings
    lcmcr = dict(s.lcmcr)

    def bar(h: CaptureHistories) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        label = "bootstrap" + (f" ({', '.join(v for _, v in h.stratum)})" if h.stratum else "")
        return lambda done, total: progress(label, done, total)

    def run(h: CaptureHistories, seed: int) -> Estimate:
        m, lv = s.method, s.level
        if m in ("chapman", "lincoln-petersen"):
            if h.n_lists != 2:
                return _not_two(h, m, lv)
            f = estimate_chapman if m == "chapman" else estimate_lincoln_petersen
            return f(h, level=lv)
        if m == "mt":
            return estimate_loglinear(h, level=lv)
        if m == "m0":
            return estimate_closed_model(h, "M0", level=lv)
        if m.startswith(("mh-", "mth-")):
            model, het = m.split("-")
            return estimate_closed_model(
                h,
                "Mh" if model == "mh" else "Mth",
                het,  # type: ignore[arg-type]
                level=lv,
            )
        if m in ("loglinear-bic", "loglinear-aic"):
            return select_loglinear(h, max_order=s.max_order, criterion=m[-3:], level=lv)
        if m == "stepwise":
            return estimate_stepwise(h, nboot=s.nboot, seed=seed, level=lv, progress=bar(h))
        if m == "dga":
            return estimate_dga(h, level=lv)
        if m == "lcmcr":
            return _lcmcr(h, seed, lv, lcmcr, progress)

        base = default_runner(nboot=s.nboot, seed=seed, level=lv, lcmcr=lcmcr, progress=bar(h))

        def chosen(method: str, x: CaptureHistories) -> Estimate:
            # LCMCR through _lcmcr, for its progress marks; the rest as auto runs them
            return _lcmcr(x, seed, lv, lcmcr, progress) if method == "lcmcr" else base(method, x)

        return estimate_auto(h, nboot=s.nboot, seed=seed, level=lv, lcmcr=lcmcr, runner=chosen)

    return run


def _lcmcr(
    h: CaptureHistories,
    seed: int,
    level: float,
    settings: Mapping[str, int],
    progress: Progress | None,
) -> Estimate:
    label = "MCMC (LCMCR)" + (f" ({', '.join(v for _, v in h.stratum)})" if h.stratum else "")
    scans = None if progress is None else (lambda done, total: progress(label, done, total))
    try:
        return estimate_lcmcr(h, seed=seed, level=level, progress=scans, **dict(settings))
    except ValueError as exc:  # a setting out of range
        raise ConfigError(
            both(f"LCMCR settings: {exc}", f"LCMCR 설정이 잘못되었습니다: {exc}")
        ) from None


def _with_report(e: Estimate, h: CaptureHistories) -> Estimate:
    return dataclasses.replace(e, diagnostics={**e.diagnostics, "report": diagnose(h, e).as_dict()})


def estimate_histories(
    strata: Sequence[CaptureHistories],
    settings: EstimateSettings,
    *,
    source: str,
    progress: Progress | None = None,
) -> EstimationRun:
    """Estimate tables already read (one per stratum of the input, all stratum columns)."""
    if not strata:
        raise InputError(both(f"{source}: no capture histories", f"{source}: 포획 이력이 없습니다"))
    columns = tuple(c for c, _ in strata[0].stratum)
    unknown = [c for c in (*settings.strata, *settings.collapse) if c not in columns]
    if unknown:
        raise InputError(
            both(
                f"{source}: no stratum column {', '.join(unknown)}; the stratum columns are "
                f"{', '.join(columns) or 'none (every column is a 0/1 list)'}",
                f"{source}: 층 열 {', '.join(unknown)}이(가) 없습니다. 층 열: "
                f"{', '.join(columns) or '없음'}",
            )
        )
    notes: list[str] = []
    keep = [c for c in settings.strata if c not in settings.collapse]
    over = [c for c in columns if c not in keep]
    tables = collapse_strata(strata, over) if over else tuple(strata)
    if columns and not settings.strata:
        notes.append(
            both(
                f"the file has stratum column(s) {', '.join(columns)}; everyone is estimated "
                "together (use --strata to estimate by stratum)",
                f"파일에 층 열 {', '.join(columns)}이(가) 있습니다. 전체를 함께 추정했습니다"
                "(층별 추정은 --strata)",
            )
        )
    seed = settings.seed
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0] % (2**31))
    run = estimator(settings, progress)
    done = 0

    def count(h: CaptureHistories, s: int) -> Estimate:
        nonlocal done
        e = _with_report(run(h, s), h)
        done += 1
        if progress is not None and len(tables) > 1:
            progress("strata", done, len(tables))
        return e

    result = estimate_strata(
        tables, count, level=settings.level, seed=seed, merge_sparse=settings.merge_sparse
    )
    if result.merged:
        notes.append(
            both(
                f"sparse strata merged into one: {', '.join(result.merged)}",
                f"희소한 층을 하나로 합쳤습니다: {', '.join(result.merged)}",
            )
        )
    final = dataclasses.replace(settings, seed=seed)
    return EstimationRun(source, final, tables, result, columns, tuple(notes))


def estimate_file(
    path: str | Path, settings: EstimateSettings, *, progress: Progress | None = None
) -> EstimationRun:
    """Read a capture-histories CSV (FORMATS.md s3) and estimate. A stratum column coded
    0/1 is read as a stratum when ``settings.strata`` names it."""
    p = Path(path)
    named = [*settings.strata, *settings.collapse]
    strata = read_capture_histories(p)
    columns = [c for c, _ in strata[0].stratum] if strata else []
    if any(c not in columns for c in named):
        # a 0/1-coded stratum is read as a list unless named: read again, naming it
        strata = read_capture_histories(p, strata=list(dict.fromkeys([*columns, *named])))
    return estimate_histories(strata, settings, source=p.name, progress=progress)


def histories_of_run(attributes: Mapping[str, Any], source: str) -> tuple[CaptureHistories, ...]:
    """The capture histories a ``linkage_run`` record keeps, as
    ``{"lists": [...], "strata": [...], "rows": [[0/1 per list, stratum values, count]]}``
    under ``"capture_histories"`` (counts only; no names)."""
    ch = attributes.get("capture_histories")
    if not isinstance(ch, Mapping):
        raise InputError("no capture histories")
    lists = [str(x) for x in ch.get("lists", [])]
    columns = [str(x) for x in ch.get("strata", [])]
    t = len(lists)
    groups: dict[tuple[str, ...], tuple[list[list[int]], list[int]]] = {}
    for row in ch.get("rows", []):
        if len(row) != t + len(columns) + 1:
            raise InputError(
                both(
                    f"{source}: a capture-history row has {len(row)} values, expected "
                    f"{t + len(columns) + 1}; link again",
                    f"{source}: 포획 이력 행의 값 개수가 맞지 않습니다. 다시 연결하세요",
                )
            )
        key = tuple(str(v) for v in row[t : t + len(columns)])
        pats, counts = groups.setdefault(key, ([], []))
        pats.append([int(v) for v in row[:t]])
        counts.append(int(row[-1]))
    return tuple(
        CaptureHistories.from_counts(
            lists,
            np.asarray(p, dtype=np.int64).reshape(-1, t),
            c,
            stratum=tuple(zip(columns, key, strict=True)),
        )
        for key, (p, c) in groups.items()
    )


def estimate_workspace(
    ws: Workspace, settings: EstimateSettings, *, progress: Progress | None = None
) -> EstimationRun:
    """Estimate from the latest linkage run of ``ws``, if it kept its capture histories."""
    runs = list(ws.iter_current(RUN_KIND))
    where = ws.path.name
    if not runs:
        raise InputError(
            both(
                f"workspace {where} has no linkage run yet: run `unseen link --workspace "
                f"{where} --out DIR`, then `unseen estimate DIR/capture_histories.csv`",
                f"작업공간 {where}에는 아직 연결 실행이 없습니다. 먼저 `unseen link --workspace "
                f"{where} --out DIR`을 실행한 뒤 `unseen estimate DIR/capture_histories.csv`",
            )
        )
    latest = runs[-1]
    run_id = latest.record_id[:8]
    withheld = latest.attributes.get("capture_histories_withheld")
    if withheld:
        cols = ", ".join(str(c) for c in withheld)
        raise InputError(
            both(
                f"the latest linkage run of workspace {where} ({run_id}) was stratified by "
                f"{cols}, which holds identities, so it kept no capture histories in the "
                f"workspace; link again with coarser strata (e.g. birth_date:decade), or "
                f"estimate from the capture_histories.csv that link wrote",
                f"작업공간 {where}의 최근 연결 실행({run_id})은 신원 정보인 {cols}(으)로 층을 "
                "나누었으므로 포획 이력을 작업공간에 남기지 않았습니다. 더 거친 층(예: "
                "birth_date:decade)으로 다시 연결하거나, 그 실행이 쓴 capture_histories.csv로 "
                "추정하세요",
            )
        )
    if "capture_histories" not in latest.attributes:
        raise InputError(
            both(
                f"the latest linkage run of workspace {where} ({run_id}, {latest.created_at}) "
                "did not keep its capture histories in the workspace; estimate from the file "
                f"it wrote: `unseen estimate DIR/capture_histories.csv` (DIR: the --out of "
                f"that `unseen link --workspace {where}`), or link again with --out DIR",
                f"작업공간 {where}의 최근 연결 실행({run_id})은 포획 이력을 작업공간에 남기지 "
                "않았습니다. 그 실행이 쓴 파일로 추정하세요: `unseen estimate "
                "DIR/capture_histories.csv`(DIR은 그 `unseen link`의 --out), 또는 다시 연결하세요",
            )
        )
    source = f"workspace {where}, linkage run {run_id}"
    strata = histories_of_run(latest.attributes, source)
    return estimate_histories(strata, settings, source=source, progress=progress)
