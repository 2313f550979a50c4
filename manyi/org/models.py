from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    HQ = "hq", _("Headquarters")
    REGION = "region", _("Region")
    STORE = "store", _("Store")
    DEPARTMENT = "department", _("Department")


# Which level may sit under which: HQ → region → store → department.
PARENT_LEVEL = {
    UnitLevel.HQ: None,
    UnitLevel.REGION: UnitLevel.HQ,
    UnitLevel.STORE: UnitLevel.REGION,
    UnitLevel.DEPARTMENT: UnitLevel.STORE,
}


class UnitKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters office")
    REGION_OFFICE = "region_office", _("Region office")
    DEALER = "dealer", _("Auto dealer (4S store)")
    HOSPITAL = "hospital", _("Hospital")
    HOSPITAL_DEPARTMENT = "hospital_department", _("Hospital department")
    BANK_BRANCH = "bank_branch", _("Bank branch")
    TELECOM_BRANCH = "telecom_branch", _("Telecom branch")
    SERVICE_DEPARTMENT = "service_department", _("Service department")
    SALES_DEPARTMENT = "sales_department", _("Sales department")
    OTHER = "other", _("Other")


class Unit(models.Model):
    """A node of the organisation tree. ``path`` (``/1/4/17/``) makes subtree queries one LIKE."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    province = models.CharField(_("province"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    HQ_ANALYST = "hq_analyst", _("HQ analyst")
    REGION_MANAGER = "region_manager", _("Region manager")
    STORE_MANAGER = "store_manager", _("Store manager")
    ADVISOR = "advisor", _("Service advisor")
    CASE_HANDLER = "case_handler", _("Case handler")
    AGENT = "agent", _("Phone agent")


class Position(models.TextChoices):
    GENERAL_MANAGER = "general_manager", _("General manager")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    SERVICE_ADVISOR = "service_advisor", _("Service advisor")
    TECHNICIAN = "technician", _("Technician")
    SALES_CONSULTANT = "sales_consultant", _("Sales consultant")
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    CALL_AGENT = "call_agent", _("Call-centre agent")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    ANALYST = "analyst", _("Quality analyst")
    OTHER = "other", _("Other")


class Staff(AbstractUser):
    """A person who works in the network and may log in."""

    full_name = models.CharField(_("full name"), max_length=80, blank=True)
    code = models.CharField(_("staff code"), max_length=32, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ADVISOR)
    position = models.CharField(
        _("position"), max_length=32, choices=Position.choices, default=Position.OTHER
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    # Messages to the person (the inbox digest, notices) are written in this language.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans"
    )
    inbox_digest = models.BooleanField(
        _("e-mail me what waits in my inbox each morning"), default=False
    )
    # Set on rows written by an import, so a duplicate key inside one file is seen.
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["unit__path", "full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username
