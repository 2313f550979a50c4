"""A customer tells a store what went wrong on the public form: no login, a case with
deadlines, the text kept inert, robots and floods turned away."""

from django.core.cache import cache

from manyi.cases.models import Case

FORM = {
    "kind": "complaint",
    "subject": "Nobody called me back",
    "description": "I was promised a call on Monday.",
    "name": "Wang Fang",
    "phone": "13900001111",
}


def test_a_customer_complains_without_logging_in(client, network):
    answer = client.post("/tell/S-A/", FORM)
    assert answer.status_code == 200 and 'data-testid="public-case-thanks"' in answer.text
    case = Case.objects.get()
    assert case.unit == network.store_a and case.channel == "web" and case.kind == "complaint"
    assert "+8613900001111" in case.description and case.first_response_due is not None
    assert case.number in answer.text


def test_script_in_the_form_is_stored_as_text_and_shown_escaped(client, network, hq_analyst):
    client.post("/tell/S-A/", {**FORM, "subject": "<img src=x onerror=alert(1)>"})
    case = Case.objects.get()
    assert case.subject == "<img src=x onerror=alert(1)>"
    client.force_login(hq_analyst)
    page = client.get(f"/cases/{case.pk}/")
    assert "<img src=x onerror" not in page.text and "&lt;img src=x" in page.text


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(client, network):
    answer = client.post("/tell/S-A/", {**FORM, "website": "http://spam.example"})
    assert answer.status_code == 200 and not Case.objects.exists()


def test_a_flood_from_one_address_is_stopped(client, network):
    cache.clear()
    codes = [client.post("/tell/S-A/", FORM).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    assert Case.objects.count() == 5


def test_an_unknown_store_or_a_region_has_no_form(client, network):
    assert client.get("/tell/NOPE/").status_code == 404
    assert client.get("/tell/R-N/").status_code == 404
    assert client.get("/tell/S-A/").status_code == 200


def test_missing_or_overlong_answers_are_explained(client, network):
    answer = client.post("/tell/S-A/", {**FORM, "subject": "", "description": "x" * 3001})
    assert answer.status_code == 200 and 'class="problem"' in answer.text
    assert not Case.objects.exists()
