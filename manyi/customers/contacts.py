"""Phone and e-mail values: parsing, validation and masking of personal data."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return the phone in E.164 (``+8613812345678``) or raise ``ValueError`` with a reason."""
    text = str(raw).strip()
    try:
        number = phonenumbers.parse(text, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(_("not a phone number")) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("not a valid phone number"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    text = str(raw).strip().lower()
    try:
        validate_email(text)
    except ValidationError as error:
        raise ValueError(_("not a valid e-mail address")) from error
    return text


def display_phone(e164: str) -> str:
    """A phone as people write it at home: national format for the default region."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.PHONE_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def mask_phone(value: str) -> str:
    """Keep the first three and last four digits: ``138****5678``."""
    digits = display_phone(value).replace(" ", "").replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_email(value: str) -> str:
    local, _sep, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_id_number(value: str) -> str:
    """Keep the first four and last four characters of an ID number."""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_contact(channel: str, value: str) -> str:
    return mask_email(value) if channel == "email" else mask_phone(value)
