"""saisei installed as a user would install it: the built wheel alone, in a fresh venv, run from an empty folder.

Builds the wheel (setup.py copies the shipped files into saisei/_bundled), installs it into a new venv with its
pinned dependencies (pip may use its cache and the package registry; nothing else is fetched), then from an
empty folder runs ``saisei build --offline`` and ``saisei serve`` and asks the server for its home page and a
clinic page over loopback. The default database must land in the user's data folder (XDG_DATA_HOME here), never
in site-packages or the folder it runs from. Slow (a minute or two, mostly pip), and kept in CI on purpose: it
is the only test that sees saisei outside its checkout.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from saisei.paths import SHIPPED
from tests.conftest import ROOT, free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT, cwd=out)
    (path,) = out.glob("saisei-*.whl")
    return path


def test_the_wheel_carries_every_shipped_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for relative in SHIPPED:
        source = ROOT / relative
        files = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else [source]
        for path in files:
            assert f"saisei/_bundled/{path.relative_to(ROOT).as_posix()}" in names, path
    assert not any(n.startswith("saisei/_bundled/data/sample/") or n.endswith(".db") for n in names)


def test_installed_wheel_builds_and_serves_from_an_empty_folder(wheel, tmp_path):
    venv, empty, data_home = tmp_path / "venv", tmp_path / "empty", tmp_path / "xdg"
    empty.mkdir()
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHONPATH", None)
    saisei = venv / "bin" / "saisei"
    # the installed saisei, not this checkout: its paths point into the venv
    where = run(venv / "bin" / "python", "-c", "import saisei.paths as p; print(p.IN_CHECKOUT, p.BUNDLE)",
                cwd=empty, env=env).stdout.split()
    assert where[0] == "False" and where[1].startswith(str(venv))

    built = run(saisei, "build", "--offline", cwd=empty, env=env)
    db = data_home / "saisei" / "saisei.db"
    assert f"database · {db}" in built.stdout + built.stderr
    assert db.exists() and (data_home / "saisei" / "runs").is_dir()
    assert list(empty.iterdir()) == []  # nothing written where it ran
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from clinic_cards").fetchone()[0] > 0
        clinic_id = conn.execute("select id from clinic_cards order by sort_key limit 1").fetchone()[0]

    port = free_port()
    server = subprocess.Popen([saisei, "serve", "--port", str(port)], cwd=empty, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        home = _get_when_up(base + "/", server)
        assert '<input type="search"' in home and "SAMPLE DATA" in home
        cards = _get_when_up(base + "/find?q=" + urllib.request.quote("大阪"), server)
        assert len(re.findall(r'class="card"', cards)) >= 1
        assert "not evidence" in _get_when_up(f"{base}/clinic/{clinic_id}", server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get_when_up(url: str, server: subprocess.Popen, wait: float = 60) -> str:
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"saisei serve exited: {server.stdout.read().decode(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
