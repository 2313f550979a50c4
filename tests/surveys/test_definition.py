"""A questionnaire definition is checked as a whole, and every problem is named."""

import pytest

from manyi.surveys.answers import AnswerError, check_answers
from manyi.surveys.definition import DefinitionError, parse

BASIC = {
    "factors": [{"code": "q", "name": "Quality", "weight": 1}],
    "items": [
        {
            "code": "OVERALL",
            "type": "rating",
            "factor": "q",
            "required": True,
            "role": "overall",
            "scale": {"min": 1, "max": 10},
        },
        {"code": "WHY", "type": "text", "show_if": {"item": "OVERALL", "op": "<=", "value": 6}},
        {
            "code": "CHANNEL",
            "type": "single",
            "choices": [{"code": "web", "label": "网上"}, {"code": "phone", "label": "电话"}],
        },
    ],
}


def test_every_problem_of_a_definition_is_listed():
    with pytest.raises(DefinitionError) as error:
        parse(
            {
                "factors": [{"code": "a", "weight": 0.5}],
                "items": [
                    {"code": "X", "type": "rating", "factor": "b"},
                    {"code": "X", "type": "dance"},
                    {"code": "Y", "type": "text", "show_if": {"item": "Z", "op": "<=", "value": 1}},
                ],
            }
        )
    problems = error.value.problems
    assert "item 1 (X): unknown factor b" in problems
    assert any("type must be one of" in p for p in problems)
    assert "item 3 (Y): show_if must refer to an earlier item" in problems
    assert any("weights must be non-negative and sum to 1" in p for p in problems)
    assert "factor a has no items" in problems


def test_a_follow_up_is_asked_only_after_a_low_score():
    definition = parse(BASIC)
    assert check_answers(definition, {"OVERALL": 9, "WHY": "slow"}) == {"OVERALL": 9}
    assert check_answers(definition, {"OVERALL": 5, "WHY": "slow"}) == {"OVERALL": 5, "WHY": "slow"}


@pytest.mark.parametrize(
    "answers,problem",
    [
        ({}, {"OVERALL": "required"}),
        ({"OVERALL": 11}, {"OVERALL": "invalid"}),
        ({"OVERALL": "eight"}, {"OVERALL": "invalid"}),
        ({"OVERALL": 7.5}, {"OVERALL": "invalid"}),
        ({"OVERALL": 7, "CHANNEL": "pigeon"}, {"CHANNEL": "invalid"}),
        ({"OVERALL": 7, "SMUGGLED": 1}, {"SMUGGLED": "unknown"}),
        ({"OVERALL": "na"}, {"OVERALL": "invalid"}),
    ],
)
def test_answers_out_of_range_of_the_wrong_type_or_missing_are_refused(answers, problem):
    with pytest.raises(AnswerError) as error:
        check_answers(parse(BASIC), answers)
    assert error.value.problems == problem


def test_a_draft_may_be_saved_with_required_items_still_open():
    assert check_answers(parse(BASIC), {"CHANNEL": "web"}, final=False) == {"CHANNEL": "web"}


def test_numbers_sent_as_text_are_accepted():
    assert check_answers(parse(BASIC), {"OVERALL": "8"}) == {"OVERALL": 8}


def test_the_dealer_questionnaire_asks_about_the_six_covers_its_standard_names():
    from manyi.surveys.services import template_load

    definition = parse(template_load("dealer_19"))
    covers = [item for item in definition.items if "件套" in item.text.zh]
    assert [item.text.zh.split("（")[0] for item in covers] == ["使用了六件套"]
    assert covers[0].text.zh.count("、") == 5  # six covers named


def test_the_customer_never_reads_a_method_name_in_the_title():
    from manyi.surveys.services import template_load

    for name in ("csi_5_factor", "csi_4_factor", "dealer_19", "servqual_22", "nps"):
        title = parse(template_load(name)).customer_title
        for jargon in ("CSI", "SERVQUAL", "RATER", "因子", "项）", "NPS"):
            assert jargon not in title.zh and jargon not in title.en, (name, jargon)
