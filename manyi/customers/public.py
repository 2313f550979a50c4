"""The page a marketing e-mail's unsubscribe link opens: one button, no login."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from manyi.customers.models import ContactChannel
from manyi.customers.unsubscribe import address_from_link, contacts_unsubscribe
from manyi.org.permissions import public


@public
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # A link opened by a mail scanner must not unsubscribe anyone: only the button does.
    address = address_from_link(token)
    if address is None:
        raise Http404
    done = request.method == "POST"
    if done:
        contacts_unsubscribe(channel=ContactChannel.EMAIL, value=address, via="email_link")
    return render(request, "customers/public/unsubscribe.html", {"done": done})
