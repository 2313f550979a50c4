"""Olga backs up manyi every night; the day a disk fails, she restores the last backup
and finds the customers, cases and answers as they were."""

import shutil
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from manyi.audit.models import AuditEntry
from manyi.customers.models import Customer
from manyi.customers.services import customer_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tools():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL's client tools are not installed")


def test_a_restored_backup_brings_back_what_was_lost(network, tools, tmp_path, capsys):
    customer_create(actor=None, external_id="C-1", unit=network.store_a, name="Li Ming")
    backup = tmp_path / "nightly.backup"
    call_command("backup", "--output", str(backup))
    assert capsys.readouterr().out.strip() == str(backup)
    Customer.objects.all().delete()  # the day something went wrong
    customer_create(actor=None, external_id="C-2", unit=network.store_a, name="Wang Fang")

    call_command("restore", str(backup), "--yes")

    assert list(Customer.objects.values_list("name", flat=True)) == ["Li Ming"]
    [restored] = AuditEntry.objects.filter(action="database_restore")
    assert restored.changes == {"file": "nightly.backup"}


def test_a_backup_never_overwrites_one_and_a_restore_asks_to_be_sure(network, tools, tmp_path):
    backup = tmp_path / "nightly.backup"
    call_command("backup", "--output", str(backup))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--output", str(backup))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(backup))
    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore", str(tmp_path / "missing"), "--yes")


def test_the_sqlite_backup_is_a_whole_database_file(network, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database")
    customer_create(actor=None, external_id="C-1", unit=network.store_a, name="Li Ming")
    backup = tmp_path / "copy.sqlite3"
    call_command("backup", "--output", str(backup))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = copy.execute("SELECT name FROM customers_customer").fetchall()
    assert names == [("Li Ming",)]
    assert oct(backup.stat().st_mode)[-3:] == "600"  # personal data: the owner's only


def test_a_file_that_is_no_backup_is_refused_and_the_database_kept(network, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database")
    customer_create(actor=None, external_id="C-1", unit=network.store_a, name="Li Ming")
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(CommandError, match="not a SQLite backup"):
        call_command("restore", str(junk), "--yes")
    assert Customer.objects.count() == 1


def test_an_empty_file_is_refused_and_the_database_kept(network, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database")
    customer_create(actor=None, external_id="C-1", unit=network.store_a, name="Li Ming")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(CommandError, match="not a SQLite backup"):
        call_command("restore", str(empty), "--yes")
    assert Customer.objects.count() == 1
