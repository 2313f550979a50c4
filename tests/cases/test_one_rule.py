"""One rule, one place: a case's timeline has one writer, a case one lock, an escalation
one decision whoever asks for it (the deadline sweep or a poor resolution survey).

Hui handles complaints at store A; Amy manages the store.
"""

import re
from pathlib import Path

from manyi.audit.models import AuditEntry
from manyi.cases.escalation import case_escalate, escalation_chain, escalation_target
from manyi.cases.models import EntryKind
from manyi.cases.services import case_open
from manyi.notify.models import Message

CASES = Path(__file__).resolve().parents[2] / "manyi" / "cases"


def test_only_the_timeline_module_writes_timeline_entries():
    writers = sorted(
        path.name
        for path in CASES.rglob("*.py")
        if re.search(r"CaseEntry\.objects\.(create|bulk_create)", path.read_text(encoding="utf-8"))
    )
    assert writers == ["timeline.py"]


def test_only_the_case_services_lock_a_case():
    lockers = sorted(
        path.name
        for path in CASES.rglob("*.py")
        if re.search(r"Case\.objects\.select_for_update", path.read_text(encoding="utf-8"))
    )
    assert lockers == ["services.py"]


def test_escalation_goes_store_then_region_then_hq_and_stays_there(network):
    chain = escalation_chain(network.store_a)
    assert [escalation_target(chain, level) for level in range(4)] == [
        network.store_a.pk,
        network.north.pk,
        network.hq.pk,
        network.hq.pk,
    ]


def test_an_escalation_outside_the_deadlines_is_audited_and_told_through_the_outbox(
    hui, store_a_manager, network
):
    store_a_manager.email = "amy@example.com"
    store_a_manager.save()
    case = case_open(
        actor=hui, kind="complaint", unit=network.store_a, subject="Scratch", channel="phone"
    )
    target = case_escalate(case=case, reason="Poor resolution survey")
    assert target == network.store_a
    assert case.entries.filter(kind=EntryKind.ESCALATION).count() == 1
    entry = AuditEntry.objects.get(action="case.escalate")
    assert entry.changes == {"escalation_level": [0, 1]} and entry.unit == network.store_a
    message = Message.objects.get(purpose="case_escalation")
    assert message.recipient == "amy@example.com" and message.send_after is not None
    assert case_escalate(case=case, reason="Again") == network.north
