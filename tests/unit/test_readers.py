"""The readers of system files: sudoers, pip configuration, the PEP 668 marker, os-release, pyvenv.cfg."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wizard.detect import pipconf
from wizard.detect.fsinfo import Accounts
from wizard.detect.machine import environment, find_venvs, read_os_release, redact
from wizard.detect.marker import read_marker
from wizard.detect.sudo import parse_secure_path


def sudoers(tmp_path: Path, text: str, dropins: dict[str, str] | None = None) -> str:
    main = tmp_path / "sudoers"
    main.write_text(text.replace("@DIR@", str(tmp_path / "sudoers.d")))
    (tmp_path / "sudoers.d").mkdir(exist_ok=True)
    for name, body in (dropins or {}).items():
        (tmp_path / "sudoers.d" / name).write_text(body)
    return str(main)


def test_secure_path_debian(tmp_path: Path) -> None:
    path = sudoers(
        tmp_path,
        'Defaults\tenv_reset\nDefaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/bin"\n'
        "root ALL=(ALL:ALL) ALL\n@includedir @DIR@\n",
    )
    assert parse_secure_path(path) == (("/usr/local/sbin", "/usr/local/bin", "/usr/bin"), path)


def test_secure_path_from_dropin_continuation_and_skipped_names(tmp_path: Path) -> None:
    path = sudoers(
        tmp_path,
        "Defaults secure_path=/usr/bin\n#includedir @DIR@\n",
        {
            "10-path": "Defaults env_reset, \\\n  secure_path = /opt/bin:/usr/bin\n",
            "20-ignored.conf": "Defaults secure_path=/nope\n",  # has a dot: sudo skips it
            "30-backup~": "Defaults secure_path=/nope\n",
        },
    )
    value, source = parse_secure_path(path)
    assert value == ("/opt/bin", "/usr/bin") and source.endswith("10-path")


def test_secure_path_per_user_defaults_are_not_global(tmp_path: Path) -> None:
    path = sudoers(tmp_path, "Defaults:alice secure_path=/alice/bin\n")
    assert parse_secure_path(path) == (None, "not set")


def test_secure_path_disabled_and_missing(tmp_path: Path) -> None:
    path = sudoers(tmp_path, "Defaults secure_path=/usr/bin\nDefaults !secure_path\n")
    assert parse_secure_path(path)[0] is None and "disabled" in parse_secure_path(path)[1]
    assert parse_secure_path(str(tmp_path / "absent"))[1].startswith("missing")


def test_secure_path_unreadable_as_a_user(tmp_path: Path) -> None:
    path = sudoers(tmp_path, "Defaults secure_path=/usr/bin\n")
    os.chmod(path, 0o000)
    if os.geteuid() == 0:
        pytest.skip("root can read anything")
    assert parse_secure_path(path)[1].startswith("unreadable")


def write_conf(path: Path, text: str, mode: int = 0o644) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return str(path)


def test_pip_config_keys_are_normalised(tmp_path: Path) -> None:
    path = write_conf(
        tmp_path / "pip.conf",
        "[global]\nIndex_URL = https://example.com/simple\ntimeout = 60\n[install]\nonly-binary = :all:\n"
        "extra-index-url =\n  https://a.example/simple\n  https://b.example/simple\n",
    )
    conf = pipconf.read_config(path, "global", Accounts())
    assert conf.values == {
        "global.index-url": "https://example.com/simple",
        "install.only-binary": ":all:",
        "install.extra-index-url": "https://a.example/simple https://b.example/simple",
    }
    assert conf.mode == 0o644  # (readable_by_all also depends on the parents: pytest's tmp is private)


def test_pip_config_errors_and_unreadable(tmp_path: Path) -> None:
    bad = write_conf(tmp_path / "bad.conf", "index-url = no section\n")
    assert pipconf.read_config(bad, "global", Accounts()).error
    private = write_conf(tmp_path / "etc" / "pip.conf", "[global]\nrequire-virtualenv = true\n", 0o600)
    conf = pipconf.read_config(private, "global", Accounts())
    assert conf.readable_by_all is False
    assert not pipconf.read_config(str(tmp_path / "none.conf"), "user", Accounts()).exists


def test_pip_config_locations_and_environment(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_conf(home / ".config" / "pip" / "pip.conf", "[global]\nrequire-virtualenv = true\n")
    env = {"PIP_BREAK_SYSTEM_PACKAGES": "1", "PIP_INDEX_URL": "https://u:p@x.example/simple", "PIP_NO_CACHE_DIR": "1"}
    found = pipconf.collect(env, str(home), Accounts(), [])
    user = [c for c in found if c.scope == "user"]
    assert [c.path for c in user] == [str(home / ".config" / "pip" / "pip.conf")]
    [from_env] = [c for c in found if c.scope == "env"]
    assert from_env.values == {"env.break-system-packages": "1", "env.index-url": "https://u:p@x.example/simple"}
    assert pipconf.collect({"PIP_CONFIG_FILE": os.devnull}, str(home), Accounts(), [])[0].error


def test_site_config_per_interpreter_prefix(tmp_path: Path) -> None:
    write_conf(tmp_path / "venv" / "pip.conf", "[global]\nrequire-virtualenv = false\n")
    found = pipconf.collect({}, str(tmp_path / "nohome"), Accounts(), [str(tmp_path / "venv")])
    assert [c.scope for c in found if c.path.startswith(str(tmp_path))] == ["site"]


def test_redaction() -> None:
    assert redact("https://user:tok@host/simple https://h2/x") == "https://***@host/simple https://h2/x"
    assert environment({"PIP_INDEX_URL": "https://a:b@c/simple", "HOME": "/x"}) == {
        "PIP_INDEX_URL": "https://***@c/simple"
    }


MARKER = """[externally-managed]
Error=Use the package manager.
 Second line.
Error-de_DE=Nutze den Paketmanager.
Error-fr=Utilisez le gestionnaire.
"""


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "Use the package manager.\nSecond line."),
        ({"LANG": "de_DE.UTF-8"}, "Nutze den Paketmanager."),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "de_DE.UTF-8"}, "Utilisez le gestionnaire."),
        ({"LANG": "C.UTF-8"}, "Use the package manager.\nSecond line."),
    ],
)
def test_marker_text_in_the_users_language(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    (tmp_path / "EXTERNALLY-MANAGED").write_text(MARKER)
    marker = read_marker(str(tmp_path), env)
    assert marker.present and marker.error_text == expected


def test_marker_absent_or_odd(tmp_path: Path) -> None:
    assert read_marker(str(tmp_path), {}).present is False
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[other]\nx=1\n")
    odd = read_marker(str(tmp_path), {})
    assert odd.present and odd.problem and "section" in odd.problem


def test_os_release_and_venvs(tmp_path: Path) -> None:
    rel = tmp_path / "os-release"
    rel.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n# c\n')
    assert read_os_release(str(rel))["ID"] == "debian"
    home = tmp_path / "home"
    venv = home / ".venvs" / "default"
    venv.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\ninclude-system-site-packages = true\nversion = 3.11.2\n")
    (home / ".venvs" / "not-a-venv").mkdir()
    [found] = find_venvs(str(home), {}, str(tmp_path), Accounts())
    assert found.path == str(venv) and found.home == "/usr/bin" and found.system_site_packages
    assert found.version == "3.11.2"
