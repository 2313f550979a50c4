"""An HQ analyst builds a questionnaire from a template, edits the draft and publishes it."""

import pytest

from manyi.audit.models import AuditEntry
from manyi.surveys import builder
from manyi.surveys.definition import parse
from manyi.surveys.services import (
    QuestionnaireError,
    questionnaire_create,
    questionnaire_publish,
    questionnaire_update_draft,
    template_codes,
    template_load,
)


@pytest.mark.parametrize(
    "code",
    [
        "dealer_19",
        "csi_5_factor",
        "csi_4_factor",
        "servqual_22",
        "nps",
        "hospital",
        "complaint_resolution",
        "employee",
    ],
)
def test_every_built_in_template_is_a_valid_definition(code):
    assert code in template_codes()
    parse(template_load(code))


def test_the_19_item_dealer_questionnaire_has_19_rated_items_on_five_factors():
    definition = parse(template_load("dealer_19"))
    rated = [item for item in definition.items if item.factor]
    assert len(rated) == 19
    weights = {factor.code: factor.weight for factor in definition.factors}
    assert len(weights) == 5 and weights["service_quality"] == max(weights.values())
    assert 0.3 <= weights["service_quality"] <= 0.36  # about a third


def test_servqual_has_22_pairs_on_the_five_rater_dimensions():
    definition = parse(template_load("servqual_22"))
    pairs = [item for item in definition.items if item.type == "servqual"]
    assert len(pairs) == 22
    assert {item.dimension for item in pairs} == {
        "reliability",
        "assurance",
        "tangibles",
        "empathy",
        "responsiveness",
    }


def test_publishing_freezes_the_draft_as_version_one(hq_analyst):
    questionnaire = questionnaire_create(
        actor=hq_analyst, code="csi", name="CSI", template="csi_5_factor"
    )
    version = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    assert version.number == 1 and version.definition == template_load("csi_5_factor")
    assert AuditEntry.objects.filter(action="questionnaire_publish").exists()


def test_editing_after_publishing_makes_a_new_version_and_leaves_the_old_one(hq_analyst):
    questionnaire = questionnaire_create(
        actor=hq_analyst, code="csi", name="CSI", template="csi_5_factor"
    )
    first = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    draft = builder.item_remove(questionnaire.draft, "SF3")
    questionnaire_update_draft(actor=hq_analyst, questionnaire=questionnaire, draft=draft)
    second = questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    first.refresh_from_db()
    assert second.number == 2
    assert "SF3" in {item["code"] for item in first.definition["items"]}
    assert "SF3" not in {item["code"] for item in second.definition["items"]}


def test_an_unchanged_draft_is_not_published_twice(hq_analyst):
    questionnaire = questionnaire_create(actor=hq_analyst, code="nps", name="NPS", template="nps")
    questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    with pytest.raises(QuestionnaireError, match="same as the latest"):
        questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)


def test_a_broken_draft_is_refused_with_every_problem(hq_analyst):
    questionnaire = questionnaire_create(actor=hq_analyst, code="x", name="X")
    draft = {
        "factors": [{"code": "a", "weight": 0.4}],
        "items": [{"code": "Q", "type": "rating", "factor": "a"}],
    }
    questionnaire_update_draft(actor=hq_analyst, questionnaire=questionnaire, draft=draft)
    with pytest.raises(QuestionnaireError) as error:
        questionnaire_publish(actor=hq_analyst, questionnaire=questionnaire)
    assert error.value.problems == [
        "factor weights must be non-negative and sum to 1 (they sum to 0.4)"
    ]
    assert not questionnaire.versions.exists()


def test_a_store_manager_may_not_design_questionnaires(store_a_manager):
    with pytest.raises(QuestionnaireError, match="Only HQ"):
        questionnaire_create(actor=store_a_manager, code="x", name="X")


def test_renaming_an_item_keeps_the_skip_rules_that_point_at_it():
    draft = template_load("nps")
    item = next(i for i in draft["items"] if i["code"] == "NPS")
    renamed = builder.item_put(draft, {**item, "code": "LIKELY"}, replace="NPS")
    improve = next(i for i in renamed["items"] if i["code"] == "IMPROVE")
    assert improve["show_if"]["item"] == "LIKELY"
    parse(renamed)


def test_moving_an_item_up_puts_it_before_its_neighbour():
    draft = {"items": [{"code": "A"}, {"code": "B"}, {"code": "C"}]}
    assert [i["code"] for i in builder.item_move(draft, "C", -1)["items"]] == ["A", "C", "B"]
    assert [i["code"] for i in builder.item_move(draft, "A", -1)["items"]] == ["A", "B", "C"]
