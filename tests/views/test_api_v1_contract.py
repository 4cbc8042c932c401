"""Contract test: Schemathesis generates requests from /api/v1/openapi.json and sends them to the
app in-process (WSGI): no server error, every status, content type and body as documented,
invalid inputs refused, for the public endpoints and, with a write token, the token holder's.

Bounded: a fixed number of derandomized examples per operation, no deadline, no database of
examples (the run is the same each time and takes well under a minute)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.views import api_v1_world
from tests.views.api_v1_world import bearer, token_for

MAX_EXAMPLES = 12
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance,
          checks.negative_data_rejection]


@pytest.fixture
def api_world(app, make_collectivity, make_user):
    # The contract run sends hundreds of requests from one address in a few seconds.
    app.config["API_V1_RATE_LIMIT"] = "100000 per minute"
    world = api_v1_world.build(make_collectivity, make_user)
    world["headers"] = bearer(token_for(world["agent"], "write"))
    return world


@pytest.fixture
def api_schema(app, api_world):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_honours_its_openapi_document(case, api_world):
    headers = api_world["headers"] if "/me/" in case.path else None
    case.call_and_validate(headers=headers, checks=CHECKS)
