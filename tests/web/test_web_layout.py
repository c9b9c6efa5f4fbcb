"""Usable on a laptop screen and a tablet: Debian's Chromium (through Playwright) opens every main
page, as the role that may see it, at three viewports: a laptop (1366x768), a tablet in
portrait (768x1024, touch, device scale 2) and in landscape (1024x768, touch, scale 2). On each
page: no horizontal scroll, every visible control (a, button, input, select, textarea) a tap
target of at least 44x44 CSS px on the tablets (or inside a label that large), no text cut by
an ``overflow: hidden`` box or a select too narrow for its choice, every field with a label.
The language is chosen once per viewport on the sign-in page (the browser asks for the other
one): every later page, for every role, follows the cookie, its ``lang`` attribute too, and
Korean glyphs are drawn (not empty boxes). Any console error, CSP violation or HTTP error fails.
With $UNSEEN_SCREENSHOTS_DIR set, the pages at the tablet in portrait are saved there as
``tablet-*.png`` (docs/screenshots/ holds the committed ones)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from webkit import PASSWORDS, ROLES, csrf_of, seed_linkage_run, seed_review_pair

from unseen.crypto import KdfParams, Secret, totp_code
from unseen.services import intake
from unseen.services.estimating import EstimateSettings
from unseen.services.testimony_parts import (
    ActInput,
    RelationshipInput,
    add_act,
    add_evidence,
    add_relationship,
)
from unseen.store import Workspace
from unseen.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
NAME = "김은별"  # synthetic
SESSION_COOKIE = "unseen_session"
TAP = 44  # CSS px, WCAG 2.5.5 and Apple's and Google's guidance for touch targets
HANGUL = re.compile(r"[\uac00-\ud7a3]")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    touch: bool
    scale: int
    lang: str  # chosen on the sign-in page; the browser's Accept-Language asks for the other

    @property
    def other(self) -> str:
        return "en" if self.lang == "ko" else "ko"


VIEWPORTS = [
    Viewport("laptop", 1366, 768, touch=False, scale=1, lang="en"),
    Viewport("tablet-portrait", 768, 1024, touch=True, scale=2, lang="ko"),
    Viewport("tablet-landscape", 1024, 768, touch=True, scale=2, lang="en"),
]
LOCALES = {"ko": "ko-KR", "en": "en-US"}


@dataclass(frozen=True)
class Seeded:
    base: str
    person_id: str
    source_id: str
    sessions: dict[str, str]  # user -> session cookie, signed in through the pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _seed(ws: Workspace, folder: Path) -> tuple[str, str]:
    """A review pair, doc-1's testimony with a second act and its broker, a buyer, a photo and
    a consent, and a linkage run that puts her with the pair (her page lists linked records)."""
    seed_review_pair(ws, folder)
    listed = [r.record_id for r in ws.iter_current("person")]
    with Workspace.open(ws.path, user="doc-1", passphrase=PASSWORDS["doc-1"]) as doc:
        her = intake.record_testimony(
            doc, intake.Testimony(language="ko", name_hangul=NAME, name_latin="Kim Un Byol",
                                  sex="F", birth_date="1985", violation="FMAR",
                                  event_date="2010년 봄", event_place="연길",
                                  consent=("internal", "partner"), partners=("Partner NGO",),
                                  interviewee=NAME, narrative="브로커가 연길로 데려갔다고 증언함."),
            today=dt.date(2026, 12, 1),
        )  # fmt: skip
        add_act(doc, her.person_id, ActInput(violation="TIP", event_id=her.event_id,
                                             perpetrator_type="BROKER-CN"))  # fmt: skip
        add_relationship(
            doc, her.person_id, RelationshipInput(kind="sold_to", perpetrator_type="BUYER-HUSBAND")
        )
        photo = io.BytesIO()
        Image.new("RGB", (40, 30), (90, 120, 60)).save(photo, "JPEG")
        add_evidence(doc, her.person_id, photo.getvalue(), filename="사진.jpg")
    seed_linkage_run(ws, dict.fromkeys([*listed, her.person_id], "c1"))
    return her.person_id, her.source_id


def _sign_in(browser: Browser, base: str, user: str) -> str:
    """Through the sign-in forms (passphrase, then the code of the enrolment page's secret), as
    plain requests: the pages themselves are the browser test's. Returns the session cookie."""
    context = browser.new_context()
    http = context.request
    page = http.get(f"{base}/login").text()
    form: dict[str, str | float | bool] = {
        "csrf": csrf_of(page),
        "user": user,
        "passphrase": PASSWORDS[user],
    }
    enrol = http.post(f"{base}/login", form=form).text()
    shown = re.search(r'id="totp-secret">([^<]+)<', enrol)
    assert shown, f"{user}: no enrolment page"
    text = shown.group(1).replace(" ", "")
    secret = Secret(base64.b32decode(text + "=" * (-len(text) % 8)))
    form = {"csrf": csrf_of(enrol), "code": totp_code(secret, time.time())}
    assert http.post(f"{base}/login/code", form=form).url == f"{base}/"
    (sid,) = [c["value"] for c in context.cookies() if c["name"] == SESSION_COOKIE]
    context.close()
    return sid


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Seeded]:
    """One workspace and one server for the three viewports; each role signed in once."""
    folder = tmp_path_factory.mktemp("layout")
    with Workspace.create(
        folder / "ws", user="admin-1", passphrase=PASSWORDS["admin-1"],
        kdf=KdfParams.fast_for_tests(),
    ) as ws:  # fmt: skip
        for name, role in ROLES.items():
            ws.add_user(name, PASSWORDS[name], role)
        person_id, source_id = _seed(ws, folder)
        app = create_app(ws, estimate=EstimateSettings(method="mt"))
        port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                access_log=False, lifespan="on")  # fmt: skip
        srv = uvicorn.Server(config)
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not srv.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            users = ("doc-1", "rev-1", "analyst-1", "admin-1")
            sessions = {u: _sign_in(browser, base, u) for u in users}
            yield Seeded(base, person_id, source_id, sessions)
        finally:
            srv.should_exit = True
            thread.join(timeout=10)


# One pass over the page's DOM: what is wrong with its layout, in words a person can act on.
_CHECK = r"""(touch) => {
  const out = {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
               small: [], clipped: [], unlabelled: [], unboxed: [], controls: 0};
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return (r.width > 0 || r.height > 0) && s.visibility !== "hidden" && s.display !== "none";
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("") + ' "' +
    (el.innerText || el.value || el.name || "").trim().slice(0, 30) + '"';
  const size = (r) => Math.round(r.width) + "x" + Math.round(r.height);
  for (const el of document.querySelectorAll("a, button, input, select, textarea")) {
    if (el.type === "hidden" || !shown(el)) continue;
    out.controls += 1;
    const r = el.getBoundingClientRect();
    // 0.5 px of rounding: a 2.75rem box measures 43.99 in some layouts
    const big = (b) => b.width >= 43.5 && b.height >= 43.5;
    const label = el.closest("label");
    if (touch && !big(r) && !(label && big(label.getBoundingClientRect()))) {
      out.small.push(name(el) + " " + size(r));
    }
    const field = ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) &&
      !["submit", "button", "reset", "image"].includes(el.type);
    if (field && el.labels.length === 0 && !el.getAttribute("aria-label") &&
        !el.getAttribute("aria-labelledby")) out.unlabelled.push(name(el));
  }
  for (const l of document.querySelectorAll("label[for]")) {
    const target = document.getElementById(l.htmlFor);
    if (!target || !target.labels || ![...target.labels].includes(l)) {
      out.unlabelled.push('label for="' + l.htmlFor + '" names no control');
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    const hx = ["hidden", "clip"].includes(s.overflowX) || s.textOverflow === "ellipsis";
    const hy = ["hidden", "clip"].includes(s.overflowY);
    if (!(hx || hy) || !shown(el) || !el.textContent.trim()) continue;
    if ((hx && el.scrollWidth > el.clientWidth + 1) ||
        (hy && el.scrollHeight > el.clientHeight + 1)) {
      out.clipped.push(name(el) + " shows " + el.clientWidth + "x" + el.clientHeight +
                       " of " + el.scrollWidth + "x" + el.scrollHeight);
    }
  }
  const ctx = document.createElement("canvas").getContext("2d");
  // A word broken across lines (a button's label a syllable a line) is text cut too: its range
  // has a box on each line. Unless the element breaks on purpose (a hash: break-all).
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  for (const table of document.querySelectorAll("table")) {  // a wide one scrolls its own box
    let box = table.parentElement;
    while (box !== document.body && !scrolls(box)) box = box.parentElement;
    if (shown(table) && box === document.body) out.unboxed.push(name(table).split(" ")[0]);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el.closest("button, a, th, label") || !shown(el)) continue;
    const s = getComputedStyle(el);
    if (s.wordBreak === "break-all" || s.overflowWrap === "anywhere") continue;
    for (const m of node.data.matchAll(/[^\s-]+/g)) {  // a line may end after a hyphen
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) out.clipped.push(`${name(el)}: '${m[0]}' on ${lines.size} lines`);
    }
  }
  for (const sel of document.querySelectorAll("select")) {
    if (!shown(sel) || sel.selectedIndex < 0) continue;
    const s = getComputedStyle(sel);
    ctx.font = s.fontStyle + " " + s.fontWeight + " " + s.fontSize + " " + s.fontFamily;
    const text = sel.options[sel.selectedIndex].text;
    // the text, its padding and about 1.2em for the arrow of the menu
    const need = ctx.measureText(text).width + parseFloat(s.paddingLeft) +
      parseFloat(s.paddingRight) + 1.2 * parseFloat(s.fontSize);
    if (need > sel.clientWidth + 1) {
      out.clipped.push(name(sel) + " " + sel.clientWidth + " px wide for " + Math.ceil(need));
    }
  }
  return out;
}"""

# Two Hangul syllables drawn in the page's font: real glyphs differ from each other and from
# the box a font without Hangul draws for a code point it lacks.
_GLYPHS = """() => {
  const c = document.createElement("canvas"); c.width = 48; c.height = 48;
  const x = c.getContext("2d");
  x.font = "36px " + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => { x.clearRect(0, 0, 48, 48); x.fillText(ch, 4, 40);
                         return x.getImageData(0, 0, 48, 48).data.join(","); };
  const ga = draw("가"), na = draw("나"), none = draw("\\u{10FFFD}");
  return {differ: ga !== na && ga !== none, inked: /[1-9]/.test(ga)};
}"""


def layout_problems(page: Page, v: Viewport) -> list[str]:
    r: dict[str, Any] = page.evaluate(_CHECK, v.touch)
    assert r["controls"] > 0, "no control found (did the page render?)"
    wrong = []
    if r["innerWidth"] != v.width or r["scrollWidth"] > r["innerWidth"]:
        wrong.append(f"scrolls sideways: {r['scrollWidth']} px wide in {r['innerWidth']}")
    wrong += [f"tap target under {TAP}x{TAP}: {x}" for x in r["small"]]
    wrong += [f"text cut: {x}" for x in r["clipped"]]
    wrong += [f"no label: {x}" for x in r["unlabelled"]]
    wrong += [f"{x} would scroll the page, not a box of its own" for x in r["unboxed"]]
    return wrong


class Visit:
    """One viewport's browser tab: the role's session cookie, the checks, the screenshots."""

    def __init__(self, context: BrowserContext, s: Seeded, v: Viewport, shots: Path | None):
        self.context, self.s, self.v, self.shots = context, s, v, shots
        self.page = context.new_page()
        self.problems: list[str] = []  # a CSP violation or a script error shows up here
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error"
                     else None)  # fmt: skip
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("response", lambda r: self.problems.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)  # fmt: skip
        self.found: dict[str, list[str]] = {}

    def as_user(self, user: str) -> None:
        self.context.clear_cookies(name=SESSION_COOKIE)
        self.context.add_cookies([{"name": SESSION_COOKIE, "value": self.s.sessions[user],
                                   "url": self.s.base}])  # fmt: skip

    def open(self, path: str) -> None:
        self.page.goto(self.s.base + path)

    def press(self, selector: str) -> None:
        """A tap on the tablets, a click on the laptop."""
        if self.v.touch:
            self.page.tap(selector)
        else:
            self.page.click(selector)

    def check(self, what: str) -> None:
        page, v = self.page, self.v
        # A page's elements can be found before its stylesheet has loaded (a loaded machine):
        # measure what the user sees, once the page has loaded.
        page.wait_for_load_state("load")
        wrong = layout_problems(page, v)
        lang = page.get_attribute("html", "lang")
        heading = page.inner_text("h1")
        if lang != v.lang:
            wrong.append(f"lang={lang!r}, chosen {v.lang!r}")
        if v.lang == "ko":
            if not HANGUL.search(heading):
                wrong.append(f"heading {heading!r} not in Korean")
            glyphs = page.evaluate(_GLYPHS)
            if not (glyphs["differ"] and glyphs["inked"]):
                wrong.append(f"Hangul not drawn: {glyphs}")
        elif HANGUL.search(heading):
            wrong.append(f"heading {heading!r} not in English")
        if wrong:
            self.found[what] = wrong
        if self.shots is not None:
            page.screenshot(path=str(self.shots / f"tablet-{what}.png"), full_page=True,
                            scale="css")  # fmt: skip


@pytest.fixture(scope="module")
def shots() -> Path | None:
    given = os.environ.get("UNSEEN_SCREENSHOTS_DIR")
    if not given:
        return None
    folder = Path(given)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("v", VIEWPORTS, ids=[v.name for v in VIEWPORTS])
def test_main_pages_fit_the_screen(
    v: Viewport, seeded: Seeded, browser: Browser, shots: Path | None
) -> None:
    context = browser.new_context(
        viewport={"width": v.width, "height": v.height}, device_scale_factor=v.scale,
        has_touch=v.touch, locale=LOCALES[v.other],
    )  # fmt: skip
    try:
        visit = Visit(context, seeded, v, shots if v.name == "tablet-portrait" else None)
        page = visit.page
        visit.open("/login")
        assert page.get_attribute("html", "lang") == v.other  # the browser's language first
        page.select_option("#lang-select", v.lang)  # the menu submits itself (our script)
        page.wait_for_selector(f"html[lang={v.lang}]")
        visit.check("login")

        visit.as_user("doc-1")
        visit.open("/")
        visit.check("home")
        visit.open("/intake")
        visit.check("intake")
        visit.open("/search")
        page.fill("#q-name", NAME)
        visit.press("form.card button[type=submit]")
        page.wait_for_selector("#hits")
        assert page.inner_text("#hit-count") == "1"
        visit.check("search")
        visit.press("#hits a")
        page.wait_for_selector("#person-name")
        assert page.url.endswith(f"/people/{seeded.person_id}")
        assert page.locator("#linked tbody tr").count() == 2  # the pair's two records
        visit.check("person")
        visit.press("#source-link")
        page.wait_for_selector("#source-identity")
        assert page.url.endswith(f"/sources/{seeded.source_id}")
        visit.check("source")

        visit.as_user("rev-1")
        visit.open("/review")
        assert page.locator("table.pair tr.differs").count() >= 1
        visit.check("review")

        visit.as_user("analyst-1")
        visit.open("/estimates")
        page.wait_for_selector("#estimates")
        widths = page.eval_on_selector_all("img.chart", "els => els.map(e => e.naturalWidth)")
        assert len(widths) == 3 and all(w > 100 for w in widths), widths
        visit.check("estimates")

        visit.as_user("admin-1")
        visit.open("/admin")
        assert page.locator("#accounts tbody tr").count() == len(PASSWORDS)
        visit.check("admin")
        assert visit.problems == []
        report = [f"{v.name} {what}: {x}" for what, xs in visit.found.items() for x in xs]
        assert report == [], "\n".join(report)
    finally:
        context.close()


BAD_PAGE = """<!doctype html><html lang="ko"><body>
<h1>가나다</h1>
<div style="width: 2000px">wide</div>
<button style="height: 20px; padding: 0" id="tiny">x</button>
<div id="cut" style="overflow: hidden; width: 50px; white-space: nowrap">a long line of text</div>
<input id="q"><table id="bare"><tr><td>a table</td></tr></table>
<label for="missing">nothing</label>
<select id="narrow" style="width: 60px"><option>a very long choice of a menu</option></select>
<button id="squeezed" style="width: 44px; height: 60px; padding: 0">가나다라마바사아</button>
<label class="check" style="display: block; height: 60px">
  <input type="checkbox" id="boxed" style="width: 13px; height: 13px"> a label tapped</label>
</body></html>"""


def test_the_checks_find_what_they_look_for(browser: Browser) -> None:
    """The layout checks on a page made wrong on purpose: each defect is named (and the box
    inside a large label passes)."""
    v = VIEWPORTS[1]
    context = browser.new_context(viewport={"width": v.width, "height": v.height},
                                  device_scale_factor=v.scale, has_touch=True)  # fmt: skip
    try:
        page = context.new_page()
        page.set_content(BAD_PAGE)
        found = "\n".join(layout_problems(page, v))
        for expected in (
            "scrolls sideways: 20", "tap target under 44x44: button#tiny", "text cut: div#cut",
            "no label: input#q", 'label for="missing" names no control',
            "text cut: select#narrow", "text cut: button#squeezed", "table#bare would scroll",
        ):  # fmt: skip
            assert expected in found, f"{expected!r} not in {found}"
        assert "boxed" not in found  # a small checkbox inside a large label is fine
        glyphs = page.evaluate(_GLYPHS)
        assert glyphs == {"differ": True, "inked": True}
    finally:
        context.close()
