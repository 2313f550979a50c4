"""The shell: sign-in, password change, each role's home page and the inbox."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from manyi.org.forms import PreferencesForm
from manyi.org.permissions import may_use_manyi, requires
from manyi.org.selectors import scope_unit, sees_network
from manyi.org.services import staff_preferences_set
from manyi.org.two_factor import two_factor_enabled
from manyi.web.kept import kept_inbox_count, reader_view, rendered_cards, rendered_inbox
from manyi.web.registry import inbox_for


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        from manyi.audit.services import audit_record

        audit_record(
            actor=self.request.user,
            action="staff_set_password",
            obj=self.request.user,
            unit=self.request.user.unit,
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


@requires(may_use_manyi)
def home(request: HttpRequest) -> HttpResponse:
    """Each role's day: what waits for them, then the cards their apps registered."""
    user = request.user
    view = reader_view(user)
    cards = rendered_cards(user, view)
    inbox = rendered_inbox(user, view, skip={key for shown in cards for key in shown.card.covers})
    context = {
        "scope": None if sees_network(user) else scope_unit(user),
        "inbox": inbox.sections,
        "inbox_html": inbox.html,
        "cards": cards,
    }
    return render(request, "web/home.html", context)


@requires(may_use_manyi)
def preferences(request: HttpRequest) -> HttpResponse:
    """One's own settings: the language manyi writes to one in, the morning digest."""
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        initial={"language": user.language, "inbox_digest": user.inbox_digest},
    )
    if request.method == "POST" and form.is_valid():
        staff_preferences_set(actor=user, **form.cleaned_data)
        language = form.cleaned_data["language"]
        translation.activate(language)
        messages.success(request, _("Your settings are saved."))
        response = redirect("preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    context = {"form": form, "two_factor_on": two_factor_enabled(user)}
    return render(request, "web/preferences.html", context)


@requires(may_use_manyi)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "web/inbox.html", {"sections": inbox_for(request.user, limit=20)})


@requires(may_use_manyi)
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The top bar's count of what waits, loaded after the page."""
    count = kept_inbox_count(request.user)
    return render(request, "web/inbox_badge.html", {"count": count})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 that says what was wrong with the request, in the page's frame."""
    return render(request, "web/400.html", {"message": str(exception)}, status=400)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404: JSON under the API (in its ErrorOut shape), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 403 in the page's frame and the reader's language: JSON under the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Forbidden"}, status=403)
    return render(request, "web/403.html", status=403)
