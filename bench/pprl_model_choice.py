"""Which PPRL model scores: EM on all candidates, EM in training sessions, and the one
``unseen.pprl.matching.choose_model`` keeps (the smaller claim of matches), side by side on
the same encodings, with fixed secrets so every run of this bench gives the same figures.

    nice -n 10 .venv/bin/python bench/pprl_model_choice.py                 # all data, secrets 1-4
    nice -n 10 .venv/bin/python bench/pprl_model_choice.py --data realistic --secrets 1,2

Per row: pairwise F1 against the truth, the threshold (expected-F1 rule), and the matched
pairs per record each fit claims (``lam`` x candidates / records). The truth is read only to
score. Hardened encodings use fixed flips too (``noise`` seeded), so they repeat.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pprl_quality import _febrl, _simulated  # noqa: E402


def main() -> None:
    import numpy as np

    import unseen.pprl.matching as matching
    from unseen.crypto import SymmetricKey
    from unseen.linkage import default_spec, evaluate
    from unseen.pprl import Hardening, LinkageSecret, Schema, encode, match

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", choices=["realistic", "testimony", "all"], nargs="*",
                    default=["realistic", "testimony", "all"])  # fmt: skip
    ap.add_argument("--secrets", default="1,2,3,4")
    args = ap.parse_args()
    keep = matching.choose_model
    claims: dict[str, float] = {}

    def forced(which: str) -> Any:
        def choose(em: Any, sessions: Any, pairs: int, records: int) -> Any:
            claims["em"], claims["sessions"] = (
                em.lam * pairs / records,
                sessions.lam * pairs / records,
            )
            if which == "em":
                return em, "em (forced)"
            if which == "sessions":
                return sessions, "sessions (forced)"
            return keep(em, sessions, pairs, records)

        return choose

    head = f"{'data':<22}{'secret':>7}  {'fit':<9}{'F1':>8}{'thr':>7}"
    print(head + "  claims/record em, sessions  kept")
    for data in args.data:
        if data == "realistic":
            frames, truth = _simulated(7)
            spec = default_spec()
        else:
            frames, truth, spec = _febrl(data == "testimony")
        for plain in (True, False):
            schema = Schema.from_spec(spec, hardening=Hardening.off() if plain else None)
            label = f"{data} {'plain' if plain else 'hardened'}"
            for k in (int(x) for x in args.secrets.split(",")):
                secret = LinkageSecret(SymmetricKey.from_bytes(bytes([k]) + bytes(31)), 1)
                rng = np.random.default_rng(k)
                encs = [encode(f, schema, secret, noise=rng.bytes)
                        for f in frames]  # fmt: skip
                ids = [list(f[spec.record_id]) for f in frames]
                for which in ("em", "sessions", "kept"):
                    matching.choose_model = forced(which)
                    r = match(encs, ids)
                    e = evaluate(r.link_result(), truth)
                    print(f"{label:<22}{k:>7}  {which:<9}{e.f1:>8.4f}{r.threshold:>7.3f}  "
                          f"{claims['em']:>10.3f}, {claims['sessions']:.3f}     "
                          f"{r.stats['model'] if which == 'kept' else ''}", flush=True)  # fmt: skip
    matching.choose_model = keep


if __name__ == "__main__":
    main()
