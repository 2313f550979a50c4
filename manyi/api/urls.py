from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from manyi.api import analytics, analytics_units, cases, customers, org, surveys  # noqa: F401
from manyi.api.auth import TokenAuth
from manyi.errors import DomainError

api = NinjaAPI(
    title="manyi API",
    version="1",
    description=(
        "Units, staff, customers, service events, questionnaires, programmes, invitations"
        " and responses, scoped to the token's staff member."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", org.router)
api.add_router("/", customers.router)
api.add_router("/", surveys.router)
api.add_router("/", analytics.router)  # with the endpoints of analytics_units
api.add_router("/", cases.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)
