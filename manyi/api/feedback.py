"""Product feedback over the API: per vehicle model and part, the product cases and the
repairs naming the part, and each model beside the vehicles of it serviced."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from manyi.api.auth import needs
from manyi.improve.selectors.feedback import product_feedback
from manyi.org.permissions import may_see_product_feedback
from manyi.web.forms import FIRST_YEAR, LAST_YEAR

router = Router(tags=["improve"])


class PartOut(Schema):
    model: str
    part: str
    cases: int
    repairs: int
    vehicles: int


class ModelOut(Schema):
    model: str
    issues: int
    vehicles: int
    serviced: int
    per_hundred: float | None


class FeedbackOut(Schema):
    parts: list[PartOut]
    models: list[ModelOut]


@router.get("/improve/product-feedback", response=FeedbackOut,
            auth=needs(may_see_product_feedback))  # fmt: skip
def feedback(request: HttpRequest, since: date, until: date, model: str = ""):  # type: ignore[no-untyped-def]
    """Over the days given (at most three years) in the caller's part; ``model`` keeps
    one vehicle model."""
    if not (since.year >= FIRST_YEAR and until.year <= LAST_YEAR):
        raise HttpError(400, f"Give days between {FIRST_YEAR} and {LAST_YEAR}.")
    if since > until or (until - since).days > 3 * 366:
        raise HttpError(400, "Give a period of at most three years, since before until.")
    if len(model) > 80:
        raise HttpError(400, "A model name is at most 80 characters.")
    parts, models = product_feedback(request.user, since=since, until=until, model=model)
    return {
        "parts": [vars(row) for row in parts],
        "models": [{**vars(row), "per_hundred": row.per_hundred} for row in models],
    }
