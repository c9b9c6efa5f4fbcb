"""Test material for the web app: a workspace with one user per role, a settable clock, and a
client that signs in through the real pages (passphrase, then a TOTP code from the page's secret).
Synthetic names only."""

from __future__ import annotations

import base64
import csv
import html
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import StarletteDeprecationWarning
from starlette.routing import Route

from unseen.crypto import Secret, totp_code

with warnings.catch_warnings():
    # Starlette 1.10 wants httpx2 for its test client and warns on httpx (still works); the lead
    # may add httpx2 to the test extra, then this block goes.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient"]

PASSWORDS = {
    "admin-1": "admin passphrase words",
    "doc-1": "documenter one words",
    "doc-2": "documenter two words",
    "rev-1": "reviewer passphrase words",
    "analyst-1": "analyst passphrase words",
    "coord-1": "coordinator passphrase words",
}
ROLES = {
    "doc-1": "documenter",
    "doc-2": "documenter",
    "rev-1": "reviewer",
    "analyst-1": "analyst",
    "coord-1": "coordinator",
}
# Made-up names that occur nowhere else: if one shows up in an analyst's page, it leaked.
CANARY_HANGUL = "뷁쫣햏"
CANARY_LATIN = "Qvxzorplanck Sun-hui"

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_SECRET = re.compile(r'id="totp-secret">([^<]+)<')


@dataclass
class Clock:
    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Secrets:
    """TOTP secrets users enrolled, as their phones would keep them."""

    by_user: dict[str, Secret] = field(default_factory=dict)


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "no CSRF field on the page"
    return html.unescape(found.group(1))


def code_for(secrets: Secrets, user: str, page: str, clock: Clock) -> str:
    shown = _SECRET.search(page)
    if shown:
        text = shown.group(1).replace(" ", "")
        secrets.by_user[user] = Secret(base64.b32decode(text + "=" * (-len(text) % 8)))
    return totp_code(secrets.by_user[user], clock.now)


def sign_in(
    client: TestClient, user: str, clock: Clock, secrets: Secrets, passphrase: str | None = None
) -> str:
    """Sign in through /login and /login/code; returns the session's CSRF token."""
    clock.advance(31)  # a new TOTP step: the last code used is refused on purpose
    page = client.get("/login").text
    r = client.post(
        "/login",
        data={"csrf": csrf_of(page), "user": user, "passphrase": passphrase or PASSWORDS[user]},
    )
    assert r.status_code == 200 and "/login/code" in str(r.url), r.status_code
    code = code_for(secrets, user, r.text, clock)
    r = client.post("/login/code", data={"csrf": csrf_of(r.text), "code": code})
    assert r.status_code == 200 and str(r.url).endswith("/"), r.status_code
    me = client.get("/api/me").json()
    assert me["user"] == user
    token: str = me["csrf_token"]
    return token


LIST_HEADER = ["record_id", "list", "family_name", "given_name", "name_hangul", "sex",
               "birth_date", "event_date", "event_place", "violation"]  # fmt: skip


def canary_list_rows() -> list[dict[str, str]]:
    """Two spellings of one made-up woman in another organisation's list: a review pair."""
    base = {"list": "NGO list", "sex": "F", "event_place": "Yanji", "violation": "FMAR"}
    return [
        {**base, "record_id": "L1", "family_name": "Qvxzorplanck", "given_name": "Sun-hui",
         "name_hangul": CANARY_HANGUL, "birth_date": "1980", "event_date": "2010년 봄"},
        {**base, "record_id": "L2", "family_name": "Qvxzorplanck", "given_name": "Sunhui",
         "name_hangul": CANARY_HANGUL, "birth_date": "1981", "event_date": "2010"},
    ]  # fmt: skip


def seed_review_pair(workspace: Any, folder: Path) -> str:
    """Import the canary list as the admin and queue its two records as one review pair."""
    from unseen.services import review
    from unseen.services.ingest import import_person_list

    people = folder / "list.csv"
    with people.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=LIST_HEADER)
        w.writeheader()
        w.writerows(canary_list_rows())
    import_person_list(workspace, people)
    pairs = folder / "pairs.csv"
    # The reasons of a run of the default model (0.7 = +1.2 bits).
    why = ("start: any two records -11.8; name: same Hangul (other spelling or North/South "
           "form) +11.2; name: how common -0.4; birth: within 366 days +1.6; sex: same +0.6; "
           "origin: unknown on one side +0.0")  # fmt: skip
    pairs.write_text(
        "record_id_l,list_l,record_id_r,list_r,match_probability,reasons\n"
        f"L1,NGO list,L2,NGO list,0.7,{why}\n",
        encoding="utf-8",
    )
    # That run's clusters, beside pairs.csv: it kept the two apart.
    (folder / "clusters.csv").write_text(
        "record_id,list,cluster_id,cluster_size,match_probability\n"
        "L1,NGO list,C1,1,\nL2,NGO list,C2,1,\n",
        encoding="utf-8",
    )
    assert review.queue_from_pairs(workspace, pairs) == 1
    pair = review.next_pair(workspace)
    assert pair is not None
    return pair.record_id


# Capture histories of three lists (counts only): the table test_reporting_build uses.
HISTORIES = [[1, 0, 0, 60], [0, 1, 0, 50], [0, 0, 1, 40], [1, 1, 0, 20], [1, 0, 1, 15],
             [0, 1, 1, 12], [1, 1, 1, 6]]  # fmt: skip
OBSERVED = sum(r[-1] for r in HISTORIES)  # 203 people seen on at least one list


def seed_linkage_run(
    workspace: Any, clusters: dict[str, str] | None = None, *, histories: bool = True
) -> None:
    """A linkage run record as `unseen link --workspace` keeps it: counts, the capture
    histories (for estimates) and which cluster each person record is in (opaque ids)."""
    attributes: dict[str, Any] = {
        "records": 250, "clusters": OBSERVED, "lists": ["A", "B", "C"], "threshold": 0.9,
        "engine": "duckdb", "decisions": {"match": 0, "non-match": 0, "unsure": 0},
        "person_clusters": clusters or {},
    }  # fmt: skip
    if histories:
        attributes["capture_histories"] = {"lists": ["A", "B", "C"], "strata": [],
                                           "rows": HISTORIES}  # fmt: skip
    workspace.put("linkage_run", attributes)


def routes_of(routes: list[Any]) -> list[tuple[str, set[str]]]:
    """(path, methods) of every endpoint. FastAPI 0.165 keeps included routers as lazy
    ``_IncludedRouter`` entries whose ``effective_candidates()`` give the prefixed routes."""
    out: list[tuple[str, set[str]]] = []
    for route in routes:
        if hasattr(route, "effective_candidates"):
            for c in route.effective_candidates():
                if hasattr(c, "effective_candidates"):
                    out.extend(routes_of([c]))
                else:
                    out.append((c.path_format, set(c.original_route.methods or ())))
        elif isinstance(route, APIRoute | Route) and route.methods:
            out.append((route.path, set(route.methods)))
    return out
