"""``unseen review``: decide, pair by pair, whether two uncertain records are the same person.

On a terminal each decision is one keystroke (no Enter): the terminal is put in raw mode for
that one key and restored in a ``finally`` block, whatever happens. Keys typed before a pair
is shown are discarded, so a key pressed ahead never decides a pair nobody saw. Without a
terminal (a pipe, a test) a line is read and its first character used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.errors import InputError
from unseen.linkage.explanation import FREQUENCY, comparison_words, level_in_korean
from unseen.services.review import (
    PairView,
    decide,
    export_decisions,
    find_pair,
    next_pair,
    pair_view,
    pairs_band,
    queue_counts,
    queue_from_pairs,
)
from unseen.services.review import second_look as review_second_look
from unseen.store import Workspace

_KEYS = {"y": "match", "n": "non-match", "u": "unsure"}
_SAID = {
    "match": "same person / 같은 사람",
    "non-match": "different people / 다른 사람",
    "unsure": "unsure / 모름",
}
_PROMPT = (
    "y = same person / 같은 사람, n = different / 다른 사람, u = unsure / 모름, "
    "s = skip / 건너뛰기, q = quit / 끝내기"
)
# The same keys typed with the Korean (2-beolsik) input method switched on.
_HANGUL_KEYS = {"ㅛ": "y", "ㅜ": "n", "ㅕ": "u", "ㄴ": "s", "ㅂ": "q"}
# Ctrl-C and Ctrl-D arrive as bytes in raw mode: both quit (decisions so far are saved).
_QUIT = {"\x03", "\x04"}


def read_key(stream: TextIO) -> str:
    """One decision key, lower case: a single keystroke when ``stream`` is a terminal, else
    the first character of the next line ("" for an empty line, "q" at the end of input).
    Hangul-mode keys (ㅛ ㅜ ㅕ ㄴ ㅂ) read as y n u s q."""
    if stream.isatty() and sys.platform != "win32":
        key = _keystroke(stream.fileno())
    else:
        line = stream.readline()
        if not line:
            return "q"
        key = line.strip()[:1]
    if key in _QUIT:
        return "q"
    key = key.lower()
    return _HANGUL_KEYS.get(key, key)


def _keystroke(fd: int) -> str:
    """Read one key (all bytes of one UTF-8 character) with the terminal in raw mode."""
    if sys.platform == "win32":  # pragma: no cover (read_key never calls it there)
        raise OSError("no terminal control on Windows")
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        # TCSAFLUSH alone empties only what the line discipline already holds: on Linux a key
        # still in the tty's flip buffer (typed a moment ago, not yet pushed by the kernel's
        # worker) survives into raw mode and would decide the pair. tcflush empties both, and
        # comes first so that a key typed once raw mode shows is never thrown away.
        termios.tcflush(fd, termios.TCIFLUSH)
        tty.setraw(fd, termios.TCSAFLUSH)
        data = os.read(fd, 1)
        need = _utf8_length(data[0]) if data else 0
        while len(data) < need:
            more = os.read(fd, need - len(data))
            if not more:
                break
            data += more
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return data.decode("utf-8", errors="replace") if data else "\x04"


def _utf8_length(first: int) -> int:
    if first >= 0xF0:
        return 4
    if first >= 0xE0:
        return 3
    return 2 if first >= 0xC0 else 1


def review(
    workspace: WorkspaceArg,
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="pairs.csv from `unseen link`: queue its uncertain pairs.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    band: Annotated[
        tuple[float, float] | None,
        typer.Option(
            help="With --pairs: queue pairs with LOW <= match probability < HIGH (default: the "
            "review band of the run that wrote pairs.csv, from the model.json beside it; "
            "else 0.3 0.9, the default model's).",
            show_default=False,
        ),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            help="Write match / non-match decisions as a pairs CSV for `unseen link --decisions`.",
            dir_okay=False,
        ),
    ] = None,
    pair: Annotated[
        str | None,
        typer.Option(
            help="Show this pair (its code, 6 or more characters) and decide it again, "
            "even if it was decided.",
            show_default=False,
        ),
    ] = None,
    second_look: Annotated[
        bool,
        typer.Option(
            "--second-look",
            help="Reopen, for another reviewer, decisions against a confident model: same "
            "person at 0.1 or below, different people at 0.9 or above. Agreeing, they stand; "
            "differing, the pair becomes unsure. / 모델과 크게 어긋난 결정을 다른 "
            "검토자에게 다시 엽니다.",
        ),
    ] = False,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Review uncertain record pairs side by side and record decisions (audited).

    Below the two records, a table says why the computer gave the pair its probability:
    what each comparison found and the weight it adds (+1 doubles the odds of one person).

    On a terminal each decision is one key, without Enter: y same person, n different,
    u unsure, s skip, q quit. Examples: `unseen review WS --pairs out/pairs.csv`, then
    `unseen review WS`, then `unseen review WS --export decisions.csv`;
    `unseen review WS --pair 9f18f59b` to change one decision;
    `unseen review WS --second-look` before a second reviewer runs `unseen review WS`.
    """  # fmt: skip
    with unlock(workspace, user, passphrase_file) as ws:
        if pairs is not None:
            low, high = band or pairs_band(pairs)
            n = queue_from_pairs(ws, pairs, band=(low, high))
            out().print(
                f"{n} pairs with {low:g} <= p < {high:g} queued for review / "
                f"검토할 쌍 {n}개 추가 ({low:g} <= p < {high:g})"
            )
        elif second_look:
            n = review_second_look(ws)
            out().print(
                f"{n} pairs reopened for a second reviewer / 다른 검토자가 다시 볼 쌍 {n}개"
            )
        elif export is not None:
            n = export_decisions(ws, export)
            out().print(f"{n} decisions written to {export.name} / 결정 {n}개 저장")
        elif pair is not None:
            found = find_pair(ws, pair)
            while _ask(ws, found.record_id) == "again":
                pass
        else:
            _loop(ws)


def _loop(ws: Workspace) -> None:
    out().print(_counts_line(ws))
    skipped: set[str] = set()
    shown = False
    while (pair := next_pair(ws, skip=skipped)) is not None:
        shown = True
        done = _ask(ws, pair.record_id)
        if done == "quit":
            break
        if done == "skipped":
            skipped.add(pair.record_id)
    else:
        out().print("no open pairs left / 남은 쌍이 없습니다")
    if shown:  # where the queue stands now
        out().print(_counts_line(ws))


def _counts_line(ws: Workspace) -> str:
    c = queue_counts(ws)
    line = f"{c.open} to review, {c.decided} decided / 검토할 쌍 {c.open}개, 결정 {c.decided}개"
    if c.settled:
        line += (
            f"; {c.settled} more settled by the decisions (A = B and B = C settle A and C) / "
            f"결정으로 정해진 쌍 {c.settled}개 (A = B, B = C 이면 A = C)"
        )
    return line


def _ask(ws: Workspace, pair_id: str) -> str:
    """Show one pair, read one key; "decided", "skipped", "quit", or "again" (unknown key)."""
    view = pair_view(ws, pair_id)
    title = f"p = {view.match_probability:.2f}  ({pair_id[:8]})"
    if view.status == "decided":
        title += "  decided / 결정됨: " + _SAID.get(str(view.decision), str(view.decision))
    elif view.second_look:
        title += "  second look / 재검토"
    table = Table(title=title)
    table.add_column("field / 항목")
    table.add_column("left / 왼쪽")
    table.add_column("right / 오른쪽")
    for f in view.fields:
        table.add_row(
            _field_label(f.name), f.left, f.right, style="bold yellow" if f.differs else None
        )
    console = out()
    console.print(table)
    if (line := _groups_line(view)) is not None:
        console.print(line)
    if (members := _members_table(view)) is not None:
        console.print(members)
    if view.reasons:
        console.print(_reasons_table(view))
    console.print(_PROMPT)
    console.print("> ", end="")
    key = read_key(sys.stdin)
    if key == "q":
        console.print("quit / 끝내기")
        return "quit"
    if key in _KEYS:
        try:
            decide(ws, pair_id, _KEYS[key])
        except InputError as exc:  # it contradicts earlier decisions: nothing was written
            err().print(str(exc))
            return "again"
        console.print(f"{key}: {_SAID[_KEYS[key]]}")
        return "decided"
    if key in ("s", ""):
        console.print("skipped / 건너뜀")
        return "skipped"
    err().print("unknown key: use y, n, u, s or q / 알 수 없는 키: y, n, u, s, q 중 하나")
    return "again"


def _field_label(name: str) -> str:
    """A field's label in English and Korean, as the web shows it; a list's own column as
    it is named."""
    from unseen.web.i18n import field_label  # the web's catalogs, read on first use

    en, ko = field_label(name, "en"), field_label(name, "ko")
    return name if en == ko else f"{en} / {ko}"


def _groups_line(view: PairView) -> str | None:
    """What the run that queued the pair made of the two: one person or two, with whom."""
    if view.groups is None:
        return None
    left, right = view.groups
    if view.together:
        return (
            f"the last link counted these two as one person (other records with them: "
            f"{left - 2}) / "
            f"지난 연결은 이 둘을 한 사람으로 셌습니다 (다른 기록 {left - 2}개와 함께)"
        )
    line = (
        f"the last link counted two people (other records with the left: {left - 1}, with the "
        f"right: {right - 1}) / 지난 연결은 두 사람으로 셌습니다: 왼쪽은 다른 기록 {left - 1}개, "
        f"오른쪽은 {right - 1}개와 함께"
    )
    if left > 1 or right > 1:
        line += (
            f"; same person makes all {left + right} records one person / 같은 사람이면 "
            f"{left + right}개 기록이 모두 한 사람이 됩니다"
        )
    return line


_MEMBER_COLUMNS = ("list_name", "source_record_id", "name", "birth_date", "sex",
                   "origin_place_text", "china_place_text")  # fmt: skip


def _members_table(view: PairView) -> Table | None:
    """The other records of each side's group in the last link: who a decision joins or
    splits. Names only for roles that hold the key."""
    left, right = view.members
    sides = [("both / 둘", left)] if view.together else [
        ("left / 왼쪽", left), ("right / 오른쪽", right)]  # fmt: skip
    if not any(records for _, records in sides):
        return None
    table = Table(title="other records in these groups / 이 묶음의 다른 기록")
    table.add_column("with / 함께")
    for name in _MEMBER_COLUMNS:
        table.add_column(_field_label(name))
    more = []
    for (label, records), size in zip(sides, view.groups or (0, 0), strict=False):
        for m in records:
            table.add_row(label, m.list_name, m.record_id, m.name, m.birth, m.sex, m.origin,
                          m.china)  # fmt: skip
        # The pair's own records and those shown: the rest of the group is not kept.
        if (n := size - len(records) - (2 if view.together else 1)) > 0:
            more.append(f"{label}: {n} more / 외 {n}개")
    if more:
        table.caption = "; ".join(more)
    return table


def _reasons_table(view: PairView) -> Table:
    """Why the model gave this probability: each comparison's level and weight."""
    table = Table(
        title="why the model says so / 모델의 근거",
        caption="+1 doubles the odds that they are one person, -1 halves them / "
        "+1은 같은 사람일 가능성(오즈)을 두 배로, -1은 절반으로",
    )
    table.add_column("compared / 비교")
    table.add_column("found / 결과")
    table.add_column("weight / 가중치", justify="right")
    before = ""
    for r in view.reasons:
        en, ko = comparison_words(r.comparison)
        named = en if en == ko else f"{en} / {ko}"  # a config's own name: once
        compared = "" if r.comparison == before and r.level == FREQUENCY else named
        before = r.comparison
        korean = level_in_korean(r.level)
        found = r.level if korean is None else f"{r.level} / {korean}"
        style = "green" if r.bits >= 1.0 else "red" if r.bits <= -1.0 else "dim"
        table.add_row(compared, found, f"{r.bits:+.1f}", style=style)
    total = sum(r.bits for r in view.reasons)
    table.add_row("total / 합계", f"p = {view.match_probability:.2f}", f"{total:+.1f}")
    return table


def register(app: typer.Typer) -> None:
    app.command("review")(review)


__all__ = ["read_key", "register", "review"]
