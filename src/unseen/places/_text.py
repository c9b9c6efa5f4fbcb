"""Text normalisation for place names: case, diacritics, separators, administrative suffixes,
and a Revised Romanization of Hangul place names (so "Yenji" meets 옌지)."""

from __future__ import annotations

import re
import unicodedata

# Administrative words, longest first; stripped to compare base names ("Yanji City", "延吉市",
# "연길시", "Hyesan-si" all reduce to the bare name). Ethnic designations go with them.
_ZH_SUFFIXES = (
    "朝鲜族自治州",
    "朝鮮族自治州",
    "朝鲜族自治县",
    "朝鮮族自治縣",
    "特别行政区",
    "特別行政區",
    "满族自治县",
    "滿族自治縣",
    "蒙古族自治县",
    "回族自治区",
    "壮族自治区",
    "维吾尔自治区",
    "自治州",
    "自治县",
    "自治縣",
    "自治区",
    "自治區",
    "自治旗",
    "直辖市",
    "直轄市",
    "特別市",
    "特别市",
    "林区",
    "地区",
    "地區",
    "市",
    "县",
    "縣",
    "区",
    "區",
    "省",
    "盟",
    "旗",
    "州",
    "郡",
    "道",
)
_KO_SUFFIXES = (
    "조선족자치주",
    "조선족자치현",
    "특별행정구",
    "만족자치현",
    "자치주",
    "자치현",
    "자치구",
    "특별시",
    "직할시",
    "특급시",
    "시",
    "군",
    "구",
    "현",
    "도",
    "성",
    "주",
    "기",
    "맹",
)
_EN_WORDS = frozenset(
    "city county district province prefecture municipality autonomous region special "
    "administrative sar league banner korean manchu mongol mongolian hui zhuang uygur "
    "self-governing forestry area capital si gun do shi xian qu sheng zhou meng qi "
    "teukbyeolsi jikhalsi chikhalsi tukpyolsi".split()
)


def plain(text: str) -> str:
    """Lower case, NFKC, no diacritics (pinyin tones, MR breves), no apostrophes."""
    text = unicodedata.normalize("NFKC", text)
    # Keep Hangul whole: decomposing it into jamo is not "removing a diacritic".
    out = []
    for ch in text:
        if "\uac00" <= ch <= "\ud7a3":
            out.append(ch)
        else:
            nfkd = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in nfkd if not unicodedata.combining(c)))
    s = "".join(out).lower()
    return re.sub("['\u2019\u02bc`]", "", s)


def squash(text: str) -> str:
    """``plain`` without spaces, hyphens, dots or brackets: the form used for comparison."""
    return re.sub(r"[\s\-_.,()（）·]+", "", plain(text))


def base_name(text: str) -> str:
    """The name without its administrative words or suffixes, squashed."""
    p = plain(text).strip()
    p = re.sub(r"\(.*?\)|（.*?）", " ", p)
    if re.search("[a-z]", p):
        words = [w for w in re.split(r"[\s\-]+", p) if w and w not in _EN_WORDS]
        return squash(" ".join(words))
    s = squash(p)
    # One suffix only, longest first: 延边朝鲜族自治州 -> 延边, 량강도 -> 량강; a second pass
    # would eat real name endings (신의주시 -> 신의주, not 신의).
    for suffixes in (_ZH_SUFFIXES, _KO_SUFFIXES):
        for suf in suffixes:
            if s.endswith(suf) and len(s) > len(suf):
                return s[: -len(suf)]
    return s


# Revised Romanization (no sound changes), enough for place-name aliases.
_RR_I = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_RR_V = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_RR_F = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
_MRP_I = "k kk n t tt r m p pp s ss - ch tch ch k t p h".split()
_MRP_V = "a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i".split()


_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}
_SONORANT_FINALS = frozenset((0, 4, 8, 16, 21))  # none, ㄴ ㄹ ㅁ ㅇ


def _romanise(hangul: str, initials: list[str], vowels: list[str], *, voice: bool = False) -> str:
    out = []
    prev_final = -1
    for ch in hangul:
        if "\uac00" <= ch <= "\ud7a3":
            idx = ord(ch) - 0xAC00
            i, v, f = idx // 588, (idx % 588) // 28, idx % 28
            initial = initials[i].replace("-", "")
            if voice and prev_final in _SONORANT_FINALS and i in _VOICED:
                initial = _VOICED[i]  # MR voices plain stops between voiced sounds (Yonbyon)
            out.append(initial + vowels[v] + _RR_F[f].replace("-", ""))
            prev_final = f
        else:
            out.append(ch)
            prev_final = -1
    return "".join(out)


def hangul_rr(hangul: str) -> str:
    """Revised Romanization letter by letter (옌지 -> yenji, 연길 -> yeongil)."""
    return _romanise(hangul, _RR_I, _RR_V)


def hangul_mr_plain(hangul: str) -> str:
    """McCune-Reischauer without diacritics or apostrophes (연변 -> yonbyon, 단동 -> tandong)."""
    return _romanise(hangul, _MRP_I, _MRP_V, voice=True)


def levenshtein_ratio(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))
