"""Schemathesis against the app's own OpenAPI schema, signed in as an admin (every operation
allowed): no 500s, every response (status, body, content type, headers) as the schema says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webkit import Clock, Secrets, TestClient, sign_in

from unseen.web.security import CONTENT_SECURITY_POLICY

_SERVER_ERROR = schemathesis.checks.not_a_server_error
CHECKS = [_SERVER_ERROR, response_schema_conformance, status_code_conformance,
          content_type_conformance, response_headers_conformance]  # fmt: skip


@pytest.fixture
def signed_in(app: FastAPI, clock: Clock, secrets: Secrets) -> Iterator[dict[str, str]]:
    with TestClient(app) as client:
        token = sign_in(client, "admin-1", clock, secrets)
        yield {"token": token, "cookie": client.cookies["unseen_session"]}


def test_every_operation_against_the_schema(app: FastAPI, signed_in: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @settings(max_examples=15, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(
                headers={"X-CSRF-Token": signed_in["token"]},
                cookies={"unseen_session": signed_in["cookie"]},
            )
            case.validate_response(response, checks=CHECKS)
            assert response.headers["content-security-policy"] == [CONTENT_SECURITY_POLICY]

        check()
