"""Where customers were served is an index of the history: no foreign keys in the database
(see CustomerUnit). Going up only drops the constraints; going down adds them back,
which checks every row."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0013_event_indexes"),
        ("org", "0003_staff_language_digest"),
    ]

    operations = [
        migrations.AlterField(
            model_name="customerunit",
            name="customer",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="served_by",
                to="customers.customer",
            ),
        ),
        migrations.AlterField(
            model_name="customerunit",
            name="unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
            ),
        ),
    ]
