"""Consent on the person page and in the API: a new consent (for anyone of a testimony, a child
added as a relationship too, and again after a withdrawal) with its signed form if there is
one, and a form attached to a consent already recorded (services.consents)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from unseen.errors import InputError
from unseen.services.access import Capability
from unseen.services.consents import (
    ConsentInput,
    EvidenceUpload,
    attach_consent_evidence,
    give_consent,
)
from unseen.services.testimony_parts import MAX_EVIDENCE_BYTES

from ..deps import Actor, allowed, session_of
from ..security import csrf_guard
from .api import _ERRORS

pages = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=[Depends(csrf_guard)], tags=["api"],
                responses=_ERRORS)  # fmt: skip

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]


def _day(text: str | None) -> dt.date | None:
    if not text or not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            "given: write the day as YYYY-MM-DD, or leave it empty for today "
            "/ 동의일은 YYYY-MM-DD로 쓰거나 비워 두십시오 (오늘)"
        ) from None


def _upload(file: UploadFile | None, keep_metadata: bool) -> EvidenceUpload | None:
    if file is None or not file.filename:
        return None
    data = file.file.read(MAX_EVIDENCE_BYTES + 1)  # one byte more: too large is refused
    return EvidenceUpload(data, file.filename, file.content_type, keep_metadata)


def _partners(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\n", ",").split(",") if p.strip())


def _back(request: Request, person_id: str, notice: str) -> Response:
    session_of(request).flash = notice
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@pages.post("/people/{person_id}/consents")
def consent_form(
    request: Request,
    who: IntakeActor,
    person_id: str,
    consent: Annotated[list[str] | None, Form()] = None,
    partners: Annotated[str, Form(max_length=1000)] = "",
    given: Annotated[str, Form(max_length=20)] = "",
    file: Annotated[UploadFile | None, File()] = None,
    keep_metadata: Annotated[bool, Form()] = False,
) -> Response:
    c = ConsentInput(tuple(consent or ()), _partners(partners), _day(given))
    give_consent(who.ws, person_id, c, today=dt.date.today(),
                 evidence=_upload(file, keep_metadata))  # fmt: skip
    return _back(request, person_id, "consent_saved")


@pages.post("/consents/{consent_id}/evidence")
def consent_evidence_form(
    request: Request,
    who: IntakeActor,
    consent_id: str,
    file: Annotated[UploadFile, File()],
    keep_metadata: Annotated[bool, Form()] = False,
) -> Response:
    upload = _upload(file, keep_metadata) or EvidenceUpload(b"", None)
    attach_consent_evidence(who.ws, consent_id, upload)
    person_id = str(who.ws.get("consent", consent_id).attributes["person_id"])
    return _back(request, person_id, "consent_form_saved")


class ConsentIn(BaseModel):
    scopes: list[Annotated[str, Field(max_length=20)]] = Field(max_length=4)
    partners: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=20)
    given: str | None = Field(default=None, max_length=20, description="YYYY-MM-DD; default today")


class ConsentOut(BaseModel):
    consent_id: str
    given: str
    superseded: list[str] = Field(description="her consents it ended (withdrawn on its day)")
    evidence_id: str | None
    evidence_sha256: str | None


@api.post("/people/{person_id}/consents", status_code=201)
def consent_api(who: IntakeActor, person_id: str, body: ConsentIn) -> ConsentOut:
    """A consent she gave (any person of a testimony, a child too; again after a withdrawal).
    It ends her consents still in force, so the newest in force is what reports count."""
    c = ConsentInput(tuple(body.scopes), tuple(body.partners), _day(body.given))
    r = give_consent(who.ws, person_id, c, today=dt.date.today())
    return ConsentOut(consent_id=r.consent_id, given=r.given, superseded=list(r.superseded),
                      evidence_id=r.evidence_id, evidence_sha256=r.evidence_sha256)  # fmt: skip


class ConsentEvidenceOut(BaseModel):
    consent_id: str
    evidence_id: str


@api.post("/consents/{consent_id}/evidence", status_code=201)
def consent_evidence_api(
    who: IntakeActor,
    consent_id: str,
    file: Annotated[UploadFile, File()],
    keep_metadata: Annotated[bool, Form()] = False,
) -> ConsentEvidenceOut:
    """The signed form of a consent (multipart), stored as an evidence file of her testimony:
    encrypted, hashed, metadata removed (JPEG, PNG) or kept on purpose (``keep_metadata``)."""
    upload = _upload(file, keep_metadata) or EvidenceUpload(b"", None)
    evidence_id = attach_consent_evidence(who.ws, consent_id, upload)
    return ConsentEvidenceOut(consent_id=consent_id, evidence_id=evidence_id)
