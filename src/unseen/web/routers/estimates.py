"""The estimates page and the report download, for the scopes the role may make, with the
disclosure options of ``unseen report`` (threshold, rounding, differential privacy).

Reports are made in a worker thread (``web/reports.py``); a page whose report is not done after
a few seconds says how far it is and reloads itself (a ``Refresh`` header: no script).

The download is an attachment (``Content-Disposition: attachment``): the browser saves it and
never renders it under this site, so the report's own inline stylesheet needs no exception to
the app's Content-Security-Policy, which stays the same on this response as on every other.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from unseen.errors import InputError
from unseen.services.access import REPORT_SCOPES, Capability, require_scope
from unseen.services.report_downloads import (
    ReportRequest,
    disclosure_settings,
    estimate_figures,
    make_report,
    report_file,
)
from unseen.services.reporting import SCOPES

from ..deps import Actor, allowed, app_state, render
from ..reports import Job, Key, Made
from ..security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)

EstimatesActor = Annotated[Actor, Depends(allowed(Capability.ESTIMATES))]
Scope = Annotated[str, Query(max_length=20)]
Partner = Annotated[str, Query(max_length=200)]
# As `unseen report`: --threshold (min 1), --round (min 2), --epsilon (min 0.001); empty: off.
Threshold = Annotated[int, Query(description="publish no cell of fewer people (1 or more)")]
Round = Annotated[str, Query(max_length=10, description="round counts to a multiple (2+)")]
Epsilon = Annotated[str, Query(max_length=20, description="DP budget per table (0.001+)")]
DOWNLOAD_WAIT = 600.0  # seconds a download waits for its report (no lock is held meanwhile)


def _number(text: str, field: str, kind: type[int] | type[float]) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InputError(
            f"{field}: write a number, or leave it empty / {field}: 숫자를 쓰거나 비워 두십시오"
        ) from None


def ask_of(
    scope: str, partner: str, lang: Literal["en", "ko"], threshold: int = 5, round_to: str = "",
    epsilon: str = "",
) -> ReportRequest:  # fmt: skip
    """The request, its disclosure options checked as the CLI checks them."""
    r = _number(round_to, "round", int)
    e = _number(epsilon, "epsilon", float)
    settings = disclosure_settings(threshold, None if r is None else int(r), e)
    return ReportRequest(scope=scope, lang=lang, partner=partner.strip() or None,
                         disclosure=settings)  # fmt: skip


def report_for(
    request: Request, who: Actor, ask: ReportRequest, *, wait: float | None = None
) -> tuple[Key, Made | Job]:
    """The report for this request, kept from a few minutes ago or made in a worker thread
    (the scope is checked for this user first, kept or not); a :class:`Job` if not done
    within ``wait`` seconds (default: the app's)."""
    require_scope(who.role, ask.scope)
    state = app_state(request)
    key: Key = (ask, dt.date.today())
    estimate = state.estimate
    found = state.reports.report(
        key,
        who.ws.sibling,  # her keys, its own connection: the report reads while she goes on
        lambda ws, progress: make_report(
            ws, ask, today=key[1], estimate=estimate, progress=progress
        ),  # fmt: skip
        wait=wait,
    )
    return key, found


def _lang(lang: str) -> Literal["en", "ko"]:
    return "en" if lang == "en" else "ko"


def _query(ask: ReportRequest) -> str:
    d = ask.disclosure
    return urllib.parse.urlencode({
        "scope": ask.scope, "partner": ask.partner or "", "threshold": d.threshold,
        "round": d.rounding or "", "epsilon": "" if d.epsilon is None else f"{d.epsilon:g}",
    })  # fmt: skip


@router.get("/estimates")
def estimates(
    request: Request,
    who: EstimatesActor,
    scope: Scope = "internal",
    partner: Partner = "",
    threshold: Threshold = 5,
    round: Round = "",  # noqa: A002 (the CLI's option name)
    epsilon: Epsilon = "",
) -> Response:
    ask = ask_of(scope, partner, _lang(who.lang), threshold, round, epsilon)
    key, found = report_for(request, who, ask)
    allowed_scopes = [s for s in SCOPES if s in REPORT_SCOPES[who.role]]
    context: dict[str, object] = {
        "scope": scope, "partner": partner.strip(), "scopes": allowed_scopes,
        "query": _query(ask), "disclosure": ask.disclosure,
    }  # fmt: skip
    if isinstance(found, Job):
        context["job"] = found
        response = render(request, "estimates.html", context, status=202)
        response.headers["Refresh"] = "2"  # reload until done (no script: the CSP holds)
        return response
    figures = app_state(request).reports.derived(
        key, "figures", found, lambda: estimate_figures(found.data)
    )
    context.update({
        "data": found.data, "figures": figures, "why": found.data.methods.estimation.get("why"),
        "made_at": dt.datetime.fromtimestamp(found.at, dt.UTC).strftime("%Y-%m-%d %H:%M"),
    })  # fmt: skip
    return render(request, "estimates.html", context)


@router.post("/estimates/refresh")
def refresh(
    request: Request,
    who: EstimatesActor,
    scope: Annotated[str, Form(max_length=20)] = "internal",
    partner: Annotated[str, Form(max_length=200)] = "",
    threshold: Annotated[int, Form()] = 5,
    round: Annotated[str, Form(max_length=10)] = "",  # noqa: A002
    epsilon: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    ask = ask_of(scope, partner, _lang(who.lang), threshold, round, epsilon)
    app_state(request).reports.clear()
    return RedirectResponse(f"/estimates?{_query(ask)}", status_code=303)


@router.get("/reports/download")
def download(
    request: Request,
    who: EstimatesActor,
    scope: Scope = "internal",
    partner: Partner = "",
    lang: Annotated[Literal["ko", "en"], Query()] = "ko",
    format: Annotated[Literal["html", "pdf"], Query()] = "html",  # noqa: A002 (the query's name)
    threshold: Threshold = 5,
    round: Round = "",  # noqa: A002
    epsilon: Epsilon = "",
) -> Response:
    """The whole report as a file (HTML or PDF), saved by the browser, not shown."""
    ask = ask_of(scope, partner, lang, threshold, round, epsilon)
    key, found = report_for(request, who, ask, wait=DOWNLOAD_WAIT)
    if isinstance(found, Job):
        return RedirectResponse(f"/estimates?{_query(ask)}", status_code=303)
    state = app_state(request)
    file = state.reports.derived(key, format, found, lambda: report_file(found.data, format))
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
