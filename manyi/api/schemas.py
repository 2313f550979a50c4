"""What every API input shares."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

from manyi.web.converters import MAX_ID
from manyi.web.forms import FIRST_YEAR, LAST_YEAR


def _within_years(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"Give a date between {FIRST_YEAR} and {LAST_YEAR}.")
    return moment


# A moment a query may name: years outside would only overflow the date arithmetic.
Moment = Annotated[
    datetime,
    Field(description="An ISO 8601 date and time between 2000 and 2099."),
    AfterValidator(_within_years),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def bounded_text(longest: int, *, shortest: int = 0) -> Any:
    """A text field with the length its column holds: longer is refused, never cut."""
    return Annotated[str, Field(min_length=shortest, max_length=longest)]


Subject = bounded_text(200, shortest=1)
Code = bounded_text(40, shortest=1)
ExternalId = bounded_text(64, shortest=1)
Name = bounded_text(120, shortest=1)
LongText = bounded_text(10000)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


class In(Schema):
    """An input body. NUL characters are refused here, with a clear message, before
    they reach a database that would refuse them with an error."""

    @field_validator("*", mode="after")
    @classmethod
    def no_nul_characters(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("NUL characters (\\u0000) are not allowed in text.")
        return value


class FieldErrorOut(Schema):
    field: str = Field(..., description="The field (a column, an item code) that is wrong.")
    message: str
    index: int | None = Field(None, description="The item of a batch it is in, from 0.")
    value: str = ""


class ErrorOut(Schema):
    """Every refusal of the API has this shape: what is wrong, and field by field when
    there is more to say (a batch: nothing was stored; answers: by item code)."""

    detail: str
    errors: list[FieldErrorOut] = []
    error_count: int | None = None
    problems: dict[str, str] = {}
