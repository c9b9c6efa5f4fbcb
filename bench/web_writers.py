"""N documenters writing testimonies at once through the web API, against uvicorn on localhost.

    .venv/bin/python bench/web_writers.py [--writers 8] [--seconds 60]

Each writer signs in through the real pages (passphrase, TOTP enrolment), then POSTs
``/api/testimonies`` in a loop until time is up. Afterwards the workspace is reopened and every
acknowledged write (201) is looked for: lost = acknowledged but not stored, duplicated = stored
more than once, phantom = stored but never acknowledged. Latency is per request, as the client
sees it (p50, p99, max). The workspace uses cheap Argon2id settings (sign-in cost is not measured).
"""

from __future__ import annotations

import argparse
import base64
import collections
import html
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from unseen.crypto import KdfParams, Secret, totp_code
from unseen.store import Workspace
from unseen.web import create_app

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_SECRET = re.compile(r'id="totp-secret">([^<]+)<')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _sign_in(base: str, user: str, passphrase: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, follow_redirects=True, timeout=60)
    page = c.get("/login").text
    csrf = html.unescape(_CSRF.search(page).group(1))  # type: ignore[union-attr]
    r = c.post("/login", data={"csrf": csrf, "user": user, "passphrase": passphrase})
    text = _SECRET.search(r.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    secret = Secret(base64.b32decode(text + "=" * (-len(text) % 8)))
    csrf = html.unescape(_CSRF.search(r.text).group(1))  # type: ignore[union-attr]
    c.post("/login/code", data={"csrf": csrf, "code": totp_code(secret, time.time())})
    me = c.get("/api/me").json()
    return c, me["csrf_token"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="unseen-web-bench-")) / "ws"
    ws = Workspace.create(root, user="admin", passphrase="bench admin words",
                          kdf=KdfParams.fast_for_tests())  # fmt: skip
    users = [f"doc-{i}" for i in range(args.writers)]
    for u in users:
        ws.add_user(u, f"{u} passphrase words", "documenter")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ws), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    clients = [_sign_in(base, u, f"{u} passphrase words") for u in users]
    acked: list[str] = []
    latencies: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + args.seconds

    def writer(i: int) -> None:
        client, token = clients[i]
        n = 0
        while time.monotonic() < stop:
            name = f"Writer{i} Seq{n}"
            t0 = time.perf_counter()
            try:
                r = client.post("/api/testimonies", headers={"X-CSRF-Token": token},
                                json={"language": "en", "name_latin": name,
                                      "event_date": "2010년 봄", "event_place": "연길",
                                      "violation": "FMAR"})  # fmt: skip
            except httpx.HTTPError as exc:
                with lock:
                    errors[type(exc).__name__] += 1
                continue
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if r.status_code == 201:
                    acked.append(name)
                else:
                    errors[str(r.status_code)] += 1
            n += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    server.should_exit = True
    stored = collections.Counter(
        (r.identity or {}).get("full_name") for r in ws.iter_current("person", reveal=True)
    )
    ws.close()
    acked_set = set(acked)
    lost = len(acked_set - set(stored))
    duplicated = sum(c - 1 for c in stored.values() if c > 1)
    phantom = len(set(stored) - acked_set)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"writers {args.writers}, {elapsed:.1f} s, python {sys.version.split()[0]}")
    print(f"acknowledged writes {len(acked)} ({len(acked) / elapsed:.1f}/s), stored "
          f"{sum(stored.values())}, lost {lost}, duplicated {duplicated}, phantom {phantom}, "
          f"errors {dict(errors) or 0}")  # fmt: skip
    print(f"latency ms: p50 {q[49] * 1000:.0f}, p99 {q[98] * 1000:.0f}, "
          f"max {max(latencies) * 1000:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
