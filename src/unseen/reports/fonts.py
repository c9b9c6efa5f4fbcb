"""The font that draws Hangul and Hanzi in charts, maps and the PDF, found at render time.

Matplotlib's default font has no Hangul: without a CJK font every Korean label would print as
empty boxes, so a report that cannot find one refuses to render rather than publish boxes.
"""

from __future__ import annotations

import functools
import shutil
import subprocess  # noqa: S404 (fc-list, a fixed local command, no shell)
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unseen.errors import MissingExtra

__all__ = [
    "DEBIAN_PACKAGE",
    "CjkFont",
    "cjk_font",
    "covers",
    "find_cjk_font",
    "register_cjk_font",
]

DEBIAN_PACKAGE = "fonts-noto-cjk"

# Families known to cover both Hangul and the Hanzi of Chinese place names, best first.
_PREFERRED = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans K",
    "Source Han Sans KR",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "NanumGothic",
    "UnDotum",
    "Noto Serif CJK KR",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
# What the font must draw: Hangul syllables and jamo-composed text, and simplified Hanzi.
_PROBE = "한국어 조선 량강도 吉林省 延边 中国"


@dataclass(frozen=True)
class CjkFont:
    family: str  # the name matplotlib and fontconfig (WeasyPrint) know it by
    path: Path


def covers(path: Path, text: str = _PROBE) -> bool:
    """Whether the font file at ``path`` has a glyph for every character of ``text``."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    charmap = font.get_charmap()
    return all(ord(c) in charmap for c in text if not c.isspace())


def _fontconfig_files() -> list[Path]:
    """Files fontconfig lists for Korean, if ``fc-list`` exists (it does wherever Pango does)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        done = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [exe, ":lang=ko", "file"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(line.rstrip(": ").strip()) for line in done.stdout.splitlines() if line.strip()]


@functools.cache
def cjk_font() -> CjkFont:
    """The best installed font for Korean and Chinese text, registered with matplotlib.

    Looked up once per process (fonts do not change under a running report). Raises
    :class:`~unseen.errors.MissingExtra`, in English and Korean, naming the Debian package, when
    no installed font covers Hangul and Hanzi.
    """
    from matplotlib import font_manager

    fm = font_manager.fontManager
    try:
        return find_cjk_font(_known(fm))
    except MissingExtra:
        # Installed after matplotlib's font cache was built, or a family we do not know.
        return register_cjk_font(fm, _fontconfig_files())


def _known(fm: Any) -> list[tuple[str, Path]]:
    return [(e.name, Path(e.fname)) for e in fm.ttflist]


def register_cjk_font(fm: Any, files: Sequence[Path]) -> CjkFont:
    """Add every font file of fontconfig's ``files`` that draws Hangul and Hanzi to
    matplotlib's font manager ``fm``, and pick again among what ``fm`` now knows."""
    found = find_cjk_font(_known(fm), files)  # refuses, bilingual, when none can
    # Every such file, not only the first: fontconfig may list a Bold file first (every label
    # would be drawn bold, with "Failed to find font weight normal"), or another family of
    # the package (Noto Serif CJK) before the preferred one.
    for path in dict.fromkeys([found.path, *files]):
        if path.suffix.lower() in (".ttf", ".otf", ".ttc") and covers(path):
            fm.addfont(str(path))
    # A collection (.ttc) holds its KR, SC and JP faces: the preferred one wins now.
    return find_cjk_font(_known(fm))


def find_cjk_font(known: Sequence[tuple[str, Path]], extra: Sequence[Path] = ()) -> CjkFont:
    """Pick from matplotlib's fonts (family, file), then from other font files (fontconfig's).

    Preferred families first, then any font that covers the probe text.
    """
    from matplotlib import font_manager

    by_name: dict[str, list[Path]] = {}
    for family, path in known:
        by_name.setdefault(family, []).append(path)
    for family in _PREFERRED:
        for path in by_name.get(family, []):
            if covers(path):
                return CjkFont(family, path)
    for path in extra:
        if path.suffix.lower() in (".ttf", ".otf", ".ttc") and covers(path):
            return CjkFont(font_manager.FontProperties(fname=str(path)).get_name(), path)
    raise MissingExtra(
        "no installed font can draw Korean and Chinese text, so charts, maps and the PDF cannot "
        f"be rendered. Install one: `sudo apt install {DEBIAN_PACKAGE}` (Debian/Ubuntu), or any "
        "Noto Sans CJK / Nanum font, then run the command again. / 한국어와 중국어를 표시할 "
        "글꼴이 설치되어 있지 않아 차트·지도·PDF를 만들 수 없습니다. "
        f"`sudo apt install {DEBIAN_PACKAGE}`(Debian/Ubuntu)로 설치하거나 Noto Sans CJK·나눔 "
        "글꼴을 설치한 뒤 다시 실행하세요."
    )
