"""Importing service events: the trigger of surveys, streamed in batches."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.bulk import in_chunks
from manyi.customers.models import Asset, EventKind, ServiceEvent
from manyi.customers.served import customer_matched, customers_served
from manyi.imports.columns import (
    EXTERNAL_ID,
    Column,
    choice,
    parse_datetime,
    parse_decimal,
    parse_kilometres,
    text,
)
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.imports.kinds.customers import (
    check_customers,
    look_up_customers,
    matched_by_this_file,
)
from manyi.imports.kinds.scope import resolve_unit, scope_context, staff_codes
from manyi.imports.upsert import upsert_batch
from manyi.org.permissions import may_edit_customers

EVENT_FIELDS = ("kind", "opened_at", "closed_at", "amount", "odometer_km", "part")
# Where-served pairs kept between batches before they are stored (about 30 MB at most).
SERVED_KEPT = 100_000


class EventImport(ImportKind):
    code = "events"
    label = gettext_lazy("Service events")
    permission = may_edit_customers
    # Larger than the default: each batch costs a COPY and a few statements whatever
    # its size; the batches held at once (the one written, the one checked, up to three
    # read ahead) took 30 MB more than batches of 2,000.
    batch_size = 10_000
    columns = [
        EXTERNAL_ID,
        Column(
            "kind",
            gettext_lazy("Event kind"),
            choice(EventKind),
            required=True,
            example="maintenance",
        ),
        Column("unit_code", gettext_lazy("Unit code"), text(32), required=True, example="S-BJ-01"),
        Column(
            "customer_external_id",
            gettext_lazy("Customer external id"),
            text(64),
            required=True,
            example="C000123",
        ),
        Column("staff_code", gettext_lazy("Staff code"), text(32), example="E10023"),
        Column("asset_external_id", gettext_lazy("Asset external id"), text(64), example="V000123"),
        Column(
            "opened_at",
            gettext_lazy("Opened at"),
            parse_datetime,
            required=True,
            example="2026-03-02 09:30",
        ),
        Column("closed_at", gettext_lazy("Closed at"), parse_datetime, example="2026-03-02 16:10"),
        Column("amount", gettext_lazy("Amount"), parse_decimal, example="860.00"),
        Column(
            "odometer_km",
            gettext_lazy("Odometer (km)"),
            parse_kilometres,
            example="45120",
            aliases=("mileage", "里程"),
        ),
        Column(
            "part",
            gettext_lazy("Part"),
            text(80),
            example="前制动片",
            aliases=("component", "配件", "零件"),
        ),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {
            **super().context(actor=actor, job_id=job_id),
            **scope_context(actor),
            "staff_codes": staff_codes(),
        }

    def look_up(self, rows: list[Row], ctx: dict[str, Any]) -> None:
        look_up_customers(rows, ctx)
        wanted_assets = {
            row.values["asset_external_id"] for row in rows if "asset_external_id" in row.values
        }
        assets = {
            ext: (pk, customer_id)
            for chunk in in_chunks(wanted_assets)
            for ext, pk, customer_id in Asset.objects.filter(external_id__any=chunk)
            .order_by()
            .values_list("external_id", "pk", "customer_id")
        }
        for row in rows:
            if row.values.get("asset_external_id") in assets:
                row.values["_asset"] = assets[row.values["asset_external_id"]]

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        """No query: the batch before is being written meanwhile."""
        check_customers(self, rows, ctx, result, require_visible=False)
        for row in rows:
            values = row.values
            resolve_unit(self, row, ctx, result)
            if "staff_code" in values:
                staff_id = ctx["staff_codes"].get(values["staff_code"])
                if staff_id is None:
                    self.fail(result, row, "staff_code", _("no staff member has this code"))
                values["_staff_id"] = staff_id
            if "asset_external_id" in values:
                asset = values.get("_asset")
                if asset is None:
                    self.fail(result, row, "asset_external_id", _("no asset has this external id"))
                elif "_customer_id" in values and asset[1] != values["_customer_id"]:
                    self.fail(
                        result,
                        row,
                        "asset_external_id",
                        _("this asset belongs to another customer"),
                    )
                else:
                    values["_asset_id"] = asset[0]
            closed, opened = values.get("closed_at"), values.get("opened_at")
            if closed and opened and closed < opened:
                self.fail(result, row, "closed_at", _("closes before it opens"))

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        def build(row: Row) -> dict[str, Any]:
            values = row.values
            return {
                "unit_id": values["_unit_id"],
                "customer_id": values["_customer_id"],
                "staff_id": values.get("_staff_id"),
                "asset_id": values.get("_asset_id"),
                "kind": values["kind"],
                "opened_at": values["opened_at"],
                "closed_at": values.get("closed_at"),
                "amount": values.get("amount", 0),
                "odometer_km": values.get("odometer_km"),
                "part": values.get("part", ""),
            }

        upsert_batch(
            kind=self,
            model=ServiceEvent,
            key="external_id",
            rows=rows,
            ctx=ctx,
            result=result,
            build=build,
            may_change=lambda old: {
                record["pk"] for record in old if record["unit_id"] in ctx["allowed_units"]
            },
            guard_fields=("unit_id",),
        )
        good = [row.values for row in rows if row.ok]
        # Where each customer was served is recorded in a few large statements rather
        # than one a batch: the pairs are then distinct and stored in the order of the
        # index that keeps them. Only a customer matched by this file becomes visible to
        # the importer at once (below); the others it saw already.
        served = ctx.setdefault("served", set())
        served.update(
            (values["_customer_id"], values["_unit_id"])
            for values in good
            if values["_unit_id"] != values["_home_unit_id"]
        )
        if len(served) >= SERVED_KEPT:
            _record_served(ctx)
        matched = {values["_customer_id"]: values for values in good if values.get("_matched")}
        matched_by_this_file(ctx).update(matched)
        for values in matched.values():
            customer_matched(
                actor=ctx["actor"],
                customer_id=values["_customer_id"],
                unit_id=values["_unit_id"],
                by="external_id",
            )

    def finish(self, ctx: dict[str, Any], result: ImportResult) -> None:
        _record_served(ctx)


def _record_served(ctx: dict[str, Any]) -> None:
    pairs = ctx.pop("served", ())
    if pairs:  # behind the batch's COPY, while the next batch is checked
        ctx["writer"].start(lambda: customers_served(pairs))
