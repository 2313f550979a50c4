"""Production settings pass Django's deployment checks; the defaults are safe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manyi(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DEBUG", "SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "manyi.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = manyi(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECURE="true",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="csi.example.com",
        MANYI_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_production_variables_the_deploy_check_warns(tmp_path):
    result = manyi("check", "--deploy", "--fail-level", "WARNING", MANYI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "SESSION_COOKIE_SECURE" in result.stderr


def test_the_deploy_check_warns_when_no_role_needs_a_second_factor(tmp_path):
    result = manyi(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECURE="true",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="csi.example.com",
        MANYI_VAR_DIR=str(tmp_path),
        TWO_FACTOR_ROLES="",
    )
    assert result.returncode != 0 and "manyi.W001" in result.stderr


def test_a_secret_key_is_generated_once_into_var(tmp_path):
    manyi("check", MANYI_VAR_DIR=str(tmp_path))
    key = (tmp_path / "secret_key").read_text()
    manyi("check", MANYI_VAR_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key and len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
