"""Korean and English strings of the web app, from gettext catalogs.

``web/locale/<lang>/LC_MESSAGES/unseen.po`` holds one catalog per language, so translators work
with any gettext tool (Poedit, Weblate) and never touch code. A message id is a short key that
the templates name (``t("intake")``); a record field's label has the context ``field``. Both
catalogs are read once, at import, with Babel's .po reader: nothing is compiled, so an edited
.po file is what the app shows. A key missing from either catalog fails a test (tests/web)
instead of showing the key. Korean is the default; the language chosen is kept in the ``lang``
cookie.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

from babel.messages.pofile import read_po

LANGUAGES = ("ko", "en")
DEFAULT = "ko"
COOKIE = "lang"
DOMAIN = "unseen"
FIELD_CONTEXT = "field"


def _read(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(messages, field labels) of one language's catalog; fuzzy or empty entries are errors."""
    path = resources.files("unseen.web") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    messages: dict[str, str] = {}
    fields: dict[str, str] = {}
    for m in catalog:
        if not m.id:
            continue  # the header
        if m.fuzzy or not isinstance(m.id, str) or not isinstance(m.string, str) or not m.string:
            raise ValueError(f"{path}: {m.id!r} is fuzzy, plural or untranslated")
        (fields if m.context == FIELD_CONTEXT else messages)[m.id] = m.string
    return messages, fields


def _pair(catalogs: Mapping[str, Mapping[str, str]]) -> MappingProxyType[str, tuple[str, str]]:
    ko, en = catalogs["ko"], catalogs["en"]
    return MappingProxyType({k: (ko[k], en[k]) for k in ko if k in en})


_READ = {lang: _read(lang) for lang in LANGUAGES}
# key: (Korean, English), for keys written in both catalogs (a test checks there are no others)
CATALOG = _pair({lang: m for lang, (m, _) in _READ.items()})
# Record fields shown on the person, source and review pages (the store's attribute and
# identity keys): field name -> (Korean, English).
FIELDS = _pair({lang: f for lang, (_, f) in _READ.items()})
# Every message id of each catalog, so a test can find one written in one language only.
KEYS = MappingProxyType(
    {
        lang: frozenset(m) | frozenset(f"{FIELD_CONTEXT}:{k}" for k in f)
        for lang, (m, f) in _READ.items()
    }
)


def pick(lang: str | None, accept_language: str | None = None) -> str:
    """The language to answer in: the cookie's, else English if the browser asks for it first."""
    if lang in LANGUAGES:
        return lang
    if accept_language and accept_language.strip().lower().startswith("en"):
        return "en"
    return DEFAULT


def field_label(name: str, lang: str) -> str:
    """A record field's label; an unknown field (a list's own column) shows as it is named."""
    if name not in FIELDS:
        return name
    ko, en = FIELDS[name]
    return ko if lang == "ko" else en


def translate(key: str, lang: str) -> str:
    ko, en = CATALOG[key]
    return ko if lang == "ko" else en
