"""Routers: ``auth`` (sign-in pages), ``pages`` (HTML), ``api`` (JSON under /api)."""
