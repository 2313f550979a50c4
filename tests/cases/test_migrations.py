"""Upgrading a running network: each open case's next check and escalation level move
to its deadline watch, and the sweep's old text rows — now worded from its deadline
actions — do not show twice."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0007_case_external_id")]
AFTER = [("cases", "0009_sweep_lines_worded_when_shown")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_schedule_moves_to_the_watch_and_sweep_lines_are_not_doubled(network):
    old = _migrate(BEFORE)
    Case = old.get_model("cases", "Case")
    CaseEntry = old.get_model("cases", "CaseEntry")
    DeadlineAction = old.get_model("cases", "DeadlineAction")
    now = timezone.now()
    due = Case.objects.create(
        number="20261125-00001", kind="complaint", channel="phone", unit_id=network.store_a.pk,
        subject="Scratched door", next_check_at=now + timedelta(hours=1),
        next_check_deadline="first_response", escalation_level=1,
    )  # fmt: skip
    closed = Case.objects.create(
        number="20261125-00002", kind="complaint", channel="phone", unit_id=network.store_a.pk,
        subject="Late car", status="closed",
    )  # fmt: skip
    DeadlineAction.objects.create(
        case=due, deadline="first_response", due_at=now, action="breach", created_at=now
    )
    swept = CaseEntry.objects.create(case=due, kind="escalation", body="…", created_at=now)
    survey = CaseEntry.objects.create(
        case=due, kind="escalation", body="Poor resolution survey", created_at=now - timedelta(1)
    )
    note = CaseEntry.objects.create(case=due, kind="note", body="Called back", created_at=now)

    new = _migrate(AFTER)
    Watch = new.get_model("cases", "DeadlineWatch")
    watch = Watch.objects.get(case_id=due.pk)
    assert watch.next_check_at == due.next_check_at and watch.escalation_level == 1
    assert watch.next_check_deadline == "first_response"
    assert not Watch.objects.filter(case_id=closed.pk).exists()
    remaining = set(new.get_model("cases", "CaseEntry").objects.values_list("pk", flat=True))
    assert remaining == {survey.pk, note.pk} and swept.pk not in remaining

    # And back: the columns return to the case.
    old = _migrate(BEFORE)
    case = old.get_model("cases", "Case").objects.get(pk=due.pk)
    assert case.escalation_level == 1 and case.next_check_at == due.next_check_at
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
