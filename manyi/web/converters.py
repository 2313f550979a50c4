"""The ``id`` path converter: a record id of up to 18 digits, so a number too large for
the database's integers is a 404, not an overflow."""

import re

from django.urls import register_converter

ID_PATTERN = "[0-9]{1,18}"
MAX_ID = 10**18 - 1


def parse_id(value: object) -> int | None:
    """A record id given as text (a form field, a query string), or None when it is not
    one: not ASCII digits ("²".isdigit() is true), or too large for the database."""
    text = str(value)
    return int(text) if re.fullmatch(ID_PATTERN, text) else None


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
