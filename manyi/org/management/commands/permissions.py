"""``manyi permissions``: print the role × capability table (as in the README)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from manyi.org.permissions import role_table_markdown


class Command(BaseCommand):
    help = "Print which role may do what, as a Markdown table, from manyi.org.permissions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--language", default="en", help="en or zh-hans (default en)")

    def handle(self, *args: Any, language: str, **options: Any) -> None:
        with translation.override(language):
            self.stdout.write(role_table_markdown())
