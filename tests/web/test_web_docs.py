"""docs/web.md names every route the app serves (pages, form posts and the API)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from webkit import routes_of

DOC = Path(__file__).parents[2] / "docs" / "web.md"
_PARAM = re.compile(r"\{[^}]*\}")


def test_every_route_is_documented(app: FastAPI) -> None:
    text = _PARAM.sub("{}", DOC.read_text(encoding="utf-8"))
    missing = []
    for path, methods in routes_of(list(app.routes)):
        if path.startswith("/static") or path == "/openapi.json":
            continue
        shown = re.escape(_PARAM.sub("{}", path))
        if not re.search(rf"(?<![\w/{{}}.-]){shown}(?![\w/{{}}-])", text):
            missing.append(f"{sorted(methods)} {path}")
    assert missing == []
    screenshots = re.findall(r"\(screenshots/([\w-]+\.png)\)", text)
    assert len(screenshots) >= 9
    assert all((DOC.parent / "screenshots" / name).is_file() for name in screenshots)
