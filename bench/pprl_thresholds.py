"""Where the realistic preset's PPRL gap is: one hardened match, re-clustered at many thresholds.

    nice -n 10 .venv/bin/python bench/pprl_thresholds.py --seed 7
    nice -n 10 .venv/bin/python bench/pprl_thresholds.py --flip 0.015   # fewer flips
    nice -n 10 .venv/bin/python bench/pprl_thresholds.py --keep-em      # EM's model, never rules

Pairwise F1 (unseen.linkage.evaluate) of ``unseen.pprl.match`` on the simulator's realistic
preset, and of ``clusters_at`` (average linkage) on the same probabilities at each
``--thresholds``. The figures are in docs/pprl.md (Measured).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--flip", type=float, default=None, help="flip probability (default 0.03)")
    ap.add_argument("--keep-em", action="store_true", help="never fall back to the rules")
    ap.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7,0.8,0.9")
    args = ap.parse_args()

    import pprl_quality
    import unseen.pprl.matching as matching
    from unseen.linkage import default_spec, evaluate
    from unseen.pprl import Hardening, LinkageSecret, Schema, encode, match
    from unseen.pprl.matching import clusters_at

    if args.keep_em:
        fitted: list[Any] = []
        fit_fs = getattr(matching, "fit_fs")  # noqa: B009 - patched below

        def keep(*a: Any, **k: Any) -> Any:
            fitted.append(fit_fs(*a, **k))
            return fitted[-1]

        setattr(matching, "fit_fs", keep)  # noqa: B010 - EM only, for this measurement
        setattr(matching, "fit_sessions", lambda *a, **k: fitted[-1])  # noqa: B010
    frames, truth = pprl_quality._simulated(args.seed)
    spec = default_spec()
    hard = Hardening() if args.flip is None else Hardening(flip=args.flip)
    schema = Schema.from_spec(spec, hardening=hard)
    secret = LinkageSecret.generate()
    result = match([encode(f, schema, secret) for f in frames],
                   [list(f[spec.record_id]) for f in frames])  # fmt: skip
    e = evaluate(result.link_result(), truth)
    print(f"match: threshold {result.threshold}, {result.stats['model']}, "
          f"F1 {e.f1:.4f} (P {e.precision:.4f} R {e.recall:.4f})")  # fmt: skip
    n = result.stats["records"]
    for t in (float(x) for x in args.thresholds.split(",")):
        cluster, joined = clusters_at(n, result.pair_i, result.pair_j, result.probability, t)
        r = replace(result, cluster=tuple(cluster), joined_at=tuple(joined), threshold=t)
        e = evaluate(r.link_result(), truth)
        print(f"threshold {t:.2f}: F1 {e.f1:.4f} (P {e.precision:.4f} R {e.recall:.4f})")


if __name__ == "__main__":
    main()
