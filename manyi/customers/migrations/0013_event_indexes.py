"""Fewer indexes on service events, the table imports write most: the staff and asset
ones leave out the events without, the external id's LIKE twin goes (only equality
looks events up), and the served-by table's unit index goes (its unique index leads
with the unit)."""

import django.db.models.deletion
from django.db import migrations, models

UNIQUE_NAME = "service_event_external_id_once"


def external_id_unique_by_constraint(apps, schema_editor):
    """Keep the unique index the column has, under the constraint's name, rather than
    build it again on a large table. Only PostgreSQL has the LIKE twin to drop; on
    SQLite the column's own unique index stays as it is, equivalent to the constraint."""
    if schema_editor.connection.vendor != "postgresql":
        return
    event = apps.get_model("customers", "ServiceEvent")
    table = event._meta.db_table
    like = schema_editor._create_index_name(table, ["external_id"], suffix="_like")
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(like)}")
    for current in schema_editor._constraint_names(
        event, ["external_id"], unique=True, primary_key=False
    ):
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} RENAME CONSTRAINT "
            f"{schema_editor.quote_name(current)} TO {schema_editor.quote_name(UNIQUE_NAME)}"
        )


def external_id_unique_by_column(apps, schema_editor):
    """Back to a unique column: the constraint's old name and, on PostgreSQL, the LIKE
    twin."""
    if schema_editor.connection.vendor != "postgresql":
        return
    event = apps.get_model("customers", "ServiceEvent")
    table = event._meta.db_table
    schema_editor.execute(
        f"ALTER TABLE {schema_editor.quote_name(table)} RENAME CONSTRAINT "
        f"{schema_editor.quote_name(UNIQUE_NAME)} TO "
        f"{schema_editor.quote_name(table + '_external_id_key')}"
    )
    schema_editor.execute(
        schema_editor._create_like_index_sql(event, event._meta.get_field("external_id"))
    )


def _plain_indexes(schema_editor, model, column):
    return schema_editor._constraint_names(
        model, [column], index=True, unique=False, primary_key=False
    )


def foreign_key_index_dropped(model_name, column):
    """Drop a foreign key's own index and nothing else: an ``AlterField`` would drop and
    add the foreign key again, checking every row of a large table under lock."""

    def forwards(apps, schema_editor):
        model = apps.get_model("customers", model_name)
        for name in _plain_indexes(schema_editor, model, column):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def backwards(apps, schema_editor):
        model = apps.get_model("customers", model_name)
        if not _plain_indexes(schema_editor, model, column):
            field = next(f for f in model._meta.local_fields if f.column == column)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0012_contact_created_at"),
        ("org", "0003_staff_language_digest"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="serviceevent", name="customers_s_staff_i_e1bc6d_idx"),
        migrations.AddIndex(
            model_name="serviceevent",
            index=models.Index(
                condition=models.Q(("staff__isnull", False)),
                fields=["staff", "opened_at"],
                name="service_event_staff_opened",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="serviceevent",
                    name="asset",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="service_events",
                        to="customers.asset",
                        verbose_name="asset",
                    ),
                ),
            ],
            database_operations=[foreign_key_index_dropped("ServiceEvent", "asset_id")],
        ),
        migrations.AddIndex(
            model_name="serviceevent",
            index=models.Index(
                condition=models.Q(("asset__isnull", False)),
                fields=["asset"],
                name="service_event_asset",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="serviceevent",
                    name="external_id",
                    field=models.CharField(max_length=64, verbose_name="external id"),
                ),
                migrations.AddConstraint(
                    model_name="serviceevent",
                    constraint=models.UniqueConstraint(fields=("external_id",), name=UNIQUE_NAME),
                ),
            ],
            database_operations=[
                migrations.RunPython(external_id_unique_by_constraint, external_id_unique_by_column),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="customerunit",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
            ],
            database_operations=[foreign_key_index_dropped("CustomerUnit", "unit_id")],
        ),
    ]
