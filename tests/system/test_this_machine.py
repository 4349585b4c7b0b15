"""Detection is right about this very machine (Debian 12 with pyenv), read-only: nothing is changed."""

from __future__ import annotations

import os

import pytest

from wizard.detect import DetectOptions, detect
from wizard.doctor import report_for

DEBIAN_MARKER = "/usr/lib/python3.11/EXTERNALLY-MANAGED"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    if not os.path.isfile(DEBIAN_MARKER):
        pytest.skip("needs Debian 12's /usr/bin/python3")
    shims = os.path.expanduser("~/.pyenv/shims")
    path = f"{shims}:/usr/local/bin:/usr/bin:/bin" if os.path.isdir(shims) else "/usr/local/bin:/usr/bin:/bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYENV_VERSION", "VIRTUAL_ENV")}
    env["PATH"] = path
    return report_for(detect(DetectOptions(pythons=("/usr/bin/python3",), use_cache=False, env=env, cwd="/")))


def test_debian_python(report) -> None:  # type: ignore[no-untyped-def]
    py = report.state.interpreter("/usr/bin/python3")
    assert py is not None and py.ok
    assert py.marker is not None and py.marker.present and py.marker.path == DEBIAN_MARKER
    assert py.marker.error_text and "python3 -m venv" in py.marker.error_text
    assert py.scheme == "posix_local"
    assert py.pip_target == ("/usr/local/lib/python3.11/dist-packages",)
    assert "/usr/lib/python3/dist-packages" in py.distro_dirs
    assert py.pip is not None and py.pip.present and py.pip.version
    view = report.diagnosis.view("/usr/bin/python3")
    assert view.used_by_root and "system" in view.roles


def test_pyenv_python_is_resolved_through_its_shim(report) -> None:  # type: ignore[no-untyped-def]
    shim = os.path.expanduser("~/.pyenv/shims/python3")
    if not os.path.isfile(shim):
        pytest.skip("pyenv is not installed here")
    from tests.unit.test_discover import pyenv_selected_is_installed

    if not pyenv_selected_is_installed():
        pytest.skip("pyenv's selected version is not installed on this machine")
    python3 = next(r for r in report.state.for_you if r.command == "python3")
    assert python3.path == shim
    assert python3.interpreter and "/.pyenv/versions/" in python3.interpreter
    assert python3.via and python3.via.startswith("pyenv shim, version")
    interp = report.state.interpreter(python3.interpreter)
    assert interp is not None and interp.ok and interp.shim == shim


def test_sudo_lens_under_secure_path(report) -> None:  # type: ignore[no-untyped-def]
    if not report.state.sudo.installed or os.geteuid() != 0:
        pytest.skip("needs sudo and root (to read sudoers)")
    assert report.state.sudo.secure_path and "/usr/bin" in report.state.sudo.secure_path
    sudo_python3 = next(r for r in report.state.under_sudo if r.command == "python3")
    assert sudo_python3.interpreter in ("/usr/bin/python3", "/usr/local/bin/python3")
