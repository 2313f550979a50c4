"""Who sees which units: the one rule every unit-owned list goes through."""

from manyi.org.selectors import visible_units


def codes(user) -> set[str]:
    return set(visible_units(user).values_list("code", flat=True))


def test_admin_sees_the_whole_network(network, admin):
    assert codes(admin) == {"HQ", "R-N", "R-E", "S-A", "S-B", "S-C", "S-A-SV"}


def test_hq_analyst_sees_the_whole_network(network, hq_analyst):
    assert "S-C" in codes(hq_analyst) and "S-A" in codes(hq_analyst)


def test_region_manager_sees_their_region_and_its_stores_only(network, north_manager):
    assert codes(north_manager) == {"R-N", "S-A", "S-B", "S-A-SV"}


def test_store_manager_sees_their_store_and_its_departments(network, store_a_manager):
    assert codes(store_a_manager) == {"S-A", "S-A-SV"}


def test_advisor_in_a_department_sees_the_whole_store(network, advisor_a):
    assert codes(advisor_a) == {"S-A", "S-A-SV"}


def test_staff_without_a_unit_see_nothing(network, django_user_model):
    drifter = django_user_model.objects.create_user("drifter", password="x", role="advisor")
    assert codes(drifter) == set()


def test_anonymous_visitors_see_nothing(network):
    from django.contrib.auth.models import AnonymousUser

    assert codes(AnonymousUser()) == set()
