from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from manyi.audit.models import AuditEntry
from manyi.org.models import MANAGER_ROLES, NETWORK_ROLES
from manyi.org.selectors import sees_network, visible_units
from manyi.web.forms import paginate


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    """Who changed what: the whole network for HQ, the own subtree for managers."""
    user = request.user
    if not (user.is_superuser or user.role in MANAGER_ROLES | NETWORK_ROLES):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "unit")
    if not sees_network(user):
        entries = entries.filter(unit__in=visible_units(user))
    if action := request.GET.get("action"):
        entries = entries.filter(action=action)
    if query := request.GET.get("q"):
        entries = entries.filter(
            Q(object_repr__icontains=query) | Q(actor__username__icontains=query)
        )
    return render(request, "audit/entry_list.html", {"page": paginate(request, entries)})
