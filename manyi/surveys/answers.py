"""Checking a respondent's answers against the version they answered (plain Python)."""

from typing import Any

from manyi.surveys.definition import Definition, Item

MAX_TEXT = 2000
NA = "na"


class AnswerError(ValueError):
    """Answers that cannot be stored; ``problems`` maps item code to a message code."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{code}: {message}" for code, message in problems.items()))
        self.problems = problems


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str):
        value = value.strip()
    number = float(value)
    if not number.is_integer():
        raise ValueError
    return int(number)


def _point(item: Item, value: Any) -> int | str:
    if item.allow_na and value == NA:
        return NA
    point = _whole(value)
    assert item.scale is not None
    if not item.scale.min <= point <= item.scale.max:
        raise ValueError
    return point


def _clean(item: Item, value: Any) -> Any:
    """The stored form of one answer, or ``ValueError`` when it does not fit the item."""
    if item.type in ("rating", "nps"):
        return _point(item, value)
    if item.type == "servqual":
        if not isinstance(value, dict):
            raise ValueError
        return {"e": _point(item, value.get("e")), "p": _point(item, value.get("p"))}
    if item.type == "single":
        if str(value) not in {choice.code for choice in item.choices}:
            raise ValueError
        return str(value)
    if item.type == "multiple":
        chosen = [str(v) for v in (value if isinstance(value, list) else [value])]
        if not set(chosen) <= {choice.code for choice in item.choices}:
            raise ValueError
        return sorted(set(chosen))
    if item.type == "yesno":
        if value in (True, "yes", "true", "1", 1):
            return True
        if value in (False, "no", "false", "0", 0):
            return False
        raise ValueError
    text = str(value)
    if len(text) > MAX_TEXT or "\x00" in text:  # a NUL no database would store
        raise ValueError
    return text


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    return value is None or value == "" or value == []


def check_answers(
    definition: Definition, answers: dict[str, Any], *, final: bool = True
) -> dict[str, Any]:
    """Return the clean answers of the items that are asked; raise ``AnswerError``.

    Answers to items the skip logic hides are dropped, unknown codes are refused,
    and (when ``final``) every asked required item must be answered. The problems
    are message codes: ``unknown``, ``invalid``, ``required``.
    """
    problems: dict[str, str] = {}
    known = {item.code for item in definition.items}
    for code in answers:
        if code not in known:
            problems[code] = "unknown"
    clean: dict[str, Any] = {}
    for item in definition.items:
        if not definition.asked(item, clean):
            continue
        value = answers.get(item.code)
        if _blank(value):
            if final and item.required:
                problems[item.code] = "required"
            continue
        try:
            clean[item.code] = _clean(item, value)
        except (TypeError, ValueError, AssertionError):
            problems[item.code] = "invalid"
    if problems:
        raise AnswerError(problems)
    return clean
