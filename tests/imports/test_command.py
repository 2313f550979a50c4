"""``manyi import`` on the command line: the same checks, errors on stderr, exit codes."""

import pytest
from django.core.management import call_command

from manyi.customers.models import Customer


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "customers.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_good_file_is_imported_and_counted(network, tmp_path, capsys):
    path = write(tmp_path, "external_id,name,unit_code\nC1,李明,S-A\nC2,王芳,S-B\n", "gbk")
    call_command("import", "customers", str(path))
    assert "2 rows: created 2, updated 0." in capsys.readouterr().out
    assert Customer.objects.count() == 2


def test_errors_name_row_and_column_and_the_exit_code_is_non_zero(network, tmp_path, capsys):
    path = write(tmp_path, "external_id,name,unit_code\nC1,李明,S-A\nC2,王芳,S-NOPE\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "customers", str(path))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "customers.csv: row 3, column unit_code ('S-NOPE'): no unit has this code" in err
    assert "1 error(s); nothing was stored." in err
    assert not Customer.objects.exists()


def test_check_only_reports_what_would_happen(network, tmp_path, capsys):
    path = write(tmp_path, "external_id,name,unit_code\nC1,李明,S-A\n")
    call_command("import", "customers", str(path), "--check")
    assert "would create 1" in capsys.readouterr().out
    assert not Customer.objects.exists()


def test_importing_as_a_store_manager_keeps_to_their_store(
    network, tmp_path, capsys, store_a_manager
):
    path = write(tmp_path, "external_id,name,unit_code\nC1,李明,S-B\n")
    with pytest.raises(SystemExit):
        call_command("import", "customers", str(path), "--user", store_a_manager.username)
    assert "outside your part of the network" in capsys.readouterr().err


def test_a_missing_file_is_a_clear_error(network, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import", "customers", str(tmp_path / "nope.csv"))
