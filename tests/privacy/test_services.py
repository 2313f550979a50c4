"""Li Ming asks the group for everything it holds about him, then to erase it. The
data-protection officer (Ada, the admin) does both; the network's figures do not move."""

import json

import pytest
from django.apps import apps
from django.db import models

from manyi.analytics.periods import whole_months
from manyi.analytics.reports import csi_report
from manyi.audit.models import AuditEntry
from manyi.cases.models import Attachment, Case, CaseEntry
from manyi.customers.models import Asset, Contact, Customer
from manyi.customers.services import CustomerError, contact_add
from manyi.notify.models import InboundText, Message
from manyi.privacy.services import PrivacyError, customer_data_export, customer_erase
from manyi.surveys.models import Response
from tests.privacy.fixtures import COMMENT, LI_MING


def _report(version):
    report = csi_report(version_id=version.pk, months=whole_months(1), scope=None, min_n=1)
    return (
        report.responses,
        report.index.mean,
        report.nps.nps if report.nps else None,
        [(code, unit, network) for code, _name, unit, network in report.factors],
        [(child.unit.code, child.n, child.index) for child in report.children],
    )


def _holding(value: str) -> list[str]:
    """Every text or JSON field of every table of manyi that still holds ``value``."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("manyi."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.name}__contains": value}
            elif isinstance(field, models.JSONField):
                rows = model._default_manager.values_list(field.name, flat=True)
                if any(value in json.dumps(row, ensure_ascii=False) for row in rows):
                    found.append(f"{model._meta.label}.{field.name}")
                continue
            else:
                continue
            if model._default_manager.filter(**lookup).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_the_export_holds_everything_about_him_in_one_document(admin, customer_a, li_ming_history):
    document = customer_data_export(actor=admin, customer=customer_a)
    text = json.dumps(document, ensure_ascii=False)
    for value in ("Li Ming", "+8613812345678", "liming@example.com", "110101199001011234"):
        assert value in text
    assert COMMENT in text and "沪A12345" in text and "This is Li Ming, thanks" in text
    tables = {section["table"] for section in document["sections"]}
    assert {"customers.Customer", "surveys.Response", "cases.Case", "notify.Message"} <= tables
    assert "RO-" not in text or "customers.ServiceEvent" in tables
    entry = AuditEntry.objects.get(action="customer_data_export")
    assert entry.object_id == str(customer_a.pk) and "Li Ming" not in entry.object_repr


def test_erasure_removes_the_person_and_keeps_the_figures(
    admin, customer_a, customer_b, csi_version, li_ming_history
):
    before = _report(csi_version)
    changed = customer_erase(actor=admin, customer=customer_a)
    assert _report(csi_version) == before  # every figure as it was
    for value in LI_MING:
        assert _holding(value) == [], value
    assert _holding("lounge was cold") == []  # his words, wherever they were kept
    response = Response.objects.get(pk=li_ming_history["response"].pk)
    assert response.answers["SQ1"] == 3 and "REASON" not in response.answers
    assert response.index == li_ming_history["response"].index
    card = Customer.objects.get(pk=customer_a.pk)
    assert card.erased_at is not None and card.external_id == f"erased-{card.pk}"
    assert not Contact.objects.filter(customer=card).exists()
    assert Asset.objects.get(customer=card).model_name == "Lavida"  # a model names no one
    case = Case.objects.get(pk=li_ming_history["case"].pk)
    assert (case.kind, case.unit_id, case.description) == ("complaint", card.unit_id, "")
    assert set(CaseEntry.objects.filter(case=case).values_list("body", flat=True)) == {""}
    assert not Attachment.objects.exists()
    queued = Message.objects.get(purpose="care")
    assert (queued.status, queued.recipient) == ("failed", "")  # never sent to anyone now
    assert InboundText.objects.get().sender == ""
    # Wang Fang, at another store, keeps everything.
    assert Customer.objects.get(pk=customer_b.pk).name == "Wang Fang"
    assert Response.objects.exclude(customer=card).get().answers["REASON"] == "fine"
    entry = AuditEntry.objects.get(action="customer_erase")
    assert entry.changes == changed and changed["customers.Contact"] == 2


def test_the_audit_log_never_held_his_personal_data(admin, customer_a, li_ming_history):
    customer_erase(actor=admin, customer=customer_a)
    logged = json.dumps(
        list(AuditEntry.objects.values("object_repr", "changes")), ensure_ascii=False
    )
    for value in LI_MING:
        assert value not in logged


def test_the_erased_card_takes_no_personal_data_again(admin, customer_a, li_ming_history):
    customer_erase(actor=admin, customer=customer_a)
    with pytest.raises(PrivacyError):
        customer_erase(actor=admin, customer=customer_a)
    with pytest.raises(CustomerError):
        contact_add(actor=admin, customer=customer_a, channel="phone", value="13812345678")


def test_a_store_manager_may_neither_export_nor_erase(store_a_manager, customer_a):
    with pytest.raises(PrivacyError):
        customer_data_export(actor=store_a_manager, customer=customer_a)
    with pytest.raises(PrivacyError):
        customer_erase(actor=store_a_manager, customer=customer_a)
    assert Customer.objects.get(pk=customer_a.pk).erased_at is None
    assert not AuditEntry.objects.filter(action__startswith="customer_data").exists()


def test_no_record_about_a_customer_names_them_in_the_audit_log(customer_a):
    """Every model that points at a customer labels itself in the log without the
    customer's name (its ``audit_label``), whatever its ``str()`` shows on screen."""
    from manyi.audit.services import audit_label
    from manyi.customers.models import Customer as CustomerModel

    checked = []
    for model in apps.get_models():
        links = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is CustomerModel
        ]
        if not model.__module__.startswith("manyi.") or not links:
            continue
        record = model(pk=7, **{links[0]: customer_a})
        assert "Li Ming" not in audit_label(record), model._meta.label
        checked.append(model._meta.label)
    assert {"care.Callback", "care.WinBack", "cases.Case", "surveys.Invitation"} <= set(checked)


def test_a_shared_family_phone_keeps_the_others_texts(admin, customer_a, li_ming_history):
    from manyi.customers.services import customer_create

    customer_create(
        actor=None, external_id="C-A2", unit=customer_a.unit, name="Li Hua", phone="13812345678"
    )
    document = customer_data_export(actor=admin, customer=customer_a)
    assert "This is Li Ming, thanks" not in json.dumps(document, ensure_ascii=False)
    customer_erase(actor=admin, customer=customer_a)
    assert InboundText.objects.get().sender == "+8613812345678"  # it may be Li Hua's
    assert Contact.objects.get().customer.name == "Li Hua"


def test_an_erased_customers_open_link_answers_nothing_more(admin, customer_a, li_ming_history):
    from manyi.surveys.models import Invitation

    customer_erase(actor=admin, customer=customer_a)
    assert set(Invitation.objects.values_list("status", flat=True)) == {"expired"}
