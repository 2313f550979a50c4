"""Answers spread over the last whole month and the month before it, for the reports that
compare (a report's default period ends with the last whole month)."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from manyi.analytics.services import rollups_fold
from manyi.surveys.services import questionnaire_create, questionnaire_publish
from manyi.surveys.services.responses import create_scored
from tests.surveys.fixtures import GOOD_ANSWERS

CSI_ITEMS = ("SI1", "SI2", "SA1", "SA2", "SF1", "SF2", "SF3", "VP1", "VP2", "VP3")
QUALITY = ("SQ1", "SQ2", "SQ3")


def last_month_start():
    """The first moment of the last whole month, local time."""
    this_month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (this_month - timedelta(days=1)).replace(day=1)


@pytest.fixture
def two_months(csi_version, network):
    """Store A slipped on service quality last month; store B held steady. Forty answers
    a store a month, each with its time, so the test can recompute every figure."""
    rng = np.random.default_rng(7)
    now = last_month_start() + timedelta(minutes=1)
    before = now - timedelta(days=20)
    made = []
    for store, slip in ((network.store_a, 3.0), (network.store_b, 0.0)):
        for when, drop in ((before, 0.0), (now, slip)):
            for _ in range(40):
                mood = rng.normal(scale=0.6)
                answers = {
                    code: int(np.clip(round(8 + mood + rng.normal(scale=0.7)), 1, 10))
                    for code in CSI_ITEMS
                }
                for code in QUALITY:
                    answers[code] = int(
                        np.clip(round(8.5 + mood - drop + rng.normal(scale=0.6)), 1, 10)
                    )
                answers["OVERALL"] = int(np.clip(round(8 + mood - drop / 2), 1, 10))
                answers["NPS"] = int(np.clip(round(8 + 1.5 * mood - drop), 0, 10))
                made.append(
                    create_scored(
                        version_id=csi_version.pk,
                        answers={**GOOD_ANSWERS, **answers},
                        unit_id=store.pk,
                        channel="import",
                        submitted_at=when,
                    )
                )
    rollups_fold(limit=100)  # part folded, part pending: figures must not care
    return made


@pytest.fixture
def servqual_version(hq_analyst):
    questionnaire = questionnaire_create(
        actor=hq_analyst, code="rater", name="RATER", template="servqual_22"
    )
    return questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
