"""Reads of the standards library: the standards in force by step, each with its current
version, and the survey items a standard can name."""

from django.db.models import Prefetch, QuerySet

from manyi.analytics.cells import variables
from manyi.improve.models import ServiceStep, Standard, StandardVersion
from manyi.surveys.models import Programme
from manyi.surveys.versions import definition_of


def standard_list(
    *, step: str = "", kind: str = "", standard_class: str = "", retired: bool = False
) -> QuerySet[Standard]:
    """Standards (in force unless ``retired``), by step, each with its versions newest
    first (``standard.versions.all()[0]`` is the current one)."""
    found = Standard.objects.select_related("step").prefetch_related(
        Prefetch("versions", queryset=StandardVersion.objects.select_related("created_by"))
    )
    found = found.order_by("step__order", "step_id", "code")  # one group per step
    if not retired:
        found = found.filter(is_active=True)
    if step:
        found = found.filter(step__code=step)
    if kind:
        found = found.filter(kind=kind)
    if standard_class:
        found = found.filter(standard_class=standard_class)
    return found


def step_list() -> QuerySet[ServiceStep]:
    return ServiceStep.objects.all()


def item_texts(language: str) -> dict[str, str]:
    """The items the programmes' questionnaires ask: code → the item in the reader's
    language (the first programme's wording where two ask one code)."""
    texts: dict[str, str] = {}
    for version_id in Programme.objects.order_by("pk").values_list("version_id", flat=True):
        for item in definition_of(version_id).items:
            texts.setdefault(item.code, item.text.get(language))
    return texts


def known_items() -> set[str]:
    """The item codes the programmes' questionnaires ask."""
    return set(item_texts("en"))


def rated_items() -> set[str]:
    """The item codes the programmes' questionnaires ask on a scale (with a mean)."""
    codes: set[str] = set()
    for version_id in Programme.objects.values_list("version_id", flat=True).distinct():
        codes.update(variables(definition_of(version_id)))
    return {code for code in codes if not code.startswith(("@", "factor:", "gap:"))}


def commitments() -> list[tuple[ServiceStep, str]]:
    """The standards in force marked as commitments to customers, each step's in order,
    in their current wording: what a store's public page promises."""
    return [
        (standard.step, standard.versions.all()[0].title)
        for standard in standard_list().filter(customer_visible=True)
    ]
