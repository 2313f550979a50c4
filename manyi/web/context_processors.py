"""Navigation by role: what the top bar offers the signed-in user."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.imports.services import may_import
from manyi.org.models import MANAGER_ROLES, NETWORK_ROLES, Role
from manyi.surveys.views.fieldwork import CALL_ROLES


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": []}
    manages = user.is_superuser or user.role in MANAGER_ROLES
    network = user.is_superuser or user.role in NETWORK_ROLES
    items = [
        ("home", _("Home"), reverse("home")),
        ("analytics", _("Analytics"), reverse("analytics:dashboard")),
        ("cases", _("Cases"), reverse("cases:queue")),
        ("customers", _("Customers"), reverse("customers:list")),
        ("events", _("Service events"), reverse("customers:events")),
    ]
    if network or manages:
        items.append(("units", _("Units"), reverse("org:units")))
        items.append(("staff", _("Staff"), reverse("org:staff")))
    if network:
        items.append(("tiers", _("Tiers"), reverse("customers:tiers")))
        items.append(("questionnaires", _("Questionnaires"), reverse("surveys:questionnaires")))
    if network or manages:
        items.append(("programmes", _("Programmes"), reverse("surveys:programmes")))
    if network or manages or user.role == Role.CASE_HANDLER:
        items.append(("alerts", _("Alerts"), reverse("surveys:alerts")))
    if user.is_superuser or user.role in CALL_ROLES:
        items.append(("calls", _("Calls"), reverse("surveys:calls")))
    if may_import(user):
        items.append(("imports", _("Imports"), reverse("imports:list")))
    if network:
        items.append(("outbox", _("Outbox"), reverse("notify:messages")))
    if network or manages:
        items.append(("audit", _("Audit log"), reverse("audit:list")))
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
        "may_use_api": may_import(user),
        "nav": [{"key": key, "label": label, "url": url} for key, label, url in items],
        "nav_current": current,
    }


# Menus that gather related pages, so the top bar stays one line on a laptop.
GROUPS = {
    "questionnaires": ("surveys", _("Surveys")),
    "programmes": ("surveys", _("Surveys")),
    "alerts": ("surveys", _("Surveys")),
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
