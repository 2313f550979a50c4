"""Personas and a small network shared by the suite.

The network: HQ → North (stores A and B) and East (store C); each store has a
service department. Personas are named by who they are, not by what they test.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from manyi.customers.services import customer_create, event_create
from manyi.org.models import Role, Staff, Unit
from manyi.org.services import staff_create, unit_create

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Survey fixtures (a published CSI questionnaire, a programme…) serve the API tests too.
pytest_plugins = [
    "tests.surveys.fixtures",
    "tests.analytics.report_fixtures",
    "tests.improve.inspection_fixtures",
    "tests.people.scorecard_fixtures",
    "tests.privacy.fixtures",
]


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    """The suite runs on SQLite, then again on PostgreSQL (``make test``). The second
    pass runs only what can differ there — every test that touches the database —
    and not the browser journeys or the tests marked ``once`` (the permission walk)."""
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    kept, dropped = [], []
    for item in items:
        touches = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        touches = touches or item.get_closest_marker("django_db") is not None
        once = item.get_closest_marker("once") or item.get_closest_marker("browser")
        (kept if touches and not once else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.AXES_ENABLED = False
    # Sign-in with a second factor is tested on its own (tests/web/test_two_factor.py).
    settings.TWO_FACTOR_ROLES = []
    # Every persona has a password: hashing each with the production hasher's million
    # rounds took seconds a test. Tests check who may do what, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Live home cards drawn at every visit: tests change data behind the pages' back, as
    # another person would (tests/web/test_home.py keeps them where that is the story).
    settings.HOME_LIVE_SECONDS = 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    from django.core.cache import cache

    cache.clear()  # rate limits and progress counters start afresh in every test


class Network:
    """Handles on the units of the test network."""

    def __init__(self) -> None:
        self.hq = unit_create(
            actor=None, code="HQ", name="Group HQ", level="hq", kind="headquarters"
        )
        self.north = unit_create(
            actor=None,
            code="R-N",
            name="North",
            level="region",
            kind="region_office",
            parent=self.hq,
        )
        self.east = unit_create(
            actor=None,
            code="R-E",
            name="East",
            level="region",
            kind="region_office",
            parent=self.hq,
        )
        self.store_a = unit_create(
            actor=None, code="S-A", name="Store A", level="store", kind="dealer", parent=self.north
        )
        self.store_b = unit_create(
            actor=None, code="S-B", name="Store B", level="store", kind="dealer", parent=self.north
        )
        self.store_c = unit_create(
            actor=None, code="S-C", name="Store C", level="store", kind="dealer", parent=self.east
        )
        self.service_a = unit_create(
            actor=None,
            code="S-A-SV",
            name="Store A service",
            level="department",
            kind="service_department",
            parent=self.store_a,
        )


@pytest.fixture
def no_quiet_hours(db) -> None:
    """A network that keeps no quiet hours: what is queued now goes now, whatever the
    hour the suite runs at."""
    from manyi.customers.models import ContactPolicy

    ContactPolicy.objects.update_or_create(
        pk=1, defaults={"quiet_from": "00:00", "quiet_until": "00:00"}
    )


@pytest.fixture
def network(db) -> Network:
    return Network()


def _person(username: str, unit: Unit, role: str, **extra) -> Staff:
    return staff_create(
        actor=None,
        username=username,
        full_name=username.title(),
        unit=unit,
        role=role,
        password="a-long-test-password",
        **extra,
    )


@pytest.fixture
def admin(network) -> Staff:
    return _person("ada_admin", network.hq, Role.ADMIN)


@pytest.fixture
def hq_analyst(network) -> Staff:
    return _person("hana_hq", network.hq, Role.HQ_ANALYST)


@pytest.fixture
def north_manager(network) -> Staff:
    return _person("nick_north", network.north, Role.REGION_MANAGER)


@pytest.fixture
def store_a_manager(network) -> Staff:
    return _person("amy_store_a", network.store_a, Role.STORE_MANAGER, code="A-00")


@pytest.fixture
def store_b_manager(network) -> Staff:
    return _person("ben_store_b", network.store_b, Role.STORE_MANAGER, code="B-00")


@pytest.fixture
def advisor_a(network) -> Staff:
    return _person(
        "alan_advisor", network.service_a, Role.ADVISOR, code="A-01", position="service_advisor"
    )


@pytest.fixture
def hui(network) -> Staff:
    """Hui, a case handler of store A: may grant up to 200 yuan on her own."""
    return _person("hui_handler", network.store_a, Role.CASE_HANDLER)


@pytest.fixture
def agent(network) -> Staff:
    """Zhou, a call-centre agent of the North region: phone interviews and callbacks."""
    return _person("zhou_agent", network.north, Role.AGENT, position="call_agent")


@pytest.fixture
def customer_a(network):
    return customer_create(
        actor=None,
        external_id="C-A1",
        unit=network.store_a,
        name="Li Ming",
        phone="13812345678",
        email="liming@example.com",
        id_number="110101199001011234",
    )


@pytest.fixture
def customer_b(network):
    return customer_create(
        actor=None, external_id="C-B1", unit=network.store_b, name="Wang Fang", phone="13987654321"
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def event_a(network, customer_a):
    return event_create(
        actor=None,
        external_id="RO-A1",
        kind="maintenance",
        unit=network.store_a,
        customer=customer_a,
        opened_at=at("2026-03-02 09:30"),
        closed_at=at("2026-03-02 15:00"),
        amount=Decimal("860.00"),
    )


@pytest.fixture
def api_as(client):
    """The test client speaking to the API with a fresh token of ``staff``."""
    from manyi.api.auth import api_token_create

    def make(staff):
        _token, raw = api_token_create(actor=None, staff=staff, name="DMS sync")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return make
