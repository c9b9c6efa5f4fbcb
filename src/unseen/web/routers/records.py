"""Pages of what a testimony recorded beyond the person and the source: an event, an act, a
perpetrator (its own page: the name only where its source's identities are visible) and a
relationship, each with its history, its change (a new version) and its delete (a tombstone
version); and one past version of any of them, of a consent or of an evidence file's record.
The logic is :mod:`unseen.services.record_edit`; these routes parse, call and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import InputError, RecordNotFound
from unseen.services.access import Capability
from unseen.services.record_edit import (
    ActEdit,
    EventEdit,
    PerpetratorEdit,
    RelationshipEdit,
    delete_record,
    edit_act,
    edit_event,
    edit_perpetrator,
    edit_relationship,
    last_written,
    view_record,
)
from unseen.services.versions import view_version

from .. import i18n
from ..deps import Actor, allowed, render, session_of
from ..security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]
PersonActor = Annotated[Actor, Depends(allowed(Capability.VIEW_PERSON))]
Short = Annotated[str, Form(max_length=200)]
Code = Annotated[str, Form(max_length=40)]

# Where each kind's page is (None: no page of its own).
PAGES: dict[str, str | None] = {
    "event": "/events/", "act": "/acts/", "perpetrator": "/perpetrators/",
    "relationship": "/relationships/", "person": "/people/", "source": "/sources/",
    "consent": None, "evidence": None, "involvement": None,
}  # fmt: skip


def _choices(lang: str) -> dict[str, Any]:
    return {
        "violations": [(c, f"{c} · {v.label(lang)}") for c, v in violation_types().items()],
        "perpetrators": [
            (c, f"{c} · {p.label_ko if lang == 'ko' else p.label_en}")
            for c, p in perpetrator_types().items()
        ],  # fmt: skip
    }


def _form_of(
    kind: str, attributes: dict[str, Any], identity: dict[str, Any] | None
) -> dict[str, str]:
    a = attributes
    if kind == "event":
        return {
            "date": a.get("date") or "",
            "place": a.get("place_text") or a.get("place_id") or "",
        }
    if kind == "act":
        return {"violation": a.get("violation") or "", "date": a.get("date") or "",
                "place": a.get("place_id") or ""}  # fmt: skip
    if kind == "perpetrator":
        return {"perpetrator_type": a.get("perpetrator_type") or "",
                "name": (identity or {}).get("name") or ""}  # fmt: skip
    return {"date": a.get("date") or ""}


def _page(
    request: Request, who: Actor, kind: str, record_id: str, *,
    form: dict[str, str] | None = None, error: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    view = view_record(who.ws, kind, record_id)
    notice = session_of(request).flash
    session_of(request).flash = None
    context = {"r": view, "pages": PAGES, "notice": notice, "error": error, "keys": i18n.CATALOG,
               "form": form if form is not None else _form_of(kind, view.attributes, view.identity),
               **_choices(who.lang)}  # fmt: skip
    return render(request, "record.html", context, status=status)


def _edited(
    request: Request, who: Actor, kind: str, record_id: str, form: dict[str, str],
    write: Callable[[], int],
) -> Response:  # fmt: skip
    was = who.ws.get(kind, record_id).version
    try:
        now = write()
    except InputError as exc:  # the form comes back as typed, with the field named
        return _page(request, who, kind, record_id, form=form, error=str(exc), status=422)
    session_of(request).flash = "record_saved" if now != was else "record_unchanged"
    return RedirectResponse(f"{PAGES[kind]}{record_id}", status_code=303)


def _where_after_delete(who: Actor, kind: str, record_id: str) -> str:
    a = last_written(who.ws, kind, record_id).attributes
    if kind == "act":
        return f"/people/{a['victim_id']}"
    if kind == "relationship":
        for end in ("person_id", "other_id"):
            try:
                if not who.ws.get("person", str(a[end])).deleted:
                    return f"/people/{a[end]}"
            except RecordNotFound:
                continue
    source_id = a.get("source_id")
    return f"/sources/{source_id}" if source_id else "/"


def _deleted(request: Request, who: Actor, kind: str, record_id: str, confirm: str) -> Response:
    if confirm != "yes":
        error = "confirm: tick the box to delete it / 삭제하려면 확인란을 선택하십시오"
        return _page(request, who, kind, record_id, error=error, status=422)
    delete_record(who.ws, kind, record_id)
    session_of(request).flash = "record_deleted"
    return RedirectResponse(_where_after_delete(who, kind, record_id), status_code=303)


def _version(request: Request, who: Actor, kind: str, record_id: str, version: int) -> Response:
    v = view_version(who.ws, kind, record_id, version)
    back = None
    if PAGES[kind] is not None:
        if not who.ws.get(kind, record_id).deleted:
            back = f"{PAGES[kind]}{record_id}"
    else:
        a = last_written(who.ws, kind, record_id).attributes
        if a.get("person_id"):
            back = f"/people/{a['person_id']}"
        elif a.get("source_id"):
            back = f"/sources/{a['source_id']}"
    return render(request, "record_version.html", {"v": v, "back": back, "keys": i18n.CATALOG})


# -- events --------------------------------------------------------------------------------------


@router.get("/events/{event_id}")
def event(request: Request, who: PersonActor, event_id: str) -> Response:
    return _page(request, who, "event", event_id)


@router.post("/events/{event_id}/edit")
def event_edit(
    request: Request, who: IntakeActor, event_id: str, date: Short = "", place: Short = ""
) -> Response:
    form = {"date": date, "place": place}
    return _edited(request, who, "event", event_id, form,
                   lambda: edit_event(who.ws, event_id, EventEdit(**form)))  # fmt: skip


@router.post("/events/{event_id}/delete")
def event_delete(request: Request, who: IntakeActor, event_id: str, confirm: Code = "") -> Response:
    return _deleted(request, who, "event", event_id, confirm)


@router.get("/events/{event_id}/versions/{version}")
def event_version(request: Request, who: PersonActor, event_id: str, version: int) -> Response:
    return _version(request, who, "event", event_id, version)


# -- acts ----------------------------------------------------------------------------------------


@router.get("/acts/{act_id}")
def act(request: Request, who: PersonActor, act_id: str) -> Response:
    return _page(request, who, "act", act_id)


@router.post("/acts/{act_id}/edit")
def act_edit(
    request: Request, who: IntakeActor, act_id: str, violation: Code = "", date: Short = "",
    place: Short = "",
) -> Response:  # fmt: skip
    form = {"violation": violation, "date": date, "place": place}
    return _edited(request, who, "act", act_id, form,
                   lambda: edit_act(who.ws, act_id, ActEdit(**form)))  # fmt: skip


@router.post("/acts/{act_id}/delete")
def act_delete(request: Request, who: IntakeActor, act_id: str, confirm: Code = "") -> Response:
    return _deleted(request, who, "act", act_id, confirm)


@router.get("/acts/{act_id}/versions/{version}")
def act_version(request: Request, who: PersonActor, act_id: str, version: int) -> Response:
    return _version(request, who, "act", act_id, version)


# -- perpetrators --------------------------------------------------------------------------------


@router.get("/perpetrators/{perpetrator_id}")
def perpetrator(request: Request, who: PersonActor, perpetrator_id: str) -> Response:
    return _page(request, who, "perpetrator", perpetrator_id)


@router.post("/perpetrators/{perpetrator_id}/edit")
def perpetrator_edit(
    request: Request, who: IntakeActor, perpetrator_id: str, perpetrator_type: Code = "",
    name: Short = "",
) -> Response:  # fmt: skip
    form = {"perpetrator_type": perpetrator_type, "name": name}
    edit = PerpetratorEdit(**form)
    return _edited(request, who, "perpetrator", perpetrator_id, form,
                   lambda: edit_perpetrator(who.ws, perpetrator_id, edit))  # fmt: skip


@router.post("/perpetrators/{perpetrator_id}/delete")
def perpetrator_delete(
    request: Request, who: IntakeActor, perpetrator_id: str, confirm: Code = ""
) -> Response:
    return _deleted(request, who, "perpetrator", perpetrator_id, confirm)


@router.get("/perpetrators/{perpetrator_id}/versions/{version}")
def perpetrator_version(
    request: Request, who: PersonActor, perpetrator_id: str, version: int
) -> Response:
    return _version(request, who, "perpetrator", perpetrator_id, version)


# -- relationships -------------------------------------------------------------------------------


@router.get("/relationships/{relationship_id}")
def relationship(request: Request, who: PersonActor, relationship_id: str) -> Response:
    return _page(request, who, "relationship", relationship_id)


@router.post("/relationships/{relationship_id}/edit")
def relationship_edit(
    request: Request, who: IntakeActor, relationship_id: str, date: Short = ""
) -> Response:
    form = {"date": date}
    edit = RelationshipEdit(**form)
    return _edited(request, who, "relationship", relationship_id, form,
                   lambda: edit_relationship(who.ws, relationship_id, edit))  # fmt: skip


@router.post("/relationships/{relationship_id}/delete")
def relationship_delete(
    request: Request, who: IntakeActor, relationship_id: str, confirm: Code = ""
) -> Response:
    return _deleted(request, who, "relationship", relationship_id, confirm)


@router.get("/relationships/{relationship_id}/versions/{version}")
def relationship_version(
    request: Request, who: PersonActor, relationship_id: str, version: int
) -> Response:
    return _version(request, who, "relationship", relationship_id, version)


# -- past versions of records without a page of their own ---------------------------------------


@router.get("/consents/{consent_id}/versions/{version}")
def consent_version(request: Request, who: PersonActor, consent_id: str, version: int) -> Response:
    return _version(request, who, "consent", consent_id, version)


@router.get("/evidence/{evidence_id}/versions/{version}")
def evidence_version(
    request: Request, who: PersonActor, evidence_id: str, version: int
) -> Response:
    return _version(request, who, "evidence", evidence_id, version)
