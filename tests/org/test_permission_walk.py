"""Every URL and every API operation, for every role: the decision the role table implies.

The world is built once for the module: the test network, one person per role (the
agent sits at HQ, as in the demo), and one of each thing a URL can point at, all in
store A. Each request runs in a savepoint rolled back afterwards, so a POST that
changes something leaves the next request the same world.

A page or operation without a declared permission fails the first tests; a role
refused where the table says yes (or let in where it says no) fails the walks.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from manyi.api.auth import api_token_create
from manyi.api.urls import api
from manyi.care.models import Callback, CareRule, ChurnRisk
from manyi.care.services import callbacks_schedule, care_rule_save
from manyi.care.winback import winback_open
from manyi.cases.compensation import compensation_propose
from manyi.cases.services import case_open
from manyi.customers.services import customer_create, event_create
from manyi.imports.models import ImportJob
from manyi.improve.services.actions import action_open, action_task_add
from manyi.improve.services.standards import service_step_save, standard_create
from manyi.improve.services.targets import target_set
from manyi.org.models import Role, Staff
from manyi.org.permissions import CAPABILITIES, PUBLIC, Capability, role_table_markdown
from manyi.org.services import staff_create
from manyi.surveys.models import AlertRule, Wave
from manyi.surveys.services import (
    invitation_create,
    open_link_create,
    programme_create,
    questionnaire_create,
    questionnaire_publish,
    response_submit,
)
from tests.conftest import Network, at
from tests.surveys.fixtures import GOOD_ANSWERS

# Which role may do what does not depend on the database engine: walked once.
pytestmark = pytest.mark.once
PASSWORD = "a-long-test-password"
ROLES = [role.value for role in Role]


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> list[tuple]:
    """(route, name, view) of every URL pattern below ``resolvers``, the admin site's aside."""
    found = []
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/v1/")):
                continue
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            found.append((route, f"{namespace}{entry.name}", entry.callback))
    return found


PAGES = _patterns(get_resolver().url_patterns)
OPERATIONS = [
    (method, path, operation)
    for _prefix, router in api._routers
    for path, path_view in router.path_operations.items()
    for operation in path_view.operations
    for method in operation.methods
]


def _declared(operation: Any) -> Capability | None:
    needed = [getattr(auth, "needed", None) for auth in operation.auth_callbacks or []]
    return needed[0] if needed else None


def test_every_page_declares_its_permission():
    missing = [route for route, _name, view in PAGES if not hasattr(view, "permission")]
    assert missing == []


def test_every_api_operation_declares_its_permission():
    missing = [f"{m} {path}" for m, path, op in OPERATIONS if _declared(op) is None]
    assert missing == []
    assert len(OPERATIONS) > 40


def test_the_readme_table_is_the_code():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- permissions:start -->\n(.*?)\n<!-- permissions:end -->", readme, re.S)
    from django.utils import translation

    with translation.override("en"):
        assert block is not None and block.group(1) == role_table_markdown()


@pytest.mark.parametrize(
    ("page", "route"),
    [
        ("surveys:programmes", "/programmes"),
        ("surveys:questionnaires", "/questionnaires"),
        ("customers:list", "/customers"),
        ("customers:events", "/events"),
        ("org:units", "/units"),
        ("org:staff", "/staff"),
        ("cases:queue", "/cases"),
        ("analytics:dashboard", "/analytics/csi"),
    ],
)
def test_a_screen_and_its_api_ask_the_same(page, route):
    views = {name: view for _route, name, view in PAGES}
    operations = {path: op for method, path, op in OPERATIONS if method == "GET"}
    assert views[page].permission is _declared(operations[route])


# --- the world ------------------------------------------------------------------------
class World:
    def __init__(self) -> None:
        net = self.network = Network()
        homes = {
            Role.ADMIN: net.hq,
            Role.HQ_ANALYST: net.hq,
            Role.REGION_MANAGER: net.north,
            Role.STORE_MANAGER: net.store_a,
            Role.ADVISOR: net.service_a,
            Role.CASE_HANDLER: net.store_a,
            Role.AGENT: net.hq,
        }
        self.people = {
            role.value: staff_create(
                actor=None,
                username=f"walk_{role.value}",
                full_name=str(role.label),
                unit=unit,
                role=role,
                password=PASSWORD,
                code=f"W-{role.value}",
            )
            for role, unit in homes.items()
        }
        hq = self.people[Role.HQ_ANALYST]
        self.customer = customer_create(
            actor=None,
            external_id="WALK-C1",
            unit=net.store_a,
            name="Li Ming",
            phone="13812345678",
        )
        self.event = event_create(
            actor=None,
            external_id="WALK-E1",
            kind="maintenance",
            unit=net.store_a,
            customer=self.customer,
            opened_at=at("2026-03-02 09:30"),
            closed_at=at("2026-03-02 15:00"),
        )
        questionnaire = questionnaire_create(
            actor=hq, code="walk-csi", name="CSI", template="csi_5_factor"
        )
        self.questionnaire = questionnaire
        version = questionnaire_publish(actor=hq, questionnaire=questionnaire)
        self.programme = programme_create(
            actor=hq,
            code="walk",
            name="Walk",
            version=version,
            units=[net.north],
            channels=["sms", "phone"],
        )
        self.call = invitation_create(
            programme=self.programme,
            customer=self.customer,
            event=self.event,
            channel="phone",
            address="",
        )
        answered = invitation_create(
            programme=self.programme, customer=self.customer, channel="link", address=""
        )
        self.response = response_submit(
            token=answered.token, answers={**GOOD_ANSWERS, "OVERALL": 1}
        )
        self.alert = self.response.alerts.first()  # OVERALL = 1 trips the usual rule
        self.wave = Wave.objects.filter(programme=self.programme).first()
        self.rule = AlertRule.objects.filter(programme=self.programme).first()
        self.link = open_link_create(actor=hq, programme=self.programme, unit=net.store_a)
        self.case = case_open(
            actor=None,
            kind="complaint",
            unit=net.store_a,
            subject="Scratched door",
            channel="phone",
            customer=self.customer,
        )
        self.compensation = compensation_propose(
            actor=self.people[Role.CASE_HANDLER],
            case=self.case,
            kind="voucher",
            amount=Decimal("500"),
        )
        self.job = ImportJob.objects.create(
            kind="customers",
            created_by=self.people[Role.ADMIN],
            original_name="c.csv",
            status="done",  # committing it again is refused, with no file to read
        )
        self.care_rule = care_rule_save(
            actor=hq, code="walk-care", name="Callback", event_kinds=["maintenance"]
        )
        CareRule.objects.filter(pk=self.care_rule.pk).update(created_at=at("2026-03-01 00:00"))
        callbacks_schedule(now=at("2026-03-03 10:00"))
        self.callback = Callback.objects.get(event=self.event)
        self.risk = ChurnRisk.objects.create(
            customer=self.customer, unit=self.network.store_a, tier="lightweight", tier_rank=3,
            p_alive=0.3, expected_visits=0.4, visits=2, last_visit=date(2026, 1, 5),
            interval_days=90, reasons=["overdue"], reason_count=1,
            refreshed_on=date(2026, 3, 3),
        )  # fmt: skip
        self.winback = winback_open(actor=self.people[Role.STORE_MANAGER], risk=self.risk)
        self.target = target_set(
            actor=hq, programme=self.programme, unit=self.network.store_a, variable="@index",
            since=date(2026, 1, 1), until=date(2026, 6, 1), value=Decimal("800"),
        )  # fmt: skip
        manager = self.people[Role.STORE_MANAGER]
        self.action = action_open(
            actor=manager, unit=self.network.store_a, title="Explain the work first",
            owner=manager, due_on=date.today() + timedelta(days=30),
        )  # fmt: skip
        self.task = action_task_add(actor=manager, plan=self.action, title="Brief the advisors",
                                    due_on=date.today() + timedelta(days=7))  # fmt: skip
        step = service_step_save(actor=hq, code="reception", name="接待", order=1)
        self.standard = standard_create(
            actor=hq, step=step, code="reception-smile", kind="people",
            standard_class="basic", title="Smile",
        )  # fmt: skip
        self.tokens = {
            role: api_token_create(actor=None, staff=person, name="walk")
            for role, person in self.people.items()
        }

    def kwargs(self, name: str, wanted: list[str]) -> dict[str, Any]:
        """Values for a URL's arguments: the world's object of that page, else one that
        does not exist (the page then answers 404, which still shows it let the role in)."""
        objects = {
            "org:unit": self.network.store_a,
            "org:unit_edit": self.network.store_a,
            "org:staff_edit": self.people[Role.ADVISOR],
            "org:staff_password": self.people[Role.ADVISOR],
            "customers:event": self.event,
            "imports:detail": self.job,
            "imports:commit": self.job,
            "surveys:questionnaire": self.questionnaire,
            "surveys:invitation": self.call,
            "surveys:invitation_qr": self.call,
            "surveys:call": self.call,
            "surveys:response": self.response,
            "surveys:alert_acknowledge": self.alert,
            "surveys:open_link_qr": self.link,
            "analytics:advisor": self.people[Role.ADVISOR],
            "cases:compensation_act": self.compensation,
            "api_tokens:revoke": self.tokens[Role.ADMIN][0],
            "care:callback": self.callback,
            "care:rule_edit": self.care_rule,
            "care:winback": self.winback,
            "care:winback_start": self.risk,
            "improve:target_remove": self.target,
        }
        if name.startswith("improve:action"):
            objects[name] = self.action
        if name.startswith("improve:standard"):
            objects[name] = self.standard
        values: dict[str, Any] = {}
        for arg in wanted:
            if arg == "pk":
                found = objects.get(name)
                if found is None and name.startswith("customers:"):
                    found = self.customer
                elif found is None and name.startswith("cases:"):
                    found = self.case
                elif found is None and name.startswith("surveys:"):
                    found = (
                        self.questionnaire
                        if "item" in name
                        or name
                        in (
                            "surveys:weights",
                            "surveys:draft_json",
                            "surveys:publish",
                            "surveys:preview",
                        )
                        else self.programme
                    )
                values[arg] = found.pk if found is not None else 999999
            else:
                values[arg] = {
                    "contact_pk": self.customer.contacts.first().pk,
                    "rule": self.rule.pk,
                    "wave": self.wave.pk,
                    "code": "SQ1",
                    "token": self.call.token,
                    "kind": "customers",
                    "fmt": "csv",
                    "tab": "drivers",
                    "what": "nothing",
                    "action": "nothing",
                    "file_pk": 999999,
                    "task_pk": self.task.pk,
                }.get(arg, 999999)
        if name == "public_case":
            values["code"] = self.network.store_a.code
        return values


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = World()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_background_work(settings):
    # A PDF export asked for in the walk is queued, not rendered.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _fill(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def _request(client: Client, method: str, url: str, **extra: Any) -> Any:
    """One request in a savepoint rolled back afterwards; the session cookie is kept, so
    a walk past the sign-out page goes on signed in."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    with transaction.atomic():
        response = getattr(client, method)(url, **extra)
        transaction.set_rollback(True)
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session.value
    return response


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_page_answers_each_role_as_the_table_says(world, db, role):
    client = Client(raise_request_exception=True)
    user = world.people.get(role)
    if user is not None:
        client.force_login(user)
    wrong = []
    for route, name, view in PAGES:
        if route.startswith(("static/", "media/")):
            continue
        args = re.findall(r"<(?:\w+:)?(\w+)>", route)
        url = _fill(route, world.kwargs(name, args))
        response = _request(client, "get", url)
        if response.status_code == 405:
            response = _request(client, "post", url)
        needed: Capability = view.permission
        status = response.status_code
        if needed is PUBLIC:
            ok = status not in (401, 403) and status < 500
        elif user is None:
            ok = status == 302 and "/login/" in response["Location"]
        elif needed(user):
            sent_away = status == 302 and "/login/" in response["Location"]
            ok = status != 403 and status < 500 and not sent_away
        else:
            ok = status == 403
        if not ok:
            wrong.append(f"{url} ({needed.name}): {status}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_answers_each_role_as_the_table_says(world, db, role):
    user: Staff = world.people[role]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role][1]}")
    holds_token = CAPABILITIES["use_api"](user)
    wrong = []
    for method, path, operation in OPERATIONS:
        args = re.findall(r"\{(?:\w+:)?(\w+)\}", path)
        values = {
            arg: {
                "customer_id": world.customer.pk,
                "event_id": world.event.pk,
                "unit_id": world.network.store_a.pk,
                "version_id": world.programme.version_id,
                "programme_id": world.programme.pk,
                "invitation_id": world.call.pk,
                "response_id": world.response.pk,
                "case_id": world.case.pk,
                "rule_id": world.care_rule.pk,
                "callback_id": world.callback.pk,
                "risk_id": world.risk.pk,
                "winback_id": world.winback.pk,
                "target_id": world.target.pk,
                "action_id": world.action.pk,
                "task_id": world.task.pk,
                "standard_id": world.standard.pk,
                "inspection_id": 999999,
                "period_id": 999999,
                "card_id": 999999,
            }[arg]
            for arg in args
        }
        url = "/api/v1" + re.sub(r"\{(?:\w+:)?(\w+)\}", "{}", path).format(*values.values())
        body = {} if method in ("POST", "PATCH") else None
        extra = {"data": body, "content_type": "application/json"} if body is not None else {}
        response = _request(client, method.lower(), url, **extra)
        status = response.status_code
        if not holds_token:
            ok = status == 401
        elif _declared(operation)(user):
            ok = status not in (401, 403) and status < 500
        else:
            ok = status == 403
        if not ok:
            wrong.append(f"{method} {url} ({_declared(operation).name}): {status}")
    assert wrong == [], "\n".join(wrong)
