"""``manyi api_token USERNAME NAME``: issue an API token that acts as that staff member."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from manyi.api.auth import api_token_create
from manyi.org.models import Staff


class Command(BaseCommand):
    help = "Issue an API token for a staff member; the key is printed once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'DMS sync'.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        staff = Staff.objects.filter(username=username).first()
        if staff is None:
            raise CommandError(f"no user named {username}")
        _token, raw = api_token_create(actor=None, staff=staff, name=name)
        self.stdout.write(raw)
