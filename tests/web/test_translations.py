"""zh-Hans from the first screen: every user-facing string has a translation."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "manyi" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    """``(msgid, msgstr, fuzzy)`` for each entry of the catalogue, read with plain parsing."""
    found, block = [], []
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block and not all(part.startswith("#~") for part in block):
            text = "\n".join(block)
            msgid = _field(block, "msgid ")
            msgstr = _field(block, "msgstr ") or _field(block, "msgstr[0] ")
            found.append((msgid, msgstr, "fuzzy" in text.split("msgid")[0]))
        block = []
    return [entry for entry in found if entry[0]]


def _field(block, key):
    value, reading = "", False
    for line in block:
        if line.startswith(key):
            value, reading = line[len(key) :].strip().strip('"'), True
        elif reading and line.startswith('"'):
            value += line.strip().strip('"')
        elif reading:
            break
    return value


def test_every_message_is_translated_and_none_is_fuzzy():
    missing = [msgid for msgid, msgstr, fuzzy in entries() if not msgstr or fuzzy]
    assert missing == []


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract the messages afresh and compare with the committed catalogue."""
    if subprocess.run(["which", "xgettext"], capture_output=True).returncode:
        pytest.skip("gettext tools are not installed")
    pot = tmp_path / "fresh.pot"
    sources = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "manyi").rglob("*.py")
        if "migrations" not in path.parts
    ]
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext",
            "--keyword=gettext_lazy",
            "--keyword=_",
            "-o",
            str(pot),
            *sources,
        ],
        cwd=ROOT,
        check=True,
    )
    fresh = {
        line[7:-1]
        for line in pot.read_text(encoding="utf-8").splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    }
    known = {msgid for msgid, _msgstr, _fuzzy in entries()}
    assert sorted(fresh - known) == []


def test_a_template_string_is_rendered_in_chinese(client, hq_analyst):
    client.force_login(hq_analyst)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/customers/").text
    assert "归属门店" in page and "导出 XLSX" in page
