"""``winroom import``: the same importer and report; non-zero exit on any bad row."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from winroom.accounts.models import Account
from winroom.imports.models import ImportMapping

pytestmark = pytest.mark.django_db

GOOD = "客户名称,区域\r\n命令行客户,杭州\r\n".encode("utf-8-sig")
BAD = "客户名称,行业\r\n好客户,manufacturing\r\n坏客户,银河系\r\n".encode("gb18030")


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_creates_and_prints_the_report(company, tmp_path, capsys):
    call_command(
        "import", "account", write(tmp_path, "a.csv", GOOD), "--as", "manager", "--language", "en"
    )
    assert "created 1, updated 0, unchanged 0, refused 0" in capsys.readouterr().out
    assert Account.objects.get(name="命令行客户").region == "杭州"


def test_dry_run_writes_nothing(company, tmp_path, capsys):
    call_command(
        "import",
        "account",
        write(tmp_path, "a.csv", GOOD),
        "--as",
        "manager",
        "--dry-run",
        "--language",
        "en",
    )
    out = capsys.readouterr().out
    assert "created 1" in out and "Dry run" in out
    assert not Account.objects.filter(name="命令行客户").exists()


def test_bad_row_exits_non_zero_and_writes_nothing(company, tmp_path, capsys):
    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "account",
            write(tmp_path, "a.csv", BAD),
            "--as",
            "manager",
            "--language",
            "en",
        )
    assert failed.value.returncode == 1
    assert "line 3, column “行业”" in capsys.readouterr().out
    assert not Account.objects.filter(name="好客户").exists()


def test_saved_mapping_by_name_or_json_file(company, tmp_path):
    data = "Firma;Gebiet\r\n映射客户;宁波\r\n".encode()
    ImportMapping.objects.create(
        name="德文", kind="account", columns={"Firma": "name", "Gebiet": "region"}
    )
    call_command(
        "import", "account", write(tmp_path, "a.csv", data), "--as", "manager", "--mapping", "德文"
    )
    assert Account.objects.get(name="映射客户").region == "宁波"
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"Firma": "name", "Gebiet": "region"}}))
    data2 = "Firma;Gebiet\r\n文件映射客户;温州\r\n".encode()
    call_command(
        "import",
        "account",
        write(tmp_path, "b.csv", data2),
        "--as",
        "manager",
        "--mapping",
        str(mapping),
    )
    assert Account.objects.get(name="文件映射客户").region == "温州"
    with pytest.raises(CommandError):
        call_command(
            "import",
            "account",
            write(tmp_path, "c.csv", data2),
            "--as",
            "manager",
            "--mapping",
            "没有这个",
        )


def test_unknown_user_is_an_error(company, tmp_path):
    with pytest.raises(CommandError):
        call_command("import", "account", write(tmp_path, "a.csv", GOOD), "--as", "nobody")


def test_import_is_a_working_command_name_for_the_winroom_script():
    result = subprocess.run(
        [sys.executable, "-m", "winroom.manage", "import", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout
