"""Where customers were served keeps one index, the unique (unit, customer) one: the
index by customer alone goes (see CustomerUnit)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0014_served_by_without_foreign_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customerunit",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="served_by",
                to="customers.customer",
            ),
        ),
    ]
