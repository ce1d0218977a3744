"""Every command has --help with an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from saisei.cli import cli


@pytest.mark.parametrize(
    "command", [[], ["build"], ["serve"], ["check"], ["archive"], ["archive", "pack-sample"], ["archive", "list"]]
)
def test_help_has_an_example(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_offline_and_archive_cannot_be_combined(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--offline", "--archive", str(tmp_path / "x.wacz")])
    assert result.exit_code == 2
    assert "cannot be combined" in result.output


def test_set_needs_name_equals_value():
    result = CliRunner().invoke(cli, ["build", "--offline", "--set", "DOWNLOAD_DELAY"])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.output
