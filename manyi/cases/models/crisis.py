"""Crises and difficult customers: a case that may reach the press, a regulator or a
court is a crisis (危机事件), handled on short deadlines with HQ told at once; a
complainant of one of the six difficult kinds the training material names gets the
handling guide for that kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_CRISIS_WORDS = "媒体, 记者, 曝光, 12315, 消协, 律师, 起诉, 法院, 微博, 抖音, 热搜, 上访"


class ComplainantType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional")
    RIGHTEOUS = "righteous", _("Righteous")
    STUBBORN = "stubborn", _("Stubborn")
    SELF_ADMIRING = "self_admiring", _("Self-admiring")
    WELL_PREPARED = "well_prepared", _("Well-prepared")
    WELL_CONNECTED = "well_connected", _("Well-connected")


# How to handle each kind, shown on the case (the field's training material, abridged).
HANDLING_GUIDES = {
    ComplainantType.EMOTIONAL: _(
        "Let them finish; acknowledge the feeling before the facts; lower your voice and "
        "slow down; move to a quiet place; promise only what you can keep."
    ),
    ComplainantType.RIGHTEOUS: _(
        "Agree with the principle they defend; show what the company has done about it; "
        "thank them for raising it; involve a manager so they see it is taken seriously."
    ),
    ComplainantType.STUBBORN: _(
        "Keep calm and consistent; restate the facts and the options in writing; offer a "
        "choice between two acceptable solutions; set a time to decide."
    ),
    ComplainantType.SELF_ADMIRING: _(
        "Show respect for their experience and status; let a senior person answer; avoid "
        "contradicting them in front of others; give them credit for the solution."
    ),
    ComplainantType.WELL_PREPARED: _(
        "Expect facts, records and rules: prepare yours; answer precisely and in writing; "
        "never guess; check the contract and the law before you reply."
    ),
    ComplainantType.WELL_CONNECTED: _(
        "Treat as a possible crisis: tell your manager and HQ; one spokesperson; keep "
        "every statement factual and written; settle quickly within authority."
    ),
}

# What a crisis asks of the store, in order (shown on the case).
CRISIS_CHECKLIST = (
    _("Tell the store manager and HQ now; HQ names one spokesperson."),
    _("Call the customer within the hour: listen, apologise, no argument."),
    _("Record every contact with the press, a regulator or a lawyer on this case."),
    _("Say nothing in public or online that HQ has not agreed."),
    _("Agree the solution and the statement with HQ, then carry it out fast."),
    _("After it is closed: review the root cause with HQ."),
)


class CrisisPolicy(models.Model):
    """The words that make a new case a crisis; one row, edited by HQ."""

    keywords = models.TextField(
        _("words that make a case a crisis"),
        default=DEFAULT_CRISIS_WORDS,
        help_text=_("Separated by commas; a case whose subject or text holds one is a crisis."),
    )

    class Meta:
        verbose_name = _("crisis policy")
        verbose_name_plural = _("crisis policy")

    def __str__(self) -> str:
        return str(_("Crisis policy"))

    @classmethod
    def current(cls) -> "CrisisPolicy":
        return cls.objects.first() or cls.objects.create()

    def words(self) -> list[str]:
        return [
            word.strip() for word in self.keywords.replace("，", ",").split(",") if word.strip()
        ]
