"""Search shared by the page and the API: names only where the viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass

from unseen.errors import PermissionDenied
from unseen.services.access import Capability, may, may_see_identity
from unseen.services.search import SearchQuery, find_people

from .deps import Actor


@dataclass(frozen=True, repr=False)
class Hit:
    record_id: str
    name: str | None  # None: sealed from this viewer
    list_name: str | None
    sex: str
    born: str
    violations: tuple[str, ...]


def run_search(who: Actor, *, name: str, violation: str, place: str, year: int | None) -> list[Hit]:
    if name and not may(who.role, Capability.SEARCH_NAME):
        raise PermissionDenied(
            "your role cannot search by name / 이 역할은 이름으로 검색할 수 없습니다"
        )
    query = SearchQuery(
        name=name or None, violation=violation or None, place=place or None, year=year
    )
    out = []
    for h in find_people(who.ws, query, reveal=lambda rec: may_see_identity(who.ws, rec)):
        born = ""
        if h.birth_years:
            lo, hi = h.birth_years
            born = str(lo) if lo == hi else f"{lo}–{hi}"
        out.append(Hit(h.record_id, h.name, h.list_name, h.sex, born, h.violations))
    return out
