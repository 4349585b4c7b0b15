"""Helpers for the engine's system tests: a prepared sandbox, the wizard run as `sudo` by alice, snapshots.

The wizard runs as root with SUDO_USER=alice (what `sudo pip-setup-wizard ...` gives), so root steps run as root
and alice's own steps run as alice, exactly as on a real machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import sys
import zipfile

from tests.conftest import diff_snapshots
from tests.harness.sandbox import Result, Sandbox

PY = "/usr/bin/python3"
TARGET = "/usr/local/lib/python3.11/dist-packages"
WHEEL_DIR = "/tmp/wheels"
WHEEL = f"{WHEEL_DIR}/pswdemo-1.0-py3-none-any.whl"
WIZARD = [sys.executable, "-m", "wizard"]
# The wizard's own state (its journals and probe cache) and the account tools' backup copies (/etc/passwd- and
# friends, rewritten by every useradd/userdel) are not part of what the wizard set up or undid.
IGNORED = (
    "/var/lib/pip-setup-wizard",
    "/root/.cache/pip-setup-wizard",
    "/etc/passwd-",
    "/etc/group-",
    "/etc/shadow-",
    "/etc/gshadow-",
    "/etc/.pwd.lock",
    "/etc/subuid-",
    "/etc/subgid-",
)
APPROACH_FLAGS = {
    "sudo-pip": ["--only-binary"],
    "pip-user": ["--break-system-packages"],
    "own-site": [],
    "virtualenv": ["--shell-rc", "path", "--require-virtualenv"],
}
APPLY_FLAGS = {"own-site": ["--accept-risk", "privilege escalation"]}


def wheel_bytes() -> bytes:
    """A tiny, valid wheel (built by hand: no build backend, no network)."""
    files = {
        "pswdemo/__init__.py": b"VALUE = 42\n",
        "pswdemo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: pswdemo\nVersion: 1.0\n",
        "pswdemo-1.0.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append("pswdemo-1.0.dist-info/RECORD,,")
    files["pswdemo-1.0.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def prepare(box: Sandbox, uv: bool = True) -> None:
    """alice, uv in /usr/local/bin (fast venvs), and a local wheel everyone can read."""
    box.add_user("alice")
    if uv:
        src = os.path.join(os.path.dirname(sys.executable), "uv")
        if os.path.exists(src):
            shutil.copy(src, box.base / "uv")
            box.sh(f"install -m 0755 {box.base / 'uv'} /usr/local/bin/uv")
    box.sh(f"mkdir -p {WHEEL_DIR} && chmod 0755 {WHEEL_DIR}")
    (box.base / "wheel.whl").write_bytes(wheel_bytes())
    box.sh(f"install -m 0644 {box.base / 'wheel.whl'} {WHEEL}")


def wiz(
    box: Sandbox, *args: str, ok: bool = True, env: dict[str, str] | None = None, user: str | None = None
) -> Result:
    """Runs the wizard as `sudo` by alice (root with SUDO_USER=alice), or as ``user``."""
    full = {"COLUMNS": "140", "NO_COLOR": "1"}
    if user is None:
        full["SUDO_USER"] = "alice"
    full.update(env or {})
    argv = WIZARD if user is None else [PY, "-m", "wizard"]
    if user is not None:
        full["PYTHONPATH"] = box.python_path_for_users()
    result = box.run([*argv, *args], env=full, user=user)
    if ok:
        assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
    return result


def snap(box: Sandbox) -> dict:
    """A snapshot without the wizard's own state and the account tools' backup files."""
    data = box.snapshot()
    # Bytecode caches are written whenever Python runs and embed source timestamps: they are not set-up state.
    data["files"] = {
        k: v
        for k, v in data["files"].items()
        if not k.startswith(IGNORED) and k != "/root/.cache" and "/__pycache__" not in k
    }
    return data


def same(a: dict, b: dict) -> None:
    """Asserts two snapshots are identical, listing the differences if not."""
    diffs = diff_snapshots(a, b)
    assert not diffs, "\n".join(diffs[:40])


def apply(box: Sandbox, approach: str, *extra: str, env: dict[str, str] | None = None, ok: bool = True) -> Result:
    return wiz(
        box,
        "apply",
        approach,
        "--python",
        PY,
        *APPROACH_FLAGS[approach],
        *APPLY_FLAGS.get(approach, []),
        *extra,
        "--yes",
        env=env,
        ok=ok,
    )


def as_alice(box: Sandbox, script: str) -> Result:
    return box.run(["sh", "-c", script], user="alice")
