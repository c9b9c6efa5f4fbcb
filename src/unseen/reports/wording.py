"""Every fixed word a report prints, in English and Korean, and how numbers and cells print.

One table for charts, maps, HTML and PDF, so the languages cannot drift apart between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from unseen.reports.model import Cell

__all__ = ["WORDS", "cell_text", "count", "key_label", "percent", "word"]

_EN_KO: dict[str, tuple[str, str]] = {
    # document
    "title": ("Documented and undocumented abuses", "기록된 피해와 기록되지 않은 피해"),
    "subtitle": (
        "North Koreans in China: people documented, and an estimate of those never documented",
        "중국 내 북한 출신 피해자: 기록된 사람과 기록되지 않은 사람의 추정",
    ),
    "generated": ("Generated", "작성일"),
    "workspace": ("Workspace", "작업공간"),
    "scope": ("Scope", "공개 범위"),
    "scope.internal": ("internal (the organisation only)", "내부용(기관 내부만)"),
    "scope.partner": ("partner (shared with one partner)", "협력기관용(한 협력기관과 공유)"),
    "scope.un": ("UN (United Nations mechanisms)", "유엔용(유엔 인권 메커니즘)"),
    "scope.public": ("public (anyone)", "공개용(누구나)"),
    "demo_banner": (
        "DEMO: every person in this report is simulated. The numbers describe no real people.",
        "시연용: 이 보고서의 모든 사람은 모의 데이터입니다. 실제 사람에 관한 숫자가 아닙니다.",
    ),
    "contents": ("Contents", "목차"),
    # sections
    "sec.headline": ("Headline", "핵심 수치"),
    "sec.tables": ("Documented people", "기록된 사람"),
    "sec.maps": ("Where", "지역"),
    "sec.timeline": ("When", "시기"),
    "sec.estimates": ("How many were never documented", "기록되지 않은 사람은 얼마나 되는가"),
    "sec.law": ("Legal framing", "법적 근거"),
    "sec.methods": ("Methods", "방법"),
    # headline
    "documented": ("Documented", "기록됨"),
    "documented_people": ("people documented", "명 기록"),
    "estimated": ("Estimated in all", "추정 전체 규모"),
    "interval": ("interval", "구간"),
    "never_documented": ("Share never documented", "기록되지 않은 비율"),
    "truth": ("True number (simulation)", "실제 수(모의 데이터)"),
    "truth_short": ("true", "실제"),
    "not_estimable": ("not estimable", "추정 불가"),
    "no_upper": ("no upper bound", "상한 없음"),
    "no_estimate": (
        "No estimate was made for this report.",
        "이 보고서에는 추정치가 없습니다.",
    ),
    "headline_note": (
        "The estimate counts everyone: the people documented plus those no list recorded.",
        "추정치는 기록된 사람과 어느 명단에도 없는 사람을 합한 전체 규모입니다.",
    ),
    "left_out": (
        "{n} documented people are left out of this report because their consent does not "
        "cover this use ({scope}).",
        "동의 범위가 이 용도({scope})를 포함하지 않아 기록된 사람 중 {n}명이 이 보고서에서 "
        "제외되었습니다.",
    ),
    "left_out_none": (
        "No documented person was left out for consent: everyone's consent covers this use.",
        "동의 때문에 제외된 사람은 없습니다. 모든 사람의 동의가 이 용도를 포함합니다.",
    ),
    "in_scope": ("People counted in this report", "이 보고서에서 센 사람"),
    "left_out_label": ("Left out by consent scope", "동의 범위로 제외"),
    # tables
    "total": ("Total", "합계"),
    "count": ("Count", "수"),
    "people": ("people", "명"),
    "acts": ("acts", "건"),
    "threshold_note": (
        "Disclosure control: no cell counts fewer than {t} people. "
        "“<{t}” marks a cell of 1 to {t1} people that is not published; “×” marks a cell hidden "
        "so that a small cell cannot be worked out from the totals.",
        "공개 통제: {t}명 미만인 칸은 공개하지 않습니다. “<{t}”는 1~{t1}명이라 공개하지 않은 "
        "칸, “×”는 합계로부터 작은 칸을 역산할 수 없도록 함께 가린 칸입니다.",
    ),
    "rounding_note": (
        "Published counts are rounded to a multiple of {r} (marked ≈).",
        "공개된 수는 {r}의 배수로 반올림했습니다(≈ 표시).",
    ),
    "noise_note": (
        "Counts carry random noise for differential privacy (ε = {e} per table, marked ≈): "
        "totals may not add up exactly.",
        "차분 프라이버시를 위해 수에 무작위 잡음을 더했습니다(표마다 ε = {e}, ≈ 표시). "
        "합계가 정확히 맞지 않을 수 있습니다.",
    ),
    "suppressed_primary": ("fewer than {t} people, not published", "{t}명 미만, 비공개"),
    "suppressed_secondary": ("hidden to protect a small cell", "작은 칸 보호를 위해 가림"),
    "not_counted": ("not counted in this map", "이 지도에서 세지 않음"),
    "zero": ("none documented", "기록 없음"),
    "chart_of": ("Chart: {title}", "차트: {title}"),
    "map_of": ("Map: {title}", "지도: {title}"),
    "map_unmapped": (
        "Not drawn (no polygon of their own): {areas}.",
        "지도에 그리지 않은 지역(경계 자료 없음): {areas}.",
    ),
    # timeline
    "year": ("Year", "연도"),
    "timeline_title": ("Acts by year and violation type", "연도·피해 유형별 행위"),
    "timeline_suppressed": (
        "suppressed (<{t} or hidden)",
        "비공개(<{t} 또는 가림)",
    ),
    # estimates
    "est.label": ("Group", "집단"),
    "est.method": ("Method", "방법"),
    "est.observed": ("Documented", "기록됨"),
    "est.estimate": ("Estimate", "추정치"),
    "est.interval": ("{level} interval", "{level} 구간"),
    "est.share": ("Never documented", "기록되지 않은 비율"),
    "est.truth": ("True (simulation)", "실제(모의)"),
    "est.status": ("Status", "상태"),
    "est.chart_title": (
        "Documented and estimated people, with {level} intervals",
        "기록된 사람과 추정 전체 규모({level} 구간)",
    ),
    "est.share_title": (
        "Share never documented, with {level} intervals",
        "기록되지 않은 비율({level} 구간)",
    ),
    "est.curve_title": ("How likely each total N is: {label}", "전체 규모 N의 가능도: {label}"),
    "est.curve_y": ("relative likelihood", "상대 가능도"),
    "est.n_axis": ("total people N", "전체 인원 N"),
    "est.people_axis": ("people", "명"),
    "est.share_axis": ("share never documented", "기록되지 않은 비율"),
    "est.explain": (
        "Multiple systems estimation: how the lists overlap tells how many people no list "
        "recorded. The interval is the range of totals the data support at the stated level; "
        "the true number can lie outside it.",
        "다중체계추정: 명단들이 서로 겹치는 정도로 어느 명단에도 없는 사람의 수를 추정합니다. "
        "구간은 주어진 수준에서 자료가 뒷받침하는 전체 규모의 범위이며, 실제 수가 구간 밖에 "
        "있을 수도 있습니다.",
    ),
    "est.truth_note": (
        "This is a demo: the simulated true number is shown beside each estimate, to show how "
        "close the method comes.",
        "시연용이므로 각 추정치 옆에 모의 데이터의 실제 수를 함께 보여, 방법이 얼마나 정확한지 "
        "확인할 수 있게 했습니다.",
    ),
    # law
    "law.code": ("Code", "코드"),
    "law.violation": ("Violation", "피해 유형"),
    "law.definition": ("Definition", "정의"),
    "law.instruments": ("Instruments and articles", "관련 조약·조항"),
    "law.rome": ("Rome Statute art. 7 (UN COI 2014)", "로마규정 제7조(2014 유엔 조사위원회)"),
    "law.cited": ("Instruments cited", "인용한 조약"),
    "law.china": ("China", "중국"),
    "law.dprk": ("DPRK", "북한"),
    "law.note": (
        "Treaty status as recorded in the project's reference data: check it against the UN "
        "Treaty Collection before publishing.",
        "조약 가입 현황은 프로젝트 참고 자료에 따른 것입니다. 공개 전에 유엔 조약집에서 "
        "확인하세요.",
    ),
    # methods
    "m.lists": ("Lists used", "사용한 명단"),
    "m.list": ("List", "명단"),
    "m.records": ("Records in scope", "범위 내 기록"),
    "m.linkage": ("Record linkage", "기록 연결"),
    "m.review": ("Human review of possible matches", "연결 후보 검토"),
    "m.estimation": ("Estimation model and diagnostics", "추정 모형과 진단"),
    "m.disclosure": ("Disclosure control", "공개 통제"),
    "m.notes": ("Notes", "참고"),
    "m.item": ("Item", "항목"),
    "m.value": ("Value", "값"),
    "m.decision": ("Decision", "결정"),
    "m.threshold": ("Smallest published cell", "공개하는 최소 칸"),
    "m.rounding": ("Rounding base", "반올림 단위"),
    "m.epsilon": ("Differential privacy ε per table", "표당 차분 프라이버시 ε"),
    "m.none": ("none", "없음"),
    "m.secondary": (
        "Secondary suppression hides further cells so that no suppressed cell can be recovered "
        "from row or column totals.",
        "2차 비공개: 가린 칸을 행·열 합계로 역산할 수 없도록 다른 칸도 함께 가립니다.",
    ),
    "m.consent": ("Consent", "동의"),
    "footer": (
        "Made with unseen, offline. Every number has passed disclosure control for this scope.",
        "unseen으로 오프라인에서 작성했습니다. 모든 수는 이 공개 범위의 공개 통제를 거쳤습니다.",
    ),
    "page": ("page", "쪽"),
    "continued": ("continued", "계속"),
    "marks": (
        "<{t}: fewer than {t} people, not published. ×: hidden to protect a small cell.",
        "<{t}: {t}명 미만, 비공개. ×: 작은 칸 보호를 위해 가림.",
    ),
    "timeline_some": (
        "The chart draws the {n} most frequent violation types and the years that are known; "
        "the table lists them all.",
        "차트에는 가장 많은 피해 유형 {n}개와 연도가 알려진 행위만 그렸고, 표에는 모두 실었습니다.",
    ),
    "yes": ("yes", "예"),
    "no": ("no", "아니오"),
    "n_values": ("{n} values", "값 {n}개"),
    # keys of the methods appendix that the counting side is known to use
    "k.records": ("Records", "기록"),
    "k.clusters": ("People after linkage (clusters)", "연결 후 사람 수(클러스터)"),
    "k.threshold": ("Match threshold", "일치 기준값"),
    "k.engine": ("Engine", "엔진"),
    "k.quality": ("Quality", "품질"),
    "k.precision": ("Precision", "정밀도"),
    "k.recall": ("Recall", "재현율"),
    "k.f1": ("F1", "F1"),
    "k.pairs": ("Candidate pairs", "후보 쌍"),
    "k.method": ("Method", "방법"),
    "k.why": ("Why this method", "이 방법을 고른 이유"),
    "k.diagnostics": ("Diagnostics", "진단"),
    "k.rhat_max": ("Largest R-hat (1 = converged)", "최대 R-hat(1이면 수렴)"),
    "k.ess_min": ("Smallest effective sample size", "최소 유효 표본 크기"),
    "k.chains": ("Chains", "체인 수"),
    "k.seed": ("Random seed", "난수 시드"),
    "k.lists": ("Lists", "명단"),
    "k.level": ("Interval level", "구간 수준"),
    "k.match": ("Same person", "같은 사람"),
    "k.non-match": ("Different people", "다른 사람"),
    "k.non_match": ("Different people", "다른 사람"),
    "k.unsure": ("Unsure", "불확실"),
    "k.pending": ("Not yet reviewed", "미검토"),
    "k.model": ("Model", "모형"),
    "k.candidate_pairs": ("Candidate pairs compared", "비교한 후보 쌍"),
    "k.decisions": ("Reviewers' decisions applied", "적용한 검토 결정"),
    "k.decisions_not_applied": ("Decisions naming records no longer there", "적용하지 못한 결정"),
    "k.bcubed_f1": ("B-cubed F1 (clusters)", "B-cubed F1(클러스터)"),
    "k.pair_completeness": ("Pair completeness (blocking)", "쌍 완전성(블로킹)"),
    "k.at": ("Run at", "실행 시각"),
    "k.open": ("Still open", "미결"),
    "k.rule": ("Rule", "규칙"),
    "k.status": ("Status", "상태"),
    "k.message": ("Message", "메시지"),
    "k.observed": ("People on the lists", "명단에 있는 사람"),
    "k.source": ("Estimated from", "추정 자료"),
    "k.notes": ("Notes", "참고"),
    "k.run": ("Linkage run", "연결 실행"),
}

WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType({k: v[0] for k, v in _EN_KO.items()}),
        "ko": MappingProxyType({k: v[1] for k, v in _EN_KO.items()}),
    }
)


def word(key: str, lang: str, **values: object) -> str:
    """The phrase ``key`` in ``lang`` ("en" or "ko"), with ``{name}`` fields filled in."""
    text = WORDS["ko" if lang == "ko" else "en"][key]
    return text.format(**values) if values else text


def count(n: float | None) -> str:
    """A count as printed: grouped thousands, no decimals; "-" for nothing."""
    return "-" if n is None else f"{n:,.0f}"


def percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def cell_text(cell: Cell, threshold: int) -> str:
    """How a published cell prints. A suppressed cell never prints a number of people."""
    if cell.value is None:
        return f"<{threshold}" if cell.flag == "primary" else "×"
    if cell.flag in ("rounded", "noisy"):
        return f"≈{cell.value:,}"
    return f"{cell.value:,}"


def key_label(key: str, lang: str) -> str:
    """A methods-appendix key in words: a known one translated, any other made readable."""
    table = WORDS["ko" if lang == "ko" else "en"]
    return table.get(f"k.{key}", key.replace("_", " "))
