"""Provides the findings: each rule reads the machine state and says what matters, why, and how to fix it.

The "why" of each finding is written in our own words and names the source post that raised the point
(citation keys resolve in ``content/sources.toml``); where a thread is outdated the text says what holds today.
Rules live in ``rules_paths`` (who can change code root runs), ``rules_config`` (pip's settings) and
``rules_system`` (sudo, PEP 668, venv support, the user site, the report itself).
"""

from __future__ import annotations

from wizard.diagnose import rules_config, rules_paths, rules_system
from wizard.diagnose.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from wizard.model import Finding

RULES: tuple[Callable[[Context], Iterator[Finding]], ...] = (
    rules_paths.root_paths,
    rules_paths.root_path_entries,
    rules_paths.private_own_site,
    rules_paths.startup_hooks,
    rules_config.pip_config,
    rules_config.environment,
    rules_system.sudo_lens,
    rules_system.venv_and_marker,
    rules_system.user_site,
    rules_system.distro_dirs,
    rules_system.sudo_facts,
    rules_system.failures,
    rules_system.housekeeping,
)

# Every id a rule can produce: the README documents each, and tests prove each can be produced.
FINDING_IDS = frozenset(
    {
        "root-path-writable",
        "root-path-parent-writable",
        "root-path-entries-foreign",
        "pip-user-can-change-root-code",
        "own-site-private",
        "startup-hook",
        "pip-config-plain-http",
        "pip-config-trusted-host",
        "pip-config-extra-index",
        "pip-config-break-system-packages",
        "pip-config-require-virtualenv",
        "pip-config-unreadable",
        "pip-config-invalid",
        "pythonpath-set",
        "sudo-python-differs",
        "sudo-pip-differs",
        "externally-managed",
        "pip-ignores-marker",
        "venv-unavailable",
        "user-scripts-not-on-path",
        "user-site-packages",
        "pip-in-distro-dir",
        "sudo-missing",
        "passwordless-sudo",
        "interpreter-unsupported",
        "interpreter-error",
        "running-as-root",
        "pip-cache-not-yours",
        "pip-user-account",
        "wizard-artifact",
    }
)

__all__ = ["FINDING_IDS", "RULES", "Context"]
