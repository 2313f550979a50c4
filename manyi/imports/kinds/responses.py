"""Importing survey responses gathered elsewhere (paper, kiosks, another survey tool).

Each row is one response: the programme it answers, the unit, when it was given,
and one column per questionnaire item, headed by the item's code (a SERVQUAL item
has two, ``CODE_E`` and ``CODE_P``). Answers are checked and scored exactly as the
form's are; a row with a bad answer names the item's column.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.analytics.comments import comments_refresh
from manyi.bulk import in_chunks
from manyi.customers.models import ServiceEvent
from manyi.customers.served import customers_served
from manyi.imports.columns import EXTERNAL_ID, Column, parse_datetime, text
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.imports.kinds.customers import resolve_customers
from manyi.imports.kinds.scope import resolve_unit, scope_context, staff_codes
from manyi.org.permissions import may_record_responses
from manyi.surveys.answers import AnswerError, check_answers
from manyi.surveys.definition import Definition
from manyi.surveys.integrity import current_policy, integrity_at_submit
from manyi.surveys.models import Programme, Response
from manyi.surveys.scoring import score
from manyi.surveys.services.responses import alerts_check, create_scored

PROBLEMS = {
    "required": gettext_lazy("an answer is required"),
    "invalid": gettext_lazy("not a valid answer to this item (see its scale or choices)"),
    "unknown": gettext_lazy("not an item of this questionnaire"),
}


class ResponseImport(ImportKind):
    code = "responses"
    label = gettext_lazy("Survey responses")
    permission = may_record_responses
    keeps_other_columns = True
    batch_size = 500
    columns = [
        EXTERNAL_ID,
        Column(
            "programme_code",
            gettext_lazy("Programme code"),
            text(40),
            required=True,
            example="csi-follow-up",
        ),
        Column("unit_code", gettext_lazy("Unit code"), text(32), required=True, example="S-BJ-01"),
        Column(
            "submitted_at",
            gettext_lazy("Submitted at"),
            parse_datetime,
            required=True,
            example="2026-03-05 10:20",
        ),
        Column(
            "customer_external_id",
            gettext_lazy("Customer external id"),
            text(64),
            example="C000123",
        ),
        Column("event_external_id", gettext_lazy("Event external id"), text(64), example="RO-1"),
        Column("staff_code", gettext_lazy("Staff code"), text(32), example="E10023"),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {
            **super().context(actor=actor, job_id=job_id),
            **scope_context(actor),
            "staff_codes": staff_codes(),
            "programmes": {p.code: p for p in Programme.objects.select_related("version")},
            "definitions": {},
            "seen": {},
            "checked_headers": False,
        }

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        resolve_customers(self, rows, ctx, result, require_visible=True)
        wanted = {r.values["event_external_id"] for r in rows if "event_external_id" in r.values}
        events = {
            external_id: pk
            for chunk in in_chunks(wanted)
            for external_id, pk in ServiceEvent.objects.filter(
                unit_id__in=ctx["allowed_units"], external_id__any=chunk
            )
            .order_by()
            .values_list("external_id", "pk")
        }
        for row in rows:
            values = row.values
            resolve_unit(self, row, ctx, result)
            if "staff_code" in values:
                values["_staff_id"] = ctx["staff_codes"].get(values["staff_code"])
                if values["_staff_id"] is None:
                    self.fail(result, row, "staff_code", _("no staff member has this code"))
            if "event_external_id" in values:
                values["_event_id"] = events.get(values["event_external_id"])
                if values["_event_id"] is None:
                    self.fail(
                        result,
                        row,
                        "event_external_id",
                        _("no service event in your part of the network has this external id"),
                    )
            programme = ctx["programmes"].get(values.get("programme_code"))
            if programme is None:
                if "programme_code" in values:
                    self.fail(result, row, "programme_code", _("no programme has this code"))
                continue
            values["_programme"] = programme
            if "external_id" in values:
                self.first_in_file(result, row, "external_id", ctx["seen"])
            self._answers(row, programme, ctx, result)

    def _definition(self, programme: Programme, ctx: dict[str, Any]) -> Definition:
        if programme.pk not in ctx["definitions"]:
            ctx["definitions"][programme.pk] = programme.version.parsed()
        return ctx["definitions"][programme.pk]

    def _answers(
        self, row: Row, programme: Programme, ctx: dict[str, Any], result: ImportResult
    ) -> None:
        definition = self._definition(programme, ctx)
        headers = {header.strip().upper(): header for header in ctx["other_columns"]}
        if not ctx["checked_headers"]:
            ctx["checked_headers"] = True
            known = {item.code.upper() for item in definition.items} | {
                f"{item.code.upper()}_{side}"
                for item in definition.items
                if item.type == "servqual"
                for side in "EP"
            }
            for upper, header in headers.items():
                if upper not in known:
                    result.add_error(1, header, header, _("not an item of this questionnaire"))
        other = row.values.get("_other", {})
        answers: dict[str, Any] = {}
        for item in definition.items:
            code = item.code.upper()
            if item.type == "servqual":
                pair = {
                    side.lower(): _cell(other.get(headers.get(f"{code}_{side}", "")))
                    for side in "EP"
                }
                if any(pair.values()):
                    answers[item.code] = pair
                continue
            value = _cell(other.get(headers.get(code, "")))
            if value is None:
                continue
            if item.type == "multiple":
                value = [
                    part.strip() for part in value.replace(";", ",").split(",") if part.strip()
                ]
            answers[item.code] = value
        try:
            row.values["_answers"] = check_answers(definition, answers)
        except AnswerError as error:
            for code, problem in error.problems.items():
                row.ok = False
                result.add_error(
                    row.number, code, answers.get(code, ""), str(PROBLEMS.get(problem, problem))
                )

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        existing = {
            response.external_id: response
            for response in Response.objects.filter(
                external_id__in=[row.values["external_id"] for row in rows]
            )
        }
        served: list[tuple[int, int]] = []
        policy = ctx.setdefault("integrity", current_policy())
        for row in rows:
            values = row.values
            programme = values["_programme"]
            old = existing.get(values["external_id"])
            if old is not None:
                if old.unit_id not in ctx["allowed_units"]:
                    self.fail(
                        result,
                        row,
                        "external_id",
                        _("this response belongs to a unit outside your part of the network"),
                    )
                    continue
                _rescore(old, values["_answers"], self._definition(programme, ctx))
                result.updated += 1
                continue
            integrity = integrity_at_submit(
                definition=self._definition(programme, ctx),
                answers=values["_answers"],
                channel="import",
                now=values["submitted_at"],
                policy=policy,
            )
            response = create_scored(
                version_id=programme.version_id,
                answers=values["_answers"],
                unit_id=values["_unit_id"],
                channel="import",
                submitted_at=values["submitted_at"],
                programme=programme,
                customer_id=values.get("_customer_id"),
                event_id=values.get("_event_id"),
                staff_id=values.get("_staff_id"),
                external_id=values["external_id"],
                recorded_by=ctx["actor"],
                **integrity,
            )
            alerts_check(response=response)
            if response.customer_id:
                served.append((response.customer_id, response.unit_id))
            result.created += 1
        customers_served(served)


def _cell(value: Any) -> str | None:
    """A cell as the form would post it: XLSX numbers ``9.0`` read as ``9``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text_value = str(value).strip()
    return text_value or None


def _rescore(response: Response, answers: dict[str, Any], definition: Definition) -> None:
    scores = score(definition, answers)
    overall = definition.role("overall")
    response.answers = answers
    response.scores = scores.as_dict()
    response.index, response.nps, response.nps_class = scores.index, scores.nps, scores.nps_class
    response.overall = scores.items.get(overall.code) if overall else None
    response.save(update_fields=["answers", "scores", "index", "nps", "nps_class", "overall"])
    if response.rolled_up:  # its comments were taken when it was counted
        comments_refresh(response)
