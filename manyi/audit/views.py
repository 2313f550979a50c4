from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from manyi.audit.models import AuditEntry
from manyi.org.permissions import may_see_audit, requires
from manyi.org.selectors import sees_network, visible_units
from manyi.web.forms import paginate


@requires(may_see_audit)
def entry_list(request: HttpRequest) -> HttpResponse:
    """Who changed what: the whole network for HQ, the own subtree for managers."""
    user = request.user
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
