"""A group with a read replica sends its report reads there, and nothing else: Harriet's
CSI page reads the replica, her sign-in, the case queue and every write the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from manyi.analytics.replica import REPLICA, ReplicaRouter, reading_reports
from manyi.org.models import Staff
from manyi.surveys.models import Response


@pytest.fixture
def replica(transactional_db, settings):
    """A second connection to the same database, standing in for a streaming replica."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: settings.DATABASES["default"]}
    connections.settings[REPLICA] = connections.settings["default"]
    connections[REPLICA].connect()  # opened by the test itself: allowed beside default
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def test_report_reads_go_to_the_replica_and_nothing_else(replica):
    router = ReplicaRouter()
    with reading_reports():
        assert router.db_for_read(Response) == REPLICA
        assert router.db_for_read(Staff) is None  # sign-in and scope: the primary
        assert router.db_for_write(Response) == "default"
    assert router.db_for_read(Response) is None
    assert router.allow_migrate(REPLICA, "surveys") is False


def test_without_a_replica_reports_read_the_primary(db):
    with reading_reports():
        assert ReplicaRouter().db_for_read(Response) is None


@pytest.mark.django_db(transaction=True)
def test_the_csi_page_is_read_from_the_replica(client, replica, hq_analyst, programme, two_months):
    client.force_login(hq_analyst)
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(f"/analytics/?programme={programme.pk}&period=3")
    assert page.status_code == 200
    assert any("analytics_rollup" in query["sql"] for query in on_replica.captured_queries)
    assert not any("django_session" in query["sql"] for query in on_replica.captured_queries)
    with CaptureQueriesContext(replica) as elsewhere:
        assert client.get("/cases/").status_code == 200
    assert elsewhere.captured_queries == []


def test_a_users_own_export_is_read_from_the_primary(replica):
    from manyi.analytics.models import ReportExport

    with reading_reports():
        assert ReplicaRouter().db_for_read(ReportExport) is None
