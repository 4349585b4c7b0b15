"""Provides the planner for approach 4: a virtualenv of the person's own, plus optional shell and pip settings."""

from __future__ import annotations

import os

from wizard import safety
from wizard.plan import Check, CreateVenv, EnsureBlock, Plan, SetConfigKey
from wizard.safety import refuse
from wizard.strategies.common import Planning, venv_default
from wizard.textedit import block_body, get_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.plan import Step

SEED_DIR = "/usr/share/python-wheels"  # Debian's python3-pip-whl: lets uv seed pip without a network


def rc_file(shell: str, home: str) -> tuple[str, str]:
    """The person's shell start-up file, and which syntax it takes."""
    name = os.path.basename(shell or "")
    if name == "zsh":
        return os.path.join(home, ".zshrc"), "sh"
    if name == "fish":
        return os.path.join(home, ".config", "fish", "config.fish"), "fish"
    if name == "bash":
        return os.path.join(home, ".bashrc"), "sh"
    return os.path.join(home, ".profile"), "sh"


def rc_lines(mode: str, venv: str, syntax: str) -> tuple[str, ...]:
    """The block's lines: put the venv's bin on PATH, or activate the venv, in the shell's own syntax."""
    header = "# Added by pip-setup-wizard (virtualenv); `pip-setup-wizard undo` removes this block."
    bin_dir = os.path.join(venv, "bin")
    if syntax == "fish":
        line = f"fish_add_path --global --prepend {bin_dir}" if mode == "path" else f"source {bin_dir}/activate.fish"
    else:
        line = f'export PATH="{bin_dir}:$PATH"' if mode == "path" else f'. "{bin_dir}/activate"'
    return header, line


def _uv(pl: Planning) -> str | None:
    if pl.options.uv is False:
        return None
    found = pl.state.tools.get("uv")
    if found is None and pl.options.uv:
        raise refuse("--uv was given, but uv is not installed", "install uv, or leave out --uv", "uv-missing")
    return found


def virtualenv(pl: Planning) -> Plan:
    """Approach 4, as the person: the venv, then (optionally) a shell block and pip settings, then checks."""
    path = safety.normal(pl.options.venv or venv_default(pl.state, pl.human))
    if pl.options.venv and not pl.options.venv.startswith("/"):
        safety.check_absolute(pl.options.venv, "venv path")
    if pl.options.shell_rc not in ("none", "path", "activate"):
        raise refuse(
            f"--shell-rc {pl.options.shell_rc!r} is not one of none, path, activate",
            "pass --shell-rc none, path or activate",
            "shell-rc",
        )
    if pl.interp.is_venv:
        raise refuse(
            f"{pl.interp.path} is itself a virtualenv", "pass the base interpreter with --python", "python-is-venv"
        )
    pl.switch_from_applied()
    pl.revert_by_hand()
    if any(s.needs_root for s in pl.steps):
        pl.needs_root()
    # A revert earlier in this plan may bring the venv back: the dry run knows; otherwise ask the file system.
    restored = pl.system.stat(os.path.join(path, "pyvenv.cfg")).exists and not os.path.exists(path)
    state = "exists" if restored else safety.check_venv_path(path, pl.state, pl.interp)
    uv = _uv(pl)
    if state == "create":
        if uv is None and not (pl.interp.venv_module and pl.interp.ensurepip):
            raise refuse(
                f"{pl.interp.path} cannot create virtualenvs with pip (its venv/ensurepip support is missing)",
                "install python3-venv (sudo apt install python3-venv), or install uv",
                "venv-unavailable",
            )
        seed = SEED_DIR if uv and any(n.startswith("pip-") for n in _listdir(SEED_DIR)) else None
        pl.add(CreateVenv(why="system-untouched", path=path, python=pl.interp.path, uv=uv, seed=seed))
    else:
        pl.notes.append(f"{path} is already a virtualenv of {pl.interp.path}: it is kept as it is")
    if pl.options.shell_rc != "none":
        rc, syntax = rc_file(pl.human.shell, pl.human.home)
        lines = rc_lines(pl.options.shell_rc, path, syntax)
        current = (pl.system.as_user(pl.human).read(rc) or b"").decode("utf-8", "replace")
        if block_body(current) != list(lines):
            pl.add(EnsureBlock(why="no-root-needed", path=rc, lines=lines))
    conf = os.path.join(pl.human.home, ".config", "pip", "pip.conf")
    if pl.options.require_virtualenv:
        text = (pl.system.as_user(pl.human).read(conf) or b"").decode("utf-8", "replace")
        if get_key(text, "global", "require-virtualenv") != "true":
            pl.add(
                SetConfigKey(why="system-untouched", path=conf, key="require-virtualenv", value="true", as_user=True)
            )
    if pl.options.only_binary:
        venv_conf = os.path.join(path, "pip.conf")
        text = (pl.system.as_user(pl.human).read(venv_conf) or b"").decode("utf-8", "replace")
        if get_key(text, "global", "only-binary") != ":all:":
            pl.add(
                SetConfigKey(
                    why="venv-install-code-runs", path=venv_conf, key="only-binary", value=":all:", as_user=True
                )
            )
    checks: list[Step] = [
        Check(
            why="no-root-needed",
            # Importing pip's package (not all of pip: that alone takes longer than making the venv with uv)
            # proves the venv's interpreter runs as the person and finds the pip inside the venv.
            title=f"the venv's python runs as {pl.human.name} and finds the venv's own pip",
            argv=(os.path.join(path, "bin", "python"), "-I", "-c", "import pip; print(pip.__version__, pip.__file__)"),
            as_user=True,
            expect_in=os.path.join(path, "lib", ""),
        )
    ]
    if pl.options.require_virtualenv:
        checks.append(
            Check(
                why="system-untouched",
                title="pip outside a virtualenv refuses to install",
                argv=(
                    pl.interp.path,
                    "-m",
                    "pip",
                    "install",
                    "--no-index",
                    "--no-deps",
                    "pip-setup-wizard-smoke-check-nonexistent",
                ),
                as_user=True,
                expect_rc=None,
                expect_in="Could not find an activated virtualenv",
            )
        )
    pl.notes.append(
        f"use it with `{os.path.join(path, 'bin', 'pip')} install NAME`, or activate it: "
        f"`. {os.path.join(path, 'bin', 'activate')}`"
    )
    return pl.finish(checks)


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []
