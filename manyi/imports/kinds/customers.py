"""Importing customers (with their primary phone and e-mail) and their assets."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.bulk import in_chunks
from manyi.customers.contacts import normalise_email, normalise_phone
from manyi.customers.models import (
    Asset,
    AssetKind,
    Contact,
    ContactChannel,
    Customer,
    CustomerKind,
    PartyType,
)
from manyi.customers.pinyin import name_pinyin
from manyi.customers.served import customers_served
from manyi.imports.columns import EXTERNAL_ID, Column, choice, parse_bool, parse_date, text
from manyi.imports.engine import ImportKind, ImportResult, Row
from manyi.imports.kinds.scope import resolve_unit, scope_context, visible_customer_ids
from manyi.imports.upsert import upsert_batch
from manyi.org.permissions import may_edit_customers

PROFILE_FIELDS = (
    "name",
    "party_type",
    "kind",
    "gender",
    "birth_date",
    "id_number",
    "language",
    "province",
    "city",
    "district",
    "address",
    "is_vip",
    "vip_reason",
)


class CustomerImport(ImportKind):
    code = "customers"
    label = gettext_lazy("Customers")
    permission = may_edit_customers
    columns = [
        EXTERNAL_ID,
        Column("name", gettext_lazy("Name"), text(120), required=True, example="李明"),
        Column(
            "unit_code", gettext_lazy("Home store code"), text(32), required=True, example="S-BJ-01"
        ),
        Column(
            "party_type",
            gettext_lazy("Person or organisation"),
            choice(PartyType),
            example="person",
        ),
        Column("kind", gettext_lazy("Customer kind"), choice(CustomerKind), example="retail"),
        Column("phone", gettext_lazy("Phone"), normalise_phone, example="13812345678"),
        Column("email", gettext_lazy("E-mail"), normalise_email, example="liming@example.com"),
        Column("gender", gettext_lazy("Gender"), text(8), example="男"),
        Column("birth_date", gettext_lazy("Birth date"), parse_date, example="1985-06-12"),
        Column("id_number", gettext_lazy("ID number"), text(32), example=""),
        Column("language", gettext_lazy("Language"), text(8), example="zh-hans"),
        Column("province", gettext_lazy("Province"), text(32), example="北京市"),
        Column("city", gettext_lazy("City"), text(32), example="北京市"),
        Column("district", gettext_lazy("District"), text(32), example="朝阳区"),
        Column("address", gettext_lazy("Address"), text(200), example=""),
        Column("is_vip", gettext_lazy("VIP"), parse_bool, example="no"),
        Column("vip_reason", gettext_lazy("VIP reason"), text(200), example=""),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {**super().context(actor=actor, job_id=job_id), **scope_context(actor)}

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        for row in rows:
            resolve_unit(self, row, ctx, result)

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        def build(row: Row) -> dict[str, Any]:
            # A column in the file overwrites (a blank cell clears); one not in it is kept.
            values = {"unit_id": row.values["_unit_id"]}
            values.update(
                {
                    name: row.values.get(name, _default(Customer, name))
                    for name in PROFILE_FIELDS
                    if name in ctx["columns"]
                }
            )
            if "name" in values:  # rows are written in bulk, past Customer.save
                values["name_pinyin"] = name_pinyin(values["name"])
            return values

        written = upsert_batch(
            kind=self,
            model=Customer,
            key="external_id",
            rows=rows,
            ctx=ctx,
            result=result,
            build=build,
            may_change=lambda old: visible_customer_ids(ctx, [record["pk"] for record in old]),
            want_pks=True,
        )
        customers_served((pk, row.values["_unit_id"]) for row, pk in written)
        _add_contacts(written)


def _add_contacts(written: list[tuple[Row, int]]) -> None:
    """Give each customer the phone and e-mail of its row, unless it has them already."""
    wanted = {
        (pk, channel, row.values[field])
        for row, pk in written
        for field, channel in (("phone", ContactChannel.PHONE), ("email", ContactChannel.EMAIL))
        if row.values.get(field)
    }
    if not wanted:
        return
    customer_ids = {pk for pk, _channel, _value in wanted}
    existing = set(
        Contact.objects.filter(customer_id__in=customer_ids).values_list(
            "customer_id", "channel", "value"
        )
    )
    has_channel = {(pk, channel) for pk, channel, _value in existing}
    Contact.objects.bulk_create(
        [
            Contact(
                customer_id=pk,
                channel=channel,
                value=value,
                is_primary=(pk, channel) not in has_channel,
            )
            for pk, channel, value in sorted(wanted - existing)
        ],
        batch_size=500,
    )


class AssetImport(ImportKind):
    code = "assets"
    label = gettext_lazy("Assets")
    permission = may_edit_customers
    columns = [
        EXTERNAL_ID,
        Column(
            "customer_external_id",
            gettext_lazy("Customer external id"),
            text(64),
            required=True,
            example="C000123",
        ),
        Column("kind", gettext_lazy("Asset kind"), choice(AssetKind), example="vehicle"),
        Column(
            "identifier",
            gettext_lazy("VIN or record number"),
            text(64),
            example="LFV2A21K8E4012345",
        ),
        Column(
            "plate",
            gettext_lazy("Plate number"),
            lambda value: text(16)(value).replace(" ", "").upper(),
            example="京A12345",
        ),
        Column("model_name", gettext_lazy("Model"), text(80), example="Magotan 330TSI"),
        Column("purchased_on", gettext_lazy("Purchase date"), parse_date, example="2022-05-20"),
    ]

    def context(self, *, actor: Any, job_id: int) -> dict[str, Any]:
        return {**super().context(actor=actor, job_id=job_id), **scope_context(actor)}

    def resolve(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        resolve_customers(self, rows, ctx, result, require_visible=True)

    def write(self, rows: list[Row], ctx: dict[str, Any], result: ImportResult) -> None:
        fields = ("kind", "identifier", "plate", "model_name", "purchased_on")

        def may_change(old: list[dict[str, Any]]) -> set[int]:
            # An asset stays with a customer the importing user sees.
            visible = visible_customer_ids(ctx, [record["customer_id"] for record in old])
            return {record["pk"] for record in old if record["customer_id"] in visible}

        upsert_batch(
            kind=self,
            model=Asset,
            key="external_id",
            rows=rows,
            ctx=ctx,
            result=result,
            build=lambda row: {
                "customer_id": row.values["_customer_id"],
                **{
                    name: row.values.get(name, _default(Asset, name))
                    for name in fields
                    if name in ctx["columns"]
                },
            },
            may_change=may_change,
            guard_fields=("customer_id",),
        )


def _default(model: Any, name: str) -> Any:
    return model._meta.get_field(name).get_default()


# Customers an import keeps at most between batches (about 200 bytes each: 40 MB).
CUSTOMERS_KEPT = 200_000


def resolve_customers(
    kind: ImportKind,
    rows: list[Row],
    ctx: dict[str, Any],
    result: ImportResult,
    *,
    require_visible: bool,
) -> None:
    """``look_up_customers`` and ``check_customers`` in one."""
    look_up_customers(rows, ctx)
    check_customers(kind, rows, ctx, result, require_visible=require_visible)


def look_up_customers(rows: list[Row], ctx: dict[str, Any]) -> None:
    """Find the customers of ``rows`` by ``customer_external_id`` (two queries for each
    thousand not found by an earlier batch): each row found gets ``_found`` (id, home
    store, seen by the importer when looked up)."""
    wanted = {
        row.values["customer_external_id"] for row in rows if "customer_external_id" in row.values
    }
    # The customers an earlier batch found are not asked for again: a file of events
    # names the same customers over and over.
    found = ctx.setdefault("customers_found", {})
    if len(found) > CUSTOMERS_KEPT:
        found.clear()
    for unknown in in_chunks(ext for ext in wanted if ext not in found):
        found.update(
            (ext, (pk, unit_id))
            for ext, pk, unit_id in Customer.objects.filter(external_id__any=unknown)
            .order_by()
            .values_list("external_id", "pk", "unit_id")
        )
    visible = visible_customer_ids(ctx, [found[ext][0] for ext in wanted if ext in found])
    for row in rows:
        ext = row.values.get("customer_external_id")
        if ext in found:
            pk, home = found[ext]
            row.values["_found"] = (pk, home, pk in visible)


def check_customers(
    kind: ImportKind,
    rows: list[Row],
    ctx: dict[str, Any],
    result: ImportResult,
    *,
    require_visible: bool,
) -> None:
    """Set ``_customer_id`` (and the home store, ``_home_unit_id``) of the rows whose
    customer ``look_up_customers`` found.

    A customer the importing user does not see is refused when ``require_visible``;
    otherwise the row reaches them by this exact external id (a customer belongs to the
    group), marked ``_matched`` so the writer audits the match (and notes it in
    ``matched_by_this_file``: the look-up of the next batch ran before that write).
    """
    matched = matched_by_this_file(ctx)
    for row in rows:
        if "customer_external_id" not in row.values:
            continue
        if "_found" not in row.values:
            kind.fail(result, row, "customer_external_id", _("no customer has this external id"))
            continue
        pk, home, seen = row.values["_found"]
        if not seen and pk not in matched:
            if require_visible:
                kind.fail(
                    result,
                    row,
                    "customer_external_id",
                    _("this customer is outside your part of the network"),
                )
                continue
            row.values["_matched"] = True
        row.values["_customer_id"], row.values["_home_unit_id"] = pk, home


def matched_by_this_file(ctx: dict[str, Any]) -> set[int]:
    """The customers this import has matched (and audited) so far."""
    return ctx.setdefault("matched", set())
