"""Who may do what, in one place.

Each capability is a named predicate — ``may_design_questionnaires(user)`` — asked by
services and selectors, by views, the API and the navigation alike, so a screen, its
API operation, its export and its menu entry never disagree. A view declares the one
it needs with ``@requires(may_…)``; a page open to anyone (a survey form, a signed
hook) says so with ``@public``. ``manyi permissions`` prints the role × capability
table of the README from this module, and the tests check the two agree and walk
every URL and API operation for every role.

What a role may *see* is a separate question, answered by ``org.selectors.visible_units``
(HQ the network, a region its stores, a store itself); ``may_see_unit`` asks it of one
unit.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from manyi.org.models import Role, Unit

ALL_ROLES = frozenset(Role)
ADMIN, HQ, REGION, STORE = Role.ADMIN, Role.HQ_ANALYST, Role.REGION_MANAGER, Role.STORE_MANAGER
ADVISOR, HANDLER, AGENT = Role.ADVISOR, Role.CASE_HANDLER, Role.AGENT
MANAGERS = frozenset({ADMIN, REGION, STORE})
OFFICE = frozenset({ADMIN, HQ, REGION, STORE})  # HQ and the managers of units
STAFF = ALL_ROLES - {AGENT}  # everyone who works on the network's own customers


@dataclass(frozen=True)
class Capability:
    """What some roles may do. Called with a user, it answers whether they may."""

    name: str
    label: Promise
    roles: frozenset[str]
    anonymous: bool = False  # open to anyone, signed in or not

    def __call__(self, user: Any) -> bool:
        if self.anonymous:
            return True
        if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", True)):
            return False
        return bool(user.is_superuser or user.role in self.roles)

    def admits_role(self, role: str) -> bool:
        """Whether the role itself has the capability (for a staff member not yet saved)."""
        return self.anonymous or role in self.roles

    def __str__(self) -> str:
        return str(self.label)


CAPABILITIES: dict[str, Capability] = {}


def capability(name: str, label: Promise, roles: Iterable[str], **extra: Any) -> Capability:
    found = Capability(name, label, frozenset(roles), **extra)
    CAPABILITIES[name] = found
    return found


# --- the capabilities, in the order of the README's table --------------------------
may_use_manyi = capability("use_manyi", _("Sign in: home page, own password"), ALL_ROLES)
may_see_network = capability("see_network", _("See the whole network"), {ADMIN, HQ})
may_lead_units = capability(
    "lead_units",
    _("Home page: their part's figures, the units behind, deadlines and escalations"),
    OFFICE,
)
may_see_own_figures = capability(
    "see_own_figures", _("Home page: the figures of their own customers"), {ADVISOR}
)
may_view_org = capability("view_org", _("Browse units and staff"), OFFICE)
may_manage_org = capability(
    "manage_org", _("Add and change units and staff in their part"), MANAGERS
)
may_manage_integrations = capability(
    "manage_integrations",
    _("Set up webhooks and WeCom or DingTalk group robots"),
    {ADMIN},
)
may_reset_two_factor = capability(
    "reset_two_factor",
    _("Turn off someone's two-factor sign-in (a lost phone and lost codes)"),
    {ADMIN},
)
may_browse_customers = capability(
    "browse_customers", _("Browse customers and service events"), STAFF
)
may_edit_customers = capability(
    "edit_customers",
    _("Add and change customers, contacts, assets and service events"),
    {ADMIN, REGION, STORE, ADVISOR, HANDLER},
)
may_hand_over_customers = capability(
    "hand_over_customers",
    _("Hand the customers of a departed advisor over to another"),
    MANAGERS,
)
may_export_customers = capability("export_customers", _("Export the customer list"), OFFICE)
may_reveal_contacts = capability(
    "reveal_contacts",
    _("Reveal phones, e-mails and ID numbers (each reveal logged)"),
    {ADMIN, STORE, ADVISOR, HANDLER, AGENT},
)
may_handle_personal_data = capability(
    "handle_personal_data",
    _(
        "Personal-data requests: export or erase a customer's data; the retention periods "
        "and the register of personal data"
    ),
    {ADMIN},
)
may_manage_tiers = capability("manage_tiers", _("Set the tier policy"), {ADMIN, HQ})
may_import = capability("import", _("Import files"), OFFICE)
may_use_api = capability("use_api", _("Hold API tokens"), OFFICE)
may_design_questionnaires = capability(
    "design_questionnaires", _("Design and publish questionnaires"), {ADMIN, HQ}
)
may_run_programmes = capability(
    "run_programmes",
    _("Set up programmes, waves, alert rules and open links"),
    {ADMIN, HQ},
)
may_follow_programmes = capability(
    "follow_programmes", _("Follow programmes, waves and response funnels"), OFFICE
)
may_invite = capability("invite", _("Invite a customer to a survey now"), OFFICE)
may_record_responses = capability(
    "record_responses", _("Record responses gathered elsewhere"), OFFICE
)
may_read_responses = capability("read_responses", _("Read invitations and responses"), STAFF)
may_work_alerts = capability("work_alerts", _("Work the hot-alert list"), OFFICE | {HANDLER})
may_make_calls = capability(
    "make_calls",
    _("Phone interviews: the call list and the call screen"),
    MANAGERS | {HANDLER, AGENT},
)
may_see_analytics = capability("see_analytics", _("Analytics and their exports"), STAFF)
may_handle_cases = capability(
    "handle_cases", _("Open and handle cases, propose compensation"), STAFF
)
may_declare_crisis = capability(
    "declare_crisis",
    _("Declare a case a crisis (critical, HQ told at once)"),
    OFFICE | {HANDLER},
)
may_see_case_reports = capability(
    "see_case_reports",
    _("Case board, complaint reports and record, compensation register"),
    OFFICE | {HANDLER},
)
may_manage_rules = capability(
    "manage_rules",
    _("Set deadline rules, calendars, causes and the resolution survey"),
    {ADMIN, HQ},
)
may_make_callbacks = capability(
    "make_callbacks",
    _("Callbacks after visits: the callback list and the call screen"),
    MANAGERS | {HANDLER, AGENT},
)
may_follow_care = capability(
    "follow_care",
    _("Care rules and the callback board (reached within the days set)"),
    OFFICE | {HANDLER},
)
may_set_care_rules = capability("set_care_rules", _("Set the care rules"), {ADMIN, HQ})
may_run_owner_events = capability(
    "run_owner_events",
    _("Owner events: plan, draw the invitees, record who comes"),
    OFFICE,
)
may_see_churn_risk = capability(
    "see_churn_risk",
    _("The churn-risk list with its reasons, retention figures and reasons for loss"),
    OFFICE | {HANDLER},
)
may_work_winbacks = capability(
    "work_winbacks",
    _("Win-back calls: open a task from the risk list, record calls and reasons for loss"),
    MANAGERS | {HANDLER},
)
may_set_churn_policy = capability(
    "set_churn_policy", _("Set the churn policy (overdue, drifting, a poor score)"), {ADMIN, HQ}
)
may_set_targets = capability(
    "set_targets",
    _("Set targets: headquarters for any unit, a region for its stores"),
    {ADMIN, HQ, REGION},
)
may_plan_actions = capability(
    "plan_actions",
    _("Open improvement actions in their part, with tasks and progress notes"),
    OFFICE,
)
may_follow_actions = capability(
    "follow_actions",
    _("See the improvement actions of their part; work the ones they own"),
    STAFF,
)
may_see_standards = capability("see_standards", _("Read the service standards"), STAFF)
may_set_standards = capability(
    "set_standards", _("Write and revise the service standards"), {ADMIN, HQ}
)
may_set_checklists = capability(
    "set_checklists",
    _("Build checklists from the standards; keep the list of competitor stores"),
    {ADMIN, HQ},
)
may_see_inspections = capability(
    "see_inspections",
    _("Inspections and mystery shops of their part and their results; carry out their own"),
    OFFICE,
)
may_plan_inspections = capability(
    "plan_inspections",
    _("Schedule inspections and draw surprise ones (seen before they happen only by them)"),
    {ADMIN, HQ, REGION},
)
may_order_mystery_shops = capability(
    "order_mystery_shops",
    _("Order mystery shops from an agency (one-time links) and import their reports"),
    {ADMIN, HQ},
)
may_see_product_feedback = capability(
    "see_product_feedback",
    _("Product feedback: product cases and part repairs per model, and its spreadsheet"),
    OFFICE,
)
may_see_scorecards = capability(
    "see_scorecards", _("Scorecards: their own card, its points and its reasons"), ALL_ROLES
)
may_review_scorecards = capability(
    "review_scorecards",
    _("Scorecards of everyone in their part, the rankings and the payroll spreadsheet"),
    OFFICE,
)
may_set_scorecards = capability(
    "set_scorecards",
    _("Set the scorecards' measures, weights and targets; close and reissue periods"),
    {ADMIN, HQ},
)
may_see_training = capability(
    "see_training",
    _("Training: their own plan; managers their part's, and the courses"),
    ALL_ROLES,
)
may_assign_training = capability(
    "assign_training",
    _("Assign training to staff of their part, record attendance and sign it off"),
    MANAGERS,
)
may_set_courses = capability("set_courses", _("Keep the course catalogue"), {ADMIN, HQ})
may_run_employee_surveys = capability(
    "run_employee_surveys",
    _("Run the anonymous employee survey: invite the staff, close it"),
    {ADMIN, HQ},
)
may_see_employee_results = capability(
    "see_employee_results",
    _(
        "Employee satisfaction of their part, for groups large enough to stay anonymous; "
        "the 3S view"
    ),
    OFFICE,
)
may_see_audit = capability("see_audit", _("Read the audit log of their part"), OFFICE)
may_see_outbox = capability("see_outbox", _("Read the outbox of messages"), {ADMIN, HQ})

# Open to anyone: the survey form, the complaint form, hooks signed with a secret.
PUBLIC = Capability("public", _("Anyone, without signing in"), ALL_ROLES, anonymous=True)


# --- questions that need more than the role ---------------------------------------
def may_see_unit(user: Any, unit: Unit | int | None) -> bool:
    """Whether ``unit`` (or its id) lies in the part of the network ``user`` sees."""
    from manyi.org.selectors import visible_units  # selectors import this module

    if unit is None:
        return False
    pk = unit.pk if isinstance(unit, Unit) else unit
    return visible_units(user).filter(pk=pk).exists()


def may_work_action(user: Any, plan: Any) -> bool:
    """Whether ``user`` may note progress on an action and tick off its tasks: a manager
    of its part, its owner, or the owner of one of its tasks."""
    if not may_follow_actions(user) or not may_see_unit(user, plan.unit_id):
        return False
    return (
        may_plan_actions(user)
        or plan.owner_id == user.pk
        or plan.tasks.filter(owner_id=user.pk).exists()
    )


def may_tick_task(user: Any, plan: Any, task: Any) -> bool:
    """Whether ``user`` may tick off ``task`` of ``plan``: a manager of its part, the
    action's owner, or the task's own owner."""
    return may_work_action(user, plan) and (
        may_plan_actions(user) or plan.owner_id == user.pk or task.owner_id == user.pk
    )


def may_carry_out(user: Any, inspection: Any) -> bool:
    """Whether ``user`` may carry out ``inspection``: its inspector; or, when it names
    none, a manager of its part — never the store itself for a surprise inspection, and
    a mystery shop only by whoever may enter an agency's report."""
    if not may_see_inspections(user) or not may_see_unit(user, inspection.unit_id):
        return False
    if inspection.kind == "mystery":
        return may_order_mystery_shops(user)
    if inspection.inspector_id is not None:
        return inspection.inspector_id == user.pk
    return inspection.kind != "surprise" or may_plan_inspections(user)


def grantable_roles(user: Any) -> list[str]:
    """The roles ``user`` may give a staff member of their part: an administrator any;
    a region manager any but the network roles; a store manager the store's roles."""
    if getattr(user, "is_superuser", False) or getattr(user, "role", "") == ADMIN:
        return list(Role)
    roles = [role for role in Role if not may_see_network.admits_role(role)]
    if getattr(user, "role", "") != REGION:
        roles.remove(REGION)
    return roles


def approval_limit(user: Any) -> Decimal | None:
    """The most ``user`` may grant alone under the satisfaction guarantee; None: no
    limit. The limits are data per role (Cases › approval limits); a role without one
    may grant nothing."""
    from manyi.cases.models import ApprovalLimit  # the limits are the cases' data

    if getattr(user, "is_superuser", False):
        return None
    if not may_handle_cases(user):
        return Decimal(0)
    row = ApprovalLimit.objects.filter(role=getattr(user, "role", "")).first()
    return Decimal(0) if row is None else row.max_amount


def may_approve(user: Any, amount: Decimal) -> bool:
    """Whether ``user`` may grant ``amount`` yuan of compensation without asking."""
    limit = approval_limit(user)
    return limit is None or amount <= limit


# --- declaring what a view needs --------------------------------------------------
View = Callable[..., HttpResponse]


def requires(needed: Capability) -> Callable[[View], View]:
    """Open a view (a page or an API operation) to those ``needed`` admits: the rest
    get 403, and someone not signed in goes to the sign-in page. The walk test reads
    ``view.permission``; an endpoint without one fails it."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not needed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.permission = needed  # type: ignore[attr-defined]
        return guarded

    return decorate


def public(view: View) -> View:
    """Mark a view open to anyone: a customer's form, or a hook that checks its own
    signature."""
    view.permission = PUBLIC  # type: ignore[attr-defined]
    return view


def role_table_markdown() -> str:
    """The README's role × capability table: one row per capability, a column per role
    (labels in the active language), each row naming its predicate."""
    roles = list(Role)
    lines = [
        "| " + " | ".join(["capability", "predicate", *(str(r.label) for r in roles)]) + " |",
        "|" + "---|" * (len(roles) + 2),
    ]
    for found in CAPABILITIES.values():
        marks = ["✓" if found.admits_role(role) else "" for role in roles]
        lines.append("| " + " | ".join([str(found.label), f"`may_{found.name}`", *marks]) + " |")
    return "\n".join(lines)
