"""Provides the findings about pip's configuration and the environment (indexes, TLS, PEP 668 overrides)."""

from __future__ import annotations

import re

from wizard.diagnose.context import Context, q
from wizard.model import Finding, Fix, PipConfigFile, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

TRUE_WORDS = {"1", "true", "yes", "on"}
LOOPBACK = re.compile(r"^http://(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(/|$)")


def _conf_where(conf: PipConfigFile) -> str:
    return "the environment (PIP_* variables)" if conf.scope == "env" and not conf.path.startswith("/") else conf.path


def pip_config(ctx: Context) -> Iterator[Finding]:
    """Risky settings in pip's configuration files and PIP_* variables."""
    for conf in ctx.state.pip_configs:
        where = _conf_where(conf)
        for key, value in conf.values.items():
            name = key.split(".", 1)[1]
            if name in ("index-url", "extra-index-url", "find-links"):
                for url in value.split():
                    if url.startswith("http://") and not LOOPBACK.match(url):
                        yield Finding(
                            id="pip-config-plain-http",
                            severity=Severity.DANGER,
                            title=f"pip fetches packages over plain HTTP: {url}",
                            why=(
                                "The first answer of the 'risks of sudo pip' thread warns that a "
                                "man-in-the-middle could swap a package while it downloads. For PyPI that "
                                "was fixed long ago: pip has verified HTTPS certificates by default since "
                                f"version 1.3 (2013). An http:// location ({name} in {where}) brings the risk "
                                "back: anyone on the network path can replace what pip installs, and its "
                                "install code runs as whoever runs pip, which is root under sudo."
                            ),
                            fix=Fix(f"Use an https:// address for {name} in {where}."),
                            cite=("so-sudo-pip-risks#answer-1", "cve-2013-1629", "pip-config"),
                            paths=(conf.path,),
                            evidence=(f"{key} = {value}",),
                        )
                if name == "extra-index-url":
                    local = all(u.startswith("file:") for u in value.split())
                    yield Finding(
                        id="pip-config-extra-index",
                        severity=Severity.INFO if local else Severity.WARNING,
                        title=f"pip looks in more than one index ({where})",
                        why=(
                            "With extra-index-url pip takes the best version from every index it knows, so "
                            "a package on PyPI with the same name as one on the other index can win "
                            "('dependency confusion'), and its install code runs as whoever runs pip."
                            + (
                                " These extra indexes are local directories, so the risk is who can write to them."
                                if local
                                else ""
                            )
                        ),
                        fix=Fix(
                            "Prefer one index that mirrors PyPI, or pin exact files with hashes (--require-hashes)."
                        ),
                        cite=("pip-secure-installs", "pip-config"),
                        paths=(conf.path,),
                        evidence=(f"{key} = {value}",),
                    )
            elif name == "trusted-host":
                yield Finding(
                    id="pip-config-trusted-host",
                    severity=Severity.WARNING,
                    title=f"pip skips certificate checks for {value} ({where})",
                    why=(
                        "trusted-host tells pip not to verify TLS for those hosts (and to accept plain HTTP "
                        "from them): the man-in-the-middle opening from the first answer of the 'risks of "
                        "sudo pip' thread, which pip's HTTPS checks closed, is open again for them."
                    ),
                    fix=Fix(
                        f"Remove trusted-host from {where} and give pip the host's CA certificate "
                        "(the `cert` setting) if it uses its own."
                    ),
                    cite=("so-sudo-pip-risks#answer-1", "cve-2013-1629", "pip-config"),
                    paths=(conf.path,),
                    evidence=(f"{key} = {value}",),
                )
            elif name == "break-system-packages" and value.lower() in TRUE_WORDS and conf.scope != "site":
                yield Finding(
                    id="pip-config-break-system-packages",
                    severity=Severity.WARNING,
                    title=f"PEP 668 protection is switched off for every pip run ({where})",
                    why=(
                        "This setting makes pip ignore the EXTERNALLY-MANAGED marker, so a plain "
                        "`sudo pip install` may again overwrite or shadow the Python packages your "
                        "distribution installed: the second answer of the 'risks of sudo pip' thread warns "
                        "that the system's Python belongs to its package manager. PEP 668 guards against "
                        "accidents, not attacks, but this turns the guard off for everyone who reads this file."
                    ),
                    fix=Fix(
                        "Remove it; pass --break-system-packages on the rare command that needs it.",
                        "unset PIP_BREAK_SYSTEM_PACKAGES" if conf.scope == "env" else None,
                    ),
                    cite=("so-sudo-pip-risks#answer-2", "pep-668", "pip-changelog#23.0.1"),
                    paths=(conf.path,),
                    evidence=(f"{key} = {value}",),
                )
            elif name == "require-virtualenv" and value.lower() in TRUE_WORDS:
                yield Finding(
                    id="pip-config-require-virtualenv",
                    severity=Severity.INFO,
                    title=f"pip refuses to install outside a virtual environment ({where})",
                    why=(
                        "A guard-rail against installing into the wrong Python by accident; it is not a "
                        "security control (PIP_REQUIRE_VIRTUALENV=0 turns it off)."
                    ),
                    cite=("pip-config",),
                    paths=(conf.path,),
                    evidence=(f"{key} = {value}",),
                )
        if conf.exists and conf.scope == "global" and conf.readable_by_all is False:
            yield Finding(
                id="pip-config-unreadable",
                severity=Severity.WARNING,
                title=f"pip ignores {conf.path} for everyone but {conf.owner}",
                why=(
                    "pip silently skips a configuration file it cannot read, so settings meant for all users "
                    "(an index, require-virtualenv) do not apply to them."
                ),
                fix=Fix("Make it readable by all users.", f"sudo chmod 644 {q(conf.path)}"),
                cite=("pip-config",),
                paths=(conf.path,),
            )
        if conf.error and conf.exists:
            yield Finding(
                id="pip-config-invalid",
                severity=Severity.WARNING,
                title=f"pip cannot use {conf.path}: {conf.error}",
                why="pip stops with an error when a configuration file it reads cannot be parsed.",
                fix=Fix(f"Fix or remove {conf.path}."),
                cite=("pip-config",),
                paths=(conf.path,),
            )


def environment(ctx: Context) -> Iterator[Finding]:
    """PYTHONPATH and similar variables that change what every Python imports."""
    value = ctx.state.env.get("PYTHONPATH")
    if value is not None:
        entries = value.split(":")
        relative = [e for e in entries if not e.startswith("/")]
        yield Finding(
            id="pythonpath-set",
            severity=Severity.WARNING if relative else Severity.INFO,
            title="PYTHONPATH adds directories to every Python you start",
            why=(
                "Each Python you start imports from these directories first. "
                + (
                    "An empty or relative entry means the current directory, so a file in whatever "
                    "folder you are in can shadow a real module. "
                    if relative
                    else ""
                )
                + "sudo's env_reset removes PYTHONPATH, so it does not reach root."
            ),
            fix=Fix("Set it per project (or use a virtualenv) rather than in your shell's start-up files."),
            cite=("python-cmdline", "sudoers"),
            evidence=(f"PYTHONPATH={value}",),
        )
