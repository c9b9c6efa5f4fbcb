"""Turn one list's records into the text rows of a person-list file (FORMATS.md s1).

Rendering is a pure function of the simulation: every choice reads the record's own uniform
numbers (``ListRecords.noise``), so the same simulation writes the same bytes, chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from unseen.formats import PERSON_LIST_COLUMNS
from unseen.simulate._acts import Acts, Perpetrators
from unseen.simulate._capture import ListRecords
from unseen.simulate._naming import Names
from unseen.simulate._population import Population
from unseen.simulate._render_names import NameRenderer, hyphenate
from unseen.simulate._render_text import pick, render_birth, render_date, render_place, typo
from unseen.simulate._settings import MISSABLE_COLUMNS, PATHWAYS, ListSettings
from unseen.simulate._tables import (
    chinese_given_chars,
    chinese_surnames,
    given_names,
    korean_surnames,
    perpetrator_codes,
    violation_codes,
    violation_labels,
)

__all__ = ["PERSON_LIST_COLUMNS", "RowWriter", "record_id"]

_CHILD = PATHWAYS.index("child")


class U:
    """Columns of ``ListRecords.noise``: which uniform decides what."""

    SYSTEM, SOUTH, HANGUL_COL, HANZI_COL, SPLIT, GIVEN_FIRST, HYPHEN = range(7)
    TYPO, TYPO_POS, TYPO_KEY, ALIAS, AS_NAME, WHICH_ALIAS, PSEUDO = range(7, 14)
    PSEUDO_SUR, PSEUDO_GIV, BIRTH_OFF, BIRTH_STYLE, EXIT_STYLE, EVENT_STYLE = range(14, 20)
    ORIGIN_STYLE, ORIGIN_LEVEL, CHINA_STYLE, CHINA_LEVEL, EVENT_PSTYLE, EVENT_LEVEL = range(20, 26)
    VARIANT, DATE_WIDTH, NOTES, NOTES_KIND, CHILD_NAME = range(26, 31)
    MISSING = 31  # 31.. one per column below
    MISSING_COLUMNS = MISSABLE_COLUMNS


_NOTES = {
    "ko": (
        "{label} 관련 진술.",
        "날짜는 본인 기억에 의존함.",
        "본인 진술, 재확인 필요.",
        "{label} 피해 진술. 자녀 {kids}명(중국 출생).",
    ),
    "en": (
        "Testimony about {label}.",
        "Dates given from memory.",
        "Account not yet corroborated.",
        "Reports {label}; {kids} child(ren) born in China.",
    ),
    "zh": ("{label}", "非法越境人员。", "已移交朝方。", "{label}，在华生育子女{kids}名。"),
}
_HUSBAND = {"ko": "남편: {name}", "en": "Husband named as {name}.", "zh": "丈夫：{name}"}
# English needs the person's sex ({her}: her, his).
_PSEUDONYM = {"ko": "가명 사용.", "en": "Name changed to protect {her} identity.", "zh": "化名。"}


@dataclass(frozen=True)
class _Identity:
    kind: str  # korean, sk, chinese, child_cn, pseudo
    surname: int
    given: int


def record_id(lst: ListSettings, row: int, n_rows: int) -> str:
    width = max(5, len(str(n_rows)))
    return f"{lst.habit.record_id_prefix}{row + 1:0{width}d}"


class RowWriter:
    """Renders rows of one list; holds caches only."""

    def __init__(
        self,
        lst: ListSettings,
        records: ListRecords,
        pop: Population,
        names: Names,
        acts: Acts,
        perps: Perpetrators,
        buyer: np.ndarray,
    ) -> None:
        self.lst, self.rec, self.pop, self.names = lst, records, pop, names
        self.acts, self.perps, self.buyer = acts, perps, buyer
        self.nr = NameRenderer()
        self.codes = violation_codes()
        self.ptypes = perpetrator_codes()
        self.labels = violation_labels()
        self.n_sur = len(korean_surnames().hangul_n)
        gn = given_names()
        self.female_given = np.flatnonzero(gn.female)
        self.male_given = np.flatnonzero(gn.male)
        self.missing = {c: lst.habit.missing.get(c) for c in U.MISSING_COLUMNS}

    # -- names -----------------------------------------------------------------------------
    def _identities(self, p: int, u: list[float]) -> tuple[_Identity, list[_Identity], bool]:
        h, nm = self.lst.habit, self.names
        sur, giv = int(nm.surname[p]), int(nm.given[p])
        korean = _Identity("korean", sur, giv)
        if u[U.PSEUDO] < h.pseudonym:
            pool = self.female_given if self.pop.sex[p] == 1 else self.male_given
            g = int(pool[min(int(u[U.PSEUDO_GIV] * pool.size), pool.size - 1)])
            s = min(int(u[U.PSEUDO_SUR] * self.n_sur), self.n_sur - 1)
            return _Identity("pseudo", s, g), [], True
        known: list[_Identity] = []
        if int(self.pop.pathway[p]) == _CHILD:
            chinese = _Identity("child_cn", int(nm.cn_surname[p]), -1)
            in_sk = bool(np.isfinite(self.pop.arrival[p]))
            sys_hanzi = h.name_systems.keys() == ("hanzi",)
            if in_sk and not sys_hanzi and u[U.CHILD_NAME] < 0.8:
                return korean, [chinese], False
            return chinese, [korean], False
        if h.alias_kind in ("sk", "any") and nm.sk_given[p] >= 0:
            known.append(_Identity("sk", sur, int(nm.sk_given[p])))
        if h.alias_kind in ("chinese", "any") and nm.cn_surname[p] >= 0:
            known.append(_Identity("chinese", int(nm.cn_surname[p]), -1))
        if known and u[U.AS_NAME] < h.alias_as_name:
            main = known[min(int(u[U.WHICH_ALIAS] * len(known)), len(known) - 1)]
            return main, [korean] + [k for k in known if k is not main], False
        return korean, known, False

    def _render(
        self, ident: _Identity, p: int, system: str, u: list[float]
    ) -> tuple[str, str, str]:
        """(family, given, hanzi) of an identity in the list's system."""
        nr, nm = self.nr, self.names
        south = u[U.SOUTH] < self.lst.habit.hangul_south
        if ident.kind in ("chinese", "child_cn"):
            own = (int(nm.surname[p]), int(nm.given[p])) if nm.cn_own_given[p] else None
            g1, g2, sex = int(nm.cn_given1[p]), int(nm.cn_given2[p]), int(self.pop.sex[p])
            script = system if system in ("hanzi", "hangul") else "latin"
            hz = nr.chinese_hanzi(ident.surname, g1, g2, sex, own)
            if system == "hanzi":
                fam, giv = nr.chinese(ident.surname, g1, g2, sex, own, "latin")
            else:
                fam, giv = nr.chinese(ident.surname, g1, g2, sex, own, script)
            return fam, giv, hz
        if system == "hanzi":
            fam, giv = nr.korean_pinyin(ident.surname, ident.given)
            hz = nr.korean_hanzi(ident.surname, ident.given, simplify=True)
            if not hz:  # native-Korean given names: a Korean-Chinese clerk writes Hangul
                fam, giv = nr.hangul(ident.surname, ident.given, False)
            return fam, giv, hz
        fam, giv = nr.korean(ident.surname, ident.given, system, u[U.VARIANT], south=south)
        return fam, giv, nr.korean_hanzi(ident.surname, ident.given, simplify=False)

    def _hangul_of(self, ident: _Identity, p: int, south: bool) -> str:
        if ident.kind in ("chinese", "child_cn"):
            fam, giv, _ = self._render(ident, p, "hangul", [0.0] * 40)
            return fam + giv
        fam, giv = self.nr.hangul(ident.surname, ident.given, south)
        return fam + giv

    # -- rows ------------------------------------------------------------------------------
    def row(self, r: int, rid: str, mother_id: str, u: list[float]) -> tuple[str, ...]:
        h, pop = self.lst.habit, self.pop
        p = int(self.rec.person[r])
        system = pick(h.name_systems, u[U.SYSTEM])
        latin = system not in ("hangul", "hanzi")
        main, others, pseudo = self._identities(p, u)
        fam, giv, hz = self._render(main, p, system, u)
        if latin and main.kind in ("korean", "sk", "pseudo"):
            giv = hyphenate(giv, u[U.HYPHEN], h.hyphen_drop)
        split = u[U.SPLIT] < h.split_names
        if u[U.TYPO] < h.typo:
            giv = typo(giv, u[U.TYPO_POS], u[U.TYPO_KEY])
        given_first = latin and u[U.GIVEN_FIRST] < h.given_first
        if system == "hanzi" and hz and not split:
            full = hz
        elif latin:
            full = " ".join(x for x in ((giv, fam) if given_first else (fam, giv)) if x)
        else:
            full = fam + giv
        family_name, given_name, full_name = (fam, giv, "") if split else ("", "", full)
        south = u[U.SOUTH] < h.hangul_south
        name_hangul = ""
        if system != "hangul" and u[U.HANGUL_COL] < h.hangul_column:
            name_hangul = self._hangul_of(main, p, south)
        name_hanzi = hz if (system == "hanzi" or u[U.HANZI_COL] < h.hanzi_column) else ""
        aliases = ""
        if others and u[U.ALIAS] < h.alias:
            texts = []
            for o in others:
                ofam, ogiv, ohz = self._render(o, p, system, u)
                texts.append(
                    ohz
                    if system == "hanzi" and ohz
                    else (f"{ofam} {ogiv}" if latin else ofam + ogiv)
                )
            aliases = ";".join(t for t in texts if t)
        miss = {c: u[U.MISSING + i] < self.missing[c] for i, c in enumerate(U.MISSING_COLUMNS)}
        sex = "" if miss["sex"] else ("F" if pop.sex[p] == 1 else "M")
        birth = ""
        if not miss["birth_date"]:
            offset = int(pick(h.birth_offset, u[U.BIRTH_OFF]))
            birth = render_birth(float(pop.birth[p]), offset, pick(h.birth_style, u[U.BIRTH_STYLE]))
        origin = (
            ""
            if miss["origin_place"]
            else render_place(
                int(pop.origin[p]),
                pick(h.place_style, u[U.ORIGIN_STYLE]),
                pick(h.place_level, u[U.ORIGIN_LEVEL]),
            )
        )
        china = (
            ""
            if miss["china_place"]
            else render_place(
                int(pop.china[p]),
                pick(h.place_style, u[U.CHINA_STYLE]),
                pick(h.place_level, u[U.CHINA_LEVEL]),
            )
        )
        first_exit = ""
        if not miss["first_exit_date"] and int(pop.pathway[p]) != _CHILD:
            first_exit = render_date(
                float(pop.cross[p]), pick(h.date_style, u[U.EXIT_STYLE]), u[U.DATE_WIDTH]
            )
        a = int(self.rec.act[r])
        event_date = event_place = violation = ptype = ""
        if a >= 0:
            if not miss["event_date"]:
                event_date = render_date(
                    float(self.acts.time[a]), pick(h.date_style, u[U.EVENT_STYLE]), u[U.DATE_WIDTH]
                )
            if not miss["event_place"]:
                event_place = render_place(
                    int(self.acts.place[a]),
                    pick(h.place_style, u[U.EVENT_PSTYLE]),
                    pick(h.place_level, u[U.EVENT_LEVEL]),
                )
            if not miss["violation"]:
                violation = self.codes[int(self.acts.code[a])]
            pt = int(self.acts.ptype[a])
            if pt >= 0 and not miss["perpetrator_type"]:
                ptype = self.ptypes[pt]
        notes = self._notes(p, a, u, pseudo) if u[U.NOTES] < h.notes or pseudo else ""
        return (
            rid,
            self.lst.name,
            family_name,
            given_name,
            full_name,
            name_hangul,
            name_hanzi,
            aliases,
            sex,
            birth,
            origin,
            china,
            first_exit,
            event_date,
            event_place,
            violation,
            ptype,
            mother_id,
            notes,
        )

    def _notes(self, p: int, a: int, u: list[float], pseudo: bool) -> str:
        lang = self.lst.habit.notes_language
        parts = []
        if pseudo:
            her = "her" if self.pop.sex[p] == 1 else "his"
            parts.append(_PSEUDONYM[lang].format(her=her))
        templates = _NOTES[lang]
        k = min(int(u[U.NOTES_KIND] * len(templates)), len(templates) - 1)
        label = self.labels[lang][int(self.acts.code[a])] if a >= 0 else ""
        if label or "{label}" not in templates[k]:
            parts.append(templates[k].format(label=label, kids=int(self.pop.n_children[p])))
        b = int(self.buyer[p])
        if b >= 0 and u[U.NOTES_KIND] < 0.3 and self.perps.cn_surname[b] >= 0:
            parts.append(_HUSBAND[lang].format(name=self._buyer_name(b, lang)))
        return " ".join(parts)

    def _buyer_name(self, b: int, lang: str) -> str:
        cs, cg = chinese_surnames(), chinese_given_chars("M")
        s, g1, g2 = (
            int(self.perps.cn_surname[b]),
            int(self.perps.cn_given1[b]),
            int(self.perps.cn_given2[b]),
        )
        idx = [g for g in (g1, g2) if g >= 0]
        if lang == "en":
            return cs.pinyin[s] + " " + "".join(cg.pinyin[g] for g in idx).capitalize()
        return cs.hanzi[s] + "".join(cg.hanzi[g] for g in idx)

    def rows(self, start: int, stop: int) -> Iterator[tuple[str, ...]]:
        n = len(self.rec)
        noise = self.rec.noise[start:stop].astype(np.float64).tolist()
        for k, r in enumerate(range(start, stop)):
            m = int(self.rec.mother_row[r])
            mother_id = record_id(self.lst, m, n) if m >= 0 else ""
            yield self.row(r, record_id(self.lst, r, n), mother_id, noise[k])
