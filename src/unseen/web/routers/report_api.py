"""``GET /api/estimates``: the report's headline and estimates, with ``unseen report``'s
disclosure options; 202 with the job's stage while the report is still being made."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from unseen.services.access import Capability

from ..deps import Actor, allowed
from ..reports import Job
from ..security import csrf_guard
from .api import _ERRORS
from .estimates import Epsilon, Round, Threshold, ask_of, report_for

router = APIRouter(
    prefix="/api", dependencies=[Depends(csrf_guard)], tags=["api"], responses=_ERRORS
)
EstimatesActor = Annotated[Actor, Depends(allowed(Capability.ESTIMATES))]


class EstimateOut(BaseModel):
    label: str
    method: str
    status: Literal["ok", "not_estimable"]
    observed: int
    estimate: float | None
    lower: float | None
    upper: float | None = Field(description="null when not estimable or unbounded above")
    level: float
    message: str
    truth: int | None = Field(description="the simulated truth, in a demo only")


class DisclosureOut(BaseModel):
    threshold: int
    round: int | None
    epsilon: float | None


class EstimatesOut(BaseModel):
    scope: str
    partner: str | None
    people_in_scope: int
    left_out_by_consent: int
    estimates: list[EstimateOut]
    why: str | None = Field(description="why there is no estimate, or how it was chosen")
    disclosure: DisclosureOut


class ReportJobOut(BaseModel):
    status: Literal["running"]
    stage: str = Field(description="e.g. 'read people', 'count', 'bootstrap'")
    done: int
    total: int


@router.get(
    "/estimates",
    response_model=EstimatesOut,
    responses={202: {"model": ReportJobOut, "description": "Being made: ask again"}},
)
def estimates(
    request: Request,
    who: EstimatesActor,
    scope: Annotated[Literal["internal", "partner", "un", "public"], Query()] = "internal",
    partner: Annotated[str, Query(max_length=200)] = "",
    lang: Annotated[Literal["ko", "en"], Query()] = "en",
    threshold: Threshold = 5,
    round: Round = "",  # noqa: A002 (the CLI's option name)
    epsilon: Epsilon = "",
) -> Any:
    """The report's estimates for a scope the role may make (403 otherwise), after the
    disclosure options of ``unseen report`` (``threshold`` 1 or more, default 5; ``round`` 2
    or more; ``epsilon`` 0.001 or more; empty: off). 202 while it is being made. The whole
    report as a file: GET /reports/download with the same query and ``format=html|pdf``."""
    ask = ask_of(scope, partner, lang, threshold, round, epsilon)
    _, found = report_for(request, who, ask)
    if isinstance(found, Job):
        job = ReportJobOut(
            status="running", stage=found.stage, done=found.done_steps, total=found.total_steps
        )
        return JSONResponse(job.model_dump(), status_code=202)
    d = found.data
    views = [
        EstimateOut(
            label=v.label, method=v.estimate.method, status=v.estimate.status,  # type: ignore[arg-type]
            observed=v.estimate.observed, estimate=v.estimate.estimate, lower=v.estimate.lower,
            upper=v.estimate.upper, level=v.estimate.level, message=v.estimate.message,
            truth=v.truth,
        )
        for v in d.estimates
    ]  # fmt: skip
    s = ask.disclosure
    return EstimatesOut(
        scope=d.scope, partner=partner.strip() or None, people_in_scope=d.people_in_scope,
        left_out_by_consent=d.left_out_by_consent, estimates=views,
        why=d.methods.estimation.get("why"),
        disclosure=DisclosureOut(threshold=s.threshold, round=s.rounding, epsilon=s.epsilon),
    )  # fmt: skip
