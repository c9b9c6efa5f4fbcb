"""The HTML pages: home, testimony intake, search, a person, the review queue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from unseen.domain.vocab import violation_types
from unseen.errors import InputError, RecordNotFound
from unseen.linkage import DECISIONS
from unseen.services import accounts, review
from unseen.services.access import Capability, display_name, grant_source, view_person
from unseen.services.intake import PersonEdit, Testimony, edit_person, record_testimony
from unseen.services.testimony_parts import parts_of

from ..deps import Actor, ActorDep, Forbidden, allowed, render, session_of
from ..search import Hit, run_search
from ..security import csrf_guard
from ..sessions import Stage

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]
SearchActor = Annotated[Actor, Depends(allowed(Capability.SEARCH))]
PersonActor = Annotated[Actor, Depends(allowed(Capability.VIEW_PERSON))]
ReviewActor = Annotated[Actor, Depends(allowed(Capability.REVIEW))]
AdminActor = Annotated[Actor, Depends(allowed(Capability.ACCOUNTS))]


def _violations(lang: str) -> list[tuple[str, str]]:
    return [(code, f"{code} · {v.label(lang)}") for code, v in violation_types().items()]


@router.get("/")
def home(request: Request, who: ActorDep) -> Response:
    return render(request, "home.html")


@router.get("/intake")
def intake_form(request: Request, who: IntakeActor) -> Response:
    return render(request, "intake.html", {"violations": _violations(who.lang), "form": {}})


@router.post("/intake")
def intake(
    request: Request,
    who: IntakeActor,
    language: Annotated[str, Form()] = "ko",
    name_hangul: Annotated[str, Form()] = "",
    name_latin: Annotated[str, Form()] = "",
    sex: Annotated[str, Form()] = "unknown",
    birth_date: Annotated[str, Form()] = "",
    violation: Annotated[str, Form()] = "",
    event_date: Annotated[str, Form()] = "",
    event_place: Annotated[str, Form()] = "",
    interviewee: Annotated[str, Form()] = "",
    narrative: Annotated[str, Form()] = "",
    consent: Annotated[list[str] | None, Form()] = None,
    partners: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    scopes, named = tuple(consent or ()), _partners(partners)
    form = {
        "language": language, "name_hangul": name_hangul, "name_latin": name_latin, "sex": sex,
        "birth_date": birth_date, "violation": violation, "event_date": event_date,
        "event_place": event_place, "interviewee": interviewee, "narrative": narrative,
    }  # fmt: skip
    try:
        testimony = Testimony(**form, consent=scopes, partners=named)
        result = record_testimony(who.ws, testimony, today=dt.date.today())
    except InputError as exc:
        kept = {**form, "consent": list(scopes), "partners": partners}
        context = {"violations": _violations(who.lang), "form": kept, "error": str(exc)}
        return render(request, "intake.html", context, status=422)
    return render(request, "saved.html", {"result": result, "place_text": event_place})


def _partners(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\n", ",").split(",") if p.strip())


@router.get("/search")
def search_form(request: Request, who: SearchActor) -> Response:
    return _search_page(request, who, asked=False, hits=[], q={})


@router.post("/search")
def search(
    request: Request,
    who: SearchActor,
    name: Annotated[str, Form(max_length=200)] = "",
    violation: Annotated[str, Form(max_length=40)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
    year: Annotated[int | None, Form(ge=1, le=9999)] = None,
) -> Response:
    # A POST, not a GET: a name in a URL would stay in the browser's history on disk.
    hits = run_search(who, name=name, violation=violation, place=place, year=year)
    q: dict[str, object] = {
        "name": name,
        "violation": violation,
        "place": place,
        "year": year or "",
    }
    return _search_page(request, who, asked=True, hits=hits, q=q)


def _search_page(
    request: Request, who: Actor, *, asked: bool, hits: list[Hit], q: dict[str, object]
) -> Response:
    context = {"hits": hits, "asked": asked, "violations": _violations(who.lang), "q": q}
    return render(request, "search.html", context)


@router.get("/people/{person_id}")
def person(request: Request, who: PersonActor, person_id: str) -> Response:
    view = view_person(who.ws, person_id)
    notice = session_of(request).flash
    session_of(request).flash = None
    context = {"p": view, "name": display_name(view.identity), "notice": notice,
               "parts": parts_of(who.ws, person_id)}  # fmt: skip
    return render(request, "person.html", context)


@router.get("/people/{person_id}/edit")
def person_edit_form(request: Request, who: IntakeActor, person_id: str) -> Response:
    view = view_person(who.ws, person_id)
    if not view.editable:
        raise Forbidden()
    identity = view.identity or {}
    form = {"name_hangul": identity.get("name_hangul") or "",
            "name_latin": identity.get("full_name") or "",
            "sex": view.attributes.get("sex", "unknown"),
            "birth_date": identity.get("birth_date") or ""}  # fmt: skip
    return render(request, "edit.html", {"p": view, "form": form})


@router.post("/people/{person_id}/edit")
def person_edit(
    request: Request,
    who: IntakeActor,
    person_id: str,
    name_hangul: Annotated[str, Form(max_length=200)] = "",
    name_latin: Annotated[str, Form(max_length=200)] = "",
    sex: Annotated[str, Form(max_length=10)] = "unknown",
    birth_date: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    form = {"name_hangul": name_hangul, "name_latin": name_latin, "sex": sex,
            "birth_date": birth_date}  # fmt: skip
    try:
        edit_person(who.ws, person_id, PersonEdit(**form))
    except InputError as exc:
        view = view_person(who.ws, person_id)
        context = {"p": view, "form": form, "error": str(exc)}
        return render(request, "edit.html", context, status=422)
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.get("/review")
def review_next(request: Request, who: ReviewActor) -> Response:
    pair = review.next_pair(who.ws)
    view = review.pair_view(who.ws, pair.record_id) if pair is not None else None
    notice = session_of(request).flash
    session_of(request).flash = None
    context = {"pair": view, "decisions": DECISIONS, "notice": notice,
               "counts": review.queue_counts(who.ws)}  # fmt: skip
    return render(request, "review.html", context)


@router.post("/review/{pair_id}")
def review_decide(
    request: Request, who: ReviewActor, pair_id: str, decision: Annotated[str, Form()]
) -> Response:
    try:
        review.decide(who.ws, pair_id, decision)
    except InputError as exc:  # it contradicts earlier decisions: the same pair, and why
        view = review.pair_view(who.ws, pair_id)
        context = {"pair": view, "decisions": DECISIONS, "error": str(exc),
                   "counts": review.queue_counts(who.ws)}  # fmt: skip
        return render(request, "review.html", context, status=422)
    session = session_of(request)
    if session.stage is Stage.SIGNED_IN:
        session.flash = "decided"
    return RedirectResponse("/review", status_code=303)


@router.get("/admin")
def admin(request: Request, who: AdminActor) -> Response:
    rows = [
        {"user": u.name, "role": u.role.value, "lockout": accounts.lockout(who.ws, u.name),
         "second_factor": accounts.has_second_factor(who.ws, u.name)}
        for u in who.ws.list_users() if u.removed_at is None
    ]  # fmt: skip
    notice = session_of(request).flash
    session_of(request).flash = None
    documenters = [r["user"] for r in rows if r["role"] == "documenter"]
    context = {"rows": rows, "now": who.now, "notice": notice, "documenters": documenters}
    return render(request, "admin.html", context)


@router.post("/admin/accounts/{user}/unlock")
def admin_unlock(request: Request, who: AdminActor, user: str) -> Response:
    _known(who, user)
    accounts.unlock_account(who.ws, user)
    return _back_to_admin(request, "unlocked")


@router.post("/admin/accounts/{user}/reset-second-factor")
def admin_reset(request: Request, who: AdminActor, user: str) -> Response:
    _known(who, user)
    accounts.reset_totp(who.ws, user)
    return _back_to_admin(request, "second_factor_reset")


@router.post("/admin/grants")
def admin_grant(
    request: Request,
    who: AdminActor,
    user: Annotated[str, Form(max_length=200)],
    source_id: Annotated[str, Form(max_length=200)],
) -> Response:
    grant_source(who.ws, user.strip(), source_id.strip())
    return _back_to_admin(request, "granted")


def _known(who: Actor, user: str) -> None:
    if user not in accounts.active_users(who.ws):
        raise RecordNotFound(f"no user {user} / 없는 사용자입니다")


def _back_to_admin(request: Request, notice: str) -> Response:
    session_of(request).flash = notice
    return RedirectResponse("/admin", status_code=303)
