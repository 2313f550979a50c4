"""What people puts on the home page and in the inbox: Amy's part's best card and her
training to sign off; Bo's card, points and the course he is to attend; the period HQ
is to close."""

from datetime import timedelta

from django.utils import timezone

from manyi.people.services.scorecards import scorecards_compute
from manyi.people.services.training import course_save, training_assign, training_attended
from manyi.web.registry import cards_for, inbox_for


def _sources(user):
    return {section.source.key: section for section in inbox_for(user)}


def test_a_store_manager_sees_the_best_of_her_part_and_the_training_to_sign_off(
    hq_analyst, store_a_manager, last_month, advisors
):
    alan, bo, *_rest = advisors
    scorecards_compute(period=last_month)
    course = course_save(actor=hq_analyst, title="倾听", hours=1, items=["SA2"], standards=[])
    plan = training_assign(actor=store_a_manager, staff=bo, course=course,
                           due_on=timezone.localdate() + timedelta(days=3))  # fmt: skip
    training_attended(actor=store_a_manager, assignment=plan, on=timezone.localdate())
    cards = dict((card.key, context) for card, context in cards_for(store_a_manager))
    assert cards["people.scorecards"]["part"]["best"][0].staff == alan
    assert cards["people.training"]["attended"] == 1
    assert _sources(store_a_manager)["people.sign_off"].count == 1


def test_an_advisor_sees_their_card_points_and_the_course_to_attend(
    hq_analyst, store_a_manager, last_month, advisors, advisor_a
):
    scorecards_compute(period=last_month)
    course = course_save(actor=hq_analyst, title="倾听", hours=1, items=["SA2"], standards=[])
    training_assign(actor=store_a_manager, staff=advisor_a, course=course,
                    due_on=timezone.localdate() + timedelta(days=3))  # fmt: skip
    card = dict((c.key, context) for c, context in cards_for(advisor_a))["people.scorecards"]
    assert card["mine"].staff == advisor_a and card["points"] > 0 and card["part"] is None
    assert _sources(advisor_a)["people.my_training"].items[0].title == "倾听"


def test_headquarters_is_asked_to_close_last_month(hq_analyst, last_month, advisors):
    scorecards_compute(period=last_month)
    (item,) = _sources(hq_analyst)["people.periods"].items
    assert item.title == str(last_month)
