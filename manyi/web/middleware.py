"""Responses that hold what only this user may see are never kept by a cache; a query
string with a NUL character never reaches a view; a sign-in that needs its second
factor goes nowhere else; a reader's own change is on their next home page."""

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from manyi.web.kept import reader_changed


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and API answer (static files are
    served before this, with their own long-lived headers), unless the view chose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class NulQueryMiddleware:
    """A query string holding a NUL character is refused with 400 before any view: no
    database stores one, and PostgreSQL refuses it with an error (a 500) wherever a
    filter passes it on. The API answers in its own refusal shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "NUL characters are refused.", "errors": [], "problems": {}},
                    status=400,
                )
            raise BadRequest("NUL characters are refused.")
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, someone with two-factor sign-in on is asked for a code before
    any page, and someone whose role requires it and has none sets it up first. The
    answer is kept in the session until sign-out."""

    OPEN = {"two_factor_verify", "two_factor_setup", "logout", "login", "set_language"}
    SESSION_KEY = "two_factor_passed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from manyi.org.two_factor import two_factor_enabled, two_factor_required

        user = request.user
        if not user.is_authenticated or request.session.get(self.SESSION_KEY):
            return self.get_response(request)
        if user.is_verified():  # type: ignore[union-attr]
            request.session[self.SESSION_KEY] = True
            return self.get_response(request)
        if two_factor_enabled(user):
            target = "two_factor_verify"
        elif two_factor_required(user):
            target = "two_factor_setup"
        else:
            request.session[self.SESSION_KEY] = True
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in self.OPEN or name is None:
            request.two_factor_pending = True  # type: ignore[attr-defined] # no menus yet
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=403)  # a fragment is never swapped for the sign-in
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response


class ReaderChangesMiddleware:
    """A write that succeeded (any method but GET, HEAD, OPTIONS and TRACE, answered
    below 400) by someone signed in with a session draws their kept home cards and
    counts afresh: what one just did is on one's next page (``web.kept``). An API
    token has no home page to refresh."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in self.SAFE or response.status_code >= 400:
            return response
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        user = getattr(request, "user", None)
        # Signed in by this session (a token's request may carry a stray cookie).
        if user is not None and request.session.get(SESSION_KEY) == str(user.pk):
            reader_changed(user)
        return response
