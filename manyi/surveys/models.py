from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """A questionnaire: an editable draft and its published, immutable versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    template = models.CharField(_("built from template"), max_length=40, blank=True)
    draft = models.JSONField(_("draft"), default=dict)
    draft_updated_at = models.DateTimeField(_("draft changed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "QuestionnaireVersion | None":
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """A published version; never changed, so every response keeps its meaning."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="one_number_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    def parsed(self):  # type: ignore[no-untyped-def]
        from manyi.surveys.definition import parse

        return parse(self.definition)


class Trigger(models.TextChoices):
    AFTER_EVENT = "after_event", _("Days after a service event closes")
    MANUAL = "manual", _("Manual waves over a customer list")


class Sampling(models.TextChoices):
    ALL = "all", _("Everyone eligible")
    RANDOM = "random", _("Simple random sample at a rate")
    QUOTA = "quota", _("Stratified by unit, with a quota per unit per month")


class Programme(models.Model):
    """Ties a published questionnaire version to the units and service events it covers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("covered units"),
        related_name="programmes",
        help_text=_("Each unit covers its whole subtree."),
    )
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True)
    trigger = models.CharField(
        _("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.AFTER_EVENT
    )
    delay_days = models.PositiveSmallIntegerField(_("days after the event closes"), default=3)
    sampling = models.CharField(
        _("sampling"), max_length=8, choices=Sampling.choices, default=Sampling.ALL
    )
    sample_rate = models.DecimalField(
        _("sample rate (%)"), max_digits=5, decimal_places=2, default=100
    )
    quota_per_unit = models.PositiveIntegerField(_("quota per unit per month"), default=0)
    exclude_recent_days = models.PositiveSmallIntegerField(
        _("skip customers surveyed in the last N days"), default=90
    )
    exclude_internal = models.BooleanField(_("skip internal customers"), default=True)
    channels = models.JSONField(_("channels, in order of preference"), default=list)
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after N days"), default=2)
    expire_after_days = models.PositiveSmallIntegerField(
        _("invitation expires after N days"), default=14
    )
    min_n_unit = models.PositiveIntegerField(_("minimum responses to rank a unit"), default=30)
    min_n_staff = models.PositiveIntegerField(
        _("minimum responses to rank a staff member"), default=10
    )
    triggered_until = models.DateTimeField(_("events triggered up to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wave(models.Model):
    """A batch of invitations: a month of a triggered programme, or one manual send-out."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="waves")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["programme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="one_code_per_wave")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.name}"


class InvitationStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    OPENED = "opened", _("Opened")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    OPTED_OUT = "opted_out", _("Opted out")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LINK = "link", _("Link or QR code")
    PHONE = "phone", _("Phone interview")
    IMPORT = "import", _("Import")
    OPEN_LINK = "open_link", _("Open link (walk-in)")


class Invitation(models.Model):
    """One customer asked about one service: an unguessable token and its life so far."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="invitations")
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="invitations")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="invitations"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="invitations"
    )
    event = models.ForeignKey(
        "customers.ServiceEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="invitations", db_index=False
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.CREATED,
    )
    progress = models.JSONField(_("answers so far"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["customer", "created_at"]),
            models.Index(fields=["wave", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "event"],
                name="one_invitation_per_event",
                condition=models.Q(event__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} → {self.customer}"


class Response(models.Model):
    """A submitted questionnaire, scored at once; the source of truth for every figure."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    event = models.ForeignKey(
        "customers.ServiceEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    external_id = models.CharField(
        _("external id"), max_length=64, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    answers = models.JSONField(_("answers"))
    scores = models.JSONField(_("scores"), default=dict)
    index = models.FloatField(_("index"), null=True, blank=True)
    nps = models.SmallIntegerField(_("NPS answer"), null=True, blank=True)
    nps_class = models.CharField(_("NPS class"), max_length=10, blank=True)
    overall = models.FloatField(_("overall satisfaction"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["customer", "submitted_at"]),
            models.Index(fields=["staff", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.submitted_at:%Y-%m-%d}"


class AlertRuleKind(models.TextChoices):
    OVERALL_AT_MOST = "overall_le", _("Overall satisfaction at or below")
    NPS_DETRACTOR = "nps_detractor", _("NPS detractor")
    ANY_ITEM_AT_MOST = "any_item_le", _("Any rated item at or below")
    KEYWORD = "keyword", _("A keyword in free text")
    CONTACT_ME = "contact_me", _("The customer asks to be contacted")


class AlertRule(models.Model):
    """A hot-alert rule of a programme (data, edited on screen)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="alert_rules")
    kind = models.CharField(_("kind"), max_length=16, choices=AlertRuleKind.choices)
    threshold = models.SmallIntegerField(_("threshold (scale points)"), null=True, blank=True)
    keywords = models.CharField(_("keywords, comma separated"), max_length=400, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.get_kind_display()


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Alert(models.Model):
    """A response that needs a follow-up; the cases part of manyi turns it into a case."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="alerts")
    rule = models.ForeignKey(AlertRule, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="alerts")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.reason
