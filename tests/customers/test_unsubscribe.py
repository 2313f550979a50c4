"""A birthday e-mail to Li Ming ends with a link; opening it asks, the button
unsubscribes his address from marketing — and only marketing."""

import re

from manyi.customers.models import Contact
from manyi.customers.reach import customer_message_send
from manyi.notify.wording import Wording, wording_register

GREETING = wording_register(
    Wording(code="test_greeting", purpose="care", text="生日快乐", marketing=True)
)


def _link(customer) -> str:
    sent = customer_message_send(customer=customer, channels=["email"], wording=GREETING.code,
                                 params={})  # fmt: skip
    return re.search(r"http://\S+(/u/\S+/)", sent.message.body).group(1)


def test_the_link_asks_first_and_the_button_unsubscribes(client, customer_a):
    customer_a.contacts.update(marketing_consent=True)
    link = _link(customer_a)
    assert 'data-testid="unsubscribe-button"' in client.get(link).text
    email = Contact.objects.get(customer=customer_a, channel="email")
    assert email.marketing_consent  # a mail scanner opening the link changes nothing
    assert client.post(link).status_code == 200
    email.refresh_from_db()
    assert not email.marketing_consent and email.consent
    assert Contact.objects.get(customer=customer_a, channel="phone").marketing_consent


def test_the_link_does_not_show_the_address_and_the_no_is_audited(client, customer_a):
    from manyi.audit.models import AuditEntry

    customer_a.contacts.update(marketing_consent=True)
    link = _link(customer_a)
    assert "liming" not in link and "example" not in link
    client.post(link)
    audit = AuditEntry.objects.get(action="contact_marketing_no")
    assert audit.actor is None and audit.changes == {"channel": "email", "via": "email_link"}


def test_a_forged_link_finds_nothing(client, customer_a):
    from django.core import signing

    customer_a.contacts.update(marketing_consent=True)
    email = customer_a.contacts.get(channel="email")
    assert client.get(_link(customer_a)[:-3] + "x/").status_code == 404
    unsalted = signing.dumps(email.pk)  # signed, but not for this purpose
    assert client.get(f"/u/{unsalted}/").status_code == 404
