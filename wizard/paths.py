"""Provides where the wizard keeps its own files (cache, state), the one owner of platformdirs."""

from __future__ import annotations

import os
import sys

APP_NAME = "pip-setup-wizard"

# The default name of the dedicated pip user (approach `pip-user`).
DEFAULT_PIP_USER = "pipinstall"
# sudoers(5) silently skips drop-ins whose names contain "." or end in "~": this name has neither.
SUDOERS_DROPIN = "/etc/sudoers.d/pip-setup-wizard"
# System files the wizard may create; detection reports any that exist.
WIZARD_ARTIFACTS = (SUDOERS_DROPIN,)

# Tests and packagers can move every file the wizard writes for a user under one directory.
HOME_OVERRIDE = "PIP_SETUP_WIZARD_HOME"


def _account_home() -> str:
    """The home directory of the effective user, from the account database.

    Under sudo, ``$HOME`` may still name the invoking human's home; files root writes there would end up
    root-owned in someone else's home. So root always uses its own account's home.
    """
    if sys.platform != "win32" and os.geteuid() == 0:
        import pwd

        return pwd.getpwuid(0).pw_dir
    return os.path.expanduser("~")


def cache_dir() -> str:
    """The per-user cache directory (probe results). Safe to delete at any time."""
    override = os.environ.get(HOME_OVERRIDE)
    if override:
        return os.path.join(override, "cache")
    if sys.platform.startswith("linux") or (sys.platform != "darwin" and sys.platform != "win32"):
        # Same answer as platformdirs.user_cache_dir on Linux, without its ~13 ms import on the
        # `detect --json` path (measured on the development machine).
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) and os.geteuid() != 0 else os.path.join(_account_home(), ".cache")
        return os.path.join(base, APP_NAME)
    import platformdirs

    return str(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def pip_cache_dir(home: str) -> str:
    """Where pip keeps its download cache for the person whose home is ``home`` (Linux layout)."""
    return os.path.join(home, ".cache", "pip")


def user_state_dir() -> str:
    """The per-user state directory: journals of a person's own changes, saved plans."""
    override = os.environ.get(HOME_OVERRIDE)
    if override:
        return os.path.join(override, "state")
    if sys.platform.startswith("linux"):
        # platformdirs' answer on Linux ($XDG_STATE_HOME or ~/.local/state), without its import cost.
        xdg = os.environ.get("XDG_STATE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(_account_home(), ".local", "state")
        return os.path.join(base, APP_NAME)
    import platformdirs

    return str(platformdirs.user_state_dir(APP_NAME, appauthor=False))
