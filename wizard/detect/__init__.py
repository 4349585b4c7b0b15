"""Provides ``detect()``: the read-only look at this machine that every other part of the wizard starts from.

Nothing here changes the machine. Interpreters are probed in subprocesses with ``-E -s -S -B`` (no
site-packages code of theirs runs), in parallel, with a timeout each; everything else is read with
``lstat``/``open``. Platform differences live in this package (and in ``paths``/``proc``) only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from wizard.detect import machine, pipconf, sudo
from wizard.detect.cache import ProbeCache
from wizard.detect.discover import Discovery, discover, is_executable
from wizard.detect.fsinfo import Inspector
from wizard.detect.interp import ProbeBatch, probe_version
from wizard.model import Account, Interpreter, MachineState, OwnerKind, PipConfigFile, Resolution, SudoInfo
from wizard.paths import DEFAULT_PIP_USER, WIZARD_ARTIFACTS, pip_cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class DetectOptions:
    """What to look at and how.

    Attributes:
        pythons: extra interpreters to inspect (``--python``), reported even when they are not Python.
        timeout: seconds each interpreter may take to answer the probe.
        use_cache: reuse probe answers for unchanged interpreter binaries.
        env: the environment to read (default: this process's).
        cwd: the working directory (pyenv ``.python-version`` lookup, ``./.venv``).
    """

    pythons: Sequence[str] = ()
    timeout: float = DEFAULT_TIMEOUT
    use_cache: bool = True
    env: Mapping[str, str] | None = None
    cwd: str | None = None


def detect(options: DetectOptions | None = None) -> MachineState:
    """Looks at the machine and returns every fact the report and the planners need."""
    options = options or DetectOptions()
    env = options.env if options.env is not None else os.environ
    cwd = options.cwd or os.getcwd()
    inspector = Inspector()
    accounts = inspector.accounts
    user = machine.user_info(env)
    path_dirs = tuple(d for d in env.get("PATH", "").split(os.pathsep) if d)

    sudo_bin = sudo.find_sudo(path_dirs)
    password_check = sudo.start_passwordless_check(sudo_bin) if sudo_bin and not user.is_root else None
    secure_path, secure_source = sudo.parse_secure_path() if sudo_bin else (None, "sudo is not installed")
    platform = machine.platform_info()
    tools = machine.tools(path_dirs)
    passwordless: bool | None = None
    if user.is_root:
        passwordless = True if sudo_bin else None
    elif password_check is not None:
        passwordless = password_check.result().ok
        if passwordless and secure_path is None and secure_source.startswith("unreadable"):
            listed = sudo.secure_path_from_listing(password_check.argv[0])
            if listed:
                secure_path, secure_source = listed, "sudo -n -l"

    found = discover(env, cwd, user.human_home, path_dirs, secure_path, options.pythons)
    for_you = _canonical(machine.resolve_all(path_dirs, found), found, "PATH")
    under_sudo = None
    if sudo_bin:
        # Without secure_path, sudo keeps the caller's PATH (sudoers(5), env_reset).
        keeps_path = secure_source == "not set" or secure_source.startswith("disabled")
        sudo_dirs = secure_path if secure_path is not None else (path_dirs if keeps_path else None)
        if sudo_dirs is not None:
            under_sudo = _canonical(machine.resolve_all(sudo_dirs, found), found, "sudo")
    batch = ProbeBatch(list(found.candidates.values()), ProbeCache(probe_version(), options.use_cache), options.timeout)

    # Gathered while the probes run.
    venvs = machine.find_venvs(user.human_home, env, cwd, accounts)
    artifacts = [inspector.inspect(p) for p in WIZARD_ARTIFACTS]
    if platform.system == "linux":
        inspector.inspect(pip_cache_dir(user.human_home))

    outcomes = batch.results()
    interpreters = tuple(o.interpreter(inspector, env, path_dirs) for o in outcomes)
    batch.cache.save()

    prefixes = [i.prefix for i in interpreters if i.prefix]
    pip_configs = pipconf.collect(env, user.human_home, accounts, list(dict.fromkeys(prefixes)))
    pip_configs = [_redacted(c) for c in pip_configs]

    return MachineState(
        platform=platform,
        user=user,
        sudo=SudoInfo(
            installed=sudo_bin is not None,
            path=sudo_bin,
            passwordless=passwordless,
            secure_path=secure_path,
            secure_path_source=secure_source,
        ),
        env=machine.environment(env),
        path_dirs=path_dirs,
        pip_configs=tuple(pip_configs),
        tools=tools,
        venvs=tuple(venvs),
        accounts=_accounts(inspector, interpreters),
        wizard_artifacts=tuple(a for a in artifacts if a.exists),
        for_you=for_you,
        under_sudo=under_sudo,
        interpreters=interpreters,
        paths=tuple(sorted(inspector.seen.values(), key=lambda p: p.path)),
    )


def _canonical(resolutions: Sequence[Resolution], found: Discovery, how: str) -> tuple[Resolution, ...]:
    """Adds the interpreters behind resolved commands, and names each by its discovered path."""
    out = []
    for res in resolutions:
        if res.interpreter and is_executable(res.interpreter):
            key = found.add(res.interpreter, how)
            if key is not None:
                res = replace(res, interpreter=found.candidates[key].path)
        out.append(res)
    return tuple(out)


def _redacted(conf: PipConfigFile) -> PipConfigFile:
    return replace(conf, values={k: machine.redact(v) for k, v in conf.values.items()})


def _accounts(inspector: Inspector, interpreters: Sequence[Interpreter]) -> tuple[Account, ...]:
    """The accounts that matter: the default pip user, and every non-root owner of an inspected path."""
    accounts = inspector.accounts
    out: dict[str, Account] = {}
    default = accounts.user_by_name(DEFAULT_PIP_USER)
    if default:
        out[default.name] = default
    uids = {p.uid for p in inspector.seen.values() if p.uid not in (None, 0)}
    for interp in interpreters:
        for contents in interp.target_contents:
            for name in contents.owners:
                uid = accounts.uid_of(name)
                if uid:
                    uids.add(uid)
    for uid in sorted(u for u in uids if u is not None):
        acct = accounts.account(uid)
        if acct and acct.name not in out:
            out[acct.name] = acct
        elif acct is None:
            out[str(uid)] = Account(str(uid), uid, -1, "", "", OwnerKind.UNKNOWN)
    return tuple(out.values())
