"""Sweeps of the apps, registered when the jobs app loads."""

import time

from django.utils import timezone

from manyi.analytics.services import BATCH, rollups_fold
from manyi.care.churn import churn_refresh
from manyi.care.models import ChurnRun
from manyi.care.services import callbacks_schedule
from manyi.care.touches import touches_plan, touches_send
from manyi.care.winback import winbacks_mark_returned, winbacks_reopen_unkept
from manyi.cases.from_alerts import BATCH as ALERTS_BATCH
from manyi.cases.from_alerts import alerts_to_cases
from manyi.cases.sweep import BATCH as SLA_BATCH
from manyi.cases.sweep import sla_sweep
from manyi.customers.models import TierPolicy
from manyi.customers.tiering import tiers_recompute
from manyi.improve.overdue import BATCH as ACTIONS_BATCH
from manyi.improve.overdue import actions_overdue_sweep
from manyi.jobs.rq import abandoned_jobs_retry, rq_in_use
from manyi.jobs.sweeps import sweep
from manyi.notify.digest import inbox_digests_send
from manyi.notify.hooks import hooks_deliver, hooks_release_stuck
from manyi.notify.services import messages_send
from manyi.people.services.scorecards import scorecards_nightly
from manyi.privacy.models import RetentionPolicy
from manyi.privacy.services import retention_purge
from manyi.surveys.models import Alert, AlertStatus
from manyi.surveys.services import invitations_remind_and_expire, invitations_trigger
from manyi.web.ratelimit import rate_counts_purge


@sweep("tiers_nightly", every=3600)
def tiers_nightly() -> None:
    """Re-rank customers once a day, after midnight in the server's time zone."""
    policy = TierPolicy.current()
    today = timezone.localdate()
    if policy.last_run_at is None or timezone.localtime(policy.last_run_at).date() < today:
        tiers_recompute(actor=None)


@sweep("churn_nightly", every=3600)
def churn_nightly() -> None:
    """Once a day, refit the visit model and rebuild the churn-risk list and the
    retention figures (again, if a killed worker left it unfinished); every hour, close
    the win-back tasks whose customer came back and reopen those not kept."""
    if not ChurnRun.objects.filter(run_on=timezone.localdate(), finished_at__isnull=False).exists():
        churn_refresh()
    winbacks_mark_returned()
    winbacks_reopen_unkept()


@sweep("retention_purge", every=3600)
def retention_nightly() -> None:
    """Once a day, remove the personal data older than its retention period."""
    policy = RetentionPolicy.current()
    today = timezone.localdate()
    if policy.last_purge_at is None or timezone.localtime(policy.last_purge_at).date() < today:
        retention_purge()  # claims the pass: one worker purges


@sweep("outbox", every=5)
def outbox() -> None:
    """Send queued messages (survey invitations, reminders, notices)."""
    messages_send()


@sweep("inbox_digests", every=600)
def inbox_digests() -> None:
    """Each morning, e-mail those who asked for it what waits in their inbox."""
    inbox_digests_send()


@sweep("survey_invitations", every=300)
def survey_invitations() -> None:
    """Invite the customers of service events that closed a programme's delay ago."""
    invitations_trigger()


@sweep("callbacks", every=300)
def callbacks() -> None:
    """Give each visit that closed its callback, under the care rules."""
    callbacks_schedule()


@sweep("care_plan", every=3600)
def care_plan() -> None:
    """Plan the next fortnight's reminders, birthdays, festivals and seasonal care."""
    touches_plan()


@sweep("care_send", every=600)
def care_send() -> None:
    """Send the care touches whose day has come (marketing waits for the morning)."""
    touches_send()


@sweep("survey_reminders", every=900)
def survey_reminders() -> None:
    """Remind those who have not answered yet; close invitations past their expiry."""
    invitations_remind_and_expire()


@sweep("rollups", every=5)
def rollups() -> None:
    """Fold new survey responses into the analytics rollups."""
    while rollups_fold() == BATCH:
        pass


@sweep("sla", every=10)
def sla() -> None:
    """Warn at 80 % of a case deadline, escalate and record the overdue on a breach."""
    while sla_sweep() == SLA_BATCH:
        pass


@sweep("actions_overdue", every=60)
def actions_overdue() -> None:
    """Warn of improvement actions coming due; escalate the overdue ones up the tree."""
    while actions_overdue_sweep() == ACTIONS_BATCH:
        pass


@sweep("alerts_to_cases", every=10)
def alerts_to_cases_sweep() -> None:
    """Open a complaint case for each new hot alert from a survey response: a batch at a
    time while alerts wait, for at most 5 s a pass, so the worker's other sweeps never wait
    long (one batch every 30 s fell behind two alerts a second in the soak benchmark)."""
    ends = time.monotonic() + 5
    alerts_to_cases(limit=ALERTS_BATCH)
    while time.monotonic() < ends and Alert.objects.filter(status=AlertStatus.OPEN).exists():
        alerts_to_cases(limit=ALERTS_BATCH)


@sweep("rate_counts", every=3600)
def rate_counts() -> None:
    """Forget the rate-limit counters of windows that have ended."""
    rate_counts_purge()


@sweep("scorecards_nightly", every=3600)
def scorecards_nightly_sweep() -> None:
    """Once a day, make the running and last month and quarter, and recompute the cards
    of the open ones; a closed period is locked."""
    scorecards_nightly()


@sweep("abandoned_jobs", every=5)
def abandoned_jobs() -> None:
    """With RQ, put the jobs of workers that died back on their queue."""
    if rq_in_use():
        abandoned_jobs_retry()


@sweep("hooks", every=5)
def hooks() -> None:
    """Send the webhook and group-robot deliveries that are due; retry the failed."""
    hooks_release_stuck()
    while hooks_deliver() == 100:
        pass
