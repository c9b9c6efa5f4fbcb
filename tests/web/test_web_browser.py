"""A real browser (Debian's Chromium through Playwright) against uvicorn on a free port: sign in
with passphrase and TOTP, enter a testimony in Korean with a fuzzy date and a place picked from
the autocomplete, then find the person by name; a reviewer decides a pair with one key; an
analyst opens the estimates and downloads a report. Screenshots go to $UNSEEN_SCREENSHOTS_DIR (the
committed ones in docs/screenshots/ were made so), else to the test's temporary folder."""

from __future__ import annotations

import base64
import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from PIL import Image
from playwright.sync_api import Page, sync_playwright
from webkit import OBSERVED, PASSWORDS, seed_linkage_run, seed_review_pair

from unseen.crypto import Secret, totp_code
from unseen.store import Workspace
from unseen.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
NAME = "박미향"  # synthetic

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium"),
    # Chromium's own process has died mid-test on a loaded CI machine (once in 22 runs): that
    # is the browser, not the app, so such a test runs once more in a fresh browser. Any other
    # failure, an assertion included, fails at once.
    pytest.mark.flaky(reruns=1, only_rerun=["TargetClosedError"]),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(workspace: Workspace) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(workspace), host="127.0.0.1", port=port, log_level="warning",
        access_log=False, lifespan="on",
    )  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("UNSEEN_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        yield context.new_page()
        context.close()
        browser.close()


def _sign_in(page: Page, base: str, user: str, shots: Path) -> None:
    page.goto(f"{base}/login")
    if user == "doc-1":
        page.screenshot(path=str(shots / "web-login.png"))
    page.fill("#user", user)
    page.fill("#passphrase", PASSWORDS[user])
    page.click("button[type=submit] >> text=로그인")
    page.wait_for_url(f"{base}/login/code")
    text = page.inner_text("#totp-secret").replace(" ", "")
    secret = Secret(base64.b32decode(text + "=" * (-len(text) % 8)))
    if user == "doc-1":
        page.screenshot(path=str(shots / "web-totp-enrol.png"))
    page.fill("#code", totp_code(secret, time.time()))
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_documenter_enters_a_korean_testimony_and_finds_her(
    server: str, page: Page, shots: Path, workspace: Workspace
) -> None:
    problems: list[str] = []  # a CSP violation or a script error shows up here
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            else None)  # fmt: skip

    _sign_in(page, server, "doc-1", shots)
    page.click("nav >> text=증언 입력")
    page.fill("#name_hangul", NAME)
    page.select_option("#sex", "F")
    page.select_option("#violation", "FMAR")
    page.fill("#event_date", "2010년 봄")
    page.wait_for_selector("#event-date-preview:has-text('2010년 봄(3–5월)')")
    page.type("#event_place", "연길", delay=50)
    page.wait_for_selector("#place-options option[value='연길시']", state="attached")
    page.fill("#event_place", "연길시")  # the suggestion chosen from the list
    page.fill("#narrative", "브로커가 연길로 데려가 팔았다고 증언함.")
    page.check("#consent-internal")
    page.screenshot(path=str(shots / "web-intake.png"), full_page=True)
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("text=저장했습니다.")
    assert "CN-222401" in page.inner_text("#understood-place")
    assert "2010년 봄(3–5월)" in page.inner_text("#understood-date")
    page.screenshot(path=str(shots / "web-saved.png"), full_page=True)
    (consent,) = list(workspace.iter_current("consent"))
    assert consent.attributes["scopes"] == ["internal"]

    page.click("nav >> text=사람 찾기")
    page.fill("#q-name", "Pak Mi Hyang")  # another script finds her through the blind index
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#hits")
    assert page.inner_text("#hit-count") == "1"
    assert NAME in page.inner_text("#hits")
    page.screenshot(path=str(shots / "web-search.png"), full_page=True)

    page.click("#hits a")
    assert page.inner_text("#person-name") == NAME

    # More of her testimony: another act with its broker, then a photo (metadata removed).
    page.click("#add-link")
    page.select_option("#act-violation", "TIP")
    page.select_option("#act-event", index=1)  # the event of her first act
    page.select_option("#act-perpetrator", "BROKER-CN")
    page.screenshot(path=str(shots / "web-add.png"), full_page=True)
    page.click("#act-form button[type=submit]")
    page.wait_for_selector("#notice")
    page.click("#add-link")
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 120, 60)).save(photo, "JPEG")
    page.set_input_files("#ev-file", {"name": "사진.jpg", "mimeType": "image/jpeg",
                                      "buffer": photo.getvalue()})  # fmt: skip
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("#evidence")
    assert "image/jpeg" in page.inner_text("#evidence")
    assert "TIP" in page.inner_text("main")
    page.screenshot(path=str(shots / "web-person.png"), full_page=True)

    page.select_option("#lang-select", "en")  # the menu submits itself (our script)
    page.wait_for_selector("h1:has-text('Person')")
    page.goto(f"{server}/")
    assert page.inner_text("nav").count("New testimony") == 1  # the choice persisted
    assert problems == []


def test_reviewer_decides_a_pair_with_one_key(
    server: str, page: Page, shots: Path, workspace: Workspace, tmp_path: Path
) -> None:
    pair_id = seed_review_pair(workspace, tmp_path)
    _sign_in(page, server, "rev-1", shots)
    page.click("nav >> text=검토 대기열")
    assert page.locator("table.pair tr.differs").count() >= 1  # differences highlighted
    page.screenshot(path=str(shots / "web-review.png"), full_page=True)
    page.keyboard.press("m")  # "same person", decided with one key (our script)
    page.wait_for_selector("#no-pairs")
    assert "결정을 저장했습니다" in page.inner_text("main")
    decided = workspace.get("review_pair", pair_id)
    assert (decided.attributes["decision"], decided.author) == ("match", "rev-1")


def test_analyst_sees_the_estimates_and_downloads_a_report(
    server: str, page: Page, shots: Path, workspace: Workspace, tmp_path: Path
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            else None)  # fmt: skip
    seed_review_pair(workspace, tmp_path)
    seed_linkage_run(workspace)
    _sign_in(page, server, "analyst-1", shots)
    page.click("nav >> text=추정")
    page.wait_for_selector("#estimates")
    assert page.locator("img.chart").count() == 3
    # every chart decoded and drawn under the CSP (img-src data:)
    widths = page.eval_on_selector_all("img.chart", "els => els.map(e => e.naturalWidth)")
    assert all(w > 100 for w in widths), widths
    assert f"{OBSERVED:,}" in page.inner_text("#estimates")
    page.screenshot(path=str(shots / "web-estimates.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#download-html-ko")
    download = info.value
    assert download.suggested_filename.startswith("unseen-report-internal-ko-")
    report = Path(download.path()).read_text(encoding="utf-8")
    assert report.lstrip().lower().startswith("<!doctype html")
    assert "data:image/svg+xml;base64," in report and str(OBSERVED) in report  # its charts
    assert problems == []
