"""The production guide's files start the same processes as docs/deploy/Procfile, the
one the worker integration test (tests/jobs/test_workers_killed.py) starts."""

import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.once
DEPLOY = Path(__file__).resolve().parents[1] / "docs" / "deploy"
PROCFILE = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines())


def test_the_compose_services_run_the_procfile_commands():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    for kind, command in PROCFILE.items():
        assert services[kind]["command"] == command


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("manyi-web.service", "web"),
        ("manyi-tasks@.service", "tasks"),
        ("manyi-sweeps@.service", "sweeps"),
    ],
)
def test_each_systemd_unit_runs_its_procfile_command(unit, kind):
    start = re.search(
        r"^ExecStart=(\S+/)\.venv/bin/(.+)$", (DEPLOY / "systemd" / unit).read_text(), re.M
    )
    assert start is not None and start.group(2) == PROCFILE[kind]


def test_the_guide_names_every_command_and_variable_it_relies_on():
    guide = (DEPLOY.parent / "production.md").read_text()
    for command in PROCFILE.values():
        assert command in guide
    for variable in re.findall(
        r"^#? ?([A-Z_]+)=", (DEPLOY / "manyi.env.example").read_text(), re.M
    ):
        assert f"`{variable}`" in guide, variable
