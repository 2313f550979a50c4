"""Mystery shopping on screen: a shop ordered from an agency (its one-time link shown
once), and the shopper's page behind the link — the scenario and the checklist, answered
with photos and recordings, kept in the browser until stored."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from manyi.errors import DomainError
from manyi.improve.forms.inspections import MysteryShopForm
from manyi.improve.services import mystery as services
from manyi.improve.views.inspections import carry_out_page
from manyi.org.permissions import may_order_mystery_shops, public, requires
from manyi.web.ratelimit import allow, client_ip

POSTS_PER_IP = 30  # reports sent from one address in an hour at most


@requires(may_order_mystery_shops)
def mystery_shop_new(request: HttpRequest) -> HttpResponse:
    form = MysteryShopForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shop, token = services.mystery_shop_order(
                actor=request.user, **form.service_arguments()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            link = request.build_absolute_uri(reverse("shop", args=[token]))
            return render(request, "improve/mystery_link.html", {"shop": shop, "link": link})
    return render(request, "improve/mystery_form.html", {"form": form})


@public
def mystery_shop_visit(request: HttpRequest, token: str) -> HttpResponse:
    """The shopper's page. A used or expired link says so; the same report sent again
    after a lost connection is stored once."""
    if request.method == "POST" and not allow(
        f"shop-ip:{client_ip(request)}", limit=POSTS_PER_IP, seconds=3600
    ):
        return HttpResponse(status=429)
    shop = services.mystery_shop_by_link(token)
    if request.method == "GET" and shop is None:
        return render(request, "improve/mystery_gone.html", status=410)

    def record(answers: dict, key: object) -> str:
        services.mystery_shop_record(token=token, answers=answers, submission_key=key)
        return reverse("shop_thanks")

    if shop is None:  # a POST after the link was used: the same report, or too late
        return carry_out_page(request, None, record)
    return carry_out_page(request, shop, record, public=True)


@public
def mystery_shop_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "improve/mystery_thanks.html")
