"""The shipped systemd units (deploy/systemd/) are valid and locked down.

CI cannot boot systemd, so the units are not started here; `systemd-analyze
verify` loads them as systemd would (every directive known, every program
there: the venv's path is this environment's), and `systemd-analyze security`
scores how little each service may do.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import missing_service

SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"


@pytest.fixture(scope="module")
def units(tmp_path_factory):
    """The units as installed, the venv in /srv/heseltine/venv being this one."""
    if not Path(SYSTEMD_ANALYZE).exists():
        missing_service("systemd-analyze is not installed (apt-get install systemd)")
    folder = tmp_path_factory.mktemp("units")
    for unit in UNITS.iterdir():
        text = unit.read_text()
        (folder / unit.name).write_text(text.replace("/srv/heseltine/venv", sys.prefix))
    return folder


def analyze(folder, *arguments):
    return subprocess.run(
        [SYSTEMD_ANALYZE, *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_units_load_as_systemd_would_load_them(units):
    shutil.copy(units / "heseltine@.service", units / "heseltine@8000.service")
    result = analyze(
        units,
        "verify",
        "./heseltine@8000.service",
        "./heseltine-backup.service",
        "./heseltine-backup.timer",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("unit", ["heseltine@.service", "heseltine-backup.service"])
def test_each_service_may_do_little(units, unit):
    result = analyze(units, "security", "--offline=true", f"./{unit}")
    level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", result.stdout)
    assert level, result.stdout + result.stderr
    # systemd's scale: 0 is locked down, 10 is unprotected; below 2 is "OK".
    assert float(level[1]) < 2, result.stdout


def test_the_app_server_listens_on_its_instance_port_on_loopback_only():
    text = (UNITS / "heseltine@.service").read_text()
    assert "--bind 127.0.0.1:%i" in text
