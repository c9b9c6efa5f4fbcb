"""What the realistic preset's PPRL model leaves on the table: one hardened encoding, scored by
the shipped model, by oracle m and u (from the truth), and with other similarity bins.

    nice -n 10 .venv/bin/python bench/pprl_ceilings.py --seed 7
    nice -n 10 .venv/bin/python bench/pprl_ceilings.py --levels name.all=0.85,0.5,0.25
    nice -n 10 .venv/bin/python bench/pprl_ceilings.py --width name=512,12 --width name.all=512,16

Everything is measured on the same candidates and similarities (so rows are paired: the
flips and the secret are drawn once), as pairwise F1 (clusters by
:func:`unseen.pprl.matching.clusters_at`) at each ``--thresholds`` and at the threshold
``match`` takes by default (:func:`unseen.pprl.matching.f1_threshold`, from each row's scores):

- ``model``: the matching code's own model (``unseen.pprl.matching``), as ``match`` scores;
- ``oracle m``: m from the true matches among the candidates, the model's u and lambda;
- ``oracle m, u, lambda``: all three from the truth (u from the candidates' non-matches);
- ``--levels FIELD=a,b,...``: the model again with that field's bins replaced (repeatable).

``--width FIELD=BITS,K`` encodes that field with other bits and positions per token (the schema
is patched for the run; repeatable), to measure widths.

Oracle rows use the truth and are ceilings for the current levels, not something the matcher
could do. The figures are in docs/pprl.md (Measured).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _pairwise_f1(cluster: list[int], person: Any) -> float:
    both = Counter(zip(cluster, person.tolist(), strict=True))
    tp = sum(k * (k - 1) // 2 for k in both.values())
    predicted = sum(k * (k - 1) // 2 for k in Counter(cluster).values())
    true = sum(k * (k - 1) // 2 for k in Counter(person.tolist()).values())
    p, r = tp / max(predicted, 1), tp / max(true, 1)
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--thresholds", default="0.4,0.5,0.6")
    ap.add_argument("--levels", action="append", default=[], help="FIELD=a,b,... (repeatable)")
    ap.add_argument("--width", action="append", default=[], help="FIELD=BITS,K (repeatable)")
    args = ap.parse_args()

    import pprl_quality
    import unseen.pprl.matching as mt
    from unseen.linkage import default_spec
    from unseen.pprl import LinkageSecret, Schema, encode
    from unseen.pprl.bits import popcount_rows
    from unseen.pprl.comparisons import group_fields
    from unseen.pprl.matching import clusters_at
    from unseen.pprl.model import M_FLOOR, U_FLOOR, FSModel

    frames, truth = pprl_quality._simulated(args.seed)
    spec = default_spec()
    schema = Schema.from_spec(spec)
    widths = {}
    for item in args.width:
        name, _, values = item.partition("=")
        bits, k = (int(x) for x in values.split(","))
        widths[name] = {"bits": bits, "k": k}
    schema = replace(schema, fields=tuple(replace(f, **widths.get(f.name, {}))
                                          for f in schema.fields))  # fmt: skip
    secret = LinkageSecret.generate()
    encs = [encode(f, schema, secret) for f in frames]
    rows = zip(truth.record_id, truth.list, truth.person_id, strict=True)
    key = {(str(lst), str(r)): str(p) for r, lst, p in rows}
    ids = [str(x) for f in frames for x in f[spec.record_id]]
    lists = [e.lists[int(k)] for e in encs for k in e.list_index]
    person = np.unique([key[(lst, r)] for lst, r in zip(lists, ids, strict=True)],
                       return_inverse=True)[1]  # fmt: skip
    n = len(ids)
    data = {f.name: mt._concat(encs, f.name) for f in schema.fields}
    pops = {name: popcount_rows(w) for name, (w, _) in data.items()}
    keys = [mt._candidates(f, schema.hardening, *data[f.name])
            for f in schema.fields if f.candidate is not None]  # fmt: skip
    flat = np.unique(np.concatenate(keys))
    pi, pj = flat // n, flat % n
    rng = np.random.default_rng(0)
    ri, rj = rng.integers(0, n, 200_000), rng.integers(0, n, 200_000)
    ri, rj = ri[ri != rj], rj[ri != rj]
    sims = mt._sims(schema, data, pops, pi, pj)
    rsims = mt._sims(schema, data, pops, ri, rj)
    y = person[pi] == person[pj]
    thresholds = [float(t) for t in args.thresholds.split(",")]
    print(f"{n:,} records, {pi.size:,} candidates, {int(y.sum()):,} of them true")

    def report(label: str, z: Any) -> None:
        prob = 1.0 / (1.0 + np.exp2(-np.clip(z, -60, 60)))
        f1 = [_pairwise_f1(clusters_at(n, pi, pj, prob, t)[0], person) for t in thresholds]
        best = mt.f1_threshold(prob, schema.threshold)  # what match() takes without a threshold
        at_best = _pairwise_f1(clusters_at(n, pi, pj, prob, best)[0], person)
        print(
            f"{label:<44}"
            + "".join(f"  {t}: {v:.4f}" for t, v in zip(thresholds, f1, strict=True))
            + f"  expected-F1 threshold {best:.3f}: {at_best:.4f}"
        )

    def scored(sch: Schema) -> tuple[Any, Any, Any, Any]:
        comps = group_fields(sch.fields)
        levels = comps.combine(mt._to_levels(sch, sims))
        rlevels = comps.combine(mt._to_levels(sch, rsims))
        model, _ = mt._fit(sch, comps, levels, rlevels, mt._would_be_candidate(sch, rsims), n)
        freq = sum(mt._frequency_by_source(sch, n, pi, pj, sims, rsims).values(), np.zeros(len(pi)))
        return comps, levels, model, freq

    comps, levels, model, freq = scored(schema)
    prior = np.log2(model.lam / (1 - model.lam))
    report(f"model ({model.lam * pi.size:,.0f} matches expected)",
           prior + model.log2_odds(levels) + freq)  # fmt: skip

    def share(rows: Any, k: int) -> Any:
        c = np.bincount(rows, minlength=k + 1)[1:].astype(np.float64) + 1e-3
        return c / c.sum()

    def floored(p: Any, floor: float) -> Any:
        q = np.maximum(p, floor)
        return q / q.sum()

    nl = comps.n_levels
    m_o = tuple(floored(share(levels[y, c], nl[c]), M_FLOOR) for c in range(len(nl)))
    u_o = tuple(floored(share(levels[~y, c], nl[c]), U_FLOOR) for c in range(len(nl)))
    oracle_m = FSModel(comps.names, m_o, model.u, model.lam, 0)
    report("oracle m (model u, lambda)", prior + oracle_m.log2_odds(levels) + freq)
    lam = float(y.mean())
    oracle = FSModel(comps.names, m_o, u_o, lam, 0)
    report("oracle m, u, lambda", np.log2(lam / (1 - lam)) + oracle.log2_odds(levels) + freq)
    for item in args.levels:
        name, _, values = item.partition("=")
        bins = tuple(float(x) for x in values.split(","))
        sch = replace(schema, fields=tuple(replace(f, levels=bins) if f.name == name else f
                                           for f in schema.fields))  # fmt: skip
        c2, l2, m2, f2 = scored(sch)
        report(f"model, {name} bins {values}",
               np.log2(m2.lam / (1 - m2.lam)) + m2.log2_odds(l2) + f2)  # fmt: skip


if __name__ == "__main__":
    main()
