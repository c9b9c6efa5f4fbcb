"""Match the encodings of any number of parties: candidates, scores, and a solution.

1. **Candidates.** Every pair of records (across parties and within each, since a list can hold
   the same person twice) whose encodings in a candidate field are similar enough
   (:attr:`FieldSpec.candidate`), found by :func:`unseen.pprl.bits.pairs_above` over all
   pairs: exact, no pair above the bound is missed.
2. **Scores.** Each field's similarity (Dice; for hardened encodings the Dice of the plain
   encodings estimated from the hardened ones, :func:`~unseen.pprl.hardening.estimated_dice`)
   is binned into levels; a Fellegi-Sunter model (:mod:`unseen.pprl.model`)
   trained by EM on the candidates gives each pair a match probability.
3. **Solution.** ``clusters`` (default): clusters merge, closest first, while the mean
   probability over all their record pairs reaches the threshold (average linkage,
   :func:`unseen.linkage.cluster_average`, as plaintext linkage does; no one-to-one
   assumption, so duplicates within a list are found too). ``one-to-one``: each record joins at
   most one record of each other list, and no cluster holds two records of one list (greedy,
   strongest first). Without a threshold given, it is the one that maximises the model's own
   expected pairwise F1 (:func:`f1_threshold`), not the spec's.

Nothing here sees a name: inputs are bit arrays and pseudonyms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from unseen.errors import InputError
from unseen.linkage import (
    FLOOR_SHARE,
    REASONS,
    LinkResult,
    cluster_average,
    list_shifts,
    shift_matrix,
    shifts_as_records,
)
from unseen.linkage.explanation import FREQUENCY, START, START_LEVEL, join_parts, part_text
from unseen.pprl._product import gpu_backend
from unseen.pprl.bits import (
    Ints,
    Words,
    dice,
    engine_name,
    linear_need,
    pair_intersections,
    pairs_above,
    popcount_rows,
)
from unseen.pprl.comparisons import Comparisons, frequency_weights, group_fields
from unseen.pprl.encoding import Encoded
from unseen.pprl.hardening import estimated_dice, estimated_dice_need
from unseen.pprl.model import FSModel, Levels, fit_fs, fit_sessions
from unseen.pprl.schema import FieldSpec, Hardening, Schema

__all__ = ["SOLUTIONS", "PprlMatch", "clusters_at", "f1_threshold", "match"]

SOLUTIONS = ("clusters", "one-to-one")
# Where the candidate search runs (the names are pairs_above's engines).
DEVICES = ("auto", "cpu", "gpu")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class PprlMatch:
    """The outcome of matching: per record (all parties, in order) its pseudonym, list and
    party; the scored candidate pairs; the clustering; the trained model; counts and times."""

    pseudonyms: tuple[str, ...] = field(repr=False)
    lists: tuple[str, ...] = field(repr=False)
    party: npt.NDArray[np.int32] = field(repr=False)
    pair_i: Ints = field(repr=False)
    pair_j: Ints = field(repr=False)
    probability: npt.NDArray[np.float64] = field(repr=False)
    cluster: tuple[int, ...] = field(repr=False)
    joined_at: tuple[float | None, ...] = field(repr=False)
    model: FSModel = field(repr=False)
    threshold: float
    solution: str
    stats: dict[str, Any]
    #: Why each pair scored so (:mod:`unseen.linkage.explanation`): its joint level per
    #: comparison, where it started (prior and lists' shift) and each source's frequency
    #: adjustment; with :attr:`parts`, each comparison level's reasons text.
    levels: Levels = field(repr=False)
    start: npt.NDArray[np.float64] = field(repr=False)
    frequency: dict[str, npt.NDArray[np.float64]] = field(repr=False)
    parts: tuple[tuple[str, ...], ...] = field(repr=False)

    def link_result(self) -> LinkResult:
        """The result as :class:`unseen.linkage.LinkResult`, for its writers
        (``clusters.csv``, ``pairs.csv``, capture histories): record ids are pseudonyms."""
        order: dict[int, int] = {}
        for label in self.cluster:
            order.setdefault(label, len(order))
        width = max(4, len(str(len(order))))
        ids = [f"C{order[label] + 1:0{width}d}" for label in self.cluster]
        sizes = pd.Series(ids).map(pd.Series(ids).value_counts())
        clusters = pd.DataFrame(
            {
                "uid": np.arange(len(ids)),
                "record_id": list(self.pseudonyms),
                "list": list(self.lists),
                "cluster_id": ids,
                "cluster_size": sizes.astype("int64").to_numpy(),
                "match_probability": list(self.joined_at),
            }
        )
        keep = self.probability >= min(0.5, self.threshold)
        order_p = np.lexsort((self.pair_j[keep], self.pair_i[keep], -self.probability[keep]))
        pi, pj = self.pair_i[keep][order_p], self.pair_j[keep][order_p]
        prob = self.probability[keep][order_p]
        rows = np.flatnonzero(keep)[order_p]
        pairs = pd.DataFrame(
            {
                "uid_l": pi,
                "uid_r": pj,
                "record_id_l": [self.pseudonyms[x] for x in pi],
                "list_l": [self.lists[x] for x in pi],
                "record_id_r": [self.pseudonyms[x] for x in pj],
                "list_r": [self.lists[x] for x in pj],
                "match_probability": prob,
                "decision": ["auto" if p >= self.threshold else "" for p in prob],
                REASONS: self._reasons(rows),
            }
        )
        model = {"pprl": self.model.as_dict(), "solution": self.solution}
        return LinkResult(clusters, pairs, model, dict(self.stats), self.threshold)

    def _reasons(self, rows: Ints) -> list[str]:
        """The reasons text of the scored pairs ``rows``: each comparison level's part was
        written once (:attr:`parts`); the start and frequency parts differ by pair."""
        columns = [[part_text(START, START_LEVEL, float(x)) for x in self.start[rows]]]
        for c, name in enumerate(self.model.fields):  # the comparisons, in levels' order
            texts = np.array(self.parts[c], dtype=object)
            columns.append(texts[self.levels[rows, c]].tolist())
            if name in self.frequency:
                adjust = self.frequency[name][rows].tolist()
                columns.append([part_text(name, FREQUENCY, x) if x != 0.0 else "" for x in adjust])
        return [join_parts(parts) for parts in zip(*columns, strict=True)]


def _concat(encodings: Sequence[Encoded], name: str) -> tuple[Words, npt.NDArray[np.bool_]]:
    words = np.concatenate([e.fields[name].words for e in encodings])
    present = np.concatenate([e.fields[name].present for e in encodings])
    return words, present


def _similarity(spec: FieldSpec, hard: Hardening, inter: Any, pa: Any, pb: Any) -> Any:
    if hard.on:
        return estimated_dice(inter, pa, pb, spec.bits, hard.diffusion, hard.flip)
    return dice(inter, pa, pb)


def _levels(sim: npt.NDArray[np.float64], thresholds: tuple[float, ...]) -> npt.NDArray[np.int8]:
    # Level 1 for the strongest bin ... len+1 for below every bin.
    out = np.full(sim.shape[0], len(thresholds) + 1, dtype=np.int8)
    for lvl, t in reversed(list(enumerate(thresholds, start=1))):
        out[sim >= t - 1e-12] = lvl
    return out


def _candidates(
    spec: FieldSpec,
    hard: Hardening,
    words: Words,
    present: npt.NDArray[np.bool_],
    engine: str = "auto",
) -> tuple[Ints, str]:
    assert spec.candidate is not None  # noqa: S101 - callers pass candidate fields only
    idx = np.flatnonzero(present)
    sub = np.ascontiguousarray(words[idx])
    if hard.on:
        need = estimated_dice_need(spec.candidate, spec.bits, hard.diffusion, hard.flip)
    else:
        need = linear_need(spec.candidate, 0.0, spec.bits)
    # Hardened encodings are dense: numpy's half-way bound would prune almost nothing.
    found = pairs_above(sub, need=need, early_stop=not hard.on, engine=engine)
    gi, gj = idx[found.i], idx[found.j]
    keys: Ints = np.minimum(gi, gj) * words.shape[0] + np.maximum(gi, gj)
    return keys, found.engine


def _rules(
    schema: Schema, comps: Comparisons
) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...], float]:
    """The schema's training and prior rules as comparison indices."""
    of_field = {k: c for c, members in enumerate(comps.members) for k in members}
    index = {f.name: of_field[k] for k, f in enumerate(schema.fields)}
    sessions = tuple(tuple(index[x] for x in t if x in index) for t in schema.training)
    sessions = tuple(t for t in sessions if t) or tuple((k,) for k in range(len(comps.names)))
    prior = tuple(index[x] for x in schema.prior if x in index) or (0,)
    return sessions, prior, schema.prior_recall


def _check_compatible(encodings: Sequence[Encoded]) -> Schema:
    if not encodings:
        raise InputError("give at least one set of encodings to match")
    first = encodings[0]
    fp, key = first.schema.fingerprint(), first.key_fingerprint
    for n, e in enumerate(encodings[1:], start=2):
        if e.schema.fingerprint() != fp:
            raise InputError(
                f"input {n} uses linkage schema {e.schema.fingerprint()}, input 1 uses {fp}: "
                "every party must encode with the same schema / 스키마가 다릅니다"
            )
        if e.key_fingerprint != key:
            raise InputError(
                f"input {n} was encoded under linkage secret {e.key_fingerprint}, input 1 under "
                f"{key}: a secret was rotated or a party used another; re-encode with the current "
                "secret / 연결 비밀키가 다릅니다: 현재 비밀키로 다시 인코딩하십시오"
            )
    return first.schema


def _sims(
    schema: Schema,
    data: dict[str, tuple[Words, npt.NDArray[np.bool_]]],
    pops: dict[str, Ints],
    i: Ints,
    j: Ints,
) -> list[npt.NDArray[np.float64]]:
    """Per field, each pair's similarity; -1 where either record lacks the field."""
    out = []
    for spec in schema.fields:
        words, present = data[spec.name]
        pop = pops[spec.name]
        sim = _similarity(spec, schema.hardening, pair_intersections(words, words, i, j),
                          pop[i], pop[j])  # fmt: skip
        out.append(np.where(present[i] & present[j], sim, -1.0))
    return out


def _to_levels(schema: Schema, sims: list[npt.NDArray[np.float64]]) -> npt.NDArray[np.int8]:
    cols = []
    for spec, sim in zip(schema.fields, sims, strict=True):
        lv = _levels(sim, spec.levels)
        lv[sim < 0] = 0
        cols.append(lv)
    return np.stack(cols, axis=1) if cols else np.zeros((0, 0), dtype=np.int8)


def _would_be_candidate(
    schema: Schema, sims: list[npt.NDArray[np.float64]]
) -> npt.NDArray[np.bool_]:
    out = np.zeros(sims[0].shape[0] if sims else 0, dtype=bool)
    for spec, sim in zip(schema.fields, sims, strict=True):
        if spec.candidate is not None:
            out |= sim >= spec.candidate
    return out


# A field whose strongest level this share of random pairs reach (sex) stays out of EM's E step.
_COMMON_AGREEMENT = 0.2
# Fewer random pairs than this among those that would be candidates: u is fitted by EM instead.
_MIN_RESTRICTED = 500


def _fit(
    schema: Schema,
    comps: Comparisons,
    levels: Levels,
    random_levels: Levels,
    random_candidate: npt.NDArray[np.bool_],
    n: int,
) -> tuple[FSModel, str]:
    """EM with u fixed from random pairs (among non-matches a comparison is independent of
    the candidate selection unless it selects; a selecting comparison's u comes from the
    random pairs that would have been candidates); m and lambda are fitted."""
    # A comparison selects when one of its fields proposes candidates, or reads one that
    # does (the swapped-names field shares the names' bigrams).
    proposing = {f.source for f in schema.fields if f.candidate is not None}
    selecting = tuple(
        any(set(schema.fields[f].source.split("+")) & proposing for f in members)
        for members in comps.members
    )
    n_levels = comps.n_levels
    # The random pairs that would be candidates give the selecting comparison's u among the
    # candidates only when one comparison selects: with several, the selection ties them
    # together among non-matches (a candidate that differs in one agrees in another), which
    # no product of marginals captures; then EM fits their u on the candidates.
    restricted = sum(selecting) == 1 and int(random_candidate.sum()) >= _MIN_RESTRICTED
    u = []
    fit_u = []
    for c in range(len(comps.members)):
        use_restricted = selecting[c] and restricted
        rows = random_levels[random_candidate, c] if use_restricted else random_levels[:, c]
        u.append(_level_share(rows, n_levels[c]))
        fit_u.append(selecting[c] and not restricted)
    # A field of two others' tokens (swapped names) repeats their evidence: in the E step it
    # lets EM settle on it alone; out of it, its m and u come from the posteriors.
    derived = tuple(
        any("+" in schema.fields[f].source for f in members) for members in comps.members
    )
    fit_u = [f or d for f, d in zip(fit_u, derived, strict=True)]
    em_fields = tuple(
        not derived[c]
        and (
            selecting[c]
            or len(members) > 1
            or float(_level_share(random_levels[:, c], n_levels[c])[0]) < _COMMON_AGREEMENT
        )
        for c, members in enumerate(comps.members)
    )
    model = fit_fs(levels, random_levels, n_levels, comps.names, fit_u=tuple(fit_u),
                   u=tuple(u), em_fields=em_fields, max_iterations=200)  # fmt: skip
    sessions, prior_rule, recall = _rules(schema, comps)
    in_sessions = fit_sessions(levels, n_levels, comps.names, sessions, prior_rule, recall,
                               comps.top)  # fmt: skip
    return choose_model(model, in_sessions, levels.shape[0], n)


def choose_model(em: FSModel, sessions: FSModel, pairs: int, records: int) -> tuple[FSModel, str]:
    """EM on all ``pairs`` candidates, or EM in training sessions: the one that claims fewer
    matches (and never EM when it claims more matched pairs than there are ``records``).

    Both fits fail the same way: EM on all candidates can take a structured part of the
    non-matches (strangers who share a common name) for the match class, and the sessions'
    share of matches, from the prior rule's pairs, can run high. Neither errs the other way,
    so of the two the one that claims fewer matches absorbed less."""
    if em.lam * pairs > records:
        return sessions, "em in training sessions (EM on all candidates rejected)"
    if sessions.lam < em.lam:
        return sessions, "em in training sessions (EM on all candidates claimed more matches)"
    return em, "em"


def _level_share(rows: Levels, n_levels: int) -> npt.NDArray[np.float64]:
    counts = np.bincount(rows.astype(np.int64), minlength=n_levels + 1)[1:].astype(np.float64)
    total = counts.sum()
    return counts / total if total > 0 else np.full(n_levels, 1.0 / n_levels)


def _frequency_by_source(
    schema: Schema,
    n: int,
    i: Ints,
    j: Ints,
    sims: list[npt.NDArray[np.float64]],
    random_sims: list[npt.NDArray[np.float64]],
) -> dict[str, npt.NDArray[np.float64]]:
    """The name-frequency adjustment (:func:`~unseen.pprl.comparisons.frequency_weights`)
    of every field that proposes candidates from q-grams (names, or blocking strings), summed
    per comparison (a field's ``source``)."""
    out: dict[str, npt.NDArray[np.float64]] = {}
    for spec, sim, rsim in zip(schema.fields, sims, random_sims, strict=True):
        if spec.candidate is None or spec.kind != "qgrams" or not spec.levels:
            continue
        top = spec.levels[0] - 1e-12
        u_top = float((rsim >= top).mean()) if rsim.size else 0.0
        weight = frequency_weights(n, i, j, sim >= top, u_top)
        out[spec.source] = out[spec.source] + weight if spec.source in out else weight
    return out


def _level_parts(schema: Schema, comps: Comparisons, model: FSModel) -> tuple[tuple[str, ...], ...]:
    """The reasons part of every joint level of every comparison: its members' similarity
    bins (no value of either record) and the level's weight."""
    out = []
    all_weights = model.weights()
    for c, (members, radix) in enumerate(zip(comps.members, comps.radix, strict=True)):
        weights = all_weights[c]
        texts = []
        for code in range(len(weights)):
            levels, rest = [], code
            for r in reversed(radix):
                levels.append(rest % r)
                rest //= r
            words = [
                _bin_words(schema.fields[f], lv)
                for f, lv in zip(members, reversed(levels), strict=True)
            ]
            label = "unknown on one side" if code == 0 else ", ".join(words)
            texts.append(part_text(comps.names[c], label, float(weights[code])))
        out.append(tuple(texts))
    return tuple(out)


def _bin_words(spec: FieldSpec, level: int) -> str:
    """One field's similarity bin: 0 unknown, 1.. the bins strongest first, then below."""
    if level == 0:
        return f"{spec.name} unknown"
    bins = spec.levels
    if level > len(bins):
        return f"{spec.name} similarity below {bins[-1]:g}" if bins else f"{spec.name} different"
    if level == 1:
        return f"{spec.name} similarity {bins[0]:g} or more"
    return f"{spec.name} similarity {bins[level - 1]:g} to {bins[level - 2]:g}"


def f1_threshold(probability: npt.NDArray[np.float64], fallback: float) -> float:
    """The threshold that maximises the expected pairwise F1 under the model's probabilities.

    Taking pairs by descending ``p``, the expected true positives are the running sum of ``p``
    and the expected true pairs the sum over all candidates, so the expected F1 after ``k``
    pairs is ``2 S_k / (k + S)``. A pair raises it exactly when its ``p`` exceeds half the F1
    reached, so the best threshold is half the best expected F1 (Lipton, Elkan and Narayanaswamy,
    2014), never above 0.5: 0.5 maximises expected accuracy, which for rare matches leaves
    recall behind. Uses no truth, only the scores; ``fallback`` when nothing is scored.
    """
    if probability.size == 0:
        return fallback
    p = np.sort(probability)[::-1]
    gained = np.cumsum(p)
    if gained[-1] <= 0.0:
        return fallback
    expected_f1 = 2.0 * gained / (np.arange(1, p.size + 1) + gained[-1])
    return float(expected_f1.max()) / 2.0


def match(
    encodings: Sequence[Encoded],
    pseudonyms: Sequence[Sequence[str]],
    *,
    threshold: float | None = None,
    solution: str = "clusters",
    random_pairs: int = 200_000,
    seed: int = 0,
    device: str = "auto",
    list_prior: bool = True,
    progress: Progress | None = None,
) -> PprlMatch:
    """Match every record of every ``encodings`` against every other (see the module doc).

    ``device``: ``"auto"`` (a GPU for large candidate searches where CuPy or PyTorch sees
    one), ``"cpu"`` or ``"gpu"`` (an error where there is none); the same pairs on each.
    ``list_prior``: each pair of lists (of one party or two) gets its own prior, as in
    plaintext linkage (:mod:`unseen.linkage.list_prior`)."""
    if solution not in SOLUTIONS:
        raise InputError(f"solution must be one of {', '.join(SOLUTIONS)}")
    if device not in DEVICES:
        raise InputError(f"device must be one of {', '.join(DEVICES)}")
    if device == "gpu" and gpu_backend() is None:
        raise InputError(
            "no GPU found: install CuPy (pip install 'unseen[gpu]') or PyTorch with CUDA, or "
            "match with --device cpu / GPU를 찾지 못했습니다: CuPy를 설치하거나 --device cpu를 "
            "쓰십시오"
        )
    schema = _check_compatible(encodings)
    if len(pseudonyms) != len(encodings) or any(
        len(p) != e.n for p, e in zip(pseudonyms, encodings, strict=True)
    ):
        raise InputError("one pseudonym per encoded record is needed")
    hard = schema.hardening
    t0 = time.perf_counter()
    names = tuple(f.name for f in schema.fields)
    data = {name: _concat(encodings, name) for name in names}
    n = sum(e.n for e in encodings)
    pops = {name: popcount_rows(data[name][0]) for name in names}
    lists = tuple(e.lists[int(k)] for e in encodings for k in e.list_index)
    party = np.concatenate(
        [np.full(e.n, p, dtype=np.int32) for p, e in enumerate(encodings)]
    ) if encodings else np.zeros(0, dtype=np.int32)  # fmt: skip
    if progress:
        progress("candidates")
    keys: list[Ints] = []
    engines: list[str] = []
    for spec in schema.fields:
        if spec.candidate is not None:
            found, used = _candidates(spec, hard, *data[spec.name], engine=device)
            keys.append(found)
            engines.append(used)
    flat = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    pi, pj = flat // max(n, 1), flat % max(n, 1)
    t_cand = time.perf_counter()
    if progress:
        progress("scoring")
    field_sims = _sims(schema, data, pops, pi, pj)
    rng = np.random.default_rng(seed)
    ri = rng.integers(0, max(n, 1), size=random_pairs)
    rj = rng.integers(0, max(n, 1), size=random_pairs)
    ok = ri != rj
    ri, rj = ri[ok], rj[ok]
    random_sims = _sims(schema, data, pops, ri, rj)
    comps = group_fields(schema.fields)
    levels = comps.combine(_to_levels(schema, field_sims))
    random_levels = comps.combine(_to_levels(schema, random_sims))
    if progress:
        progress("training")
    random_candidate = _would_be_candidate(schema, random_sims)
    model, how = _fit(schema, comps, levels, random_levels, random_candidate, n)
    start = np.full(pi.shape[0], np.log2(model.lam / (1.0 - model.lam)))
    frequency = _frequency_by_source(schema, n, pi, pj, field_sims, random_sims)
    z = start + model.log2_odds(levels)
    for part in frequency.values():
        z += part
    probability = 1.0 / (1.0 + np.exp2(-np.clip(z, -60.0, 60.0)))
    shifts: dict[tuple[str, str], float] = {}
    if list_prior:
        shifts, moved = _list_prior(party, lists, pi, pj, probability)
        if shifts:
            z += moved
            start = start + moved
            probability = 1.0 / (1.0 + np.exp2(-np.clip(z, -60.0, 60.0)))
    rule = "given" if threshold is not None else "expected F1"
    if threshold is None:
        threshold = f1_threshold(probability, schema.threshold)
    t_model = time.perf_counter()
    if progress:
        progress("clustering")
    if solution == "clusters":
        cluster, joined = clusters_at(n, pi, pj, probability, threshold)
    else:
        cluster, joined = _one_to_one(n, lists, pi, pj, probability, threshold)
    t_end = time.perf_counter()
    stats = {
        "records": n,
        "parties": len(encodings),
        "candidate_pairs": int(flat.size),
        "pairs_above_threshold": int((probability >= threshold).sum()),
        "clusters": len(set(cluster)),
        # What found the candidates: the GPU where a search was large enough for it.
        "engine": ", ".join(dict.fromkeys(engines)) or engine_name(),
        "model": how,
        "threshold": threshold,
        "threshold_rule": rule,
        "list_prior": shifts_as_records(shifts),
        "seconds": {
            "candidates": t_cand - t0,
            "scoring_training": t_model - t_cand,
            "clustering": t_end - t_model,
            "total": t_end - t0,
        },
    }
    return PprlMatch(
        tuple(x for p in pseudonyms for x in p),
        lists,
        party,
        pi,
        pj,
        probability,
        tuple(cluster),
        tuple(joined),
        model,
        threshold,
        solution,
        stats,
        levels,
        start,
        frequency,
        _level_parts(schema, comps, model),
    )


def _list_prior(
    party: npt.NDArray[np.int32],
    lists: Sequence[str],
    pi: Ints,
    pj: Ints,
    probability: npt.NDArray[np.float64],
) -> tuple[dict[tuple[str, str], float], npt.NDArray[np.float64]]:
    """Each pair of lists' shift in log2-odds (a list is a party's: two parties' lists of
    one name are two lists) and each scored pair's; nothing where there is one list."""
    labels = [f"{p}:{x}" for p, x in zip(party.tolist(), lists, strict=True)]
    codes, names = pd.factorize(pd.Series(labels, dtype=object))
    k = len(names)
    if k < 2:
        return {}, np.zeros(pi.size)
    counts = np.bincount(codes, minlength=k)
    expected = np.bincount(codes[pi] * k + codes[pj], weights=probability, minlength=k * k)
    shifts = list_shifts(
        {str(names[i]): int(counts[i]) for i in range(k)},
        [(str(names[c // k]), str(names[c % k]), float(e)) for c, e in enumerate(expected)],
    )
    table = shift_matrix(shifts, [str(x) for x in names])
    return shifts, table[codes[pi], codes[pj]]


def clusters_at(
    n: int, pi: Ints, pj: Ints, probability: npt.NDArray[np.float64], threshold: float
) -> tuple[list[int], list[float | None]]:
    """The ``clusters`` solution: average linkage of the scored pairs at ``threshold``; each
    record's cluster label and the mean at which it first joined (``None``: alone)."""
    floor = threshold * FLOOR_SHARE
    near = np.flatnonzero(probability >= floor)  # the rest count 0: not worth a tuple
    pairs = zip(pi[near].tolist(), pj[near].tolist(), probability[near].tolist(), strict=True)
    found = cluster_average(n, pairs, threshold, floor=floor)
    return list(found.cluster), list(found.joined_at)


def _one_to_one(
    n: int,
    lists: Sequence[str],
    pi: Ints,
    pj: Ints,
    probability: npt.NDArray[np.float64],
    threshold: float,
) -> tuple[list[int], list[float | None]]:
    """Greedy strongest-first: a pair joins two clusters only when they share no list."""
    parent = list(range(n))
    members: dict[int, set[str]] = {x: {lists[x]} for x in range(n)}
    joined: list[float | None] = [None] * n

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keep = np.flatnonzero(probability >= threshold)
    order = keep[np.lexsort((pj[keep], pi[keep], -probability[keep]))]
    for k in order.tolist():
        a, b = int(pi[k]), int(pj[k])
        ra, rb = find(a), find(b)
        if ra == rb or members[ra] & members[rb]:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
        p = float(probability[k])
        for x in (a, b):
            if joined[x] is None:
                joined[x] = p
    labels: dict[int, int] = {}
    cluster = []
    for x in range(n):
        labels.setdefault(find(x), x)
        cluster.append(labels[find(x)])
    return cluster, joined
