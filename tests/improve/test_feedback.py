"""Product feedback as Hana (headquarters) sends it to the maker: store A's complaint whose
cause is the product names Li Ming's Tiguan and its sunroof drain; a warranty job on the
same car and a brake job on his Lavida name their parts; store B's repair is Ben's, not
Amy's. Per model, the vehicles with trouble per 100 serviced; and the spreadsheet."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from manyi.cases import steps
from manyi.cases.models import Cause
from manyi.cases.services import case_open
from manyi.customers.services import asset_create, event_create
from manyi.errors import DomainError
from manyi.improve.selectors.feedback import product_feedback
from tests.conftest import at

MARCH = {"since": date(2026, 3, 1), "until": date(2026, 3, 31)}


@pytest.fixture
def garage(network, customer_a, customer_b, hui):
    tiguan = asset_create(actor=None, customer=customer_a, external_id="V-1", model_name="Tiguan")
    lavida = asset_create(actor=None, customer=customer_a, external_id="V-2", model_name="Lavida")
    other = asset_create(actor=None, customer=customer_b, external_id="V-3", model_name="Tiguan")
    for number, (kind, unit, customer, asset, part) in enumerate([
        ("warranty", network.store_a, customer_a, tiguan, "Sunroof drain"),
        ("repair", network.store_a, customer_a, lavida, "=Brake pads"),
        ("maintenance", network.store_a, customer_a, lavida, ""),
        ("repair", network.store_b, customer_b, other, "Sunroof drain"),
    ]):  # fmt: skip
        event_create(actor=None, external_id=f"RO-{number}", kind=kind, unit=unit,
                     customer=customer, asset=asset, part=part,
                     opened_at=at("2026-03-05 10:00"))  # fmt: skip
    case = case_open(actor=hui, kind="complaint", unit=network.store_a, customer=customer_a,
                     subject="Water on the seat", channel="phone",
                     opened_at=at("2026-03-06 09:00"))  # fmt: skip
    return steps.case_analyse(actor=hui, case=case, cause=Cause.objects.get(code="product"),
                              body="Drain blocked", asset=tiguan, part="Sunroof drain")  # fmt: skip


def test_cases_and_repairs_add_up_per_model_and_part(garage, store_a_manager, hq_analyst):
    parts, models = product_feedback(store_a_manager, **MARCH)
    assert [(r.model, r.part, r.cases, r.repairs, r.vehicles) for r in parts] == [
        ("Tiguan", "Sunroof drain", 1, 1, 1), ("Lavida", "=Brake pads", 0, 1, 1),
    ]  # fmt: skip
    # Amy's store serviced one Tiguan and one Lavida, each with trouble: 100 per 100.
    assert [(m.model, m.vehicles, m.serviced, m.per_hundred) for m in models] == [
        ("Tiguan", 1, 1, 100.0), ("Lavida", 1, 1, 100.0),
    ]  # fmt: skip
    parts, models = product_feedback(hq_analyst, **MARCH)
    assert parts[0] == parts[0].__class__("Tiguan", "Sunroof drain", 1, 2, 2)
    assert product_feedback(store_a_manager, since=date(2026, 4, 1), until=date(2026, 4, 30)) == (
        [],
        [],
    )


def test_the_analysis_names_only_the_customers_own_vehicle(garage, hui, customer_b):
    foreign = customer_b.assets.get()
    with pytest.raises(DomainError, match="not the customer's"):
        steps.case_analyse(actor=hui, case=garage, cause=garage.cause, body="Again",
                           asset=foreign, part="Drain")  # fmt: skip


def test_the_makers_spreadsheet_holds_the_records_safely(client, garage, hq_analyst):
    client.force_login(hq_analyst)
    answer = client.get(reverse("improve:product_feedback"),
                        {"since": "2026-03", "until": "2026-03", "format": "xlsx"})  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    summary, records = book.worksheets
    assert [c.value for c in next(summary.iter_rows(min_row=2, max_row=2))][:4] == [
        "Tiguan", "Sunroof drain", 1, 2,
    ]  # fmt: skip
    parts = [row[7].value for row in records.iter_rows(min_row=2)]
    assert sorted(parts) == ["'=Brake pads", "Sunroof drain", "Sunroof drain", "Sunroof drain"]
    assert client.get(reverse("improve:product_feedback"), {"until": "1999-12"}).status_code == 400


def test_the_api_reports_per_model_and_a_store_sees_its_own(api_as, garage, store_a_manager):
    answer = api_as(store_a_manager).get(
        "/api/v1/improve/product-feedback?since=2026-03-01&until=2026-03-31&model=Tiguan"
    )
    assert answer.status_code == 200
    assert answer.json()["parts"] == [{"model": "Tiguan", "part": "Sunroof drain", "cases": 1,
                                       "repairs": 1, "vehicles": 1}]  # fmt: skip


def test_the_api_refuses_days_outside_the_calendar_it_keeps(api_as, garage, hq_analyst):
    client = api_as(hq_analyst)
    for days in ("since=9999-12-31&until=9999-12-31", "since=0001-01-01&until=0001-01-01"):
        assert client.get(f"/api/v1/improve/product-feedback?{days}").status_code == 400
