"""The estimates page and the report download, for the scopes the role may make.

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

from unseen.services.access import REPORT_SCOPES, Capability, require_scope
from unseen.services.report_downloads import (
    ReportRequest,
    estimate_figures,
    make_report,
    report_file,
)
from unseen.services.reporting import SCOPES

from ..deps import Actor, allowed, app_state, render
from ..reports import Key, Made
from ..security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)

EstimatesActor = Annotated[Actor, Depends(allowed(Capability.ESTIMATES))]
Scope = Annotated[str, Query(max_length=20)]
Partner = Annotated[str, Query(max_length=200)]


def report_for(
    request: Request, who: Actor, scope: str, partner: str, lang: Literal["en", "ko"]
) -> tuple[Key, Made]:
    """The report for this request, made now or kept from a few minutes ago (the scope is
    checked for this user first, kept or not)."""
    require_scope(who.role, scope)
    state = app_state(request)
    ask = ReportRequest(scope=scope, lang=lang, partner=partner.strip() or None)
    key: Key = (ask, dt.date.today())
    made = state.reports.report(
        key, lambda: make_report(who.ws, ask, today=key[1], estimate=state.estimate)
    )
    return key, made


def _lang(lang: str) -> Literal["en", "ko"]:
    return "en" if lang == "en" else "ko"


@router.get("/estimates")
def estimates(
    request: Request, who: EstimatesActor, scope: Scope = "internal", partner: Partner = ""
) -> Response:
    key, made = report_for(request, who, scope, partner, _lang(who.lang))
    figures = app_state(request).reports.derived(
        key, "figures", made, lambda: estimate_figures(made.data)
    )
    allowed_scopes = [s for s in SCOPES if s in REPORT_SCOPES[who.role]]
    made_at = dt.datetime.fromtimestamp(made.at, dt.UTC).strftime("%Y-%m-%d %H:%M")
    context = {
        "data": made.data, "figures": figures, "scope": scope,
        "partner": partner.strip(), "scopes": allowed_scopes, "made_at": made_at,
        "why": made.data.methods.estimation.get("why"),
        "query": urllib.parse.urlencode({"scope": scope, "partner": partner.strip()}),
    }  # fmt: skip
    return render(request, "estimates.html", context)


@router.post("/estimates/refresh")
def refresh(
    request: Request,
    who: EstimatesActor,
    scope: Annotated[str, Form(max_length=20)] = "internal",
    partner: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    app_state(request).reports.clear()
    query = urllib.parse.urlencode({"scope": scope, "partner": partner.strip()})
    return RedirectResponse(f"/estimates?{query}", status_code=303)


@router.get("/reports/download")
def download(
    request: Request,
    who: EstimatesActor,
    scope: Scope = "internal",
    partner: Partner = "",
    lang: Annotated[Literal["ko", "en"], Query()] = "ko",
    format: Annotated[Literal["html", "pdf"], Query()] = "html",  # noqa: A002 (the query's name)
) -> Response:
    """The whole report as a file (HTML or PDF), saved by the browser, not shown."""
    key, made = report_for(request, who, scope, partner, lang)
    state = app_state(request)
    file = state.reports.derived(key, format, made, lambda: report_file(made.data, format))
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
