"""Pages that add to a recorded testimony: another act (with its perpetrator), a relationship
(mother, child, buyer, broker), an evidence file, and a consent withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from unseen.domain.model import InvolvementRole
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import InputError
from unseen.services.access import Capability, view_person
from unseen.services.record_edit import records_of_source
from unseen.services.source_edit import SourceEdit, edit_source, view_source
from unseen.services.testimony_parts import (
    MAX_EVIDENCE_BYTES,
    RELATIONSHIPS,
    ActInput,
    RelationshipInput,
    add_act,
    add_evidence,
    add_relationship,
    parts_of,
    read_evidence_file,
    withdraw_consent,
)
from unseen.services.versions import view_version

from .. import i18n
from ..deps import Actor, Forbidden, allowed, render, session_of
from ..security import csrf_guard

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]
NameActor = Annotated[Actor, Depends(allowed(Capability.SEARCH_NAME))]  # holds the key
PersonActor = Annotated[Actor, Depends(allowed(Capability.VIEW_PERSON))]
Short = Annotated[str, Form(max_length=200)]


def _choices(who: Actor) -> dict[str, object]:
    lang = who.lang
    return {
        "violations": [(c, f"{c} · {v.label(lang)}") for c, v in violation_types().items()],
        "perpetrators": [
            (c, f"{c} · {p.label_ko if lang == 'ko' else p.label_en}")
            for c, p in perpetrator_types().items()
        ],  # fmt: skip
        "roles": [r.value for r in InvolvementRole],
        "relationships": RELATIONSHIPS,
    }


def _back(request: Request, person_id: str, notice: str) -> Response:
    session_of(request).flash = notice
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.get("/people/{person_id}/add")
def add_form(request: Request, who: IntakeActor, person_id: str) -> Response:
    view = view_person(who.ws, person_id)
    if not view.editable:
        raise Forbidden()
    context = {"p": view, "parts": parts_of(who.ws, person_id), **_choices(who)}
    return render(request, "add.html", context)


@router.post("/people/{person_id}/acts")
def act(
    request: Request,
    who: IntakeActor,
    person_id: str,
    violation: Annotated[str, Form(max_length=40)],
    date: Short = "",
    place: Short = "",
    event_id: Short = "",
    perpetrator_type: Annotated[str, Form(max_length=40)] = "",
    perpetrator_name: Short = "",
    perpetrator_role: Annotated[str, Form(max_length=20)] = "direct",
) -> Response:
    add_act(who.ws, person_id, ActInput(
        violation=violation, date=date, place=place, event_id=event_id or None,
        perpetrator_type=perpetrator_type, perpetrator_name=perpetrator_name,
        perpetrator_role=perpetrator_role))  # fmt: skip
    return _back(request, person_id, "saved")


@router.post("/people/{person_id}/relationships")
def relationship(
    request: Request,
    who: IntakeActor,
    person_id: str,
    kind: Annotated[str, Form(max_length=20)],
    other_id: Short = "",
    name_hangul: Short = "",
    name_latin: Short = "",
    perpetrator_type: Annotated[str, Form(max_length=40)] = "",
    date: Short = "",
) -> Response:
    add_relationship(who.ws, person_id, RelationshipInput(
        kind=kind, other_id=other_id or None, name_hangul=name_hangul, name_latin=name_latin,
        perpetrator_type=perpetrator_type, date=date))  # fmt: skip
    return _back(request, person_id, "saved")


@router.post("/people/{person_id}/evidence")
def evidence(
    request: Request,
    who: IntakeActor,
    person_id: str,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=2000)] = "",
    keep_metadata: Annotated[bool, Form()] = False,
) -> Response:
    data = file.file.read(MAX_EVIDENCE_BYTES + 1)  # one byte more: too large is refused
    add_evidence(who.ws, person_id, data, filename=file.filename, media_type=file.content_type,
                 description=description, keep_metadata=keep_metadata)  # fmt: skip
    return _back(request, person_id, "evidence_saved")


@router.post("/consents/{consent_id}/withdraw")
def withdraw(request: Request, who: IntakeActor, consent_id: str) -> Response:
    person_id = who.ws.get("consent", consent_id).attributes.get("person_id")
    if not isinstance(person_id, str):
        raise InputError("consent: it names no person / 사람이 없는 동의입니다")
    withdraw_consent(who.ws, consent_id, on=dt.date.today())
    return _back(request, person_id, "withdrawn")


@router.get("/sources/{source_id}")
def source(request: Request, who: PersonActor, source_id: str) -> Response:
    notice = session_of(request).flash
    session_of(request).flash = None
    context = {"s": view_source(who.ws, source_id), "notice": notice, "keys": i18n.CATALOG,
               "records": records_of_source(who.ws, source_id)}  # fmt: skip
    return render(request, "source.html", context)


@router.get("/sources/{source_id}/edit")
def source_edit_form(request: Request, who: IntakeActor, source_id: str) -> Response:
    view = view_source(who.ws, source_id)
    if not view.editable:
        raise Forbidden()
    identity = view.identity or {}
    form = {"language": view.attributes.get("language") or "ko",
            "interviewee": identity.get("interviewee") or "",
            "narrative": identity.get("narrative") or "",
            "date_given": view.attributes.get("date_given") or ""}  # fmt: skip
    return render(request, "source_edit.html", {"s": view, "form": form})


@router.post("/sources/{source_id}/edit")
def source_edit(
    request: Request,
    who: IntakeActor,
    source_id: str,
    language: Annotated[str, Form(max_length=10)] = "ko",
    interviewee: Short = "",
    narrative: Annotated[str, Form(max_length=20_000)] = "",
    date_given: Short = "",
) -> Response:
    edit = SourceEdit(language=language, interviewee=interviewee, narrative=narrative,
                      date_given=date_given)  # fmt: skip
    edit_source(who.ws, source_id, edit)
    session_of(request).flash = "source_saved"
    return RedirectResponse(f"/sources/{source_id}", status_code=303)


@router.get("/people/{person_id}/versions/{version}")
def person_version(request: Request, who: PersonActor, person_id: str, version: int) -> Response:
    context = {"v": view_version(who.ws, "person", person_id, version)}
    return render(request, "version.html", context)


@router.get("/sources/{source_id}/versions/{version}")
def source_version(request: Request, who: PersonActor, source_id: str, version: int) -> Response:
    context = {"v": view_version(who.ws, "source", source_id, version)}
    return render(request, "version.html", context)


@router.get("/evidence/{evidence_id}")
def evidence_file(who: NameActor, evidence_id: str) -> Response:
    """The decrypted file, saved by the browser (never shown under this site: a file could be
    HTML); named by its hash, not its original (sealed) name."""
    content = read_evidence_file(who.ws, evidence_id)
    name = f"evidence-{content.sha256[:16]}"
    return Response(content.data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
