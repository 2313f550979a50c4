"""API tokens: read-only or read-write, with an expiry, their last use on screen; and
answers that carry personal data are never kept by a cache.

Amy manages store A and connects the dealer system.
"""

from datetime import timedelta

from django.utils import timezone

from manyi.api.auth import api_token_create
from manyi.api.models import ApiToken


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_read_only_token_reads_but_does_not_write(client, store_a_manager, network):
    _token, raw = api_token_create(actor=None, staff=store_a_manager, name="BI", scope="read")
    assert client.get("/api/v1/customers", **_bearer(raw)).status_code == 200
    written = client.post(
        "/api/v1/customers",
        {"external_id": "C1", "name": "Li", "unit_code": "S-A"},
        content_type="application/json",
        **_bearer(raw),
    )
    assert written.status_code == 403


def test_a_token_past_its_expiry_is_refused(client, store_a_manager):
    token, raw = api_token_create(
        actor=None,
        staff=store_a_manager,
        name="DMS",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert client.get("/api/v1/units", **_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/units", **_bearer(raw)).status_code == 401


def test_a_token_issued_on_screen_shows_its_scope_expiry_and_last_use(client, store_a_manager):
    client.force_login(store_a_manager)
    page = client.post(
        "/account/api-tokens/", {"name": "BI", "scope": "read", "expires": "30"}
    ).content.decode()
    token = ApiToken.objects.get()
    assert token.scope == "read"
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    raw = page.split('class="user-select-all">')[1].split("<")[0]
    client.get("/api/v1/units", **_bearer(raw))
    listed = client.get("/account/api-tokens/").content.decode()
    assert "Read only" in listed
    assert timezone.localtime(ApiToken.objects.get().last_used_at).strftime("%Y-%m-%d %H:%M") in (
        listed
    )


def test_pages_and_api_answers_are_not_kept_by_caches(client, store_a_manager, customer_a):
    client.force_login(store_a_manager)
    page = client.get(f"/customers/{customer_a.pk}/")
    assert "no-store" in page["Cache-Control"]
    _token, raw = api_token_create(actor=None, staff=store_a_manager, name="DMS")
    answer = client.get("/api/v1/customers", **_bearer(raw))
    assert "no-store" in answer["Cache-Control"]
