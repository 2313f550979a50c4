"""Importing an agency's mystery-shop report: one row per standard of a visit, the rows of
one visit sharing its reference. The whole file is one batch, so a visit is never split;
every visit is stored with its answers checked like a shopper's, or nothing is."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.errors import DomainError
from manyi.imports.columns import Column, parse_date, text
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.imports.kinds.scope import resolve_unit, scope_context
from manyi.improve.selectors.inspections import checklist_list, competitor_list
from manyi.improve.services.inspections import Given
from manyi.improve.services.mystery import mystery_shop_import
from manyi.org.models import Unit
from manyi.org.permissions import may_order_mystery_shops
from manyi.web.forms import FIRST_YEAR

LARGEST_FILE = 50_000  # rows: an agency's report for a year of a large network
RESULTS = {"yes": "yes", "是": "yes", "no": "no", "否": "no", "na": "na", "n/a": "na",
           "不适用": "na"}  # fmt: skip


def parse_result(value: Any) -> str:
    raw = text(4)(value).lower()
    if raw in RESULTS:
        return RESULTS[raw]
    if raw.isascii() and raw.isdigit() and len(raw) <= 2:
        return raw
    raise ValueError(_("must be yes, no, n/a or a score"))


class MysteryShopImport(ImportKind):
    code = "mystery_shops"
    label = gettext_lazy("Mystery shops (an agency's report)")
    permission = may_order_mystery_shops
    batch_size = LARGEST_FILE + 1
    columns = [
        Column("visit", gettext_lazy("Visit reference"), text(64), required=True,
               example="MC-2026-0412"),
        Column("agency", gettext_lazy("Agency"), text(120), required=True, example="明察咨询"),
        Column("checklist", gettext_lazy("Checklist"), text(120), required=True,
               example="神秘顾客检查表"),
        Column("unit_code", gettext_lazy("Unit code"), text(32), example="S-BJ-01"),
        Column("competitor", gettext_lazy("Competitor store"), text(120)),
        Column("visited_on", gettext_lazy("Visited on"), parse_date, required=True,
               example="2026-04-12"),
        Column("standard", gettext_lazy("Standard code"), text(40), required=True,
               example="reception-07"),
        Column("result", gettext_lazy("Result"), parse_result, required=True, example="yes"),
        Column("note", gettext_lazy("Note"), text(1000)),
    ]  # fmt: skip

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        checklists = {}
        for checklist in checklist_list().prefetch_related("items__standard"):
            for name in (checklist.name, checklist.name_en):
                if name:
                    checklists[name.lower()] = checklist
        return {
            **super().context(actor=actor, job_id=job_id),
            **scope_context(actor),
            "checklists": checklists,
            "competitors": {c.name.lower(): c for c in competitor_list(actor)},
        }

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        if len(rows) > LARGEST_FILE:
            self.fail(result, rows[LARGEST_FILE], "visit",
                      _("a report holds at most 50,000 rows: split the file"))  # fmt: skip
        today = timezone.localdate()
        for row in rows:
            values = row.values
            resolve_unit(self, row, ctx, result)
            visited = values.get("visited_on")
            if visited and not (date(FIRST_YEAR, 1, 1) <= visited <= today):
                self.fail(result, row, "visited_on", _("a visit lies between 2000 and today"))
            if ("unit_code" in values) == ("competitor" in values):
                self.fail(result, row, "unit_code",
                          _("give the unit code of our store or a competitor's name"))  # fmt: skip
            elif "competitor" in values:
                found = ctx["competitors"].get(values["competitor"].lower())
                if found is None:
                    self.fail(result, row, "competitor", _("no competitor store has this name"))
                values["_competitor"] = found
            checklist = ctx["checklists"].get(values.get("checklist", "").lower())
            if checklist is None:
                self.fail(result, row, "checklist", _("no checklist in use has this name"))
                continue
            values["_checklist"] = checklist
            codes = {item.standard.code: item.standard_id for item in checklist.items.all()}
            if values.get("standard") not in codes:
                self.fail(result, row, "standard", _("this standard is not on the checklist"))
            else:
                values["_standard"] = codes[values["standard"]]

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        visits: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in rows:
            visits[(row.values["agency"], row.values["visit"])].append(row)
        units = Unit.objects.in_bulk({row.values["_unit_id"] for row in rows
                                      if "_unit_id" in row.values})  # fmt: skip
        for (agency, visit), group in visits.items():
            if not self._one_visit(group, result):
                continue
            first = group[0].values
            answers = {
                row.values["_standard"]: Given(row.values["result"], row.values.get("note", ""))
                for row in group
            }
            try:
                mystery_shop_import(
                    actor=ctx["actor"], checklist=first["_checklist"], agency=agency,
                    visit=visit, visited_on=first["visited_on"], answers=answers,
                    unit=units.get(first.get("_unit_id")), competitor=first.get("_competitor"),
                )  # fmt: skip
            except DomainError as error:
                self.fail(result, group[0], "visit", str(error))
            else:
                result.created += 1

    def _one_visit(self, group: list[Row], result: ImportResult) -> bool:
        """The rows of one visit name the same store, checklist and day, and each
        standard once; else an error on the row that differs."""
        first, seen = group[0], set()
        for row in group:
            for column in ("unit_code", "competitor", "checklist", "visited_on"):
                if row.values.get(column) != first.values.get(column):
                    self.fail(result, row, column,
                              _("differs from the first row of this visit (row %(row)s)")
                              % {"row": first.number})  # fmt: skip
                    return False
            if row.values["_standard"] in seen:
                self.fail(result, row, "standard", _("appears twice in this visit"))
                return False
            seen.add(row.values["_standard"])
        return True
