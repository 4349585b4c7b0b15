"""Provides the recommendation: a few answers plus what detection found → an approach, a runner-up, reasons.

Pure and deterministic (table-tested). Reasons name the ids of risks, benefits and views in ``content/`` so that
every front end can link to the full explanation. It never recommends ``own-site`` (on a shared machine that
would hand every user's account a path to the others; on any machine approach 2 gives the same convenience
without it), always names pipx / ``uv tool`` for command-line applications, and the distribution's package
manager where packages must be system-wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.errors import WizardError
from wizard.model import Approach, MachineState

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from wizard.model import Diagnosis


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the questionnaire; ``choices`` are (value, label) pairs."""

    id: str
    prompt: str
    help: str
    choices: tuple[tuple[str, str], ...]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "shared",
        "Does anyone else use this machine?",
        "Other people's accounts, or services run for others, make a path from one account to root matter more.",
        (("no", "No, only me"), ("yes", "Yes, it is shared")),
    ),
    Question(
        "system_wide",
        "Must root, system tools or other users import the packages you install?",
        "For example, a script that root runs from cron needs a library. Most people only need packages in "
        "their own projects.",
        (("no", "No, only my own projects and tools"), ("yes", "Yes, some must be system-wide")),
    ),
    Question(
        "experimental",
        "Will you try packages you do not know well?",
        "New, unfamiliar or experimental packages, or anything you found a minute ago.",
        (("yes", "Yes, sometimes"), ("no", "No, only well-known ones")),
    ),
    Question(
        "kind",
        "What do you mostly install?",
        "Libraries are imported by your code; applications are commands you run (black, httpie, ...).",
        (("libraries", "Libraries for my own code"), ("apps", "Command-line applications"), ("both", "Both")),
    ),
    Question(
        "sudo",
        "Can you use sudo on this machine?",
        "Approaches 1 to 3 need root to set up or to install; a virtualenv does not.",
        (("yes", "Yes"), ("no", "No")),
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


class AnswersError(WizardError):
    """Answers that cannot be used (unknown key, invalid value, missing)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message, hint=hint, ref="answers-invalid")


@dataclass(frozen=True, slots=True)
class Answers:
    """The questionnaire's answers."""

    shared: bool
    system_wide: bool
    experimental: bool
    kind: str  # "libraries" | "apps" | "both"
    sudo: bool

    def to_dict(self) -> dict[str, Any]:
        """The answers as a file would hold them."""
        return {
            "shared": self.shared,
            "system_wide": self.system_wide,
            "experimental": self.experimental,
            "kind": self.kind,
            "sudo": self.sudo,
        }


def parse_answer(question: Question, value: object, source: str) -> object:
    """One answer, checked: booleans for yes/no questions, a listed value otherwise."""
    allowed = [v for v, _label in question.choices]
    if allowed == ["no", "yes"] or allowed == ["yes", "no"]:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    elif isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    raise AnswersError(
        f"{source}: {question.id} = {value!r} is not a valid answer",
        hint=f"{question.id} takes one of: {', '.join(allowed)}",
    )


def parse_answers(data: Mapping[str, object], source: str) -> dict[str, object]:
    """Checks the answers given so far: no unknown question, every value valid."""
    unknown = sorted(set(data) - set(QUESTION_IDS))
    if unknown:
        raise AnswersError(
            f"{source}: unknown question {unknown[0]!r}", hint=f"the questions are: {', '.join(QUESTION_IDS)}"
        )
    by_id = {q.id: q for q in QUESTIONS}
    return {key: parse_answer(by_id[key], value, source) for key, value in data.items()}


def answers_from(data: Mapping[str, object], source: str, defaults: Mapping[str, object] | None = None) -> Answers:
    """Complete, checked answers; ``defaults`` fill what is missing, if given."""
    values = parse_answers(data, source)
    missing = [q.id for q in QUESTIONS if q.id not in values]
    if missing and defaults is not None:
        values.update(parse_answers({k: defaults[k] for k in missing if k in defaults}, "default"))
        missing = [q.id for q in QUESTIONS if q.id not in values]
    if missing:
        raise AnswersError(
            f"{source}: no answer for {', '.join(missing)}",
            hint="answer every question (a file with all keys, or the matching flags), or add "
            "--defaults to accept the defaults for the rest",
        )
    return Answers(**values)  # type: ignore[arg-type]


def load_answers_file(path: str) -> dict[str, object]:
    """Reads answers from a TOML or JSON file (by content: JSON if it starts with ``{``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise WizardError(
            f"cannot read {path}: {exc.strerror}", hint="check the file name", ref="answers-unreadable"
        ) from None
    try:
        if text.lstrip().startswith("{"):
            import json

            data = json.loads(text)
        else:
            from wizard.texts import toml_loads

            data = toml_loads(text)
    except ValueError as exc:
        raise AnswersError(
            f"{path} is neither valid JSON nor valid TOML: {exc}",
            hint='write it like: shared = false, system_wide = false, kind = "libraries"',
        ) from None
    if not isinstance(data, dict):
        raise AnswersError(f"{path} must hold a table of answers", hint=f"keys: {', '.join(QUESTION_IDS)}")
    return data


# --- machine facts ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """What the recommendation needs to know about the machine."""

    marker: bool = False
    venv_ready: bool = True
    pipx: bool = False
    uv: bool = False
    in_effect: str | None = None
    package_manager: str | None = None  # "apt" | "dnf" | "brew" | None
    sudo_installed: bool = True

    @classmethod
    def from_state(cls, state: MachineState, diagnosis: Diagnosis) -> Facts:
        """Reads the facts from detection."""
        from wizard.diagnose.roles import system_python, you_python

        system = system_python(state) or you_python(state)
        view = diagnosis.view(system.path) if system else None
        pm = (
            "apt"
            if "apt-get" in state.tools
            else "dnf"
            if "dnf" in state.tools
            else ("brew" if "brew" in state.tools else None)
        )
        return cls(
            marker=bool(system and system.marker and system.marker.present),
            venv_ready=bool(system is None or (system.venv_module is not False and system.ensurepip is not False)),
            pipx="pipx" in state.tools,
            uv="uv" in state.tools,
            in_effect=view.approach.id.value if view and view.approach else None,
            package_manager=pm,
            sudo_installed=state.sudo.installed or state.user.is_root,
        )

    def default_answers(self) -> dict[str, object]:
        """Sensible defaults for unanswered questions on this machine."""
        return {
            "shared": False,
            "system_wide": False,
            "experimental": True,
            "kind": "both",
            "sudo": self.sudo_installed,
        }


# --- the recommendation -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason, and the content ids (risks, benefits, views) that explain it."""

    text: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alternative:
    """A tool outside the four approaches that fits part of the need (pipx, uv tool, the package manager)."""

    tool: str
    text: str
    command: str | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The outcome: an approach, a runner-up, why, and what else to use."""

    approach: str
    reasons: tuple[Reason, ...]
    runner_up: str | None
    runner_up_reasons: tuple[Reason, ...]
    alternatives: tuple[Alternative, ...]

    def links(self) -> set[str]:
        """Every content id the reasons name."""
        return {link for r in (*self.reasons, *self.runner_up_reasons) for link in r.links}

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``recommend --json``)."""

        def reasons(rs: tuple[Reason, ...]) -> list[dict[str, Any]]:
            return [{"text": r.text, "links": list(r.links)} for r in rs]

        return {
            "approach": self.approach,
            "reasons": reasons(self.reasons),
            "runner_up": self.runner_up,
            "runner_up_reasons": reasons(self.runner_up_reasons),
            "alternatives": [{"tool": a.tool, "text": a.text, "command": a.command} for a in self.alternatives],
        }


def _venv_reasons(a: Answers, f: Facts) -> list[Reason]:
    out = [
        Reason(
            "Root and the system never import from your virtualenv, so nothing you install there gains a "
            "path to root, and the distribution's Python stays as the package manager left it.",
            ("system-untouched", "venv-no-different"),
        )
    ]
    if a.experimental:
        out.append(
            Reason(
                "Unfamiliar packages run their install code as you, in a directory only you use, instead "
                "of as root or in a place root imports from.",
                ("root-runs-install-code", "anything-you-run-reaches-root"),
            )
        )
    out.append(
        Reason(
            "It needs no sudo, and PEP 668's marker does not apply inside it."
            if f.marker
            else "It needs no sudo at all.",
            ("no-root-needed",),
        )
    )
    if not a.sudo:
        out.append(
            Reason(
                "Without sudo the other approaches are out of reach: each needs root to install or to set up.",
                ("no-root-needed",),
            )
        )
    if a.system_wide and not a.sudo:
        out.append(
            Reason(
                "Packages that must be system-wide are for an administrator to install, preferably from "
                "the distribution's packages.",
                ("sudo-pip-breaks-distro",),
            )
        )
    if not f.venv_ready:
        out.append(
            Reason(
                "This Python cannot create virtualenvs with pip in them yet: install its venv support "
                "first" + (" (or use uv, which is installed)." if f.uv else "."),
                ("venv-tooling",),
            )
        )
    out.append(
        Reason(
            "What it does not do: installed code still runs as you, with access to your files.",
            ("venv-code-runs-as-you",),
        )
    )
    return out


def _pip_user_reasons(a: Answers, f: Facts) -> list[Reason]:
    out = [
        Reason(
            "Packages root or other users need can be system-wide while their install code runs as a "
            "locked-down account, not as root.",
            ("install-code-is-confined", "root-runs-install-code"),
        ),
        Reason(
            "Programs running as you still cannot change what root imports.",
            ("you-do-not-own-it", "anything-you-run-reaches-root"),
        ),
        Reason(
            "What remains: the pip user can change code root runs, so install only packages you trust this way.",
            ("pip-user-can-change-root-code", "sudo-rule-is-a-key"),
        ),
    ]
    if f.marker:
        out.append(
            Reason(
                "This Python is marked externally managed (PEP 668): the pip user needs its own opt-in "
                "override, and apt's packages can still be shadowed.",
                ("pip-user-breaks-distro",),
            )
        )
    if a.kind != "libraries":
        out.append(
            Reason(
                "Packages that install commands need the root-owned scripts directory; use pipx or uv "
                "tool for applications instead.",
                ("pip-user-cannot-write-everywhere",),
            )
        )
    return out


def _sudo_pip_reasons(a: Answers, f: Facts) -> list[Reason]:
    out = [
        Reason(
            "Only for a few well-known packages that root must import and the distribution does not "
            "package: after installing, nothing but root can change them.",
            ("locked-after-install", "trusted-packages-are-like-other-programs"),
        ),
        Reason(
            "Their install code runs as root, so prefer wheels only (--only-binary :all:) and pinned versions.",
            ("root-runs-install-code",),
        ),
    ]
    if f.marker:
        out.append(
            Reason(
                "On this PEP 668 system every such install needs --break-system-packages.", ("sudo-pip-breaks-distro",)
            )
        )
    return out


def recommend(a: Answers, f: Facts) -> Recommendation:
    """The recommendation for these answers on a machine with these facts."""
    if a.system_wide and a.sudo and not a.experimental:
        approach, reasons = "pip-user", _pip_user_reasons(a, f)
        if a.shared:
            runner, runner_reasons = "virtualenv", _venv_reasons(a, f)
        else:
            runner, runner_reasons = "sudo-pip", _sudo_pip_reasons(a, f)
    else:
        approach, reasons = "virtualenv", _venv_reasons(a, f)
        runner, runner_reasons = None, []
        if a.sudo:
            runner = "pip-user"
            runner_reasons = _pip_user_reasons(a, f)
            if not a.system_wide:
                runner_reasons.insert(
                    0,
                    Reason(
                        "Only if you later need packages that root or other users import: "
                        "a pip user keeps their install code away from root.",
                        ("install-code-is-confined",),
                    ),
                )
            else:
                runner_reasons.insert(
                    0,
                    Reason(
                        "For the few packages that must be system-wide, keep the "
                        "experiments in virtualenvs and install those through a pip "
                        "user.",
                        ("install-code-is-confined",),
                    ),
                )
    if f.in_effect == Approach.OWN_SITE.value:
        reasons.insert(
            0,
            Reason(
                "Right now you (or another person) own the system's site-packages: switching "
                "removes a path from that account to root.",
                ("anything-you-run-reaches-root",),
            ),
        )
    elif f.in_effect == Approach.MIXED.value:
        reasons.insert(
            0,
            Reason(
                "Right now the system's site-packages holds packages owned by someone other than "
                "root; switching cleans that up.",
                ("anything-you-run-reaches-root",),
            ),
        )
    return Recommendation(approach, tuple(reasons), runner, tuple(runner_reasons), _alternatives(a, f))


def _alternatives(a: Answers, f: Facts) -> tuple[Alternative, ...]:
    out = []
    if a.kind in ("apps", "both"):
        if f.uv and not f.pipx:
            out.append(
                Alternative(
                    "uv tool",
                    "For command-line applications: each gets its own virtualenv, and "
                    "only its commands go on your PATH.",
                    "uv tool install NAME",
                )
            )
        else:
            install = (
                ""
                if f.pipx
                else (
                    " (install it with `sudo apt install pipx`)"
                    if f.package_manager == "apt"
                    else " (install it with your package manager)"
                )
            )
            out.append(
                Alternative(
                    "pipx",
                    "For command-line applications: each gets its own virtualenv, and only "
                    f"its commands go on your PATH{install}. `uv tool install` does the same.",
                    "pipx install NAME",
                )
            )
    if a.system_wide:
        command = {
            "apt": "sudo apt install python3-NAME",
            "dnf": "sudo dnf install python3-NAME",
            "brew": "brew install NAME",
        }.get(f.package_manager or "")
        out.append(
            Alternative(
                "package manager",
                "For libraries root or system tools must import: your "
                "distribution's package, when it has one, is maintained and upgraded with the "
                "system.",
                command,
            )
        )
    return tuple(out)
