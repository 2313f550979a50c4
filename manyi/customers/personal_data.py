"""The personal data of customers' cards, contacts, vehicles and visits."""

from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from manyi.customers.models import Contact, ServiceEvent
from manyi.privacy.registry import Retention, Subject, declare, exempt

CARD = (
    "external_id", "name", "name_pinyin", "gender", "birth_date", "id_number", "province",
    "city", "district", "address", "vip_reason", "notes",
)  # fmt: skip
ERASED_NAME = "—"


def card_erase(rows: QuerySet, subject: Subject) -> int:
    """The card stays (its visits, answers and cases count in the figures), nameless."""
    customer = subject.customer
    return rows.update(
        external_id=f"erased-{customer.pk}",
        name=ERASED_NAME,
        name_pinyin="",
        gender="",
        birth_date=None,
        birthday_lunar=False,
        id_number="",
        province="",
        city="",
        district="",
        address="",
        vip_reason="",
        notes="",
    )


def assets_erase(rows: QuerySet, subject: Subject) -> int:
    changed = 0
    for pk in rows.values_list("pk", flat=True):
        erased = {"external_id": f"erased-asset-{pk}", "identifier": "", "plate": ""}
        changed += rows.filter(pk=pk).update(**erased)
    return changed


def dormant_contacts_purge(cutoff: datetime) -> int:
    """Contacts added before ``cutoff`` of customers not seen since: no visit, case or
    survey answer since."""
    from manyi.cases.models import Case  # cases and surveys build on customers
    from manyi.surveys.models import Response

    customer = OuterRef("customer")
    recent_visit = ServiceEvent.objects.filter(customer=customer, opened_at__gte=cutoff)
    recent_case = Case.objects.filter(customer=customer, opened_at__gte=cutoff)
    recent_answer = Response.objects.filter(customer=customer, submitted_at__gte=cutoff)
    dormant = Contact.objects.filter(created_at__lt=cutoff).exclude(
        Exists(recent_visit) | Exists(recent_case) | Exists(recent_answer)
    )
    return dormant.delete()[1].get("customers.Contact", 0)


declare(
    "customers.Customer",
    *CARD,
    label=_("Customer card: name, birth date, ID number, address, notes"),
    path="pk",
    erase=card_erase,
    exported=("kind", "tier", "is_vip", "language", "unit_id", "created_at"),
)
declare(
    "customers.Contact",
    "value",
    label=_("Phones, e-mail addresses and their consents"),
    path="customer",
    erase="delete",
    retention=Retention.CONTACT,
    purge=dormant_contacts_purge,
    exported=("channel", "is_primary", "consent", "marketing_consent", "opted_out_at"),
)
declare(
    "customers.Asset",
    "external_id",
    "identifier",
    "plate",
    label=_("Vehicles and records: VIN, plate number"),
    path="customer",
    erase=assets_erase,
    exported=("kind", "model_name", "purchased_on"),
)
declare(
    "customers.ServiceEvent",
    label=_("Service events"),
    path="customer",
    exported=("external_id", "kind", "unit_id", "opened_at", "closed_at", "amount", "part"),
)
declare(
    "customers.TierChange",
    label=_("Tier changes"),
    path="customer",
    exported=("old_tier", "new_tier", "changed_at"),
)
exempt("customers.Asset", "model_name", why="the maker's model name, shared by thousands")
