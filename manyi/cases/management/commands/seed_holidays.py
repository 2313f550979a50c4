"""Add China's public holidays and make-up days that a newer ``chinesecalendar`` knows."""

from django.core.management.base import BaseCommand

from manyi.cases.models import CalendarDay
from manyi.cases.seeds import seed_holidays


class Command(BaseCommand):
    help = "Add the public holidays and make-up working days not in the database yet."

    def handle(self, *args: object, **options: object) -> None:
        added = seed_holidays(CalendarDay)
        years = sorted(set(CalendarDay.objects.filter(calendar=None).dates("day", "year")))
        self.stdout.write(
            f"{added} days added; holidays known for {', '.join(str(y.year) for y in years)}"
        )
