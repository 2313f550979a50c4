"""The register of personal data covers every field that could hold some."""

import pytest
from django.apps import apps

from manyi.privacy.registry import REGISTER, Subject
from tests.privacy.looks_personal import looks_personal, personal_looking_fields


def test_every_field_that_looks_personal_is_declared_or_exempt_with_a_reason():
    known = REGISTER.declared_fields() | set(REGISTER.exempt)
    undeclared = sorted(personal_looking_fields() - known)
    assert undeclared == [], (
        "Declare these in the app's personal_data.py (with how they are erased), "
        "or exempt them with why they hold no customer's data"
    )


def test_a_new_personal_field_would_be_caught():
    from django.db import models

    assert looks_personal(models.CharField(name="mobile", max_length=20))
    assert looks_personal(models.TextField(name="remarks"))
    assert not looks_personal(models.CharField(name="status", max_length=8, choices=[("a", "A")]))
    assert not looks_personal(models.DateTimeField(name="resolution_due"))


def test_every_declared_and_exempt_field_exists():
    for model, name in REGISTER.declared_fields() | set(REGISTER.exempt):
        apps.get_model(model)._meta.get_field(name)  # raises when it does not
    for entry in REGISTER.declared:
        assert entry.retention == "" or entry.purge or entry.dated_by, entry.model


@pytest.mark.django_db
def test_every_declaration_finds_a_customers_rows(customer_a):
    subject = Subject(customer_a, frozenset({"+8613812345678"}), frozenset())
    for entry in REGISTER.declared:
        list(entry.of(subject)[:1])  # the path reaches the customer
