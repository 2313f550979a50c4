"""The comments page: every free-text answer of the period and scope, with its figures,
filtered by item, index band and words, newest or lowest first; exported as XLSX."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.analytics.comments import comment_list
from manyi.analytics.query import ReportQuery
from manyi.analytics.views.page import analytics_view, page_context, query_of
from manyi.cases.selectors import cases_of_responses
from manyi.surveys.versions import definition_of
from manyi.web.exports import xlsx_response
from manyi.web.forms import paginate, query_params

EXPORT_ROWS = 50_000


class CommentFilter(forms.Form):
    item = forms.ChoiceField(
        label=gettext_lazy("Item"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    lowest = forms.IntegerField(
        label=gettext_lazy("CSI from"), min_value=0, max_value=1000, required=False
    )
    highest = forms.IntegerField(
        label=gettext_lazy("to"), min_value=0, max_value=1000, required=False
    )
    words = forms.CharField(label=gettext_lazy("Words"), max_length=100, required=False)
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        choices=[
            ("newest", gettext_lazy("Newest first")),
            ("lowest", gettext_lazy("Lowest CSI first")),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", gettext_lazy("Every text item")), *items]


def _text_items(query: ReportQuery, language: str) -> list[tuple[str, str]]:
    definition = definition_of(query.version_id)
    return [
        (item.code, item.text.get(language)) for item in definition.items if item.type == "text"
    ]


def _comments(request: HttpRequest, query: ReportQuery, given: dict[str, Any]) -> Any:
    zone = timezone.get_current_timezone()
    since = datetime.combine(query.months.first, time.min, tzinfo=zone)
    until = datetime.combine(query.months.last + timedelta(days=1), time.min, tzinfo=zone)
    return comment_list(
        request.user,
        programme_id=query.programme.pk,
        since=since,
        until=until,
        unit_path=query.scope.path if query.scope else None,
        item=given["item"],
        lowest=given["lowest"],
        highest=given["highest"],
        words=given["words"],
        order=given["order"] or "newest",
    )


@analytics_view
def comments(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    context = page_context(request, query, "comments")
    if query is not None:
        items = _text_items(query, context["language"])
        given = query_params(request, CommentFilter, items=items)
        page = paginate(request, _comments(request, query, given), per_page=25)
        cases = cases_of_responses(request.user, [c.response_id for c in page])
        context.update(
            filter=CommentFilter(request.GET, items=items),
            page=page,
            rows=[(comment, cases.get(comment.response_id)) for comment in page],
            item_names=dict(items),
            export_link=f"{reverse('analytics:comments_export')}?{request.GET.urlencode()}",
        )
    return render(request, "analytics/comments.html", context)


@analytics_view
def comments_xlsx(request: HttpRequest) -> HttpResponse:
    query = query_of(request)
    if query is None:
        raise Http404
    language = page_context(request, query, "comments")["language"]
    items = _text_items(query, language)
    given = query_params(request, CommentFilter, items=items)
    names = dict(items)
    rows = (
        (
            timezone.localtime(c.submitted_at).replace(tzinfo=None),
            str(c.unit),
            str(c.staff or ""),
            names.get(c.item, c.item),
            c.text,
            round(c.index) if c.index is not None else None,
            c.nps,
            c.response_id,
        )
        for c in _comments(request, query, given)[:EXPORT_ROWS]
    )
    header = [
        _("Submitted"),
        _("Unit"),
        _("Advisor"),
        _("Item"),
        _("Comment"),
        _("CSI"),
        "NPS",
        _("Response"),
    ]
    return xlsx_response(
        f"comments-{query.programme.code}-{query.months.last:%Y-%m-%d}", header, rows
    )
