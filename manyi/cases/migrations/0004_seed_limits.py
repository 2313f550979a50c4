from django.db import migrations


def seed(apps, schema_editor):
    from manyi.cases.seeds import seed_limits

    seed_limits(apps.get_model("cases", "ApprovalLimit"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_compensation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
