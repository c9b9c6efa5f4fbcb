"""Consent beyond the intake form: a consent for any person of a testimony (a child added as a
relationship too), a new consent after a withdrawal, and a signed consent form attached to a
consent as an evidence file (``Consent.evidence_id``).

Who: the same rule as every other addition to a testimony (the intake capability and the
person's identity visible: :func:`unseen.services.testimony_parts.add_act`'s rule). Every
write is a record version through the store, so it is audited under the user's name.

**The newest consent in force is what counts.** Reports and exports count a person when *a*
consent in force covers the scope (:mod:`unseen.services.reporting`). So that this union and
"the newest consent decides" never disagree, a new consent ends every consent of hers still in
force: each gets a new version withdrawn on the new one's day. A narrower new consent
therefore narrows what reports count at once, and a new consent after a withdrawal puts her
back in the scopes it covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from unseen.domain.model import Consent, ConsentScope
from unseen.errors import InputError, RecordNotFound
from unseen.store import StoredRecord, Workspace

from .testimony_parts import add_evidence, editable_person

__all__ = [
    "ConsentGiven",
    "ConsentInput",
    "EvidenceUpload",
    "attach_consent_evidence",
    "give_consent",
]


@dataclass(frozen=True, repr=False)
class EvidenceUpload:
    """A signed consent form (or a recording of the consent), stored like any evidence file:
    encrypted, hashed, metadata removed unless ``keep_metadata``."""

    data: bytes
    filename: str | None
    media_type: str | None = None
    keep_metadata: bool = False

    def __repr__(self) -> str:
        return f"EvidenceUpload({len(self.data)} bytes)"


@dataclass(frozen=True)
class ConsentInput:
    """The scopes she allows, each explicitly (none implies another), and the partners named
    for ``partner``. ``given``: the day she gave it (default: today)."""

    scopes: tuple[str, ...]
    partners: tuple[str, ...] = ()
    given: dt.date | None = None


@dataclass(frozen=True)
class ConsentGiven:
    consent_id: str
    given: str
    superseded: tuple[str, ...]  # the consents of hers it ended (withdrawn on its day)
    evidence_id: str | None
    evidence_sha256: str | None


def _scopes(values: tuple[str, ...]) -> frozenset[ConsentScope]:
    allowed = ", ".join(s.value for s in ConsentScope if s.name.isupper())
    if not values:
        raise InputError(
            f"scopes: tick at least one of {allowed} / 동의 범위를 하나 이상 고르십시오"
        )
    try:
        return frozenset(ConsentScope(v) for v in values)
    except ValueError:
        raise InputError(
            f"scopes: each one of {allowed} / 동의 범위를 목록에서 고르십시오"
        ) from None


def _partners(scopes: frozenset[ConsentScope], partners: tuple[str, ...]) -> frozenset[str]:
    named = frozenset(" ".join(p.split()) for p in partners if p.strip())
    if (ConsentScope.PARTNER in scopes) != bool(named):
        raise InputError(
            "partners: the partner scope needs the partners' names, and names need that scope "
            "/ 협력 기관 범위에는 기관 이름이 필요하고, 이름에는 그 범위가 필요합니다"
        )
    return named


def _her(ws: Workspace, person_id: str) -> StoredRecord:
    """The person, if this user may add to her testimony (the rule of testimony_parts)."""
    return editable_person(ws, person_id, "record consent for this person")


def give_consent(
    ws: Workspace,
    person_id: str,
    c: ConsentInput,
    *,
    today: dt.date,
    evidence: EvidenceUpload | None = None,
) -> ConsentGiven:
    """Record a consent she gave (a new record), ending the consents of hers still in force on
    its day; with ``evidence``, the signed form is stored and tied to it. Nothing is written
    when anything is refused."""
    her = _her(ws, person_id)
    scopes = _scopes(c.scopes)
    partners = _partners(scopes, c.partners)
    given = c.given or today
    if given > today:
        raise InputError("given: not after today / 동의일은 오늘 이후일 수 없습니다")
    source_id = her.attributes.get("source_id")
    ended: list[str] = []
    evidence_id = sha = None
    with ws.transaction():
        for rec in ws.query(Consent.KIND, person_id=person_id):
            if rec.deleted:
                continue
            old = Consent.from_record(rec.record_id, rec.attributes, None)
            if old.withdrawn is None or old.withdrawn > given:
                if given < old.given:
                    raise InputError(
                        f"given: before her consent of {old.given}, which is newer "
                        "/ 더 최근 동의보다 앞선 날짜입니다"
                    )
                ended.append(rec.record_id)
        if evidence is not None:
            added = add_evidence(
                ws, person_id, evidence.data, filename=evidence.filename,
                media_type=evidence.media_type, description="consent form / 동의서",
                keep_metadata=evidence.keep_metadata,
            )  # fmt: skip
            evidence_id, sha = added.record_id, added.sha256
        attributes, _ = Consent(
            person_id=person_id, source_id=source_id, scopes=scopes, partners=partners,
            given=given, recorded_by=ws.user, evidence_id=evidence_id,
        ).to_record()  # fmt: skip
        new_id = ws.put(Consent.KIND, attributes).record_id
        for record_id in ended:
            rec = ws.get(Consent.KIND, record_id)
            ws.put(
                Consent.KIND,
                {**rec.attributes, "withdrawn": given.isoformat()},
                record_id=record_id,
            )
    return ConsentGiven(new_id, given.isoformat(), tuple(ended), evidence_id, sha)


def attach_consent_evidence(ws: Workspace, consent_id: str, evidence: EvidenceUpload) -> str:
    """Store the signed form of a consent already recorded and tie it to it (a new version of
    the consent, ``evidence_id`` set). Returns the evidence record's id."""
    rec = ws.get(Consent.KIND, consent_id)
    if rec.deleted:
        raise RecordNotFound(f"no consent record {consent_id}")
    person_id = str(rec.attributes["person_id"])
    _her(ws, person_id)
    if rec.attributes.get("evidence_id"):
        raise InputError(
            "consent: it already has its form; record a new consent for a new form "
            "/ 이미 동의서가 있습니다. 새 동의서는 새 동의로 기록하십시오"
        )
    with ws.transaction():
        added = add_evidence(
            ws, person_id, evidence.data, filename=evidence.filename,
            media_type=evidence.media_type, description="consent form / 동의서",
            keep_metadata=evidence.keep_metadata,
        )  # fmt: skip
        ws.put(Consent.KIND, {**rec.attributes, "evidence_id": added.record_id},
               record_id=consent_id)  # fmt: skip
    return added.record_id
