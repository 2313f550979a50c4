"""Edits to a questionnaire draft (a JSON dict), one operation at a time.

Each function returns a new draft and leaves the old one alone; the draft is
checked as a whole only when it is published (``definition.parse``).
"""

import copy
from typing import Any


class BuilderError(ValueError):
    pass


def _items(draft: dict[str, Any]) -> list[dict[str, Any]]:
    return draft.setdefault("items", [])


def _index(draft: dict[str, Any], code: str) -> int:
    for index, item in enumerate(_items(draft)):
        if item.get("code") == code:
            return index
    raise BuilderError(f"no item {code}")


def item_put(draft: dict[str, Any], item: dict[str, Any], *, replace: str = "") -> dict[str, Any]:
    """Add ``item`` at the end, or put it in place of the item coded ``replace``."""
    new = copy.deepcopy(draft)
    items = _items(new)
    codes = [entry.get("code") for entry in items if entry.get("code") != replace]
    if item.get("code") in codes:
        raise BuilderError(f"the code {item.get('code')} is already used")
    if replace:
        items[_index(new, replace)] = item
        for other in items:  # keep skip rules pointing at the renamed item
            rule = other.get("show_if")
            if rule and rule.get("item") == replace:
                rule["item"] = item["code"]
    else:
        items.append(item)
    return new


def item_remove(draft: dict[str, Any], code: str) -> dict[str, Any]:
    new = copy.deepcopy(draft)
    del _items(new)[_index(new, code)]
    for other in _items(new):
        if (other.get("show_if") or {}).get("item") == code:
            other.pop("show_if")
    return new


def item_move(draft: dict[str, Any], code: str, step: int) -> dict[str, Any]:
    """Move an item ``step`` places up (negative) or down (positive)."""
    new = copy.deepcopy(draft)
    items = _items(new)
    index = _index(new, code)
    target = max(0, min(len(items) - 1, index + step))
    items.insert(target, items.pop(index))
    return new


def weights_set(draft: dict[str, Any], weights: dict[str, float]) -> dict[str, Any]:
    new = copy.deepcopy(draft)
    for factor in new.get("factors", []):
        if factor.get("code") in weights:
            factor["weight"] = weights[factor["code"]]
    return new
