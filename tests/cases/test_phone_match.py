"""Li Ming complains on the public form and gives his phone. The phone proves nothing,
so the case waits without a customer; Hui sees that a customer of the group has that
phone and links him with one button — audited, his tier then counts. A phone that two
customers share, or nobody has, links no one."""

import re

from manyi.audit.models import AuditEntry
from manyi.cases.models import Case, EntryKind
from manyi.customers.models import Customer
from manyi.customers.services import customer_create

FORM = {
    "kind": "complaint",
    "subject": "Nobody called me back",
    "description": "I was promised a call on Monday.",
    "phone": "138 1234 5678",
}


def _complain(client, store="S-A", **extra) -> Case:
    client.post(f"/tell/{store}/", {**FORM, **extra})
    return Case.objects.latest("pk")


def _status_link(client, store="S-A") -> str:
    thanks = client.post(f"/tell/{store}/", FORM).text
    return re.search(r'href="http://[^/]+(/tell/case/[^"]+)"', thanks).group(1)


def test_hui_links_the_customer_whose_phone_was_given(client, hui, customer_a):
    Customer.objects.filter(pk=customer_a.pk).update(tier="super_heavyweight")
    case = _complain(client)
    assert case.customer is None and case.given_phone == "+8613812345678"
    client.force_login(hui)
    assert 'data-testid="phone-match"' in client.get(f"/cases/{case.pk}/").text
    client.post(f"/cases/{case.pk}/link_customer/")
    case.refresh_from_db()
    assert case.customer == customer_a and case.tier == "super_heavyweight"
    line = case.entries.get(kind=EntryKind.CHANGE)
    assert line.changes["customer"] == ["", "Li Ming"] and line.author == hui
    assert AuditEntry.objects.filter(action="case.link_customer").exists()
    page = client.get(f"/cases/{case.pk}/").text
    assert 'data-testid="phone-match"' not in page and "Li Ming" in page


def test_another_store_reaches_the_customer_only_by_this_match_and_it_is_audited(
    client, network, customer_a, store_b_manager
):
    case = _complain(client, store="S-B")
    client.force_login(store_b_manager)
    page = client.get(f"/cases/{case.pk}/").text
    assert 'data-testid="phone-match"' in page and "Li Ming" not in page  # no name before
    client.post(f"/cases/{case.pk}/link_customer/")
    case.refresh_from_db()
    assert case.customer == customer_a
    assert AuditEntry.objects.get(action="customer_match").changes == {"by": "phone"}


def test_a_phone_two_customers_share_or_nobody_has_links_no_one(client, hui, network, customer_a):
    customer_create(actor=None, external_id="C-A2", unit=network.store_a, name="Li Hua",
                    phone="13812345678")  # fmt: skip
    shared = _complain(client)
    client.force_login(hui)
    assert 'data-testid="phone-match"' not in client.get(f"/cases/{shared.pk}/").text
    answer = client.post(f"/cases/{shared.pk}/link_customer/", follow=True)
    assert "No single customer of the group has the phone given." in answer.text
    shared.refresh_from_db()
    assert shared.customer is None
