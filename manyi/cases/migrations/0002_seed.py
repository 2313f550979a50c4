from django.db import migrations


def seed(apps, schema_editor):
    from manyi.cases.seeds import seed_defaults, seed_holidays

    seed_holidays(apps.get_model("cases", "CalendarDay"))
    seed_defaults(
        apps.get_model("cases", "Cause"),
        apps.get_model("cases", "SlaPolicy"),
        apps.get_model("cases", "BusinessCalendar"),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
