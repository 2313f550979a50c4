"""Navigation by role: what the top bar offers the signed-in user."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.org import permissions as can


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    # Each entry is offered to those its page admits: the same predicate decides both.
    entries = [
        ("home", _("Home"), "home", can.may_use_manyi),
        ("analytics", _("Analytics"), "analytics:dashboard", can.may_see_analytics),
        ("cases", _("Cases"), "cases:queue", can.may_handle_cases),
        ("customers", _("Customers"), "customers:list", can.may_browse_customers),
        ("events", _("Service events"), "customers:events", can.may_browse_customers),
        ("units", _("Units"), "org:units", can.may_view_org),
        ("staff", _("Staff"), "org:staff", can.may_view_org),
        ("tiers", _("Tiers"), "customers:tiers", can.may_manage_tiers),
        (
            "questionnaires",
            _("Questionnaires"),
            "surveys:questionnaires",
            can.may_design_questionnaires,
        ),
        ("programmes", _("Programmes"), "surveys:programmes", can.may_follow_programmes),
        ("alerts", _("Alerts"), "surveys:alerts", can.may_work_alerts),
        ("integrity", _("Integrity"), "surveys:integrity", can.may_follow_programmes),
        ("calls", _("Calls"), "surveys:calls", can.may_make_calls),
        ("imports", _("Imports"), "imports:list", can.may_import),
        ("outbox", _("Outbox"), "notify:messages", can.may_see_outbox),
        ("audit", _("Audit log"), "audit:list", can.may_see_audit),
    ]
    items = [(key, label, reverse(name)) for key, label, name, may in entries if may(user)]
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
    "units": ("network", _("Network")),
    "staff": ("network", _("Network")),
    "tiers": ("network", _("Network")),
    "audit": ("network", _("Network")),
    "outbox": ("network", _("Network")),
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
