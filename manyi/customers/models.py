from datetime import time
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.customers.pinyin import name_pinyin


class PartyType(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class CustomerKind(models.TextChoices):
    RETAIL = "retail", _("Retail")
    BUSINESS = "business", _("Business")
    CHANNEL_PARTNER = "channel_partner", _("Channel partner")
    INTERNAL = "internal", _("Internal")


class Tier(models.TextChoices):
    SUPER_HEAVYWEIGHT = "super_heavyweight", _("Super-heavyweight")
    HEAVYWEIGHT = "heavyweight", _("Heavyweight")
    SUB_HEAVYWEIGHT = "sub_heavyweight", _("Sub-heavyweight")
    LIGHTWEIGHT = "lightweight", _("Lightweight")


# The tiers served as VIP (知心服务) besides the customers marked VIP by hand.
VIP_TIERS = (Tier.SUPER_HEAVYWEIGHT,)


def vip_service(prefix: str = "") -> models.Q:
    """Customers who get VIP service: first in the callback and case queues. ``prefix``
    reaches them from another model (``"customer__"``)."""
    return models.Q(**{f"{prefix}is_vip": True}) | models.Q(**{f"{prefix}tier__in": VIP_TIERS})


# Gender as imports give it (free text: 男, 女, M, F…), in the reader's language.
GENDERS = {
    "男": _("Male"), "m": _("Male"), "male": _("Male"),
    "女": _("Female"), "f": _("Female"), "female": _("Female"),
}  # fmt: skip


class Customer(models.Model):
    """The customer profile card (客户资料卡): who they are, where, what they are worth."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("home store"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    name = models.CharField(_("name"), max_length=120, db_index=True)
    party_type = models.CharField(
        _("person or organisation"),
        max_length=16,
        choices=PartyType.choices,
        default=PartyType.PERSON,
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CustomerKind.choices, default=CustomerKind.RETAIL
    )
    # The name in pinyin for searching without Chinese input (see pinyin.py).
    name_pinyin = models.CharField(_("name in pinyin"), max_length=400, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=8, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # Many celebrate by the lunar calendar: then birth_date's month and day are lunar.
    birthday_lunar = models.BooleanField(_("celebrates the lunar birthday"), default=False)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    province = models.CharField(_("province"), max_length=32, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    district = models.CharField(_("district"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Value and tier (客户等级): revenue over the tier policy's rolling window.
    window_revenue = models.DecimalField(
        _("revenue in window"), max_digits=14, decimal_places=2, default=0
    )
    tier = models.CharField(
        _("tier"), max_length=20, choices=Tier.choices, default=Tier.LIGHTWEIGHT, db_index=True
    )
    is_vip = models.BooleanField(_("VIP"), default=False)
    # The customer's own advisor (专属顾问): told of their visits and cases.
    advisor = models.ForeignKey(
        "org.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_customers",
        verbose_name=_("own advisor"),
    )
    vip_reason = models.CharField(_("VIP reason"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)
    # Their personal data was erased on request: the card stays, anonymous, for the figures.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "tier"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = name_pinyin(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    @property
    def gets_vip_service(self) -> bool:
        return self.is_vip or self.tier in VIP_TIERS

    @property
    def gender_label(self) -> str:
        return str(GENDERS.get(self.gender.strip().lower(), self.gender))

    @property
    def audit_label(self) -> str:
        return f"customer {self.external_id}"


class CustomerUnit(models.Model):
    """A unit that has served the customer (an event, case or response there) or keeps
    their card. A customer belongs to the group and is visible to these units and
    their ancestors; a store reaches another customer of the group only by an exact
    phone or external-id match, which is audited and adds the store here.

    An index of the history, so without foreign keys in the database: each row is
    written from ids its transaction has just read, the ORM still deletes it with its
    customer and protects its unit, and ``customers_served_from_history`` refills it.
    An import writes about one per event, and their two checks were a fifth of its
    database time."""

    # One index, the unique (unit, customer) one, which serves the look-ups by unit of
    # every customer list. A second, by customer, made each row of an import 60 % dearer
    # (1.65 s against 1.05 s for 200,000) for rare look-ups (a data export, a deletion).
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="served_by",
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit that served the customer")
        verbose_name_plural = _("units that served the customer")
        constraints = [
            models.UniqueConstraint(fields=["unit", "customer"], name="customer_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} @ {self.unit_id}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone / SMS")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat")


class Contact(models.Model):
    """One way to reach a customer, with consent and opt-out for that channel."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    # Phones are stored in E.164 (+8613812345678); e-mail lower-cased.
    value = models.CharField(_("value"), max_length=254, db_index=True)
    is_primary = models.BooleanField(_("primary"), default=True)
    consent = models.BooleanField(_("consent to contact"), default=True)
    # Marketing (birthdays, festivals, events) needs its own yes: service messages do not.
    marketing_consent = models.BooleanField(_("consents to marketing"), default=False)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "channel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "channel", "value"], name="contact_unique_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.value}"

    @property
    def audit_label(self) -> str:
        return f"contact {self.pk} of customer {self.customer_id}"

    @property
    def reachable(self) -> bool:
        return self.consent and self.opted_out_at is None


class TierChange(models.Model):
    """A customer moving up or down the tiers, kept per run: the card shows the way."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="tier_changes")
    old_tier = models.CharField(_("from"), max_length=20, choices=Tier.choices)
    new_tier = models.CharField(_("to"), max_length=20, choices=Tier.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        indexes = [models.Index(fields=["customer", "changed_at"], name="customers_tier_change")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.old_tier} → {self.new_tier}"

    @property
    def moved_up(self) -> bool:
        order = list(Tier.values)  # best first
        return order.index(self.new_tier) < order.index(self.old_tier)


class ContactPolicy(models.Model):
    """How far the network may go in contacting customers: nothing in the quiet hours
    (local time) but replies the customer waits for, and at most so many marketing
    messages a month per customer, survey invitations counted. Headquarters edits it;
    one row."""

    quiet_from = models.TimeField(_("quiet from"), default=time(21, 0))
    quiet_until = models.TimeField(_("quiet until"), default=time(8, 0))
    marketing_per_month = models.PositiveSmallIntegerField(
        _("marketing messages a month per customer, at most"), default=4
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact policy")
        verbose_name_plural = _("contact policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ContactPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class AssetKind(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle")
    PATIENT_RECORD = "patient_record", _("Patient record")
    ACCOUNT = "account", _("Account")
    POLICY = "policy", _("Policy")
    DEVICE = "device", _("Device")
    OTHER = "other", _("Other")


class Asset(models.Model):
    """What the customer owns or holds with us: a vehicle, a patient record, an account."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="assets"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AssetKind.choices, default=AssetKind.VEHICLE
    )
    identifier = models.CharField(
        _("VIN or record number"), max_length=64, blank=True, db_index=True
    )
    plate = models.CharField(_("plate number"), max_length=16, blank=True, db_index=True)
    model_name = models.CharField(_("model"), max_length=80, blank=True)
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["customer", "id"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.plate, self.model_name) if part) or self.identifier

    @property
    def audit_label(self) -> str:
        return f"asset {self.external_id}"


class EventKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    REPAIR = "repair", _("Repair")
    WARRANTY = "warranty", _("Warranty")
    SALE = "sale", _("Sale")
    OUTPATIENT = "outpatient", _("Outpatient visit")
    INPATIENT = "inpatient", _("Inpatient stay")
    CHECKUP = "checkup", _("Health check")
    ACCOUNT_SERVICE = "account_service", _("Account service")
    INSTALLATION = "installation", _("Installation")
    CONSULTATION = "consultation", _("Consultation")
    OTHER = "other", _("Other")


class ServiceEvent(models.Model):
    """A service given to a customer (服务事件): the trigger of every survey."""

    # Unique by a constraint rather than ``unique=True``, which on PostgreSQL adds a
    # second index for LIKE that no query of events uses; every index costs imports.
    external_id = models.CharField(_("external id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    # The indexes below start with unit, customer, staff and asset, so those foreign
    # keys need no index of their own. The staff and asset ones leave out the events
    # without (many, and never looked up by a missing staff member or asset).
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="service_events",
        db_index=False,
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("responsible staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_events",
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="service_events",
        db_index=False,
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_events",
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)
    # The part a repair or warranty job replaced or fixed: product feedback to the maker.
    part = models.CharField(_("part"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "opened_at"]),
            models.Index(fields=["customer", "opened_at"]),
            models.Index(
                fields=["staff", "opened_at"],
                condition=models.Q(staff__isnull=False),
                name="service_event_staff_opened",
            ),
            models.Index(
                fields=["asset"],
                condition=models.Q(asset__isnull=False),
                name="service_event_asset",
            ),
            models.Index(fields=["closed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="service_event_external_id_once"),
        ]

    def __str__(self) -> str:
        return self.external_id


class TierPolicy(models.Model):
    """How customers are ranked into tiers: the 80/20 rule as editable data (one row)."""

    window_months = models.PositiveSmallIntegerField(_("rolling window (months)"), default=12)
    super_heavyweight_share = models.DecimalField(
        _("super-heavyweight: top percent of customers"), max_digits=5, decimal_places=2, default=5
    )
    heavyweight_share = models.DecimalField(
        _("heavyweight: top percent of customers"), max_digits=5, decimal_places=2, default=20
    )
    sub_heavyweight_share = models.DecimalField(
        _("sub-heavyweight: top percent of customers"), max_digits=5, decimal_places=2, default=50
    )
    last_run_at = models.DateTimeField(_("last computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier policy")
        verbose_name_plural = _("tier policy")

    def __str__(self) -> str:
        return str(_("Tier policy"))

    @classmethod
    def current(cls) -> "TierPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
