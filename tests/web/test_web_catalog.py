"""Every string a page asks for is in the catalog in both languages; nothing on disk in clear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from webkit import CANARY_HANGUL, Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.linkage import DECISIONS
from unseen.store import Workspace
from unseen.web import i18n
from unseen.web.deps import TEMPLATES

_STATIC_KEY = re.compile(r"""\bt\(\s*["']([a-z_-]+)["']\s*\)""")


def test_every_template_key_is_in_the_catalog() -> None:
    used = {k for p in TEMPLATES.glob("*.html") for k in _STATIC_KEY.findall(p.read_text())}
    assert len(used) > 40
    dynamic = {f"sex_{s}" for s in ("F", "M", "unknown")} | {f"decision_{d}" for d in DECISIONS}
    dynamic |= {"login_failed", "locked", "totp_failed", "session_expired", "decided",
                "forbidden", "not_found", "error", "unlocked", "second_factor_reset",
                "granted"}  # fmt: skip
    assert sorted((used | dynamic) - set(i18n.CATALOG)) == []


def test_both_gettext_catalogs_hold_the_same_message_ids() -> None:
    assert i18n.KEYS["ko"] == i18n.KEYS["en"]
    assert len(i18n.CATALOG) + len(i18n.FIELDS) == len(i18n.KEYS["ko"])


def test_a_fuzzy_or_empty_entry_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A translator's unfinished entry must fail at start, not show an empty label.
    po = Path(i18n.__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "unseen.po"
    text = po.read_text(encoding="utf-8")
    for broken in (
        text.replace('msgid "intake"', '#, fuzzy\nmsgid "intake"', 1),
        re.sub(r'(msgid "intake"\nmsgstr )"[^"]*"', r'\1""', text, count=1),
    ):
        assert broken != text
        target = tmp_path / "unseen" / "web" / "locale" / "ko" / "LC_MESSAGES" / "unseen.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(broken, encoding="utf-8")
        monkeypatch.setattr(i18n.resources, "files", lambda _pkg: tmp_path / "unseen" / "web")
        with pytest.raises(ValueError, match="'intake' is fuzzy, plural or untranslated"):
            i18n._read("ko")


@pytest.mark.parametrize("key", sorted(i18n.CATALOG))
def test_both_languages_are_written(key: str) -> None:
    ko, en = i18n.CATALOG[key]
    assert ko.strip() and en.strip()
    assert re.search("[가-힣]", ko), key  # the Korean column is Korean


def test_language_choice() -> None:
    assert i18n.pick(None, None) == "ko"
    assert i18n.pick(None, "en-GB,en;q=0.9") == "en"
    assert i18n.pick("ko", "en-US") == "ko"  # the cookie wins
    assert i18n.pick("fr", "fr-FR") == "ko"


def test_a_testimony_leaves_no_name_in_clear_on_disk(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    sign_in(client, "doc-1", clock, secrets)
    page = client.get("/intake").text
    form = {"csrf": csrf_of(page), "language": "ko", "name_hangul": CANARY_HANGUL,
            "narrative": CANARY_HANGUL}  # fmt: skip
    r = client.post("/intake", data=form)
    assert r.status_code == 200
    needle = CANARY_HANGUL.encode("utf-8")
    files = [p for p in Path(workspace.path).rglob("*") if p.is_file()]
    assert files and not [p.name for p in files if needle in p.read_bytes()]


@pytest.mark.parametrize("name", sorted(i18n.FIELDS))
def test_field_labels_in_both_languages(name: str) -> None:
    assert re.search("[가-힣]", i18n.field_label(name, "ko"))
    assert i18n.field_label(name, "en").isascii()


def test_an_unknown_field_shows_its_own_name() -> None:
    assert i18n.field_label("ngo_case_no", "ko") == "ngo_case_no"
