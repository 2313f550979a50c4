"""Hana (HQ) must sign in with a code from her phone as well as her password; Alan (a
service advisor) may choose to; Ada (the administrator) helps whoever lost both phone
and recovery codes. The codes are computed here from RFC 6238 itself, not by the
library manyi uses."""

import hmac
import re
import struct
import time
from base64 import b32decode

import pytest

from manyi.audit.models import AuditEntry
from manyi.org.two_factor import TwoFactorError, two_factor_off

PASSWORD = "a-long-test-password"


def totp(secret: str, at: float | None = None, step: int = 30) -> str:
    """RFC 6238: HOTP (RFC 4226, HMAC-SHA1, dynamic truncation) of the 30-second counter."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(b32decode(secret), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_the_rfc_6238_reference_code():
    # RFC 6238 appendix B: key "12345678901234567890", T = 59 s → 94287082 (8 digits).
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp(secret, at=59) == "287082"


@pytest.fixture
def two_factor_for_hq(settings):
    settings.TWO_FACTOR_ROLES = ["admin", "hq_analyst"]


def _sign_in(client, user) -> str:
    answer = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302
    home = client.get("/")
    return home.url if home.status_code == 302 else ""


def _set_up(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor/")
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7]+)<', page.text).group(1)
    done = client.post("/account/two-factor/", {"code": totp(secret)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.text)
    return secret, codes


def test_hq_is_sent_to_set_up_two_factor_sign_in_before_anything_else(
    client, hq_analyst, two_factor_for_hq
):
    assert _sign_in(client, hq_analyst) == "/account/two-factor/?next=%2F"
    assert client.get("/customers/").status_code == 302
    page = client.get("/account/two-factor/")
    assert "data:image/svg+xml" in page.text and "Your role signs in" in page.text
    secret, codes = _set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/customers/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor_on", object_id=str(hq_analyst.pk)).exists()
    assert secret not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_wrong_first_code_leaves_it_off(client, hq_analyst, two_factor_for_hq):
    _sign_in(client, hq_analyst)
    client.get("/account/two-factor/")
    refused = client.post("/account/two-factor/", {"code": "000000"})
    assert "That code is not right" in refused.text
    assert client.get("/customers/").status_code == 302


def test_the_next_sign_in_asks_for_a_code_and_refuses_a_wrong_or_reused_one(
    client, hq_analyst, two_factor_for_hq
):
    _sign_in(client, hq_analyst)
    secret, _codes = _set_up(client)
    client.post("/logout/")
    assert _sign_in(client, hq_analyst) == "/account/two-factor/verify/?next=%2F"
    wrong = client.post("/account/two-factor/verify/", {"code": "123456", "next": "/cases/"})
    assert "That code is not right" in wrong.text
    # The code she set up with was used already in this 30-second window: not again.
    used = client.post("/account/two-factor/verify/", {"code": totp(secret), "next": "/cases/"})
    assert used.status_code == 200 and client.get("/cases/").status_code == 302
    time.sleep(2.1)  # each wrong code doubles the wait before the next is tried
    later = totp(secret, at=time.time() + 30)  # the app's next code (within the drift)
    passed = client.post("/account/two-factor/verify/", {"code": later, "next": "/cases/"})
    assert passed.url == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_recovery_code_signs_in_once(client, hq_analyst, two_factor_for_hq):
    _sign_in(client, hq_analyst)
    _secret, codes = _set_up(client)
    client.post("/logout/")
    _sign_in(client, hq_analyst)
    assert client.post("/account/two-factor/verify/", {"code": codes[0]}).url == "/"
    client.post("/logout/")
    _sign_in(client, hq_analyst)
    again = client.post("/account/two-factor/verify/", {"code": codes[0]})
    assert "That code is not right" in again.text
    used = AuditEntry.objects.get(action="two_factor_recovery_code_used")
    assert used.changes == {"left": 9}
    assert codes[0] not in str(used.changes)


def test_an_off_site_next_is_not_followed(client, hq_analyst, two_factor_for_hq):
    _sign_in(client, hq_analyst)
    secret, _codes = _set_up(client)
    client.post("/logout/")
    _sign_in(client, hq_analyst)
    answer = client.post(
        "/account/two-factor/verify/",
        {"code": totp(secret, at=time.time() + 30), "next": "https://evil.example/"},
    )
    assert answer.url == "/"


def test_an_advisor_is_not_asked_but_may_choose_it_and_turn_it_off(
    client, advisor_a, two_factor_for_hq
):
    assert _sign_in(client, advisor_a) == ""  # no detour to the set-up
    assert "Set up two-factor sign-in" in client.get("/me/").text
    secret, _codes = _set_up(client)
    assert "Two-factor sign-in: on" in client.get("/me/").text
    client.post("/account/two-factor/off/", {"off-code": "000000"})  # a stolen session
    assert "Two-factor sign-in: on" in client.get("/me/").text
    time.sleep(1.1)  # the wait after a wrong code
    client.post("/account/two-factor/off/", {"off-code": totp(secret, at=time.time() + 30)})
    assert "Set up two-factor sign-in" in client.get("/me/").text
    assert AuditEntry.objects.filter(action="two_factor_off").count() == 1


def test_hq_cannot_turn_it_off_but_the_administrator_can(
    client, hq_analyst, admin, advisor_a, two_factor_for_hq
):
    _sign_in(client, hq_analyst)
    _set_up(client)
    with pytest.raises(TwoFactorError, match="requires"):
        two_factor_off(actor=hq_analyst, staff=hq_analyst)
    with pytest.raises(TwoFactorError, match="administrator"):
        two_factor_off(actor=advisor_a, staff=hq_analyst)
    # Hana lost her phone and her codes: Ada turns it off from Hana's staff page.
    client.post("/logout/")
    _sign_in(client, admin)
    _set_up(client)  # Ada's own second factor first
    edit = client.get(f"/org/staff/{hq_analyst.pk}/edit/")
    assert 'data-testid="two-factor-off"' in edit.text
    client.post(f"/org/staff/{hq_analyst.pk}/two-factor-off/")
    client.post("/logout/")
    assert _sign_in(client, hq_analyst) == "/account/two-factor/?next=%2F"  # set up anew
    reset = AuditEntry.objects.get(action="two_factor_off")
    assert reset.actor_id == admin.pk and reset.object_id == str(hq_analyst.pk)


def test_new_recovery_codes_replace_the_old(client, advisor_a):
    _sign_in(client, advisor_a)
    secret, old = _set_up(client)
    renewed = client.post("/account/two-factor/codes/", {"code": totp(secret, at=time.time() + 30)})
    new = re.findall(r"<li><code>(\w+)</code></li>", renewed.text)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout/")
    _sign_in(client, advisor_a)
    assert "not right" in client.post("/account/two-factor/verify/", {"code": old[1]}).text
    time.sleep(1.1)  # the wait after a wrong code
    assert client.post("/account/two-factor/verify/", {"code": new[1]}).url == "/"


def test_wrong_codes_are_counted_audited_and_stopped_after_ten(
    client, hq_analyst, two_factor_for_hq
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _sign_in(client, hq_analyst)
    secret, _codes = _set_up(client)
    client.post("/logout/")
    _sign_in(client, hq_analyst)
    for _n in range(9):  # with the code of the set-up, ten tries
        client.post("/account/two-factor/verify/", {"code": "000000"})
    assert TOTPDevice.objects.get(user=hq_analyst).throttling_failure_count > 0
    assert AuditEntry.objects.filter(action="two_factor_failed").count() == 9
    # The right code is refused too now: guessing a million codes is not an option.
    stopped = client.post(
        "/account/two-factor/verify/", {"code": totp(secret, at=time.time() + 30)}
    )
    assert "Too many codes" in stopped.text


def test_a_superuser_must_use_it_whatever_the_role(client, advisor_a, two_factor_for_hq):
    advisor_a.is_superuser = True
    advisor_a.save()
    assert _sign_in(client, advisor_a) == "/account/two-factor/?next=%2F"


def test_with_no_role_required_as_in_the_demo_a_superuser_is_not_asked(client, advisor_a):
    advisor_a.is_superuser = True
    advisor_a.save()
    assert _sign_in(client, advisor_a) == ""
