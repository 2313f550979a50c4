"""Every customer is visible where they were served: their home store, and each unit
with one of their service events, cases or survey responses."""

from django.db import migrations

SERVED = """
    SELECT id AS customer_id, unit_id FROM customers_customer
    UNION SELECT customer_id, unit_id FROM customers_serviceevent
    UNION SELECT customer_id, unit_id FROM cases_case WHERE customer_id IS NOT NULL
    UNION SELECT customer_id, unit_id FROM surveys_response WHERE customer_id IS NOT NULL
"""
# A department counts as its store.
BACKFILL = f"""
    INSERT INTO customers_customerunit (customer_id, unit_id, since)
    SELECT DISTINCT served.customer_id,
           CASE WHEN unit.level = 'department' THEN unit.parent_id ELSE unit.id END,
           CURRENT_TIMESTAMP
    FROM ({SERVED}) AS served JOIN org_unit AS unit ON unit.id = served.unit_id
"""


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_customer_units"),
        ("cases", "0010_leaner_indexes"),
        ("surveys", "0002_programmes_invitations_responses"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
