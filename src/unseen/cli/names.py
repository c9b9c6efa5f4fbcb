"""``unseen names key|compare`` and ``unseen places resolve``: look at how unseen reads a name
or a place, before trusting it to link records. Nothing here opens a workspace."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from unseen.cli._console import out
from unseen.names import SAME_NAME_THRESHOLD, name_tokens, parse_name, similarity
from unseen.places import resolve_place

names_app = typer.Typer(
    help="How unseen reads Korean and Chinese names / 이름 읽기 확인. "
    "Names may be in Hangul, Hanja/Hanzi or any romanisation, in either order.",
    no_args_is_help=True,
)
places_app = typer.Typer(
    help="How unseen reads place names in China and the DPRK / 지명 확인.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text / JSON 출력.")]

_REASON_KO = dict(
    [
        ("same Hangul", "같은 한글 이름"),
        (
            "same name in North and South Korean spelling (initial-sound rule)",
            "같은 이름의 북한식·남한식 표기 (두음법칙)",
        ),
        (
            "spellings of the same Korean name in different romanisation systems",
            "같은 이름의 다른 로마자 표기",
        ),
        ("Mandarin reading of the same Korean name", "같은 이름의 중국어(한어병음) 읽기"),
        (
            "sounds alike, but spelled unlike any common system",
            "발음은 비슷하나 흔한 표기법과 다름",
        ),
        ("family name only on one side", "한쪽에 성만 있음"),
        ("family names only", "양쪽 모두 성만 있음"),
        ("different family names", "성이 다름"),
        ("same family name, different given name", "성은 같고 이름이 다름"),
        (
            "same family name; given names sound alike but are spelled as different Hangul",
            "성은 같고, 이름은 발음이 비슷하나 다른 한글로 보임",
        ),
        ("different family names, same given name", "이름은 같고 성이 다름"),
        ("different names", "다른 이름"),
    ]
)


_SWAPPED = "; family and given name in the other order"


def _reason_ko(reason: str) -> str:
    ko = _REASON_KO.get(reason.removesuffix(_SWAPPED), "")
    return f"{ko} (성과 이름 순서가 반대)" if ko and reason.endswith(_SWAPPED) else ko


@names_app.command("key")
def key(
    names: Annotated[list[str], typer.Argument(help="One or more names (quote each one).")],
    as_json: JsonOpt = False,
) -> None:
    """Print how each name is read: family and given name, Hangul, romanisation, key and the
    blind-index tokens / 이름별 성·이름, 한글, 로마자, 키를 보여 줍니다.

    Examples / 예:

        unseen names key "리순자" "Lee Soon-ja" "Ri Sun Ja" "李顺子"

        unseen names key "SUN-HUI KIM" "Kim, Sun Hui"

    Spellings of one name share a key (리순자, Ri Sun Ja, Lee Soon-ja, Yi Sunja: i_sonca).
    """
    rows: list[dict[str, Any]] = []
    for text in names:
        p = parse_name(text)
        rows.append(
            {
                "input": text,
                "script": p.script,
                "family": p.family,
                "given": p.given,
                "hangul": p.hangul,
                "alternatives": list(p.hangul_alternatives[:3]),
                "variants": list(p.variants),
                "romanized": p.romanized,
                "mandarin": p.mandarin,
                "key": p.key,
                "tokens": list(name_tokens(text)),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = out()
    for r in rows:
        hangul = r["hangul"] or "?"
        if r["script"] == "latin" and r["hangul"]:
            hangul += " (best guess / 추정)"
        console.print(r["input"], markup=False)
        console.print(f"  family / 성: {r['family']}   given / 이름: {r['given']}", markup=False)
        console.print(
            f"  Hangul / 한글: {hangul}   romanised / 로마자: {r['romanized']}", markup=False
        )
        if r["variants"]:
            console.print(f"  North-South / 남북 표기: {', '.join(r['variants'])}", markup=False)
        if r["mandarin"]:
            console.print(f"  Mandarin / 중국어: {r['mandarin']}", markup=False)
        console.print(
            f"  key / 키: {r['key']}   tokens / 색인: {' '.join(r['tokens'])}", markup=False
        )


@names_app.command("compare")
def compare(
    a: Annotated[str, typer.Argument(help="First name.")],
    b: Annotated[str, typer.Argument(help="Second name.")],
    as_json: JsonOpt = False,
) -> None:
    """Score two names in [0, 1] and say why / 두 이름의 유사도(0~1)와 이유.

    A score of 0.9 or more means the same name written differently.

    Examples / 예:

        unseen names compare "리순자" "Lee Soon-ja"      (1.0: romanisation)

        unseen names compare "김순희" "김선희"            (0.77: different given name)

        unseen names compare "李顺子" "Ri Sun Ja"
    """
    s = similarity(a, b)
    verdict = s.score >= SAME_NAME_THRESHOLD
    if as_json:
        payload = {
            "score": s.score,
            "same": verdict,
            "reason": s.reason,
            "reason_ko": _reason_ko(s.reason),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    label = "same name / 같은 이름" if verdict else "not the same name / 다른 이름"
    console = out()
    console.print(f"{s.score:.3f}  {label}")
    console.print(s.reason)
    ko = _reason_ko(s.reason)
    if ko:
        console.print(ko)


@places_app.command("resolve")
def resolve(
    texts: Annotated[list[str], typer.Argument(help="One or more place names (quote each).")],
    country: Annotated[
        str | None, typer.Option(help="Only this country: CN or KP / 국가 제한.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Find each place in the gazetteer / 지명을 지명 사전에서 찾습니다.

    Hangul (North or South spelling), Chinese, pinyin, McCune-Reischauer, Revised
    Romanization or English, with or without 시/군/도, 市/县, City/County.

    Examples / 예:

        unseen places resolve "연길" "延吉市" "Yanji City" "옌지"

        unseen places resolve "량강도" "혜산" "Musan" --country KP

        unseen places resolve "Chaoyang, Jilin"
    """
    rows: list[dict[str, Any]] = []
    for text in texts:
        m = resolve_place(text, country=country)
        rows.append(
            {
                "input": text,
                "id": m.gazetteer_id if m else None,
                "level": m.level if m else None,
                "name_en": m.name_en if m else None,
                "confidence": m.confidence if m else 0.0,
                "method": m.method if m else None,
                "alternatives": list(m.alternatives) if m else [],
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = out()
    for r in rows:
        if r["id"] is None:
            console.print(f"{r['input']}: not found / 찾지 못함", markup=False)
            continue
        line = (
            f"{r['input']}: {r['id']}  {r['level']}  {r['name_en']}  "
            f"confidence / 신뢰도 {r['confidence']:.2f} ({r['method']})"
        )
        if r["alternatives"]:
            line += f"  also possible / 다른 후보: {', '.join(r['alternatives'][:4])}"
        console.print(line, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(names_app, name="names")
    app.add_typer(places_app, name="places")
