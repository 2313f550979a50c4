from django.db import migrations
from django.db.models import Exists, OuterRef


def drop_sweep_entries(apps, schema_editor):
    """The sweep's warnings and escalations are shown from its deadline actions now:
    the text rows it wrote beside them (same case, same moment) would show twice."""
    CaseEntry = apps.get_model("cases", "CaseEntry")
    DeadlineAction = apps.get_model("cases", "DeadlineAction")
    same_moment = DeadlineAction.objects.filter(
        case_id=OuterRef("case_id"), created_at=OuterRef("created_at")
    )
    CaseEntry.objects.filter(kind__in=["warning", "escalation"]).filter(
        Exists(same_moment)
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_deadline_watch'),
    ]

    operations = [
        migrations.RunPython(drop_sweep_entries, migrations.RunPython.noop),
    ]
