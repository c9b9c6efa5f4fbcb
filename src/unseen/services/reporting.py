"""Read a workspace into a :class:`~unseen.reports.model.ReportData`: who counts for the scope,
their codes, the tables after disclosure control, the estimates and the methods appendix.

Only analytic attributes are read (sex, coarse birth years, gazetteer place ids, act codes and
dates, consent scopes, linkage and review counts): never an identity, so an analyst, who holds
no identity key, can build every report, and building one writes no ``reveal`` to the audit
log.

Who counts. ``internal`` counts every current person record. ``partner``, ``un`` and
``public`` count a record only when a consent in force on ``today`` covers the scope (and, for
``partner``, names the partner), as :mod:`unseen.services.consent_export` reads consent; the
others are left out, and counted (``left_out_by_consent``). A person left out adds to no table,
no map and no estimate: for these scopes, estimates are made from the capture histories of
the people in scope, which needs the linkage clusters (``clusters``); without them a report
for those scopes carries no estimate and says why.

People. A person record is one list's record of a person. Given ``clusters`` (each person
record's linkage cluster, e.g. :func:`clusters_of` a :class:`WorkspaceLink`), the records of
one cluster count as one person: their sex, age band and provinces are the most common known
value among them (a tie is not known), and their acts are the distinct (violation type, year)
pairs. Without clusters each record counts as a person (the methods appendix says so).

Age band: the age in whole years (year minus birth year) at the person's first dated act, or
else at the first exit from North Korea; with uncertain dates the band is known only when
every possible age falls in one band.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from unseen.domain.dates import parse_fuzzy_date
from unseen.domain.model import Consent, ConsentScope
from unseen.domain.vocab import violation_types
from unseen.errors import InputError, UnseenError
from unseen.estimation import CaptureHistories
from unseen.reports.disclosure import check_settings, noisy_count
from unseen.reports.model import (
    DisclosureSettings,
    EstimateView,
    MethodsAppendix,
    ReportData,
    ViolationLaw,
)
from unseen.reports.tables import (
    NOISED_TABLES,
    ActFact,
    PersonFact,
    admin1_code,
    age_band,
    build_tables,
    top_violation,
)
from unseen.services.estimating import (
    RUN_KIND,
    EstimateSettings,
    EstimationRun,
    estimate_histories,
    estimate_workspace,
)
from unseen.services.review import KIND as REVIEW_KIND
from unseen.services.workspace_linking import NO_LIST, WorkspaceLink
from unseen.store import Workspace

__all__ = [
    "SCOPES",
    "Facts",
    "Progress",
    "build_report_data",
    "clusters_of",
    "in_language",
    "read_facts",
]

SCOPES = ("internal", "partner", "un", "public")
Progress = Callable[[str, int, int], None]  # (stage, done, total)
_DEMO_MARKER = ".unseen-demo"  # services.demo writes it beside a demo workspace


def _both(en: str, ko: str) -> str:
    return f"{en} / {ko}"


_KO_HALF = re.compile(r" / (?=[\uac00-\ud7a3])")


def in_language(text: str | None, lang: str) -> str | None:
    """The half of an "English / 한국어" message in ``lang`` (the whole text when it has no
    Korean half)."""
    if not text:
        return text
    parts = _KO_HALF.split(text, maxsplit=1)
    if len(parts) == 1:
        return text
    return parts[1] if lang == "ko" else parts[0]


@dataclass(frozen=True)
class Facts:
    """What a report counts, read from a workspace for one scope (codes only)."""

    people: tuple[PersonFact, ...]
    left_out: int  # people whose consent does not cover the scope
    records_by_list: tuple[tuple[str, int], ...]  # person records in scope, per list
    deduplicated: bool  # records of one linkage cluster counted once
    histories: tuple[CaptureHistories, ...] = field(default=(), repr=False)  # in-scope people
    scope: str = "internal"
    on: dt.date | None = None  # the day consent was read for
    partner: str | None = None


def clusters_of(link: WorkspaceLink) -> dict[str, str]:
    """Each linked person record's cluster id, from a :func:`link_workspace` result."""
    ids = link.result.clusters["cluster_id"].astype(str).tolist()
    return dict(zip(link.person_ids, ids, strict=True))


def _covered(ws: Workspace, scope: ConsentScope, partner: str | None, today: dt.date) -> set[str]:
    return {
        c.person_id
        for c in (
            Consent.from_record(rec.record_id, rec.attributes, None)
            for rec in ws.iter_current("consent")
            if not rec.deleted
        )
        if c.covers(scope, partner, on=today)
    }


@functools.lru_cache(maxsize=4096)
def _years(edtf: str) -> tuple[int, int] | None:
    lo, hi = parse_fuzzy_date(edtf).value.year_range()
    return None if lo is None or hi is None else (lo, hi)


def _year_range(value: Any) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        return _years(str(value))
    except UnseenError:  # stored by another version in a form this one cannot read
        return None


def _band(birth: Any, at: tuple[int, int] | None) -> str | None:
    if at is None or not isinstance(birth, list | tuple) or len(birth) != 2:
        return None
    lo, hi = age_band(at[0] - int(birth[1])), age_band(at[1] - int(birth[0]))
    return lo if lo == hi else None


def _admin1(place_id: Any, country: str) -> str | None:
    return _admin1_of(place_id, country) if isinstance(place_id, str) else None


@functools.lru_cache(maxsize=65536)  # lists repeat the same few places
def _admin1_of(place_id: str, country: str) -> str | None:
    code = admin1_code(place_id)
    return code if code is not None and code.startswith(country + "-") else None


def _one(values: Iterable[str | None]) -> str | None:
    """The most common known value; None when none is known or two tie."""
    top = Counter(v for v in values if v is not None).most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def read_facts(
    ws: Workspace,
    *,
    scope: str,
    today: dt.date,
    partner: str | None = None,
    clusters: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Facts:
    """The people a report of ``scope`` counts, as codes; no identity is read."""
    wanted = _scope(scope, partner)
    covered = None if wanted is ConsentScope.INTERNAL else _covered(ws, wanted, partner, today)
    lists = {
        s.record_id: str(s.attributes["list_name"])
        for s in ws.iter_current("source")
        if s.attributes.get("list_name")
    }
    acts: dict[str, list[ActFact]] = {}
    for act in ws.iter_current("act"):
        a = act.attributes
        victim, code = a.get("victim_id"), a.get("violation")
        if victim and code:
            years = _year_range(a.get("date"))
            year = years[0] if years and years[0] == years[1] else None
            acts.setdefault(str(victim), []).append(ActFact(top_violation(str(code)), year))
    records = list(ws.iter_current("person"))  # read once; their number is the bar's total
    total = len(records)
    groups: dict[str, list[tuple[PersonFact, str]]] = {}
    outside: set[str] = set()
    per_list: Counter[str] = Counter()
    for n, rec in enumerate(records, start=1):
        if progress is not None and (n % 1000 == 0 or n == total):
            progress("read people", n, total)
        key = clusters.get(rec.record_id, rec.record_id) if clusters else rec.record_id
        if covered is not None and rec.record_id not in covered:
            outside.add(key)
            continue
        a = rec.attributes
        mine = acts.get(rec.record_id, [])
        first = min((x.year for x in mine if x.year is not None), default=None)
        at = (first, first) if first is not None else _year_range(a.get("first_exit_date"))
        sex = a.get("sex")
        fact = PersonFact(
            sex=sex if sex in ("F", "M", "X") else "unknown",
            age_band=_band(a.get("birth_year_range"), at),
            cn_admin1=_admin1(a.get("china_place_id"), "CN"),
            kp_admin1=_admin1(a.get("origin_place_id"), "KP"),
            acts=tuple(mine),
        )
        list_name = a.get("list_name") or lists.get(a.get("source_id") or "") or NO_LIST
        groups.setdefault(key, []).append((fact, str(list_name)))
        per_list[str(list_name)] += 1
    people = tuple(_merge([f for f, _ in g]) for g in groups.values())
    histories = _histories(groups) if clusters else ()
    return Facts(
        people=people,
        left_out=len(outside - set(groups)),
        records_by_list=tuple(sorted(per_list.items())),
        deduplicated=bool(clusters),
        histories=histories,
        scope=scope,
        on=today,
        partner=partner,
    )


def _merge(facts: list[PersonFact]) -> PersonFact:
    if len(facts) == 1:
        return facts[0]
    sex = _one(f.sex if f.sex != "unknown" else None for f in facts)
    acts = tuple(dict.fromkeys(a for f in facts for a in f.acts))
    return PersonFact(
        sex=sex or "unknown",
        age_band=_one(f.age_band for f in facts),
        cn_admin1=_one(f.cn_admin1 for f in facts),
        kp_admin1=_one(f.kp_admin1 for f in facts),
        acts=acts,
    )


def _histories(groups: Mapping[str, list[tuple[PersonFact, str]]]) -> tuple[CaptureHistories, ...]:
    lists = sorted({name for g in groups.values() for _, name in g})
    if len(lists) < 2:
        return ()
    at = {name: i for i, name in enumerate(lists)}
    patterns: Counter[tuple[int, ...]] = Counter()
    for g in groups.values():
        row = [0] * len(lists)
        for _, name in g:
            row[at[name]] = 1
        patterns[tuple(row)] += 1
    keys = sorted(patterns)
    return (
        CaptureHistories.from_counts(
            lists, np.asarray(keys, dtype=np.int64), [patterns[k] for k in keys]
        ),
    )


def _scope(scope: str, partner: str | None) -> ConsentScope:
    if scope not in SCOPES:
        raise InputError(
            _both(
                f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}",
                f"알 수 없는 범위 {scope!r}입니다. 다음 중 하나를 쓰세요: {', '.join(SCOPES)}",
            )
        )
    if scope == "partner" and not partner:
        raise InputError(
            _both(
                "a partner report needs --partner NAME (the partner named in consent)",
                "협력 기관 보고서에는 --partner 이름(동의서에 적힌 기관)이 필요합니다",
            )
        )
    return ConsentScope(scope)


def build_report_data(
    ws: Workspace,
    *,
    scope: str,
    lang: Literal["en", "ko"],
    today: dt.date,
    disclosure: DisclosureSettings = DisclosureSettings(),  # noqa: B008 (frozen, shared safely)
    partner: str | None = None,
    truth: int | None = None,
    estimate: EstimateSettings | EstimationRun | None = None,
    progress: Progress | None = None,
    clusters: Mapping[str, str] | None = None,
    facts: Facts | None = None,
) -> ReportData:
    """Everything a report of ``scope`` shows, after the consent gate and disclosure control.

    ``estimate``: how to estimate (default :class:`EstimateSettings`), or a run already made
    from this workspace (used as it is for ``internal``; for other scopes it counts people
    outside the scope, so the estimate is made again from the people in scope). ``truth``:
    the simulated population size, for a demo. ``clusters``: each person record's linkage
    cluster (:func:`clusters_of`): people linked across lists then count once; without it,
    the clusters the latest linkage run kept (attribute ``person_clusters``), if any.
    ``facts``: what :func:`read_facts` read for this scope and day, to make the report in a
    second language without reading the workspace again.
    """
    check_settings(disclosure)
    if disclosure.epsilon is not None and disclosure.seed is None:
        # one fresh seed for this release, so the headline and the tables agree run to run
        seed = int(np.random.SeedSequence().generate_state(1)[0])
        disclosure = dataclasses.replace(disclosure, seed=seed)
    if lang not in ("en", "ko"):
        raise InputError(_both("the language is en or ko", "언어는 en 또는 ko입니다"))
    report = progress or (lambda stage, done, total: None)
    if facts is not None and (facts.scope, facts.on, facts.partner) != (scope, today, partner):
        raise InputError(
            _both(
                f"the facts given were read for {facts.scope} on {facts.on}, not {scope} on "
                f"{today}: read them again",
                "주어진 자료의 범위나 날짜가 다릅니다: 다시 읽으십시오",
            )
        )
    if facts is None:
        if clusters is None:
            clusters = _stored_clusters(ws)
        facts = read_facts(
            ws, scope=scope, today=today, partner=partner, clusters=clusters, progress=progress
        )
    report("count", 0, 1)
    built = build_tables(facts.people, disclosure, lang=lang, year=today.year)
    report("count", 1, 1)
    views, estimation = _estimates(ws, facts, scope, lang, truth, estimate, progress)
    notes = list(_notes(facts, disclosure, scope, lang))
    return ReportData(
        lang=lang,
        scope=scope,
        workspace_label=ws.path.name,
        generated_on=today,
        people_in_scope=noisy_count(len(facts.people), disclosure, "people_in_scope"),
        left_out_by_consent=noisy_count(facts.left_out, disclosure, "left_out_by_consent"),
        tables=built.tables,
        timeline=built.timeline,
        maps=built.maps,
        estimates=views,
        laws=_laws(built.violations, lang),
        methods=MethodsAppendix(
            lists=facts.records_by_list,
            linkage=MappingProxyType(_linkage(ws)),
            review=MappingProxyType(_review(ws)),
            estimation=MappingProxyType(estimation),
            notes=tuple(notes),
        ),
        # never the seed: with it anyone could draw the noise again and take it off
        disclosure=dataclasses.replace(disclosure, seed=None),
        demo=truth is not None or (ws.path.parent / _DEMO_MARKER).is_file(),
    )


def _estimates(
    ws: Workspace,
    facts: Facts,
    scope: str,
    lang: str,
    truth: int | None,
    estimate: EstimateSettings | EstimationRun | None,
    progress: Progress | None,
) -> tuple[tuple[EstimateView, ...], dict[str, Any]]:
    ko = lang == "ko"
    run: EstimationRun
    try:
        if scope == "internal":
            if isinstance(estimate, EstimationRun):
                run = estimate
            else:
                run = estimate_workspace(ws, estimate or EstimateSettings(), progress=progress)
        elif not facts.people:
            why = (
                "이 범위에 동의한 사람이 없어 추정할 수 없습니다"
                if ko
                else "no documented person's consent covers this scope, so there is no one to "
                "estimate from"
            )
            return (), {"method": None, "why": why}
        elif not facts.histories:
            why = (
                "동의 범위의 사람만으로 추정하려면 연결 결과(클러스터)가 필요하고, 명단이 둘 "
                "이상이어야 합니다: 연결한 뒤 보고서를 다시 만드십시오"
                if ko
                else "an estimate for this scope counts only the people in scope, which needs "
                "the linkage clusters and at least two lists: link, then make the report again"
            )
            return (), {"method": None, "why": why}
        else:
            settings = estimate.settings if isinstance(estimate, EstimationRun) else estimate
            run = estimate_histories(
                facts.histories,
                _together(settings or EstimateSettings()),
                source=f"people in scope ({scope})",
                progress=progress,
            )
    except InputError as exc:  # no linkage run yet, or one that kept no capture histories
        return (), {"method": None, "why": in_language(str(exc), lang)}
    views = [_view(run.result.total, "전체" if ko else "all", truth)]
    if run.stratified:
        for e in run.result.strata:
            views.append(_view(e, ", ".join(f"{k} = {v}" for k, v in e.stratum), None))
    total = run.result.total
    auto = total.diagnostics.get("auto")
    info: dict[str, Any] = {
        "method": total.method,
        "why": in_language(auto.get("why"), lang) if isinstance(auto, Mapping) else None,
        "rule": auto.get("rule") if isinstance(auto, Mapping) else None,
        "status": total.status,
        "message": in_language(total.message, lang),
        "level": total.level,
        "seed": run.settings.seed,
        "lists": list(total.lists),
        "observed": total.observed,
        "source": run.source,
        "notes": list(run.notes),
    }
    return tuple(views), info


def _together(settings: EstimateSettings) -> EstimateSettings:
    """In-scope histories have no stratum columns: estimate everyone together."""
    return dataclasses.replace(settings, strata=(), collapse=())


def _view(e: Any, label: str, truth: int | None) -> EstimateView:
    report = e.diagnostics.get("report")
    curve: tuple[tuple[float, float], ...] = ()
    if isinstance(report, Mapping) and isinstance(report.get("n_curve"), Mapping):
        c = report["n_curve"]
        curve = tuple(
            (float(x), float(y)) for x, y in zip(c.get("x", ()), c.get("y", ()), strict=True)
        )
    return EstimateView(estimate=e, label=label, truth=truth, curve=curve)


def _stored_clusters(ws: Workspace) -> Mapping[str, str] | None:
    """The clusters the latest linkage run kept (``person_clusters``: person record id ->
    cluster id, opaque ids only), if it kept them."""
    runs = list(ws.iter_current(RUN_KIND))
    kept = runs[-1].attributes.get("person_clusters") if runs else None
    if not isinstance(kept, Mapping) or not kept:
        return None
    return {str(k): str(v) for k, v in kept.items()}


def _linkage(ws: Workspace) -> dict[str, Any]:
    runs = list(ws.iter_current(RUN_KIND))
    if not runs:
        return {}
    latest = runs[-1]
    a = latest.attributes
    keep = ("records", "clusters", "lists", "candidate_pairs", "threshold", "engine",
            "decisions", "decisions_not_applied", "quality")  # fmt: skip
    out = {k: a[k] for k in keep if k in a}
    out["run"] = latest.record_id[:8]
    out["at"] = latest.created_at
    return out


def _review(ws: Workspace) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for r in ws.iter_current(REVIEW_KIND):
        a = r.attributes
        if a.get("status") == "decided" and a.get("decision"):
            counts[str(a["decision"])] += 1
        else:
            counts["open"] += 1
    return {k: counts.get(k, 0) for k in ("match", "non-match", "unsure", "open")}


def _laws(codes: Iterable[str], lang: str) -> tuple[ViolationLaw, ...]:
    types = violation_types()
    out = []
    for code in codes:
        v = types.get(code)
        if v is None:
            continue
        out.append(
            ViolationLaw(
                code=code,
                label=v.label(lang),
                definition=v.definition,
                instruments=tuple(ref.text for ref in v.instruments),
                rome_statute=v.rome_statute_art7_coi or "",
            )
        )
    return tuple(out)


def _notes(facts: Facts, s: DisclosureSettings, scope: str, lang: str) -> Iterable[str]:
    ko = lang == "ko"
    if ko:
        yield f"공개 기준: {s.threshold}명 미만인 칸은 숨기고, 합계로 되살릴 수 있는 칸도 숨깁니다"
    else:
        yield (
            f"cells of 1 to {s.threshold - 1} people are hidden, and so are the cells that "
            "would let them be worked out from the totals"
        )
    if s.rounding:
        yield (
            f"공개된 수는 {s.rounding}의 배수로 반올림했습니다(합이 맞지 않을 수 있음)"
            if ko
            else f"published numbers are rounded to multiples of {s.rounding}, so rows may "
            "not add up exactly"
        )
    if s.epsilon is not None:
        spent = s.epsilon * (len(NOISED_TABLES) + 2)
        yield (
            f"차등 프라이버시: 표마다 엡실론 {s.epsilon}의 잡음을 더했습니다(이 보고서 전체 "
            f"{spent:g})"
            if ko
            else f"differential privacy: noise with epsilon {s.epsilon} per table ({spent:g} "
            "for this report: its tables and its two headline counts)"
        )
    if scope != "internal":
        yield (
            f"동의 범위({scope})에 들지 않는 {facts.left_out}명은 세지 않았습니다"
            if ko
            else f"{facts.left_out} people whose consent does not cover {scope} use are not counted"
        )
    if not facts.deduplicated:
        yield (
            "연결 결과 없이 세었으므로 여러 명단에 있는 사람은 명단마다 한 번씩 세었습니다"
            if ko
            else "counted without linkage clusters: a person on several lists counts once per list"
        )
