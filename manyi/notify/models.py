from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


# What each kind of message is for, as the outbox shows it.
PURPOSES = {
    "invitation": _("Survey invitation"),
    "case_deadline": _("Case deadline notice"),
    "case_escalation": _("Case escalation"),
    "case_resurvey": _("Poor resolution survey"),
    "case_crisis": _("Crisis"),
    "inbox_digest": _("Inbox digest"),
    "case_reply": _("Reply to a case"),
    "care": _("Care"),
}


class Message(models.Model):
    """The outbox: a message queued in a business transaction and sent after it commits."""

    channel = models.CharField(_("channel"), max_length=8, choices=MessageChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    purpose = models.CharField(_("purpose"), max_length=40)
    ref = models.CharField(_("reference"), max_length=64, blank=True)
    # What an SMS provider sends: an approved template and its parameters.
    template = models.CharField(_("template"), max_length=40, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The customer it goes to (none for staff), and whether it is marketing: the monthly
    # cap counts these.
    customer_id = models.BigIntegerField(null=True, blank=True)
    marketing = models.BooleanField(_("marketing"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    send_after = models.DateTimeField(_("send after"))
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    gateway_id = models.CharField(_("gateway message id"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Looked up whole (a case number, an invitation): no pattern index beside it.
            models.Index(fields=["ref"], name="notify_message_ref"),
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["gateway_id"]),
            models.Index(fields=["customer_id", "created_at"], name="notify_message_customer"),
            # A text back is read against the last message sent to its number.
            models.Index(fields=["recipient", "created_at"], name="notify_message_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}"

    @property
    def purpose_label(self) -> str:
        return str(PURPOSES.get(self.purpose, self.purpose))

    @property
    def audit_label(self) -> str:
        return f"message {self.pk}"


class InboxDigest(models.Model):
    """The morning e-mail of what waits in someone's inbox: one a person a day, however
    many workers run the sweep."""

    staff = models.ForeignKey(
        "org.Staff", on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    day = models.DateField(_("day"))
    message = models.ForeignKey(Message, null=True, on_delete=models.SET_NULL, related_name="+")
    waiting = models.PositiveIntegerField(_("things waiting"), default=0)

    class Meta:
        verbose_name = _("inbox digest")
        verbose_name_plural = _("inbox digests")
        constraints = [models.UniqueConstraint(fields=["staff", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day}"


# What was done with a text a customer sent back, as the outbox shows it.
TEXT_OUTCOMES = {
    "unsubscribed": _("Unsubscribed from marketing"),
    "case_answer": _("Answer on a case"),
    "case_closed": _("Answer to a closed case: not added"),
    "unread": _("Not understood: read it and answer by hand"),
}


class InboundText(models.Model):
    """A text a customer sent back to one of our SMS, as the gateway forwarded it: kept
    whatever became of it, and read once however often the gateway sends it."""

    gateway_id = models.CharField(_("gateway message id"), max_length=64, blank=True)
    sender = models.CharField(_("sender"), max_length=20)
    text = models.TextField(_("text"), max_length=2000)
    done = models.CharField(_("what was done"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text received")
        verbose_name_plural = _("texts received")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway_id"],
                condition=~models.Q(gateway_id=""),
                name="notify_inbound_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"

    @property
    def done_label(self) -> str:
        return str(TEXT_OUTCOMES.get(self.done, self.done))


class HookKind(models.TextChoices):
    WEBHOOK = "webhook", _("Webhook (signed JSON)")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class HookEvent(models.TextChoices):
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_ESCALATED = "case.escalated", _("Case escalated")
    CASE_CLOSED = "case.closed", _("Case closed")
    ALERT_RAISED = "alert.raised", _("Hot alert raised")
    RESPONSE_STORED = "response.stored", _("Survey response stored")


class Hook(models.Model):
    """Where manyi tells another system, or a staff group chat, what happened."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=HookKind.choices)
    url = models.URLField(_("address"), max_length=500)
    # Signs each webhook request (HMAC-SHA256), or a DingTalk robot's address.
    secret = models.CharField(_("secret"), max_length=100, blank=True)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(HookEvent.choices)
        return [str(labels.get(event, event)) for event in self.events]


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class HookDelivery(models.Model):
    """One event for one hook: queued with the change that caused it, sent after commit by
    the worker, retried with back-off; the delivery log."""

    hook = models.ForeignKey(Hook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=32, choices=HookEvent.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    send_after = models.DateTimeField(_("send after"))
    claimed_by = models.CharField(max_length=16, blank=True)
    response_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.hook}"
