"""N documenters writing testimonies at once through the web API, against uvicorn on localhost,
while M analysts read.

    .venv/bin/python bench/web_writers.py [--writers 8] [--readers 2] [--seconds 60]

Each writer signs in through the real pages (passphrase, TOTP enrolment), then POSTs
``/api/testimonies`` in a loop until time is up. Each reader (an analyst) GETs one person's
record (``/api/people/{id}``: attributes, history, linked records) in a loop. Afterwards the
workspace is reopened and every acknowledged write (201) is looked for: lost = acknowledged but
not stored, duplicated = stored more than once, phantom = stored but never acknowledged.
Latency is per request, as the client sees it (p50, p99, max), for writes and reads apart. The
workspace uses cheap Argon2id settings (sign-in cost is not measured).
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
    ap.add_argument("--readers", type=int, default=2, help="analysts reading a person (0: none)")
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="unseen-web-bench-")) / "ws"
    ws = Workspace.create(root, user="admin", passphrase="bench admin words",
                          kdf=KdfParams.fast_for_tests())  # fmt: skip
    users = [f"doc-{i}" for i in range(args.writers)]
    for u in users:
        ws.add_user(u, f"{u} passphrase words", "documenter")
    readers = [f"analyst-{i}" for i in range(args.readers)]
    for u in readers:
        ws.add_user(u, f"{u} passphrase words", "analyst")
    seed = ws.put("person", {"sex": "F", "list": "bench"}).record_id  # what the readers read
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ws), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    clients = [_sign_in(base, u, f"{u} passphrase words") for u in users]
    reader_clients = [_sign_in(base, u, f"{u} passphrase words")[0] for u in readers]
    acked: list[str] = []
    latencies: list[float] = []
    read_latencies: list[float] = []
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

    def reader(i: int) -> None:
        client = reader_clients[i]
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                r = client.get(f"/api/people/{seed}")
            except httpx.HTTPError as exc:
                with lock:
                    errors[f"read {type(exc).__name__}"] += 1
                continue
            dt = time.perf_counter() - t0
            with lock:
                if r.status_code == 200:
                    read_latencies.append(dt)
                else:
                    errors[f"read {r.status_code}"] += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    server.should_exit = True
    stored = collections.Counter(
        (r.identity or {}).get("full_name")
        for r in ws.iter_current("person", reveal=True)
        if r.record_id != seed
    )
    ws.close()
    acked_set = set(acked)
    lost = len(acked_set - set(stored))
    duplicated = sum(c - 1 for c in stored.values() if c > 1)
    phantom = len(set(stored) - acked_set)
    print(f"writers {args.writers}, readers {args.readers}, {elapsed:.1f} s, "
          f"python {sys.version.split()[0]}")  # fmt: skip
    print(f"acknowledged writes {len(acked)} ({len(acked) / elapsed:.1f}/s), stored "
          f"{sum(stored.values())}, lost {lost}, duplicated {duplicated}, phantom {phantom}, "
          f"errors {dict(errors) or 0}")  # fmt: skip
    print(f"write latency ms: {_quantiles(latencies)}")
    if readers:
        print(f"reads {len(read_latencies)} ({len(read_latencies) / elapsed:.1f}/s), "
              f"latency ms: {_quantiles(read_latencies)}")  # fmt: skip


def _quantiles(values: list[float]) -> str:
    if not values:
        return "none"
    q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
    return f"p50 {q[49] * 1000:.0f}, p99 {q[98] * 1000:.0f}, max {max(values) * 1000:.0f}"


if __name__ == "__main__":
    main()
