"""The API under /api/v1/: its routers, how it refuses, and the schema that says so."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from manyi.api import (
    actions,
    analytics,
    care,
    care_events,
    cases,
    churn,
    customers,
    feedback,
    fixes,
    improve,
    inspections,
    org,
    people,
    privacy,
    standards,
    surveys,
)
from manyi.api.auth import TokenAuth
from manyi.api.schemas import ErrorOut
from manyi.errors import DomainError

# What any operation may answer besides its own responses, all in ErrorOut's shape.
REFUSALS = {
    "400": "A rule of the business was broken (the detail says which).",
    "401": "No token, or one revoked, expired or of a role without API access.",
    "403": "The token's role (or its read-only scope) may not do this.",
    "404": "Nothing with this id in the token's part of the network.",
    "409": "The external id is used elsewhere in the network.",
    "422": "The input does not fit the schema (field by field in errors).",
}


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The schema, with the refusals every operation may answer documented."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        shape = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(shape.pop("$defs", {}))
        components["ErrorOut"] = shape
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in REFUSALS.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = Api(
    title="manyi API",
    version="1",
    description=(
        "Units, staff, customers, service events, questionnaires, programmes, invitations,"
        " responses, cases, care and analytics, scoped to the token's staff member. Every refusal"
        " is an ErrorOut."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", org.router)
api.add_router("/", customers.router)
api.add_router("/", surveys.router)
api.add_router("/", analytics.router)
api.add_router("/", cases.router)
api.add_router("/", care.router)
api.add_router("/", care_events.router)
api.add_router("/", churn.router)
api.add_router("/", improve.router)
api.add_router("/", actions.router)
api.add_router("/", standards.router)
api.add_router("/", fixes.router)
api.add_router("/", inspections.router)
api.add_router("/", feedback.router)
api.add_router("/", people.router)
api.add_router("/", privacy.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(error) or "Your role may not do this."}, status=403
    )


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """The input does not fit the schema: each problem with its field (and the item of
    a batch), in the same shape as every other refusal."""
    problems = []
    for found in error.errors:
        place = [part for part in found.get("loc", ()) if part not in ("body", "query", "path")]
        index = next((part for part in place if isinstance(part, int)), None)
        names = [str(part) for part in place if not isinstance(part, int)]
        problems.append(
            {"field": names[-1] if names else "", "message": found.get("msg", ""), "index": index}
        )
    return api.create_response(
        request,
        {"detail": "The input is not valid.", "errors": problems, "error_count": len(problems)},
        status=422,
    )
