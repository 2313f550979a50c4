"""Navigation by role: what the top bar offers the signed-in user."""

from typing import Any

from django.http import HttpRequest
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manyi.org import permissions as can


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    if getattr(request, "two_factor_pending", False):  # signed in, second factor to come
        return {"nav": [], "two_factor_pending": True}
    # Each entry is offered to those its page admits: the page's own declared
    # permission decides both.
    entries = [
        ("home", _("Home"), "home"),
        ("analytics", _("Analytics"), "analytics:dashboard"),
        ("actions", _("Action plans"), "improve:actions"),
        ("targets", _("Targets"), "improve:targets"),
        ("standards", _("Service standards"), "improve:standards"),
        ("inspections", _("Inspections"), "improve:inspections"),
        ("first_time_fix", _("First-time fix"), "improve:first_time_fix"),
        ("product_feedback", _("Product feedback"), "improve:product_feedback"),
        ("scorecards", _("Scorecards"), "people:scorecards"),
        ("points", _("Points"), "people:points"),
        ("awards", _("Awards"), "people:awards"),
        ("training", _("Training"), "people:training"),
        ("courses", _("Courses"), "people:courses"),
        ("employee", _("Employee satisfaction"), "people:employee_surveys"),
        ("scorecard_settings", _("Scorecard settings"), "people:templates"),
        ("cases", _("Cases"), "cases:queue"),
        ("customers", _("Customers"), "customers:list"),
        ("events", _("Service events"), "customers:events"),
        ("units", _("Units"), "org:units"),
        ("staff", _("Staff"), "org:staff"),
        ("tiers", _("Tiers"), "customers:tiers"),
        ("handover", _("Handover"), "customers:handover"),
        ("questionnaires", _("Questionnaires"), "surveys:questionnaires"),
        ("programmes", _("Programmes"), "surveys:programmes"),
        ("alerts", _("Alerts"), "surveys:alerts"),
        ("integrity", _("Integrity"), "surveys:integrity"),
        ("calls", _("Calls"), "surveys:calls"),
        ("callbacks", _("Callbacks"), "care:callbacks"),
        ("callback_board", _("Callbacks reached"), "care:board"),
        ("touches", _("Care messages"), "care:touches"),
        ("owner_events", _("Owner events"), "care:events"),
        ("churn_risk", _("Churn risk"), "care:risk"),
        ("winbacks", _("Win-back tasks"), "care:winbacks"),
        ("retention", _("Retention"), "care:retention"),
        ("care_rules", _("Care rules"), "care:rules"),
        ("imports", _("Imports"), "imports:list"),
        ("outbox", _("Outbox"), "notify:messages"),
        ("integrations", _("Integrations"), "notify:hooks"),
        ("audit", _("Audit log"), "audit:list"),
        ("privacy", _("Personal data"), "privacy:overview"),
    ]
    items = [
        (key, label, url)
        for key, label, name in entries
        for url in [reverse(name)]
        if resolve(url).func.permission(user)
    ]
    # The current item is the one whose address is the longest start of this page's.
    path = request.path
    matches = [
        (len(url), key)
        for key, _label, url in items
        if path == url or (url != "/" and path.startswith(url))
    ]
    current = max(matches)[1] if matches else ""
    return {
        "nav_groups": _grouped(items, current),
        "may_use_api": can.may_use_api(user),
        "nav": [{"key": key, "label": label, "url": url} for key, label, url in items],
        "nav_current": current,
    }


# Menus that gather related pages, so the top bar stays one line on a laptop.
GROUPS = {
    "questionnaires": ("surveys", _("Surveys")),
    "programmes": ("surveys", _("Surveys")),
    "alerts": ("surveys", _("Surveys")),
    "integrity": ("surveys", _("Surveys")),
    "calls": ("surveys", _("Surveys")),
    "callbacks": ("care", _("Care")),
    "callback_board": ("care", _("Care")),
    "touches": ("care", _("Care")),
    "owner_events": ("care", _("Care")),
    "churn_risk": ("care", _("Care")),
    "winbacks": ("care", _("Care")),
    "retention": ("care", _("Care")),
    "care_rules": ("care", _("Care")),
    "actions": ("improve", _("Improvement")),
    "targets": ("improve", _("Improvement")),
    "standards": ("improve", _("Improvement")),
    "inspections": ("improve", _("Improvement")),
    "first_time_fix": ("improve", _("Improvement")),
    "product_feedback": ("improve", _("Improvement")),
    "scorecards": ("people", _("People")),
    "scorecard_settings": ("people", _("People")),
    "points": ("people", _("People")),
    "awards": ("people", _("People")),
    "training": ("people", _("People")),
    "courses": ("people", _("People")),
    "employee": ("people", _("People")),
    "units": ("network", pgettext_lazy("menu", "Network")),
    "staff": ("network", pgettext_lazy("menu", "Network")),
    "customers": ("customers", _("Customers")),
    "events": ("customers", _("Customers")),
    "tiers": ("customers", _("Customers")),
    "handover": ("customers", _("Customers")),
    "imports": ("customers", _("Customers")),
    "audit": ("network", pgettext_lazy("menu", "Network")),
    "privacy": ("network", pgettext_lazy("menu", "Network")),
    "outbox": ("network", pgettext_lazy("menu", "Network")),
    "integrations": ("network", pgettext_lazy("menu", "Network")),
}


def _grouped(items: list[tuple[str, Any, str]], current: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for key, label, url in items:
        link = {"key": key, "label": label, "url": url, "current": key == current}
        if key not in GROUPS:
            entries.append(link)
            continue
        code, group_label = GROUPS[key]
        if code not in groups:
            groups[code] = {"key": code, "label": group_label, "children": [], "current": False}
            entries.append(groups[code])
        groups[code]["children"].append(link)
        groups[code]["current"] |= link["current"]
    # A group of one is just a link.
    return [
        entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in entries
    ]
