"""Cases (工单): complaints, suggestions, requests, praise and inquiries, with their
deadlines, the seven steps, a timeline and what the deadline sweep did to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from manyi.cases.models.crisis import ComplainantType
from manyi.customers.models import Tier


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    REQUEST = "request", _("Request")
    PRAISE = "praise", _("Praise")
    INQUIRY = "inquiry", _("Inquiry")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CaseChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web form")
    SURVEY = "survey", _("Survey")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    CALLBACK = "callback", _("Callback")
    INSPECTION = "check", _("Inspection")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")  # in hand: not "untouched"
    WAITING = "waiting", _("Waiting on the customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Step(models.TextChoices):
    """The seven steps of handling a complaint (DOMAIN.md)."""

    RECORD = "record", _("Listen and record")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge and apologise")
    ANALYSE = "analyse", _("Analyse the cause")
    PROPOSE = "propose", _("Propose a solution")
    APPROVE = "approve", _("Approve")
    CARRY_OUT = "carry_out", _("Carry it out")
    REVIEW = "review", _("Review: root cause and prevention")


class CauseSide(models.TextChoices):
    COMPANY = "company", _("Company side")
    CUSTOMER = "customer", _("Customer side")


class Cause(models.Model):
    """Why a case arose; an editable list (product, process, staff; operation,
    installation…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    side = models.CharField(_("side"), max_length=8, choices=CauseSide.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["side", "code"]

    def __str__(self) -> str:
        return self.label(self.name, self.name_en)

    @staticmethod
    def label(name: str, name_en: str) -> str:
        """The name in the user's language: English when asked for and known."""
        english = (get_language() or "").startswith("en")
        return name_en if english and name_en else name


class Deadline(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class Case(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    # The step the case is at: the next one to be done (RECORD is done on opening).
    step = models.CharField(
        _("step"), max_length=12, choices=Step.choices, default=Step.ACKNOWLEDGE
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=8, choices=CaseChannel.choices)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="cases")
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("customer"),
    )
    tier = models.CharField(_("customer tier"), max_length=20, choices=Tier.choices, blank=True)
    # The phone typed on the public form (E.164). It proves nothing, so it only suggests
    # the customer: a handler links them.
    given_phone = models.CharField(_("phone given"), max_length=20, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
        verbose_name=_("responsible"),
    )
    # The staff member the case is about: whom a praise praises, whom a complaint names.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases_about", verbose_name=_("staff member concerned"),
    )  # fmt: skip
    cause = models.ForeignKey(
        Cause, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    # What a product complaint is about, for the feedback to the maker (品质回馈).
    asset = models.ForeignKey(
        "customers.Asset", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases", verbose_name=_("vehicle or product"),
    )  # fmt: skip
    part = models.CharField(_("part"), max_length=80, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    solution = models.TextField(_("solution"), max_length=10000, blank=True)
    root_cause = models.TextField(_("root cause"), max_length=10000, blank=True)
    prevention = models.TextField(_("prevention"), max_length=10000, blank=True)
    resurvey = models.OneToOneField(
        "surveys.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_case",
        verbose_name=_("resolution survey"),
    )
    response = models.ForeignKey(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # The sender's own id (an e-mail's Message-ID, a webhook's id): delivered twice,
    # stored once.
    external_id = models.CharField(
        _("external id"), max_length=200, unique=True, null=True, blank=True
    )
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    crisis = models.BooleanField(_("crisis"), default=False)
    crisis_reason = models.CharField(_("why it is a crisis"), max_length=200, blank=True)
    complainant_type = models.CharField(
        _("kind of complainant"), max_length=16, choices=ComplainantType.choices, blank=True
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    clock_started_at = models.DateTimeField(
        _("clock started at"), default=timezone.now, help_text=_("Opened, or last reopened.")
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def audit_label(self) -> str:
        return f"case {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def escalation_level(self) -> int:
        """How many levels up the org tree the case has been escalated."""
        try:
            return self.watch.escalation_level
        except DeadlineWatch.DoesNotExist:
            return 0


class DeadlineWatch(models.Model):
    """The sweep's watch on one case: the next moment it must look (a warning at 80 %
    or a breach), for which deadline, and how far up the case has been escalated.

    A narrow row of its own, so that moving a due case's next check rewrites two small
    indexes rather than every index of the wide case row; only due rows are read.
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="watch"
    )
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_check_deadline = models.CharField(max_length=16, blank=True, choices=Deadline.choices)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        verbose_name = _("deadline watch")
        verbose_name_plural = _("deadline watches")

    def __str__(self) -> str:
        return f"{self.case_id} {self.next_check_deadline} {self.next_check_at}"


class Pause(models.Model):
    """A span the case waited on the customer: the clock did not run."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_at:%Y-%m-%d %H:%M} – {self.ended_at or ''}"


class EntryKind(models.TextChoices):
    REPLY = "reply", _("Reply to the customer")
    NOTE = "note", _("Private note")
    STEP = "step", _("Step done")
    CHANGE = "change", _("Change")
    WARNING = "warning", _("Deadline warning")
    ESCALATION = "escalation", _("Escalation")
    OVERDUE = "overdue", _("Overdue")
    CUSTOMER = "customer", _("The customer's answer")


class CaseEntry(models.Model):
    """One line of a case's timeline: public replies, private notes, steps done, field
    changes, escalations after a poor resolution survey. (What the sweep did is shown
    from its ``DeadlineAction`` rows.)"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices, blank=True)
    body = models.TextField(_("text"), max_length=10000, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class DeadlineAction(models.Model):
    """What the sweep did about one deadline of one case: warned, escalated, recorded
    overdue. Unique per case, deadline, due moment and action, so however many workers
    sweep and wherever one is killed, each happens once."""

    class Action(models.TextChoices):
        WARNING = "warning", _("Warning before the deadline")
        BREACH = "breach", _("Escalated and recorded overdue")

    # Indexed by the unique constraint below, which leads with the case.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadline_actions", db_index=False
    )
    deadline = models.CharField(max_length=16, choices=Deadline.choices)
    due_at = models.DateTimeField()
    action = models.CharField(max_length=8, choices=Action.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overdue_records",
        help_text=_("Who was responsible when the deadline passed."),
    )
    escalated_to = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "due_at", "action"], name="each_deadline_action_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.deadline} {self.action}"
