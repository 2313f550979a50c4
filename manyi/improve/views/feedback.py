"""Product feedback on screen: per vehicle model and part, the cases with a product cause
and the repairs naming the part, each model beside the vehicles of it serviced; and the
spreadsheet for the maker."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from manyi.improve.forms.inspections import FeedbackFilter
from manyi.improve.selectors.feedback import feedback_records, product_feedback
from manyi.improve.views.inspection_results import period
from manyi.org.permissions import may_see_product_feedback, requires
from manyi.web.exports import workbook_response
from manyi.web.forms import query_params

SHOWN = 40  # rows of parts on screen; the spreadsheet has them all


@requires(may_see_product_feedback)
def product_feedback_report(request: HttpRequest) -> HttpResponse:
    query = query_params(request, FeedbackFilter)
    since, until = period(query)
    model = query["model"].strip()
    parts, models = product_feedback(request.user, since=since, until=until, model=model)
    if query["format"] == "xlsx":
        return workbook_response(f"product-feedback-{since:%Y%m}-{until:%Y%m}", [
            (_("By model and part"),
             [_("Model"), _("Part"), _("Cases"), _("Repairs"), _("Vehicles")],
             [(r.model, r.part, r.cases, r.repairs, r.vehicles) for r in parts]),
            (_("Records"),
             [_("Kind"), _("Reference"), _("Day"), _("Unit code"), _("Store"), _("Model"),
              _("VIN"), _("Part"), _("What")],
             feedback_records(request.user, since=since, until=until, model=model)),
        ])  # fmt: skip
    worst = max((row.per_hundred or 0 for row in models), default=0)
    return render(request, "improve/product_feedback.html", {
        "since": since, "until": until, "model": model, "parts": parts[:SHOWN],
        "more": max(len(parts) - SHOWN, 0), "models": models, "worst": worst or 1,
    })  # fmt: skip
