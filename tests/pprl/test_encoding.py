"""Encodings: keyed, romanisation-insensitive, hardened; and what the hardening costs."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from pprlkit import seeded_noise, two_lists  # noqa: E402

from unseen.crypto import SymmetricKey  # noqa: E402
from unseen.errors import ConfigError  # noqa: E402
from unseen.linkage import default_spec  # noqa: E402
from unseen.pprl import Hardening, LinkageSecret, Schema, encode  # noqa: E402
from unseen.pprl.bits import dice, pack_bits, pair_intersections, popcount_rows  # noqa: E402
from unseen.pprl.hardening import (  # noqa: E402
    diffuse,
    diffusion_taps,
    estimated_dice,
    flip_bits,
    flip_words,
)

PLAIN = Schema.from_spec(default_spec(), hardening=Hardening.off())
HARD = Schema.from_spec(default_spec())


def _table(*names: str) -> pd.DataFrame:
    return pd.DataFrame(
        [{"record_id": f"r{k}", "list": "l", "full_name": n, "sex": "F",
          "birth_date": "1975-03-02"} for k, n in enumerate(names)]
    )  # fmt: skip


def _name_dice(enc, a: int, b: int, field: str = "name") -> float:  # noqa: ANN001
    w = enc.fields[field].words
    p = popcount_rows(w)
    inter = pair_intersections(w, w, np.array([a]), np.array([b]))
    return float(dice(inter, p[[a]], p[[b]])[0])


def test_spellings_of_one_name_encode_alike_and_others_do_not() -> None:
    secret = LinkageSecret.generate()
    enc = encode(_table("리순자", "Lee Soon-ja", "Ri Sun Ja", "李顺子", "김영철"), PLAIN, secret)
    for k in (1, 2, 3):
        assert _name_dice(enc, 0, k) == 1.0
    assert _name_dice(enc, 0, 4) < 0.5


def test_the_secret_decides_every_position() -> None:
    table = _table("리순자", "박명숙")
    one = encode(table, PLAIN, LinkageSecret.generate())
    again = encode(table, PLAIN, LinkageSecret(one_key := SymmetricKey.generate()))
    same = encode(table, PLAIN, LinkageSecret(one_key))
    assert (again.fields["name"].words == same.fields["name"].words).all()
    assert not (one.fields["name"].words == again.fields["name"].words).all()
    assert again.key_fingerprint == same.key_fingerprint != one.key_fingerprint


def test_hardening_never_repeats_an_encoding_but_keeps_the_similarity() -> None:
    secret = LinkageSecret.generate()
    enc = encode(_table("리순자", "리순자", "리순자", "김영철"), HARD, secret)
    w = enc.fields["name"].words
    assert len({w[k].tobytes() for k in range(3)}) == 3  # flips: never the same twice
    p = popcount_rows(w)
    i, j = np.array([0, 0, 1, 0]), np.array([1, 2, 2, 3])
    bits = HARD.field("name").bits
    est = estimated_dice(pair_intersections(w, w, i, j), p[i], p[j], bits, 3, 0.03)
    assert (est[:3] > 0.8).all() and est[3] < 0.5


def test_diffusion_is_linear_and_keyed() -> None:
    key = SymmetricKey.generate()
    taps = diffusion_taps(key, 256, 3)
    assert taps.shape == (256, 3) and all(len(set(row)) == 3 for row in taps.tolist())
    assert (diffusion_taps(key, 256, 3) == taps).all()
    assert not (diffusion_taps(SymmetricKey.generate(), 256, 3) == taps).all()
    rng = np.random.default_rng(1)
    a, b = rng.random((2, 256)) < 0.2
    da, db = diffuse(a[None], taps)[0], diffuse(b[None], taps)[0]
    assert (da ^ db == diffuse((a ^ b)[None], taps)[0]).all()


def test_flips_happen_at_the_stated_rate() -> None:
    bits = np.zeros((200, 512), dtype=bool)
    flipped = flip_bits(bits, 0.03, seeded_noise(4))
    assert abs(flipped.mean() - 8 / 256) < 0.003  # 0.03 rounds to 8/256


def test_flip_words_is_flip_bits_on_packed_words() -> None:
    """Bit-sliced draws give exactly the flips of one byte per bit (``u < c``): feed both the
    same ``u`` and compare."""
    rng = np.random.default_rng(3)
    bits = rng.random((40, 256)) < 0.3
    u = rng.integers(0, 256, size=bits.shape, dtype=np.uint8)
    for probability in (0.03, 0.05, 0.2):
        c = round(probability * 256)
        lowest = (c & -c).bit_length() - 1
        planes = [
            pack_bits(((u >> k) & 1).astype(bool)).tobytes() for k in range(7, lowest - 1, -1)
        ]
        served = iter(planes)
        got = flip_words(pack_bits(bits), probability, lambda n, s=served: next(s))
        assert (got == pack_bits(bits ^ (u < c))).all()
    assert (flip_words(pack_bits(bits), 0.0, seeded_noise(1)) == pack_bits(bits)).all()


def test_estimated_dice_recovers_plain_dice() -> None:
    """On many pairs, the Dice estimated from hardened encodings tracks the plain Dice."""
    a, b, _ = two_lists(60, 40, 25)
    secret = LinkageSecret.generate()
    plain = encode(a, PLAIN, secret).fields["name"]
    hard = encode(a, HARD, secret, noise=seeded_noise(2)).fields["name"]
    i, j = np.triu_indices(60, 1)
    pd_ = dice(pair_intersections(plain.words, plain.words, i, j),
               popcount_rows(plain.words)[i], popcount_rows(plain.words)[j])  # fmt: skip
    ph = popcount_rows(hard.words)
    est = estimated_dice(pair_intersections(hard.words, hard.words, i, j), ph[i], ph[j],
                         HARD.field("name").bits, 3, 0.03)  # fmt: skip
    assert np.corrcoef(pd_, est)[0, 1] > 0.7  # measured 0.76: flips make it noisy
    assert abs(float(np.mean(est - pd_))) < 0.08


def test_absent_fields_are_marked_and_empty() -> None:
    t = _table("리순자", "박명숙")
    t.loc[1, "birth_date"] = ""
    enc = encode(t, HARD, LinkageSecret.generate())
    assert enc.fields["birth"].present.tolist() == [True, False]
    assert not enc.fields["birth"].words[1].any()


def test_schema_fingerprint_tracks_hardening_and_refuses_nonsense() -> None:
    assert PLAIN.fingerprint() != HARD.fingerprint()
    assert Schema.from_dict(HARD.to_dict()).fingerprint() == HARD.fingerprint()
    with pytest.raises(ConfigError, match="diffusion"):
        Hardening(diffusion=40)
    with pytest.raises(ConfigError, match="not one unseen understands"):
        Schema.from_dict({"fields": "x"})


def test_secret_repr_and_errors_hide_the_key() -> None:
    secret = LinkageSecret.generate()
    hex_key = secret.reveal().to_bytes().hex()
    assert hex_key not in repr(secret) and "***" in repr(secret)
    assert hex_key not in repr(encode(_table("리순자"), HARD, secret))
    with pytest.raises(TypeError):
        hash(secret)
    assert secret.rotated().generation == 2 and secret.rotated() != secret


def test_near_years_tell_how_far_apart_two_birth_years_are() -> None:
    from unseen.linkage import build_features
    from unseen.pprl.encoding import field_values

    births = ["1979", "1979", "1980", "1981", "1983", "1990", ""]
    table = _table(*["리순자"] * len(births)).assign(birth_date=births)
    spec = PLAIN.field("birth.near")
    tokens = field_values(spec, build_features(table, default_spec()).frame)
    assert tokens[0] == ("n1977", "n1978", "n1979", "n1980", "n1981")
    assert tokens[-1] == ()
    for seed in range(8):  # fixed secrets: the Bloom-filter collisions differ with each
        secret = LinkageSecret(SymmetricKey.from_bytes(bytes([seed]) * 32))
        enc = encode(table, PLAIN, secret)
        got = [_name_dice(enc, 0, k, "birth.near") for k in range(1, 6)]
        # Token Dice 1, 4/5, 3/5, 1/5, 0: collisions only add, and one year apart stays
        # above two apart, two above four.
        assert got[0] == 1.0
        assert got[1] > got[2] > got[3]
        for value, want in zip(got, (1.0, 0.8, 0.6, 0.2, 0.0), strict=True):
            assert want - 0.02 <= value <= want + 0.3
        assert not enc.fields["birth.near"].present[-1]
