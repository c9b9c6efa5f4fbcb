"""The linkage schema: which encoded fields a record has, how each is built and how it is scored.

A schema is built from a :class:`~unseen.linkage.LinkageSpec` (the same comparisons plaintext
linkage uses, so the same config files work), with one or two encoded fields per comparison:

| comparison | fields | tokens |
|---|---|---|
| ``name`` | ``<c>`` | bigrams of the romanisation-insensitive key (``i_sonca``) |
| | ``<c>.all`` | every reading and key of every name and alias (Hangul, keys, Mandarin bridge) |
| ``date`` | ``<c>`` | each possible year; the month and the day when the date is that precise |
| | ``<c>.near`` | every year within two of a possible year (``n1977`` ... ``n1981`` for 1979) |
| ``place`` | ``<c>`` | the gazetteer id and its county, prefecture and province ids |
| ``string`` | ``<c>`` | bigrams of the normalised text |
| ``exact`` / ``numeric`` | ``<c>`` | the value |

There is deliberately no field of the family name alone: a field that matches surnames lets
whoever holds the encodings group records by surname and align the groups with a public surname
frequency table (docs/pprl.md, threat model). ``mother`` comparisons are not encoded.

Hardening (:class:`Hardening`) is part of the schema, and so is the secret's generation: both
change the fingerprint, and files with different fingerprints are never compared.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from unseen.crypto import sha256_hex
from unseen.errors import ConfigError
from unseen.linkage import LinkageSpec, Rule

__all__ = ["FIELD_KINDS", "FieldSpec", "Hardening", "Schema"]

SQL_FEATURE = re.compile(r"\b[lr]\.([a-z][a-z0-9_]*)__")
FIELD_KINDS = ("qgrams", "tokens", "date", "years", "place", "token")
# Similarity bins (Dice, or for hardened encodings Dice estimated from them), strongest first.
# Dates: 1 the same day; 0.67 the same month; 0.5 a year against a full date in it; 0.33 the
# same year only. The last bin starts at 0.3, not 0.35: flips move a hardened estimate by
# about 0.05-0.08 on these short fields, and "1984" against "1984-11-13" fell below it.
_LEVELS = {
    "qgrams": (0.92, 0.8, 0.65, 0.5),
    # Five bands, not three: on the realistic preset paired runs gained 0.005 to 0.007 F1.
    "tokens": (0.85, 0.65, 0.5, 0.35, 0.2),
    "date": (0.9, 0.6, 0.3),
    # Years within two of each possible year: 1 the same years, 0.8 one apart, 0.6 two, 0.4
    # three, 0.2 four (for single years).
    "years": (0.9, 0.7, 0.5, 0.3),
    "place": (0.9, 0.7, 0.45, 0.2),
    "token": (0.8,),
}


#: For a spec whose prior rules need both records to meet ``prior_when`` (the default model:
#: a precise birth date): the square of the share of records that do on the realistic preset
#: (0.31), which plaintext linkage measures on the lists themselves.
ASSUMED_SHARE_SQUARED = 0.1


@dataclass(frozen=True)
class Hardening:
    """How encodings are hardened against frequency and pattern-mining attacks.

    - ``diffusion``: each output bit is the XOR of this many input bits chosen with the secret
      (Armknecht, Heng and Schnell, PoPETs 2023); 0 turns it off. No output bit belongs to a
      q-gram any more, which is what pattern mining needs.
    - ``flip``: every output bit is flipped with this probability, drawn afresh for every
      record from the OS CSPRNG (BLIP: Alaggan, Gambs and Kermarrec 2012; Schnell and Borgs
      2016), so the same value never gives the same encoding twice; 0 turns it off.

    Positions always come from HMAC-SHA256 under a per-field subkey (no double hashing, whose
    structure Kroll and Steinmetzer 2015 exploited).
    """

    diffusion: int = 3
    flip: float = 0.03

    def __post_init__(self) -> None:
        if not 0 <= self.diffusion <= 16:
            raise ConfigError("hardening diffusion is 0 (off) to 16 input bits per output bit")
        if not 0.0 <= self.flip < 0.25:
            raise ConfigError("hardening flip probability is 0 (off) up to 0.25")

    @property
    def on(self) -> bool:
        return self.diffusion > 0 or self.flip > 0

    @classmethod
    def off(cls) -> Hardening:
        """Plain keyed Bloom filters (Schnell et al. 2009): for measurements and attacks only."""
        return cls(diffusion=0, flip=0.0)


@dataclass(frozen=True)
class FieldSpec:
    """One encoded field.

    ``source`` is the comparison it comes from and ``part`` the feature it reads
    (:mod:`unseen.linkage.features`); ``k`` positions are set per token (the field's weight in
    the encoding); ``levels`` are the similarity bins of the match model, strongest first;
    a pair at or above ``candidate`` similarity in this field is a candidate pair.
    """

    name: str
    source: str
    kind: str
    part: str
    bits: int = 256
    k: int = 16
    levels: tuple[float, ...] = ()
    candidate: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise ConfigError(f"field {self.name}: kind must be one of {', '.join(FIELD_KINDS)}")
        if self.bits not in (64, 128, 256, 512, 1024, 2048, 4096):
            raise ConfigError(f"field {self.name}: bits must be a power of two, 64 to 4096")
        if not 1 <= self.k <= 64:
            raise ConfigError(f"field {self.name}: k (positions per token) must be 1 to 64")
        if list(self.levels) != sorted(self.levels, reverse=True) or not all(
            0 < t <= 1 for t in self.levels
        ):
            raise ConfigError(
                f"field {self.name}: levels are similarities in (0, 1], strongest first"
            )

    @property
    def words(self) -> int:
        return self.bits // 64


@dataclass(frozen=True)
class Schema:
    """Everything both sides must share to compare encodings, except the secret."""

    fields: tuple[FieldSpec, ...]
    hardening: Hardening = field(default_factory=Hardening)
    spec: LinkageSpec | None = field(default=None, repr=False, compare=False)
    spec_sha256: str = ""
    threshold: float = 0.9
    version: int = 1
    training: tuple[tuple[str, ...], ...] = ()
    prior: tuple[str, ...] = ()
    prior_recall: float = 0.5

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ConfigError("each encoded field is named once")
        if not self.fields:
            raise ConfigError("a schema needs at least one encoded field")
        if not any(f.candidate is not None for f in self.fields):
            raise ConfigError("at least one field must propose candidate pairs (candidate=)")
        if not 0 < self.threshold < 1:
            raise ConfigError("the match threshold is a probability between 0 and 1")

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise ConfigError(f"the schema has no field '{name}'")

    @classmethod
    def from_spec(cls, spec: LinkageSpec, *, hardening: Hardening | None = None) -> Schema:
        """The default encoded fields for every comparison of ``spec``."""
        hard = hardening if hardening is not None else Hardening()
        levels = _LEVELS
        blocking = {r.on[0].partition(".")[0] for r in spec.blocking if r.on and len(r.on) == 1}
        out: list[FieldSpec] = []
        # Widths: hardened similarities are estimates, and their noise, not the model, was
        # most of what PPRL lost to plaintext on the realistic preset; twice the bits and k
        # for names and dates, four times for places, raised F1 there from about 0.805 to
        # 0.82 (docs/pprl.md). FEBRL's string fields keep 512 bits.
        for c in spec.comparisons:
            if c.type == "name":
                out.append(FieldSpec(c.name, c.name, "qgrams", "key", 1024, 24, levels["qgrams"],
                                     candidate=0.75))  # fmt: skip
                out.append(FieldSpec(f"{c.name}.all", c.name, "tokens", "all", 1024, 32,
                                     levels["tokens"],
                                     candidate=0.4))  # fmt: skip
            elif c.type == "date":
                out.append(FieldSpec(c.name, c.name, "date", "date", 512, 24, levels["date"]))
                # Ages and years are often misremembered by one or two: the date's tokens
                # say nothing of how far apart two years are, this field does.
                out.append(FieldSpec(f"{c.name}.near", c.name, "years", "years", 512, 24,
                                     levels["years"]))  # fmt: skip
            elif c.type == "place":
                out.append(FieldSpec(c.name, c.name, "place", "place", 1024, 48, levels["place"]))
            elif c.type == "string":
                cand = 0.8 if c.name in blocking else None
                out.append(FieldSpec(c.name, c.name, "qgrams", "value", 512, 12,
                                     levels["qgrams"], candidate=cand))  # fmt: skip
            elif c.type in ("exact", "numeric"):
                out.append(FieldSpec(c.name, c.name, "token", "value", 64, 8, levels["token"]))
            if c.type == "string" and c.swapped_with and c.name < c.swapped_with:
                # Names written the other way round: one field of both names' bigrams, whatever
                # their order, so a swap scores as a match there.
                pair = f"{c.name}+{c.swapped_with}"
                out.append(FieldSpec(pair, pair, "qgrams", "value", 512, 12, levels["qgrams"]))
        first: dict[str, str] = {}
        for f in out:
            first.setdefault(f.source, f.name)

        def names_of(rule: Rule) -> tuple[str, ...]:
            used = [x.partition(".")[0] for x in rule.on]
            used += SQL_FEATURE.findall(rule.sql or "")
            return tuple(dict.fromkeys(first[c] for c in used if c in first))

        training = tuple(t for t in (names_of(r) for r in spec.training) if t)
        prior = names_of(spec.prior[0]) if spec.prior else ()
        recall = spec.prior_recall
        if spec.prior_when is not None:
            # An encoding does not show whether a record meets the condition (how precise
            # its date is), so the share cannot be measured: the realistic preset's is taken.
            recall = round(recall * ASSUMED_SHARE_SQUARED, 6)
        return cls(
            tuple(out), hard, spec, sha256_hex(spec.to_json().encode("utf-8")), spec.threshold,
            1, training, prior, recall,
        )  # fmt: skip

    def with_hardening(self, hardening: Hardening) -> Schema:
        if self.spec is None:
            raise ConfigError("this schema was read from a file: its hardening is fixed")
        return replace(Schema.from_spec(self.spec, hardening=hardening), threshold=self.threshold)

    def to_dict(self) -> dict[str, Any]:
        """What an exchange file carries: fields and hardening (no column names, no spec)."""
        return {
            "version": self.version,
            "threshold": self.threshold,
            "hardening": asdict(self.hardening),
            "fields": [{**asdict(f), "levels": list(f.levels)} for f in self.fields],
            "spec_sha256": self.spec_sha256,
            "training": [list(t) for t in self.training],
            "prior": list(self.prior),
            "prior_recall": self.prior_recall,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Schema:
        try:
            fields = tuple(
                FieldSpec(**{**f, "levels": tuple(float(x) for x in f["levels"])})
                for f in data["fields"]
            )
            schema = cls(
                fields,
                Hardening(**data["hardening"]),
                None,
                str(data["spec_sha256"]),
                float(data["threshold"]),
                int(data["version"]),
                tuple(tuple(str(x) for x in t) for t in data["training"]),
                tuple(str(x) for x in data["prior"]),
                float(data["prior_recall"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ConfigError("the schema in this file is not one unseen understands") from None
        return schema

    def fingerprint(self) -> str:
        """SHA-256 of the canonical schema, first 64 bits, as ``xxxx-xxxx-xxxx-xxxx``."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        h = sha256_hex(text.encode("utf-8"))[:16]
        return "-".join(h[i : i + 4] for i in range(0, 16, 4))
