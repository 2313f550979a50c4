"""Phone and e-mail values: parsed with phonenumbers, masked for display."""

import pytest

from manyi.customers.contacts import (
    mask_email,
    mask_id_number,
    mask_phone,
    normalise_email,
    normalise_phone,
)


@pytest.mark.parametrize(
    "raw", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "008613812345678"]
)
def test_chinese_mobile_numbers_in_any_common_form_become_e164(raw):
    assert normalise_phone(raw) == "+8613812345678"


def test_a_beijing_landline_is_accepted():
    assert normalise_phone("010-6552 9988") == "+861065529988"


@pytest.mark.parametrize("raw", ["12345", "abc", "1381234567890123"])
def test_impossible_phone_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


def test_a_phone_is_masked_to_its_first_three_and_last_four_digits():
    assert mask_phone("+8613812345678") == "138****5678"


def test_an_id_number_keeps_only_its_ends():
    assert mask_id_number("110101199001011234") == "1101**********1234"


def test_email_is_lowercased_and_masked():
    assert normalise_email(" LiMing@Example.COM ") == "liming@example.com"
    assert mask_email("liming@example.com") == "l***@example.com"


def test_a_broken_email_is_refused():
    with pytest.raises(ValueError):
        normalise_email("liming@")
