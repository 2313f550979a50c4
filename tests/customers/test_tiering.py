"""Tiers by the 80/20 rule: revenue over the window ranks customers into four tiers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from manyi.customers.models import Customer, ServiceEvent, Tier, TierPolicy
from manyi.customers.tiering import TierPolicyError, tier_policy_update, tiers_recompute


@pytest.fixture
def twenty_customers(network):
    """Customers C01..C20 spending 100..2,000 in the window, and one who spent nothing."""
    now = timezone.now()
    for n in range(1, 21):
        customer = Customer.objects.create(
            external_id=f"C{n:02d}", unit=network.store_a, name=f"Customer {n}"
        )
        ServiceEvent.objects.create(
            external_id=f"E{n:02d}",
            kind="repair",
            unit=network.store_a,
            customer=customer,
            opened_at=now - timedelta(days=10),
            amount=Decimal(n * 100),
        )
    idle = Customer.objects.create(external_id="C00", unit=network.store_a, name="Idle")
    # Money spent before the 12-month window does not count.
    ServiceEvent.objects.create(
        external_id="E00",
        kind="sale",
        unit=network.store_a,
        customer=idle,
        opened_at=now - timedelta(days=500),
        amount=Decimal(500_000),
    )


def tiers() -> dict[str, str]:
    return dict(Customer.objects.values_list("external_id", "tier"))


def test_default_shares_cut_at_5_20_and_50_percent_of_customers(twenty_customers):
    tiers_recompute()
    got = tiers()
    # 21 customers: ceil(1.05)=2 super, ceil(4.2)=5 heavy, ceil(10.5)=11 sub-heavy.
    assert [got[f"C{n:02d}"] for n in (20, 19)] == [Tier.SUPER_HEAVYWEIGHT] * 2
    assert {got[f"C{n:02d}"] for n in (18, 17, 16)} == {Tier.HEAVYWEIGHT}
    assert {got[f"C{n:02d}"] for n in range(10, 16)} == {Tier.SUB_HEAVYWEIGHT}
    assert {got[f"C{n:02d}"] for n in range(1, 10)} == {Tier.LIGHTWEIGHT}


def test_revenue_outside_the_window_leaves_a_customer_lightweight(twenty_customers):
    tiers_recompute()
    idle = Customer.objects.get(external_id="C00")
    assert idle.window_revenue == 0 and idle.tier == Tier.LIGHTWEIGHT


def test_the_summary_shows_the_top_tiers_carry_most_revenue(twenty_customers):
    summary = {row.tier: row for row in tiers_recompute()}
    top = summary[Tier.SUPER_HEAVYWEIGHT]
    assert top.customers == 2
    assert top.revenue_share == pytest.approx((2000 + 1900) / 21000)


def test_hq_changes_the_shares_and_the_tiers_follow(twenty_customers, hq_analyst):
    tier_policy_update(
        actor=hq_analyst,
        window_months=24,
        super_heavyweight_share=Decimal(10),
        heavyweight_share=Decimal(20),
        sub_heavyweight_share=Decimal(50),
    )
    tiers_recompute(actor=hq_analyst)
    # With a 24-month window the idle customer's 500,000 counts: top of the network.
    assert tiers()["C00"] == Tier.SUPER_HEAVYWEIGHT
    assert TierPolicy.current().window_months == 24


def test_shares_must_rise_from_tier_to_tier(network, hq_analyst):
    with pytest.raises(TierPolicyError):
        tier_policy_update(
            actor=hq_analyst,
            window_months=12,
            super_heavyweight_share=Decimal(30),
            heavyweight_share=Decimal(20),
            sub_heavyweight_share=Decimal(50),
        )


def test_a_store_manager_may_not_change_the_tier_policy(network, store_a_manager):
    with pytest.raises(TierPolicyError):
        tier_policy_update(
            actor=store_a_manager,
            window_months=12,
            super_heavyweight_share=Decimal(5),
            heavyweight_share=Decimal(20),
            sub_heavyweight_share=Decimal(50),
        )


def test_each_move_between_tiers_is_kept_for_the_card(twenty_customers, hq_analyst, client):
    from manyi.customers.models import TierChange

    tiers_recompute(actor=hq_analyst)
    first = {(c.customer.external_id, c.old_tier, c.new_tier) for c in TierChange.objects.all()}
    assert ("C20", Tier.LIGHTWEIGHT, Tier.SUPER_HEAVYWEIGHT) in first
    assert not any(external_id == "C00" for external_id, _old, _new in first)  # stayed put
    tiers_recompute(actor=hq_analyst)
    assert TierChange.objects.count() == len(first)  # nobody moved the second time
    tier_policy_update(
        actor=hq_analyst,
        window_months=24,
        super_heavyweight_share=Decimal(10),
        heavyweight_share=Decimal(20),
        sub_heavyweight_share=Decimal(50),
    )
    tiers_recompute(actor=hq_analyst)
    moved = TierChange.objects.filter(customer__external_id="C00").get()
    assert moved.moved_up and moved.new_tier == Tier.SUPER_HEAVYWEIGHT
    client.force_login(hq_analyst)
    card = client.get(f"/customers/{moved.customer_id}/")
    assert 'data-entry="tier_change"' in card.text
