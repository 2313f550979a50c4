import django.utils.timezone
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def dated_by_their_card(apps, schema_editor):
    """A contact kept before now is dated by its customer's card: the oldest it can be,
    so the contact-data retention period counts from there, not from this upgrade."""
    Contact = apps.get_model("customers", "Contact")
    Customer = apps.get_model("customers", "Customer")
    Contact.objects.update(
        created_at=Subquery(
            Customer.objects.filter(pk=OuterRef("customer_id")).values("created_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_customer_erased_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="added at"),
        ),
        migrations.RunPython(dated_by_their_card, migrations.RunPython.noop),
    ]
