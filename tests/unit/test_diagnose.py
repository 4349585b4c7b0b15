"""The approach in effect and the findings, over fixed machine states (every class, every finding)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.fixtures import machines as m
from wizard.diagnose import diagnose
from wizard.model import (
    Approach,
    Interpreter,
    MachineState,
    OwnerKind,
    PipConfigFile,
    PipInfo,
    ProbeStatus,
    Resolution,
    Severity,
    StartupHook,
    SudoInfo,
    TargetContents,
    UserSite,
    Writer,
)


def approach_of(state: MachineState, index: int = 0) -> Approach | None:
    view = diagnose(state).view(state.interpreters[index].path)
    assert view is not None
    return view.approach.id if view.approach else None


def findings(state: MachineState) -> dict[str, list[Severity]]:
    out: dict[str, list[Severity]] = {}
    for f in diagnose(state).findings:
        out.setdefault(f.id, []).append(f.severity)
    return out


@pytest.mark.parametrize(
    ("name", "index", "expected"),
    [
        ("debian-none", 0, Approach.NONE),
        ("debian-sudo-pip", 0, Approach.SUDO_PIP),
        ("debian-own-site", 0, Approach.OWN_SITE),
        ("debian-pip-user", 0, Approach.PIP_USER),
        ("debian-mixed", 0, Approach.MIXED),
        ("debian-venv", 1, Approach.VIRTUALENV),
        ("macos-homebrew-arm", 0, Approach.OWN_SITE),
        ("macos-homebrew-intel", 0, Approach.OWN_SITE),
        ("windows-user", 0, Approach.OWN_SITE),
        ("windows-all-users", 0, Approach.SUDO_PIP),
    ],
)
def test_approach_in_effect(name: str, index: int, expected: Approach) -> None:
    state = m.ALL[name]()
    assert approach_of(state, index) is expected
    view = diagnose(state).view(state.interpreters[index].path)
    assert view is not None and view.approach is not None and view.approach.evidence, "evidence is always given"


def test_every_approach_class_is_covered_by_a_fixture() -> None:
    seen = set()
    for factory in m.ALL.values():
        state = factory()
        for view in diagnose(state).views:
            if view.approach:
                seen.add(view.approach.id)
    assert seen == set(Approach)


def test_missing_target_means_none() -> None:
    state = m.debian(target=m.pinfo(m.DEBIAN_TARGET, exists=False))
    assert approach_of(state) is Approach.NONE
    assert "does not exist" in diagnose(state).views[0].approach.evidence[0]  # type: ignore[union-attr]


def test_unsupported_interpreter_has_no_approach() -> None:
    old = Interpreter(
        "/opt/py2/bin/python",
        "/opt/py2/bin/python2.7",
        ("--python",),
        ProbeStatus.UNSUPPORTED,
        error="Python 2.7.18 is too old to inspect (3.6 or later is needed)",
        version="2.7.18",
    )
    state = m.debian(interpreters=(old,))
    assert approach_of(state, 1) is None
    assert findings(state)["interpreter-unsupported"] == [Severity.WARNING]  # asked for with --python


def test_target_dirs_with_different_owners_are_mixed() -> None:
    platlib = "/usr/local/lib64/python3.11/site-packages"
    python = m.debian_python(pip_target=(m.DEBIAN_TARGET, platlib))
    state = m.debian(python=python, extra_paths=(m.pinfo(platlib, "alice", 1000),))
    assert approach_of(state) is Approach.MIXED


def test_service_and_human_writers_are_mixed() -> None:
    target = m.pinfo(
        m.DEBIAN_TARGET,
        "pipinstall",
        998,
        mode=0o775,
        group="staff",
        gid=50,
        writers=(
            Writer("owner", "pipinstall", OwnerKind.SERVICE),
            Writer("group", "staff", OwnerKind.HUMAN, ("alice",)),
        ),
    )
    state = m.debian(target=target, accounts=(m.ALICE, m.PIPINSTALL))
    assert approach_of(state) is Approach.MIXED


def test_group_without_members_grants_nothing_but_is_reported() -> None:
    target = m.pinfo(
        m.DEBIAN_TARGET, mode=0o775, group="staff", gid=50, writers=(Writer("group", "staff", OwnerKind.UNKNOWN, ()),)
    )
    state = m.debian(target=target)
    assert approach_of(state) is Approach.NONE
    assert findings(state)["root-path-writable"] == [Severity.WARNING]


@pytest.mark.parametrize(
    ("mode", "writers", "severity"),
    [
        (0o777, (Writer("everyone", "*", OwnerKind.HUMAN),), Severity.DANGER),
        (0o775, (Writer("group", "staff", OwnerKind.HUMAN, ("alice",)),), Severity.DANGER),
    ],
)
def test_group_or_world_writable_target(mode: int, writers: tuple[Writer, ...], severity: Severity) -> None:
    target = m.pinfo(m.DEBIAN_TARGET, mode=mode, group="staff", gid=50, writers=writers)
    state = m.debian(target=target)
    assert findings(state)["root-path-writable"] == [severity]
    assert approach_of(state) is Approach.OWN_SITE


def test_group_of_service_accounts_is_a_pip_user() -> None:
    target = m.pinfo(
        m.DEBIAN_TARGET,
        mode=0o775,
        group="daemons",
        gid=50,
        writers=(Writer("group", "daemons", OwnerKind.SERVICE, ("www-data",)),),
    )
    state = m.debian(target=target)
    assert approach_of(state) is Approach.PIP_USER
    f = next(f for f in diagnose(state).findings if f.id == "pip-user-can-change-root-code")
    assert "group daemons" in f.why


def test_writable_stdlib_and_parent() -> None:
    state = m.debian(
        extra_paths=(m.pinfo("/usr/lib/python3.11/lib-dynload", "alice", 1000), m.pinfo("/usr/local/lib", mode=0o777))
    )
    found = findings(state)
    assert found["root-path-writable"] == [Severity.DANGER]
    assert Severity.DANGER in found["root-path-parent-writable"]


def test_sticky_world_writable_parent_of_root_dir_is_fine() -> None:
    state = m.debian(extra_paths=(m.pinfo("/usr/local/lib", mode=0o1777),))
    assert "root-path-parent-writable" not in findings(state)


def test_nothing_dangerous_on_a_fresh_machine() -> None:
    found = findings(m.debian_none())
    assert not any(Severity.DANGER in sevs or Severity.WARNING in sevs for sevs in found.values()), found


def test_own_site_is_danger_with_a_fix() -> None:
    result = diagnose(m.debian_own_site())
    f = next(f for f in result.findings if f.id == "root-path-writable")
    assert f.severity is Severity.DANGER
    assert "alice" in f.title and m.DEBIAN_TARGET in f.title
    assert f.fix is not None and f.fix.command
    assert f.fix.command.startswith(f"sudo find {m.DEBIAN_TARGET} -xdev")
    assert "-exec chown -h root:root {} +" in f.fix.command and "-links 1" in f.fix.command
    assert "approach 3" in f.why
    assert f.cite and all("#" in c or c in ("python-site",) for c in f.cite)


def test_pip_user_finding() -> None:
    found = findings(m.debian_pip_user())
    assert found["pip-user-can-change-root-code"] == [Severity.WARNING]
    assert "root-path-writable" not in found
    assert "pip-user-account" in found


def test_mixed_reports_foreign_entries() -> None:
    assert findings(m.debian_mixed())["root-path-entries-foreign"] == [Severity.DANGER]


def test_private_interpreter_is_only_info() -> None:
    found = findings(m.macos_homebrew())
    assert found["own-site-private"] == [Severity.INFO]
    assert "root-path-writable" not in found


def test_intel_homebrew_is_used_by_root() -> None:
    state = m.macos_homebrew(intel=True)
    view = diagnose(state).views[0]
    assert view.used_by_root and any("sudo python3" in r for r in view.root_reasons)
    assert Severity.DANGER in findings(state)["root-path-writable"]


def test_startup_hook_severity_depends_on_owner() -> None:
    assert findings(m.with_hook(m.debian_none()))["startup-hook"] == [Severity.INFO]
    assert findings(m.with_hook(m.debian_none(), "alice", 1000))["startup-hook"] == [Severity.WARNING]


def test_sitecustomize_is_reported() -> None:
    python = m.debian_python(
        startup_hooks=(
            StartupHook("/usr/lib/python3.11/sitecustomize.py", "sitecustomize", (), "root", OwnerKind.ROOT),
        )
    )
    [f] = [f for f in diagnose(m.debian(python=python)).findings if f.id == "startup-hook"]
    assert "sitecustomize" in f.title and f.severity is Severity.INFO


def conf(values: dict[str, str], scope: str = "global", path: str = "/etc/pip.conf", **kw: object) -> PipConfigFile:
    return PipConfigFile(path, scope, True, True, 0o644, "root", values, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "scope", "expected"),
    [
        ({"global.index-url": "http://pypi.example.com/simple"}, "global", {"pip-config-plain-http": Severity.DANGER}),
        ({"global.index-url": "http://localhost:8080/simple"}, "global", {}),
        ({"install.find-links": "http://mirror.example/wheels"}, "user", {"pip-config-plain-http": Severity.DANGER}),
        ({"global.trusted-host": "pypi.example.com"}, "global", {"pip-config-trusted-host": Severity.WARNING}),
        (
            {"global.extra-index-url": "https://corp.example/simple"},
            "user",
            {"pip-config-extra-index": Severity.WARNING},
        ),
        ({"global.extra-index-url": "file:///opt/pypi/simple"}, "user", {"pip-config-extra-index": Severity.INFO}),
        ({"global.break-system-packages": "true"}, "global", {"pip-config-break-system-packages": Severity.WARNING}),
        ({"global.break-system-packages": "false"}, "global", {}),
        ({"global.break-system-packages": "true"}, "site", {}),
        ({"env.break-system-packages": "1"}, "env", {"pip-config-break-system-packages": Severity.WARNING}),
        ({"global.require-virtualenv": "yes"}, "user", {"pip-config-require-virtualenv": Severity.INFO}),
    ],
)
def test_pip_config_findings(values: dict[str, str], scope: str, expected: dict[str, Severity]) -> None:
    found = findings(m.debian(pip_configs=(conf(values, scope),)))
    got = {k: v[0] for k, v in found.items() if k.startswith("pip-config")}
    assert got == expected


def test_unreadable_global_config() -> None:
    state = m.debian(
        pip_configs=(
            PipConfigFile("/etc/pip.conf", "global", True, False, 0o600, "root", {"global.require-virtualenv": "true"}),
        )
    )
    f = next(f for f in diagnose(state).findings if f.id == "pip-config-unreadable")
    assert f.fix is not None and f.fix.command == "sudo chmod 644 /etc/pip.conf"


def test_invalid_config() -> None:
    state = m.debian(
        pip_configs=(
            PipConfigFile("/etc/pip.conf", "global", True, True, 0o644, "root", error="Source contains parsing errors"),
        )
    )
    assert "pip-config-invalid" in findings(state)


def pyenv_resolutions() -> tuple[Resolution, ...]:
    py = "/home/alice/.pyenv/versions/3.12.1/bin/python3"
    return (
        Resolution("python3", "/home/alice/.pyenv/shims/python3", py, py, via="pyenv shim, version 3.12.1"),
        Resolution("python", note="not found"),
        Resolution("pip3", "/home/alice/.pyenv/shims/pip3", "/x/pip3", py),
        Resolution("pip", "/home/alice/.pyenv/shims/pip", "/x/pip", py),
    )


def test_sudo_python_differs() -> None:
    pyenv = Interpreter(
        "/home/alice/.pyenv/versions/3.12.1/bin/python3",
        "/home/alice/.pyenv/versions/3.12.1/bin/python3.12",
        ("PATH", "pyenv"),
        ProbeStatus.OK,
        version="3.12.1",
        prefix="/x",
        base_prefix="/x",
    )
    state = m.debian(as_user="root", interpreters=(pyenv,), for_you=pyenv_resolutions())
    found = findings(state)
    assert found["sudo-python-differs"] == [Severity.WARNING]
    assert found["sudo-pip-differs"] == [Severity.WARNING]
    rows = {r.command: r for r in diagnose(state).lens}
    assert rows["python3"].same is False and rows["python3"].you_version == "3.12.1"
    assert rows["python3"].sudo_version == "3.11.2"


def test_same_python_under_sudo() -> None:
    state = m.debian(as_user="root")
    assert all(r.same for r in diagnose(state).lens if r.for_you.path)
    assert "sudo-python-differs" not in findings(state)


def test_venv_unavailable_on_debian() -> None:
    state = m.debian(python=m.debian_python(ensurepip=False))
    f = next(f for f in diagnose(state).findings if f.id == "venv-unavailable")
    assert f.fix is not None and f.fix.command == "sudo apt install python3-venv python3.11-venv"


def test_old_pip_ignores_marker() -> None:
    state = m.debian(python=m.debian_python(pip=PipInfo(True, "22.3.1", "/x/pip")))
    assert findings(state)["pip-ignores-marker"] == [Severity.WARNING]


def test_no_marker_no_finding() -> None:
    state = m.debian(python=m.debian_python(marker=None))
    assert "externally-managed" not in findings(state)


def test_user_scripts_not_on_path_and_user_installs() -> None:
    python = m.debian_python(
        user_site=UserSite(
            True,
            "/home/alice/.local",
            "/home/alice/.local/lib/python3.11/site-packages",
            "/home/alice/.local/bin",
            on_path=False,
        ),
        user_installed=("black", "click"),
    )
    found = findings(m.debian(python=python))
    assert found["user-scripts-not-on-path"] == [Severity.INFO]
    assert found["user-site-packages"] == [Severity.INFO]


def test_pip_in_distro_dir() -> None:
    python = m.debian_python(target_contents=(TargetContents(m.DEBIAN_DISTRO, 60, {"root": 60}, ("requests",), 59),))
    assert findings(m.debian(python=python))["pip-in-distro-dir"] == [Severity.WARNING]


def test_pythonpath() -> None:
    assert findings(m.debian(env={"PYTHONPATH": "/opt/lib"}))["pythonpath-set"] == [Severity.INFO]
    assert findings(m.debian(env={"PYTHONPATH": ":lib"}))["pythonpath-set"] == [Severity.WARNING]


def test_sudo_findings() -> None:
    assert findings(m.debian(sudo=SudoInfo(False)))["sudo-missing"] == [Severity.INFO]
    passwordless = SudoInfo(
        True, "/usr/bin/sudo", passwordless=True, secure_path=m.SECURE_PATH, secure_path_source="sudo -n -l"
    )
    assert findings(m.debian(sudo=passwordless))["passwordless-sudo"] == [Severity.WARNING]
    assert "passwordless-sudo" not in findings(m.debian(as_user="root"))


def test_running_as_root_and_pip_cache() -> None:
    cache = m.pinfo("/root/.cache/pip")
    assert "running-as-root" in findings(m.debian(as_user="root", extra_paths=(cache,)))
    theirs = m.pinfo("/home/alice/.cache/pip")  # root-owned cache in alice's home
    f = next(f for f in diagnose(m.debian(extra_paths=(theirs,))).findings if f.id == "pip-cache-not-yours")
    assert f.fix is not None and f.fix.command == "sudo chown -R alice: /home/alice/.cache/pip"


def test_wizard_artifact() -> None:
    state = replace(
        m.debian_none(), wizard_artifacts=(m.pinfo("/etc/sudoers.d/pip-setup-wizard", mode=0o440, type="file"),)
    )
    assert "wizard-artifact" in findings(state)


def test_findings_are_sorted_by_severity_and_unique() -> None:
    state = m.with_hook(m.debian_own_site(), "alice", 1000)
    result = diagnose(state).findings
    ranks = [f.severity.rank for f in result]
    assert ranks == sorted(ranks, reverse=True)
    keys = [(f.id, f.title) for f in result]
    assert len(keys) == len(set(keys))


def test_every_finding_id_is_exercised() -> None:
    """Each id in the catalogue is asserted by some test in this file (guards against dead rules)."""
    import re

    from wizard.diagnose.findings import FINDING_IDS

    tested = set(re.findall(r'"([a-z0-9-]+)"', Path(__file__).read_text()))
    assert tested >= FINDING_IDS, sorted(FINDING_IDS - tested)


def test_interpreter_error_finding() -> None:
    broken = Interpreter(
        "/usr/local/bin/notpython",
        "/usr/local/bin/notpython",
        ("--python",),
        ProbeStatus.ERROR,
        error="does not answer like a Python interpreter",
        hint="--python needs ...",
    )
    assert findings(m.debian(interpreters=(broken,)))["interpreter-error"] == [Severity.WARNING]


def test_symlinked_target_is_judged_by_the_real_directory() -> None:
    real = "/srv/site"
    link = m.pinfo(m.DEBIAN_TARGET, type="symlink", realpath=real, writers=())
    state = m.debian(target=link, extra_paths=(m.pinfo(real, "alice", 1000),))
    assert approach_of(state) is Approach.OWN_SITE
    view = diagnose(state).views[0]
    assert f"{m.DEBIAN_TARGET} is a symbolic link to {real}" in view.approach.evidence  # type: ignore[union-attr]
    found = [f for f in diagnose(state).findings if f.id == "root-path-writable"]
    assert found and found[0].paths == (real,) and found[0].severity is Severity.DANGER
