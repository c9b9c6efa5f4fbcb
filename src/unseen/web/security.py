"""Headers on every response, and the CSRF check on every state-changing request.

CSRF: a per-session token (synchroniser pattern, OWASP). Forms carry it in a hidden ``csrf``
field, API calls in the ``X-CSRF-Token`` header; SameSite=Strict cookies are a second line.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from unseen.crypto import constant_time_equal

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

# No inline script or style, nothing from elsewhere: a stored testimony cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cache-Control": "no-store",  # pages may hold names: never keep them in a browser cache
}


async def csrf_guard(request: Request) -> None:
    """A router dependency: refuses an unsafe method without this session's token (403)."""
    if request.method in SAFE_METHODS:
        return
    session = request.state.session
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not given or not constant_time_equal(given.encode(), session.csrf.encode()):
        raise HTTPException(status_code=403, detail="CSRF token missing or wrong / 보안 토큰 오류")
