"""Responses that hold what only this user may see are never kept by a cache; a query
string with a NUL character never reaches a view."""

from collections.abc import Callable
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control


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
