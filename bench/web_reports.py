"""How long the web app's report pages take on a demo workspace (simulated people only).

    nice -n 10 .venv/bin/python bench/web_reports.py [--preset small] [--method auto]

Makes ``unseen demo --preset PRESET`` (simulate, import, link, estimate) in a temporary
folder, adds an analyst, signs her in through the real pages (in-process client, cheap
Argon2id), then times: the estimates page made cold (read + count + estimate + three charts),
the same page again (the kept report and its charts), the JSON estimates, the HTML and PDF
downloads, the estimates of the public scope, and a person page with her linked records.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning

from unseen.crypto import KdfParams, Secret, totp_code
from unseen.services.demo import DEMO_PASSPHRASE, DEMO_USER, run_demo
from unseen.services.estimating import EstimateSettings
from unseen.store import Workspace
from unseen.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_SECRET = re.compile(r'id="totp-secret">([^<]+)<')


def _sign_in(c: TestClient, user: str, passphrase: str) -> None:
    page = c.get("/login").text
    csrf = html.unescape(_CSRF.search(page).group(1))  # type: ignore[union-attr]
    r = c.post("/login", data={"csrf": csrf, "user": user, "passphrase": passphrase})
    text = _SECRET.search(r.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    secret = Secret(base64.b32decode(text + "=" * (-len(text) % 8)))
    csrf = html.unescape(_CSRF.search(r.text).group(1))  # type: ignore[union-attr]
    c.post("/login/code", data={"csrf": csrf, "code": totp_code(secret, time.time())})
    assert c.get("/api/me").json()["user"] == user


def _timed(label: str, call: Callable[[], object]) -> object:
    start = time.perf_counter()
    out = call()
    print(f"  {label:<44} {time.perf_counter() - start:6.2f} s")  # noqa: T201 (a bench prints)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small")
    ap.add_argument("--method", default="auto", help="estimation method of the web app")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        demo = run_demo(Path(tmp), preset=args.preset, kdf=KdfParams.fast_for_tests(), nboot=200)
        print(  # noqa: T201
            f"demo --preset {args.preset}: {demo.people} records, "
            f"{demo.headline.documented if demo.headline else '?'} linked people, "
            f"made in {time.perf_counter() - start:.0f} s"
        )
        with Workspace.open(demo.workspace, user=DEMO_USER, passphrase=DEMO_PASSPHRASE) as ws:
            ws.add_user("analyst-1", "analyst passphrase words", "analyst")
            runs = list(ws.iter_current("linkage_run"))
            clusters = runs[-1].attributes["person_clusters"]
            sizes: dict[str, int] = {}
            for c in clusters.values():
                sizes[c] = sizes.get(c, 0) + 1
            linked = next(p for p, c in clusters.items() if sizes[c] > 1)
            app = create_app(ws, estimate=EstimateSettings(method=args.method, nboot=200))
            # The page waits for its report job (default 3 s, then a "being made" page): here
            # it waits to the end, so the cold rows time the whole report.
            app.state.unseen.reports.wait = 600.0
            with TestClient(app) as client:
                _sign_in(client, "analyst-1", "analyst passphrase words")
                page = _timed("GET /estimates (cold: read, estimate, draw)",
                              lambda: client.get("/estimates"))  # fmt: skip
                assert page.status_code == 200  # type: ignore[attr-defined]
                _timed("GET /estimates (kept report and charts)",
                       lambda: client.get("/estimates"))  # fmt: skip
                ko = {"lang": "ko"}  # the page's language: the same kept report
                _timed("GET /api/estimates?lang=ko (kept)",
                       lambda: client.get("/api/estimates", params=ko))  # fmt: skip
                for fmt in ("html", "pdf"):
                    r = _timed(f"GET /reports/download format={fmt} (render)",
                               lambda fmt=fmt: client.get("/reports/download",
                                                          params={"format": fmt}))  # fmt: skip
                    size = len(r.content)  # type: ignore[attr-defined]
                    print(f"    {fmt}: {size / 1e6:.1f} MB")  # noqa: T201
                public = {"scope": "public"}
                _timed("GET /api/estimates?scope=public (cold)",
                       lambda: client.get("/api/estimates", params=public))  # fmt: skip
                r = _timed("GET /api/people/{id} (with linked records)",
                           lambda: client.get(f"/api/people/{linked}"))  # fmt: skip
                n = len(r.json()["linked"])  # type: ignore[attr-defined]
                print(f"    {n} linked records, names: none (analyst)")  # noqa: T201


if __name__ == "__main__":
    main()
