"""Re-identification attacks on name encodings, by someone who holds the exchange files but not
the key (the matching party, or whoever intercepts a file), with public background knowledge:
the surname frequency table and the given-name syllable table of shared/data/domain.

The attacker knows the schema (bigrams of the romanisation-insensitive name key, ``k``
positions each, the field length): Kerckhoffs's principle. Two attacks:

- **frequency**: records with identical encodings are grouped; the largest groups are matched
  to the most probable names of the background population, in rank order (Kuzu et al. 2011).
- **pattern mining** (after Christen, Schnell, Vatsalan and Ranbaduge, PAKDD 2017, and
  Christen et al. IEEE TKDE 2018): the ``k`` positions one frequent bigram sets appear together
  in the same records, so positions are grouped by how alike their record sets are (Jaccard);
  groups are assigned to bigrams by frequency (largest group, most frequent bigram); each
  record's bigrams are read off the groups whose positions it sets; and the record is named as
  the background name whose bigrams fit best.

- **known records**: pattern mining as above, but the groups are named from 2% of the records
  whose names the attacker already knows (a published list: the field's 2021 dispute), instead
  of from frequencies alone.

A record is **re-identified** when the attacker names it with its true name (same key as the
record's own name). Both rates are returned; the test asserts the hardened rate.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unseen.names import name_key
from unseen.pprl.bits import unpack_bits

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "data" / "domain"


def _qgrams(text: str) -> set[str]:
    padded = f"^{text}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


@dataclass(frozen=True)
class Background:
    """The attacker's dictionary: names (keys) with prior probabilities, and bigram frequencies."""

    keys: tuple[str, ...]
    prior: np.ndarray
    bigram_freq: dict[str, float]


def background(n_names: int = 20000, seed: int = 0) -> Background:
    """Names drawn from the public tables: surname by its population share, each given-name
    syllable by its weight (positions respected)."""
    with (DOMAIN / "korean_surnames.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    surnames = [r["hangul_s"] for r in rows]
    shares = np.array([float(r["share_pct_approx"] or 0.01) for r in rows])
    with (DOMAIN / "korean_given_name_syllables.csv").open(encoding="utf-8") as f:
        syl = list(csv.DictReader(f))
    first = [(s["syllable_s"], float(s["heuristic_weight_1to5"])) for s in syl
             if s["position"] in ("any", "1")]  # fmt: skip
    second = [(s["syllable_s"], float(s["heuristic_weight_1to5"])) for s in syl
              if s["position"] in ("any", "2")]  # fmt: skip
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    draws = 20 * n_names
    fam = rng.choices(surnames, weights=list(shares), k=draws)
    g1 = rng.choices([s for s, _ in first], weights=[w for _, w in first], k=draws)
    g2 = rng.choices([s for s, _ in second], weights=[w for _, w in second], k=draws)
    for f_, a, b in zip(fam, g1, g2, strict=True):
        counts[f_ + a + b] += 1
    keys: dict[str, float] = {}
    for name, c in counts.items():
        k = name_key(name)
        keys[k] = keys.get(k, 0.0) + c
    total = sum(keys.values())
    bigram: Counter[str] = Counter()
    for k, c in keys.items():
        for g in _qgrams(k):
            bigram[g] += c / total
    keys = dict(sorted(keys.items(), key=lambda kv: -kv[1])[:n_names])
    ordered = list(keys)
    return Background(tuple(ordered), np.array([keys[k] / total for k in ordered]), dict(bigram))


def frequency_attack(words: np.ndarray, present: np.ndarray, bg: Background) -> list[str | None]:
    """Name the records of the largest groups of identical encodings, rank for rank."""
    groups: dict[bytes, list[int]] = {}
    for r in np.flatnonzero(present):
        groups.setdefault(words[r].tobytes(), []).append(int(r))
    guesses: list[str | None] = [None] * words.shape[0]
    ranked = sorted(groups.values(), key=len, reverse=True)
    for group, key in zip(ranked, bg.keys, strict=False):
        if len(group) < 2:
            break
        for r in group:
            guesses[r] = key
    return guesses


def pattern_mining_attack(
    words: np.ndarray,
    present: np.ndarray,
    bg: Background,
    *,
    k: int,
    top_bigrams: int = 120,
    jaccard: float = 0.9,
) -> list[str | None]:
    """Recover bigrams from co-occurring positions, then name each record (see module doc)."""
    groups, group_sets = mine_patterns(words, present, k=k, top=top_bigrams, jaccard=jaccard)
    assigned = _assign(group_sets, bg, top_bigrams)
    return decode(assigned, present, bg)


def mine_patterns(
    words: np.ndarray, present: np.ndarray, *, k: int, top: int, jaccard: float
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Position sets that one token each sets, and the records that set all of each."""
    top_bigrams = top
    bits = unpack_bits(words[present])
    n = bits.shape[0]
    support = bits.sum(axis=0)
    seeded = np.zeros(bits.shape[1], dtype=bool)
    groups: list[np.ndarray] = []
    records: list[np.ndarray] = []
    # Greedy frequent-itemset mining: from the most frequent position not yet a seed, keep
    # adding the position that most often co-occurs with all chosen so far, while nearly every
    # record that sets the chosen ones sets it too. A position may belong to several bigrams.
    while len(groups) < top_bigrams and not seeded.all():
        p0 = int(np.argmax(np.where(seeded, -1, support)))
        seeded[p0] = True
        if support[p0] < 0.003 * n:
            break
        chosen, rows = [p0], bits[:, p0].copy()
        while len(chosen) < k:
            overlap = bits[rows].sum(axis=0)
            overlap[chosen] = -1
            q = int(np.argmax(overlap))
            if overlap[q] < jaccard * rows.sum():
                break
            chosen.append(q)
            rows &= bits[:, q]
        mine = set(chosen)
        if len(chosen) < k or any(len(mine & set(g.tolist())) > k // 2 for g in groups):
            continue
        seeded[chosen] = True
        groups.append(np.array(chosen))
        records.append(rows)
    return groups, records


def decode(
    assigned: dict[str, np.ndarray], present: np.ndarray, bg: Background
) -> list[str | None]:
    """Each record's recovered bigrams, then the best-fitting background name."""
    known = set(assigned)
    n = int(present.sum())
    recovered = np.zeros((n, len(known)), dtype=bool)
    names = sorted(known)
    for c, g in enumerate(names):
        recovered[:, c] = assigned[g]
    vocab = np.zeros((len(bg.keys), len(known)), dtype=np.float32)
    for r, key in enumerate(bg.keys):
        grams = _qgrams(key)
        for c, g in enumerate(names):
            vocab[r, c] = g in grams
    rec = recovered.astype(np.float32)
    vsum = vocab.sum(axis=1)
    prior = 1e-6 * np.log(bg.prior)  # ties go to the more common name
    best = np.zeros(n, dtype=np.int64)
    top = np.zeros(n, dtype=np.float32)
    for s0 in range(0, n, 1024):  # in chunks: records x dictionary scores are large
        chunk = rec[s0 : s0 + 1024]
        score = 2 * (chunk @ vocab.T) / (chunk.sum(axis=1)[:, None] + vsum[None, :] + 1e-9)
        score += prior[None, :]
        best[s0 : s0 + 1024] = score.argmax(axis=1)
        top[s0 : s0 + 1024] = score.max(axis=1)
    rows = np.flatnonzero(present)
    out: list[str | None] = [None] * present.shape[0]
    for i, r in enumerate(rows):
        if rec[i].sum() >= 3 and top[i] >= 0.8:
            out[int(r)] = bg.keys[int(best[i])]
    return out


def _assign(group_sets: list[np.ndarray], bg: Background, top: int) -> dict[str, np.ndarray]:
    """Groups to bigrams: start in frequency order, then swap while the groups' pairwise
    co-occurrence fits the background bigrams' better (least squares)."""
    if not group_sets:
        return {}
    sets = np.array(group_sets, dtype=np.float64)  # groups x records
    order = np.argsort(-sets.mean(axis=1))
    sets = sets[order]
    g = sets.shape[0]
    observed = (sets @ sets.T) / sets.shape[1]
    bigrams = sorted(bg.bigram_freq, key=lambda x: -bg.bigram_freq[x])[: max(top, g) + 20]
    index = {b: i for i, b in enumerate(bigrams)}
    member = np.zeros((len(bg.keys), len(bigrams)))
    for r, key in enumerate(bg.keys):
        for b in _qgrams(key):
            if b in index:
                member[r, index[b]] = 1.0
    weighted = member * (bg.prior / bg.prior.sum())[:, None]
    joint = member.T @ weighted  # bigram x bigram: P(both), P(b) on the diagonal
    pi = np.arange(g)  # group i -> bigram pi[i]; bigrams[g:] are spares

    def cost_rows(p: np.ndarray) -> float:
        return float(((observed - joint[np.ix_(p, p)]) ** 2).sum())

    best = cost_rows(pi)
    for _ in range(8):
        improved = False
        for i in range(g):
            for j in range(i + 1, len(bigrams)):
                trial = pi.copy()
                if j < g:
                    trial[i], trial[j] = pi[j], pi[i]
                elif j not in pi:
                    trial[i] = j
                else:
                    continue
                c = cost_rows(trial)
                if c < best - 1e-12:
                    best, pi, improved = c, trial, True
        if not improved:
            break
    return {bigrams[int(pi[i])]: sets[i].astype(bool) for i in range(g)}


def known_record_attack(
    words: np.ndarray,
    present: np.ndarray,
    bg: Background,
    known: dict[int, str],
    *,
    k: int,
    top_bigrams: int = 120,
) -> list[str | None]:
    """Pattern mining, with the bigrams named from a few records whose names the attacker
    knows (published ones, say): each group gets the bigram its known records hold far more
    often than the other known records."""
    _, group_sets = mine_patterns(words, present, k=k, top=top_bigrams, jaccard=0.9)
    rows = np.flatnonzero(present)
    where = {int(r): i for i, r in enumerate(rows)}
    idx = np.array([where[r] for r in known if r in where], dtype=int)
    names = [known[r] for r in known if r in where]
    bigrams = sorted(bg.bigram_freq, key=lambda x: -bg.bigram_freq[x])[:200]
    has = np.array([[b in _qgrams(x) for b in bigrams] for x in names], dtype=float)
    assigned: dict[str, np.ndarray] = {}
    if idx.size and group_sets:
        score = np.array(
            [has[s[idx]].mean(axis=0) - has[~s[idx]].mean(axis=0)
             if s[idx].any() and (~s[idx]).any() else np.zeros(len(bigrams))
             for s in group_sets]
        )  # fmt: skip
        used: set[int] = set()
        for flat in np.argsort(-score, axis=None):
            gi, bi = divmod(int(flat), len(bigrams))
            if gi in used or bigrams[bi] in assigned or score[gi, bi] <= 0.5:
                continue
            assigned[bigrams[bi]] = group_sets[gi]
            used.add(gi)
    return decode(assigned, present, bg)


def rate(guesses: list[str | None], truth_keys: list[str | None]) -> float:
    hits = sum(1 for g, t in zip(guesses, truth_keys, strict=True) if g is not None and g == t)
    return hits / len(truth_keys)
