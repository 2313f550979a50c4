"""The standards library as Hana (headquarters) keeps it: steps of the service cycle, a
standard with the survey items that measure it, a revision with its reason (the first
wording stays), a retirement; Amy (a store manager) reads them but writes none."""

import pytest
from django.urls import reverse

from manyi.audit.models import AuditEntry
from manyi.improve.models import Standard
from manyi.improve.selectors.standards import standard_list
from manyi.improve.services.standards import (
    StandardError,
    service_step_save,
    standard_create,
    standard_retire,
    standard_revise,
)


@pytest.fixture
def covers(hq_analyst, programme):
    reception = service_step_save(actor=hq_analyst, code="reception", name="接待",
                                  name_en="Reception", order=2)  # fmt: skip
    return standard_create(
        actor=hq_analyst, step=reception, code="reception-covers", kind="process",
        standard_class="basic", title="Protective covers in front of the customer",
        items=["SQ3"],
    )  # fmt: skip


def test_a_revision_is_a_new_version_and_the_first_wording_stays(covers, hq_analyst):
    standard_revise(actor=hq_analyst, standard=covers, reason="Covers for the floor too",
                    title="Seat, wheel and floor covers in front of the customer",
                    items=["SQ3", "SA1"], standard_class="basic", kind="process")  # fmt: skip
    versions = list(standard_list().get(pk=covers.pk).versions.all())
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].items == ["SQ3", "SA1"] and versions[1].title.startswith("Protective")
    assert versions[0].reason == "Covers for the floor too"
    assert AuditEntry.objects.filter(action__startswith="standard.").count() == 2


def test_bad_standards_are_refused_with_a_reason(covers, hq_analyst, store_a_manager):
    step = covers.step
    with pytest.raises(StandardError, match="Only headquarters"):
        standard_create(actor=store_a_manager, step=step, code="x", kind="people",
                        standard_class="basic", title="Smile")  # fmt: skip
    with pytest.raises(StandardError, match="No questionnaire asks PARKING"):
        standard_create(actor=hq_analyst, step=step, code="x", kind="people",
                        standard_class="basic", title="Smile", items=["PARKING"])  # fmt: skip
    with pytest.raises(StandardError, match="Another standard"):
        standard_create(actor=hq_analyst, step=step, code="reception-covers", kind="people",
                        standard_class="basic", title="Smile")  # fmt: skip
    with pytest.raises(StandardError, match="Say why"):
        standard_revise(actor=hq_analyst, standard=covers, reason=" ", title="Covers")


def test_a_retired_standard_leaves_the_library_but_keeps_its_versions(covers, hq_analyst):
    standard_retire(actor=hq_analyst, standard=covers, reason="Part of the new reception one")
    assert not standard_list().exists()
    assert standard_list(retired=True).get().versions.count() == 1


def test_headquarters_writes_one_on_screen_and_a_store_reads_it(client, covers, hq_analyst,
                                                                store_a_manager):  # fmt: skip
    client.force_login(hq_analyst)
    answer = client.post(reverse("improve:standard_new"), {
        "step": covers.step.pk, "code": "reception-greeting", "title": "Greeted within 2 minutes",
        "items": "SI2， SA1", "kind": "people", "standard_class": "basic",
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:1500]
    made = Standard.objects.get(code="reception-greeting")
    assert made.versions.get().items == ["SI2", "SA1"]
    client.force_login(store_a_manager)
    page = client.get(reverse("improve:standards"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Greeted within 2 minutes" in page.content.decode() and "接待" in page.content.decode()
    assert client.get(reverse("improve:standard_new")).status_code == 403


def test_the_api_lists_and_revises_standards(api_as, covers, hq_analyst, store_a_manager):
    rows = api_as(store_a_manager).get("/api/v1/improve/standards?step=reception").json()
    assert rows[0]["code"] == "reception-covers" and rows[0]["items"] == ["SQ3"]
    revised = api_as(hq_analyst).post(
        f"/api/v1/improve/standards/{covers.pk}/revisions",
        {"title": "Covers", "reason": "Shorter", "kind": "process", "standard_class": "basic",
         "items": ["SQ3"]}, content_type="application/json",
    )  # fmt: skip
    assert revised.status_code == 201 and revised.json()["version"] == 2
    refused = api_as(store_a_manager).post(
        f"/api/v1/improve/standards/{covers.pk}/revisions", {}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_a_commitment_is_published_on_the_stores_public_page(client, covers, hq_analyst, network):
    standard_revise(actor=hq_analyst, standard=covers, reason="Published", title=
                    "Your car protected with seat, wheel and floor covers", items=["SQ3"],
                    customer_visible=True)  # fmt: skip
    page = client.get(reverse("public_case", args=[network.store_a.code])).content.decode()
    assert "Your car protected with seat, wheel and floor covers" in page
    standard_retire(actor=hq_analyst, standard=covers, reason="Replaced")
    page = client.get(reverse("public_case", args=[network.store_a.code])).content.decode()
    assert "Your car protected" not in page


def test_a_revision_over_the_api_keeps_what_it_leaves_out(api_as, covers, hq_analyst):
    standard_revise(actor=hq_analyst, standard=covers, reason="Published", title="Covers",
                    customer_visible=True)  # fmt: skip
    answer = api_as(hq_analyst).post(f"/api/v1/improve/standards/{covers.pk}/revisions",
                                     {"title": "Covers, always", "reason": "Wording"},
                                     content_type="application/json")  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["customer_visible"] is True and answer.json()["items"] == ["SQ3"]


def test_a_retired_standard_is_neither_revised_nor_retired_again(covers, hq_analyst):
    standard_retire(actor=hq_analyst, standard=covers, reason="Replaced")
    with pytest.raises(StandardError, match="retired already"):
        standard_retire(actor=hq_analyst, standard=covers, reason="Again")
    with pytest.raises(StandardError, match="not revised"):
        standard_revise(actor=hq_analyst, standard=covers, reason="Late", title="Covers")


def test_steps_with_the_same_order_are_listed_once_each(client, covers, hq_analyst):
    # Codes interleave across the two steps: reception-covers, reception-m (booking), reception-z.
    booking = service_step_save(actor=hq_analyst, code="booking", name="预约", order=2)
    standard_create(actor=hq_analyst, step=booking, code="reception-m", kind="process",
                    standard_class="basic", title="Calls answered in three rings")  # fmt: skip
    standard_create(actor=hq_analyst, step=covers.step, code="reception-z", kind="people",
                    standard_class="basic", title="Smile")  # fmt: skip
    client.force_login(hq_analyst)
    page = client.get(reverse("improve:standards")).content.decode()
    assert page.count('data-testid="step-standards"') == 2
