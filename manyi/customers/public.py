"""The page a marketing e-mail's unsubscribe link opens: one button, no login."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from manyi.customers.models import ContactChannel
from manyi.customers.unsubscribe import contact_from_link, contacts_unsubscribe
from manyi.org.permissions import public
from manyi.web.ratelimit import allow, client_ip

POSTS_PER_IP = 20  # an hour


@public
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # A link opened by a mail scanner must not unsubscribe anyone: only the button does.
    contact = contact_from_link(token)
    if contact is None:
        raise Http404
    done = request.method == "POST"
    if done:
        if not allow(f"unsubscribe-ip:{client_ip(request)}", limit=POSTS_PER_IP, seconds=3600):
            return render(request, "cases/public/too_many.html", status=429)
        contacts_unsubscribe(channel=ContactChannel.EMAIL, value=contact.value, via="email_link")
    return render(request, "customers/public/unsubscribe.html", {"done": done})
