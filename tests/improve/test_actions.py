"""Improvement actions as Amy (store A's manager) works one: opened from a shortfall with
its evidence and the figure it should move, tasks ticked off, progress noted, finished;
Ben of store B cannot touch it; every step is audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from manyi.audit.models import AuditEntry
from manyi.improve.models import ActionStatus
from manyi.improve.selectors.actions import action_list
from manyi.improve.services.actions import (
    ActionError,
    action_close,
    action_note_add,
    action_open,
    action_redate,
    action_task_add,
    action_task_done,
)

SOON = date.today() + timedelta(days=30)


@pytest.fixture
def plan(store_a_manager, network, programme):
    return action_open(
        actor=store_a_manager, unit=network.store_a, title="Explain the work before starting",
        why="Service advisor factor lowest in the region", source="shortfall",
        evidence={"month": "2026-10", "figure": "factor:service_advisor"},
        owner=store_a_manager, due_on=SOON, programme=programme,
        variable="factor:service_advisor", expected_change=Decimal("30"),
        trigger_month=date(2026, 10, 17),
    )  # fmt: skip


def test_an_action_is_opened_with_its_evidence_and_its_figure(plan):
    assert plan.trigger_month == date(2026, 10, 1) and plan.is_open
    assert plan.evidence["figure"] == "factor:service_advisor"
    assert AuditEntry.objects.filter(action="action.open").count() == 1


def test_it_is_finished_once_its_tasks_are_ticked_off(plan, store_a_manager, advisor_a):
    task = action_task_add(actor=store_a_manager, plan=plan, title="Train the advisors",
                           due_on=SOON, owner=advisor_a)  # fmt: skip
    action_note_add(actor=store_a_manager, plan=plan, text="Half the team trained")
    with pytest.raises(ActionError, match="Tick off"):
        action_close(actor=store_a_manager, plan=plan, status=ActionStatus.DONE)
    action_task_done(actor=store_a_manager, task=task)
    done = action_close(actor=store_a_manager, plan=plan, status=ActionStatus.DONE)
    assert done.status == "done" and done.done_at is not None
    with pytest.raises(ActionError, match="finished"):
        action_note_add(actor=store_a_manager, plan=plan, text="Too late")
    assert AuditEntry.objects.filter(action__startswith="action.").count() == 5


def test_another_store_neither_sees_nor_changes_it(plan, store_b_manager):
    assert not action_list(store_b_manager).exists()
    with pytest.raises(ActionError, match="outside your part"):
        action_note_add(actor=store_b_manager, plan=plan, text="Not mine")


def test_bad_actions_are_refused_with_a_reason(store_a_manager, store_b_manager, advisor_a,
                                              hq_analyst, network, programme):  # fmt: skip
    def open_(**changes):
        given = {"actor": store_a_manager, "unit": network.store_a, "title": "Lounge",
                 "owner": store_a_manager, "due_on": SOON, **changes}  # fmt: skip
        return action_open(**given)

    with pytest.raises(ActionError, match="may not"):
        open_(actor=advisor_a)
    with pytest.raises(ActionError, match="owner must be"):
        open_(owner=store_b_manager)
    with pytest.raises(ActionError, match="has passed"):
        open_(due_on=date.today() - timedelta(days=1))
    with pytest.raises(ActionError, match="both the programme"):
        open_(variable="@index")
    with pytest.raises(ActionError, match="not one of"):
        open_(programme=programme, variable="factor:parking")
    with pytest.raises(ActionError, match="Say what"):
        open_(title="  ")
    with pytest.raises(ActionError, match="within two years"):
        open_(due_on=date.today() + timedelta(days=3650))
    with pytest.raises(ActionError, match="last two years"):
        open_(trigger_month=date.today() + timedelta(days=62))
    with pytest.raises(ActionError, match="last two years"):
        open_(trigger_month=date(2001, 1, 1))
    with pytest.raises(ActionError, match="a text or a number"):
        open_(evidence={"cases": ["C1", "C2"]})
    with pytest.raises(ActionError, match="a text or a number"):
        open_(evidence={"gap": float("nan")})
    with pytest.raises(ActionError, match="too long"):
        open_(evidence={"note": "x" * 5000})
    with pytest.raises(ActionError, match="that much"):
        open_(programme=programme, variable="@nps", expected_change=Decimal("250"))
    with pytest.raises(ActionError, match="does not survey"):
        open_(actor=hq_analyst, unit=network.store_c, owner=hq_analyst, programme=programme,
              variable="@index")  # fmt: skip


def test_an_advisor_ticks_off_his_own_task_only(plan, store_a_manager, advisor_a):
    mine = action_task_add(actor=store_a_manager, plan=plan, title="Brief the team",
                           due_on=SOON, owner=advisor_a)  # fmt: skip
    theirs = action_task_add(actor=store_a_manager, plan=plan, title="Order covers", due_on=SOON)
    action_task_done(actor=advisor_a, task=mine)
    with pytest.raises(ActionError, match="Only its owner"):
        action_task_done(actor=advisor_a, task=theirs)
    with pytest.raises(ActionError, match="by the action's own due date"):
        action_task_add(actor=store_a_manager, plan=plan, title="Later",
                        due_on=SOON + timedelta(days=1))  # fmt: skip
    with pytest.raises(ActionError, match="move them first"):
        action_redate(actor=store_a_manager, plan=plan, due_on=SOON - timedelta(days=5),
                      reason="Sooner")  # fmt: skip
