"""Detection against real machine states, built inside the mount-namespace sandbox with real tools.

Each test changes the sandbox's copy of the system (chown, chmod, useradd, pip.conf, a .pth file, a venv),
runs the real `pip-setup-wizard detect --json` against Debian's real /usr/bin/python3, checks the report,
and proves with before/after snapshots that detect itself changed nothing.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import diff_snapshots
from tests.harness.sandbox import Sandbox

PY = "/usr/bin/python3"
TARGET = "/usr/local/lib/python3.11/dist-packages"

pytestmark = pytest.mark.system


@pytest.fixture(autouse=True)
def _needs_debian_python() -> None:
    import os

    if not os.path.isfile("/usr/lib/python3.11/EXTERNALLY-MANAGED") or not os.path.isdir(TARGET):
        pytest.skip("needs Debian 12's /usr/bin/python3 with its EXTERNALLY-MANAGED marker")


def detect(box: Sandbox, *extra: str, user: str | None = None) -> dict:
    """Runs detect --json inside the sandbox and checks that it changed nothing."""
    before = box.snapshot()
    if user is None:
        result = box.run([sys.executable, "-m", "wizard", "detect", "--json", "--no-cache", "--python", PY, *extra])
    else:
        result = box.run(
            [PY, "-m", "wizard", "detect", "--json", "--no-cache", "--python", PY, *extra],
            user=user,
            env={"PYTHONPATH": box.python_path_for_users()},
        )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    after = box.snapshot()
    assert diff_snapshots(before, after) == [], "detect changed the machine"
    return result.json()


def interp(report: dict, path: str = PY) -> dict:
    return next(i for i in report["interpreters"] if i["path"] == path)


def finding_ids(report: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report["findings"]:
        out.setdefault(f["id"], []).append(f["severity"])
    return out


def test_marker_present(sandbox: Sandbox) -> None:
    report = detect(sandbox)
    py = interp(report)
    assert py["marker"]["present"] is True
    assert py["marker"]["path"] == "/usr/lib/python3.11/EXTERNALLY-MANAGED"
    assert "apt install" in py["marker"]["error_text"]
    assert "externally-managed" in finding_ids(report)
    assert py["approach"]["id"] == "none"


def test_marker_absent(sandbox: Sandbox) -> None:
    # An overlay over the real stdlib, with the marker deleted in the overlay only.
    upper, work = sandbox.base / "stdlib-upper", sandbox.base / "stdlib-work"
    upper.mkdir()
    work.mkdir()
    sandbox.ns(
        [
            "mount",
            "-t",
            "overlay",
            "overlay",
            "-o",
            f"lowerdir=/usr/lib/python3.11,upperdir={upper},workdir={work}",
            "/usr/lib/python3.11",
        ]
    )
    sandbox.sh("rm /usr/lib/python3.11/EXTERNALLY-MANAGED")
    report = detect(sandbox)
    assert interp(report)["marker"]["present"] is False
    assert "externally-managed" not in finding_ids(report)


def test_site_packages_owned_by_a_human_is_own_site_and_danger(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh(f"chown -R alice:alice {TARGET}")
    report = detect(sandbox)
    py = interp(report)
    assert py["approach"]["id"] == "own-site"
    assert any("alice" in e for e in py["approach"]["evidence"])
    danger = [f for f in report["findings"] if f["id"] == "root-path-writable" and TARGET in f["paths"]]
    assert danger and danger[0]["severity"] == "danger"
    assert "alice" in danger[0]["title"]
    assert report["summary"]["danger"] >= 1


def test_the_fix_command_works_and_never_follows_links(sandbox: Sandbox) -> None:
    """Run the finding's own fix command: root owns the tree again, outside files are untouched."""
    sandbox.add_user("alice")
    sandbox.sh(
        f"mkdir {TARGET}/pkg && echo x > {TARGET}/pkg/mod.py && echo secret > /home/alice/notes && "
        f"ln -s /home/alice/notes {TARGET}/pkg/link && echo y > /usr/local/lib/python3.11/outside && "
        f"ln /usr/local/lib/python3.11/outside {TARGET}/pkg/hard && "
        f"chown -R alice:alice {TARGET} /usr/local/lib/python3.11/outside && chmod 0777 {TARGET}/pkg"
    )
    report = detect(sandbox)
    [finding] = [f for f in report["findings"] if f["id"] == "root-path-writable" and TARGET in f["paths"]]
    outside = sandbox.snapshot(["/home/alice"])
    sandbox.sh(finding["fix"]["command"].replace("sudo ", ""))
    assert sandbox.snapshot(["/home/alice"]) == outside, "the fix changed a file outside the tree"
    after = detect(sandbox)
    assert interp(after)["approach"]["id"] == "none"
    assert not [f for f in after["findings"] if f["id"].startswith("root-path")]
    owners = sandbox.run(["stat", "-c", "%U %a %n", TARGET, f"{TARGET}/pkg", f"{TARGET}/pkg/mod.py"]).stdout
    assert owners.split("\n")[:3] == [f"root 755 {TARGET}", f"root 755 {TARGET}/pkg", f"root 644 {TARGET}/pkg/mod.py"]
    hard = sandbox.run(["stat", "-c", "%U", "/usr/local/lib/python3.11/outside"]).stdout.strip()
    assert hard == "alice", "a file with several hard links is left alone"


def test_site_packages_owned_by_a_pip_user_is_pip_user(sandbox: Sandbox) -> None:
    sandbox.add_user("pipinstall", system=True)
    sandbox.sh(f"chown -R pipinstall:pipinstall {TARGET}")
    report = detect(sandbox)
    assert interp(report)["approach"]["id"] == "pip-user"
    ids = finding_ids(report)
    assert ids["pip-user-can-change-root-code"] == ["warning"]
    assert "pip-user-account" in ids
    assert any(a["name"] == "pipinstall" and a["kind"] == "service" for a in report["machine"]["accounts"])


@pytest.mark.parametrize(("mode", "how"), [("g+w", "group"), ("o+w", "everyone")])
def test_group_or_world_writable_dir_on_roots_path(sandbox: Sandbox, mode: str, how: str) -> None:
    sandbox.add_user("alice")
    sandbox.sh(f"groupadd devs && usermod -a -G devs alice && chgrp devs {TARGET} && chmod {mode} {TARGET}")
    report = detect(sandbox)
    found = [f for f in report["findings"] if f["id"] == "root-path-writable" and TARGET in f["paths"]]
    assert found and found[0]["severity"] == "danger"
    assert ("group devs" if how == "group" else "every user") in found[0]["title"]
    assert interp(report)["approach"]["id"] == "own-site"


def test_site_packages_as_a_symlink_to_a_users_directory(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh(
        f"mv {TARGET} /home/alice/site && chown -R alice:alice /home/alice/site && ln -s /home/alice/site {TARGET}"
    )
    report = detect(sandbox)
    py = interp(report)
    assert py["approach"]["id"] == "own-site"
    assert f"{TARGET} is a symbolic link to /home/alice/site" in py["approach"]["evidence"]
    assert any(f["id"] == "root-path-writable" and "/home/alice/site" in f["paths"] for f in report["findings"])


def test_writable_parent_of_roots_path(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh("chown alice /usr/local/lib/python3.11")
    report = detect(sandbox)
    parents = [f for f in report["findings"] if f["id"] == "root-path-parent-writable"]
    assert parents and parents[0]["severity"] == "danger"
    assert "/usr/local/lib/python3.11" in parents[0]["paths"]


def test_pth_import_line_is_reported_and_never_executed(sandbox: Sandbox) -> None:
    proof = "/tmp/pth-ran"
    sandbox.sh(f'printf \'import os; open("{proof}", "w").close()\\n\' > {TARGET}/zz_hook.pth')
    report = detect(sandbox)
    hooks = [f for f in report["findings"] if f["id"] == "startup-hook" and f"{TARGET}/zz_hook.pth" in f["paths"]]
    assert hooks and hooks[0]["evidence"] == [f'import os; open("{proof}", "w").close()']
    assert sandbox.run(["test", "-e", proof]).returncode == 1, "detect executed the .pth file"
    # Control: a normal start of the same interpreter does run it, so the check above is meaningful.
    sandbox.sh(f"{PY} -c pass")
    assert sandbox.run(["test", "-e", proof]).returncode == 0


def test_pth_owned_by_a_human_is_a_warning(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh(f"echo 'import sys' > {TARGET}/aa.pth && chown alice {TARGET}/aa.pth")
    report = detect(sandbox)
    [hook] = [f for f in report["findings"] if f["id"] == "startup-hook" and f"{TARGET}/aa.pth" in f["paths"]]
    assert hook["severity"] == "warning"


def test_pip_config_risks(sandbox: Sandbox) -> None:
    sandbox.sh(
        "printf '[global]\\nindex-url = http://pypi.example.com/simple\\ntrusted-host = pypi.example.com\\n"
        "break-system-packages = true\\n' > /etc/pip.conf && chmod 644 /etc/pip.conf"
    )
    report = detect(sandbox)
    ids = finding_ids(report)
    assert ids["pip-config-plain-http"] == ["danger"]
    assert ids["pip-config-trusted-host"] == ["warning"]
    assert ids["pip-config-break-system-packages"] == ["warning"]
    conf = next(c for c in report["machine"]["pip_configs"] if c["path"] == "/etc/pip.conf")
    assert conf["values"]["global.index-url"] == "http://pypi.example.com/simple"


def test_pip_config_credentials_are_redacted(sandbox: Sandbox) -> None:
    sandbox.sh("printf '[global]\\nextra-index-url = https://bob:s3cret@corp.example/simple\\n' > /etc/pip.conf")
    report = detect(sandbox)
    conf = next(c for c in report["machine"]["pip_configs"] if c["path"] == "/etc/pip.conf")
    assert conf["values"]["global.extra-index-url"] == "https://***@corp.example/simple"
    assert "s3cret" not in str(report)


def test_unreadable_global_pip_config(sandbox: Sandbox) -> None:
    sandbox.sh("printf '[global]\\nrequire-virtualenv = true\\n' > /etc/pip.conf && chmod 600 /etc/pip.conf")
    assert "pip-config-unreadable" in finding_ids(detect(sandbox))


def test_venv_as_target(sandbox: Sandbox) -> None:
    sandbox.sh(f"{PY} -m venv --without-pip /root/venvs/demo")
    report = detect(sandbox, "--python", "/root/venvs/demo/bin/python")
    venv = interp(report, "/root/venvs/demo/bin/python")
    assert venv["is_venv"] is True
    assert venv["approach"]["id"] == "virtualenv"
    assert venv["used_by_root"] is False
    assert venv["pip_target"] == ["/root/venvs/demo/lib/python3.11/site-packages"]
    # The venv's python links to /usr/bin/python3.11 but is reported as its own interpreter.
    assert interp(report)["approach"]["id"] == "none"


def test_detect_as_a_normal_user(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    report = detect(sandbox, user="alice")
    assert report["machine"]["user"]["name"] == "alice"
    assert report["machine"]["user"]["euid"] != 0
    py = interp(report)
    assert py["marker"]["present"] is True
    assert py["approach"]["id"] == "none"
    assert report["machine"]["sudo"]["secure_path"] is None
    assert report["machine"]["sudo"]["secure_path_source"].startswith("unreadable")
    assert report["machine"]["sudo"]["passwordless"] is False


def test_passwordless_sudo_for_a_normal_user(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh(
        "echo 'alice ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/alice && chmod 440 /etc/sudoers.d/alice "
        "&& visudo -cf /etc/sudoers.d/alice"
    )
    report = detect(sandbox, user="alice")
    assert report["machine"]["sudo"]["passwordless"] is True
    assert report["machine"]["sudo"]["secure_path_source"] == "sudo -n -l"
    assert report["machine"]["sudo"]["secure_path"][:2] == ["/usr/local/sbin", "/usr/local/bin"]
    assert finding_ids(report)["passwordless-sudo"] == ["warning"]


def test_human_report_renders(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh(f"chown -R alice:alice {TARGET}")
    result = sandbox.run([sys.executable, "-m", "wizard", "detect", "--no-cache", "--no-color"], env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pip-setup-wizard doctor")
    assert "1 danger" in lines[1]
    assert "own-site" in result.stdout
    assert "$ sudo find /usr/local/lib/python3.11/dist-packages -xdev" in result.stdout
    fail = sandbox.run([sys.executable, "-m", "wizard", "detect", "--no-cache", "--json", "--fail-on", "danger"])
    assert fail.returncode == 3


def test_under_sudo_the_human_is_sudo_user_and_their_home_stays_theirs(sandbox: Sandbox) -> None:
    sandbox.add_user("alice")
    sandbox.sh("echo 'alice ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/alice && chmod 440 /etc/sudoers.d/alice")
    sandbox.sh(
        "mkdir -p /home/alice/.config/pip && printf '[global]\\nrequire-virtualenv = true\\n' > "
        "/home/alice/.config/pip/pip.conf && chown -R alice:alice /home/alice/.config"
    )
    home_before = sandbox.snapshot(["/home"])
    app = sandbox.python_path_for_users()
    result = sandbox.run(
        ["sudo", "-n", "env", f"PYTHONPATH={app}", PY, "-m", "wizard", "detect", "--json"], user="alice"
    )
    assert result.returncode == 0, result.stderr
    report = result.json()
    user = report["machine"]["user"]
    assert user["euid"] == 0 and user["sudo_user"] == "alice" and user["human_home"] == "/home/alice"
    assert any(c["path"] == "/home/alice/.config/pip/pip.conf" for c in report["machine"]["pip_configs"])
    assert "pip-config-require-virtualenv" in finding_ids(report)
    assert diff_snapshots(home_before, sandbox.snapshot(["/home"])) == [], "root wrote into the human's home"
    assert sandbox.run(["test", "-f", "/root/.cache/pip-setup-wizard/probes.json"]).returncode == 0
