"""The API fuzzed from its own OpenAPI description (schemathesis): whatever the parameters and
bodies the description allows — or does not — no answer is a 5xx, every status is a documented
one, and every body matches its schema. Bounded: 30 examples per operation and method (about 15 s)."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from budgetrules.web.app import create_app  # noqa: E402
from budgetrules.web.state import make_settings  # noqa: E402

schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(make_settings()))

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_schema_conformance]


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case) -> None:
    case.call_and_validate(checks=CHECKS)
