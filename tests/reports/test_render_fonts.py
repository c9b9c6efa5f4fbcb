"""The CJK font is found at render time, and its absence is a clear, bilingual error."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from unseen.errors import MissingExtra
from unseen.reports import fonts


def _dejavu() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def test_installed_font_draws_hangul_and_hanzi() -> None:
    found = fonts.cjk_font()
    assert found.path.is_file()
    assert fonts.covers(found.path, "기록되지 않은 피해 량강도 吉林省延边朝鲜族自治州")


def test_dejavu_does_not_cover_hangul() -> None:
    assert not fonts.covers(_dejavu())
    assert fonts.covers(_dejavu(), "Report 2026")


def test_no_cjk_font_is_a_bilingual_error_naming_the_package() -> None:
    with pytest.raises(MissingExtra) as caught:
        fonts.find_cjk_font([("DejaVu Sans", _dejavu())], [_dejavu()])
    text = str(caught.value)
    assert "apt install fonts-noto-cjk" in text
    assert "글꼴" in text and "Korean" in text


def test_a_font_only_fontconfig_knows_is_used() -> None:
    path = fonts.cjk_font().path
    found = fonts.find_cjk_font([("DejaVu Sans", _dejavu())], [_dejavu(), path])
    assert found.path == path and found.family


def test_a_font_installed_after_matplotlibs_cache_is_registered_in_every_weight() -> None:
    """fontconfig may list a Bold file, or another family of the package (Noto Serif CJK),
    first: every weight is registered, so labels are not drawn bold, and the preferred
    family's Korean face is the one used."""
    import copy

    from matplotlib import font_manager

    files = list(dict.fromkeys(fonts._fontconfig_files()))
    installed = {p for p in files if fonts.covers(p)}
    assert len(installed) >= 2  # Debian's fonts-noto-cjk: a Regular and a Bold file
    fm = copy.copy(font_manager.fontManager)
    fm.ttflist = [e for e in fm.ttflist if Path(e.fname) not in installed]  # as before install
    with pytest.raises(MissingExtra):
        fonts.find_cjk_font(fonts._known(fm))
    worst_first = sorted(files, key=lambda p: ("Serif" not in p.name, "Bold" not in p.name))
    found = fonts.register_cjk_font(fm, worst_first)
    weights = {e.weight for e in fm.ttflist if e.name == found.family}
    assert {400, 700} <= weights
    assert found.family == "Noto Sans CJK KR"
