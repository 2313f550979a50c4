"""Every API operation, fed inputs generated from its own OpenAPI schema (schemathesis,
through WSGI, derandomised, a fixed number of examples each): no 5xx, no status or
body the schema does not document.

The token is an administrator's, so the inputs reach past the permission checks.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from manyi.api.auth import api_token_create
from manyi.org.models import Role
from manyi.org.services import staff_create
from tests.conftest import Network

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer(db):
    """An administrator's token over the test network (made once per operation; its
    examples share it). As the test client does, the app keeps the test's database
    connection open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _token_header()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token_header() -> dict[str, str]:
    network = Network()
    admin = staff_create(
        actor=None, username="fuzz_admin", full_name="Fuzz", unit=network.hq, role=Role.ADMIN
    )
    _token, raw = api_token_create(actor=None, staff=admin, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_input_within_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)
