"""The comments of the responses already counted before comments were kept (the worker
keeps those of new responses)."""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    Version = apps.get_model("surveys", "QuestionnaireVersion")
    Response = apps.get_model("surveys", "Response")
    Comment = apps.get_model("analytics", "Comment")
    for version_id, definition in Version.objects.values_list("pk", "definition"):
        codes = [
            str(item.get("code"))
            for item in (definition or {}).get("items") or ()
            if item.get("type") == "text"
        ]
        if not codes:
            continue
        pending = []
        responses = Response.objects.filter(version_id=version_id, rolled_up=True).values_list(
            "pk", "answers", "programme_id", "unit_id", "staff_id", "submitted_at", "index", "nps"
        )
        for pk, answers, programme_id, unit_id, staff_id, at, index, nps in responses.iterator(
            chunk_size=BATCH
        ):
            for code in codes:
                text = (answers or {}).get(code)
                if isinstance(text, str) and text.strip():
                    pending.append(
                        Comment(
                            response_id=pk,
                            item=code,
                            text=text.strip(),
                            version_id=version_id,
                            programme_id=programme_id,
                            unit_id=unit_id,
                            staff_id=staff_id,
                            submitted_at=at,
                            index=index,
                            nps=nps,
                        )
                    )
            if len(pending) >= BATCH:
                Comment.objects.bulk_create(pending, ignore_conflicts=True)
                pending = []
        Comment.objects.bulk_create(pending, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0003_comment"), ("surveys", "0003_response_integrity")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
