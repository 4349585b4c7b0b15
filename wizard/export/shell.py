"""Provides the POSIX sh script: the plan's steps as calls of the shared library, after the same preflight checks.

``set -eu``, everything quoted (each value is one ``shlex.quote``d word), no bashisms; it refuses to run as the
wrong user, says what it does step by step, changes nothing on a second run, and ``--check`` reports what would
change without changing it. Steps that belong to the person run as them (``runuser``), like `apply` runs them.
"""

from __future__ import annotations

import shlex

from wizard.export import Facts, edit_call, edit_program, guards, header, library, library_call, names
from wizard.plan import (
    ROOT,
    USER,
    Check,
    CreateUser,
    CreateVenv,
    DeleteUser,
    EnsureBlock,
    RemoveBlock,
    RemoveFile,
    SetConfigKey,
    UnsetConfigKey,
    WriteFile,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from wizard.plan import Plan, Step

MODE = '"$PSW_MODE"'

# What the script does around the steps: options, who may run it, running as the person, reporting.
FRAME = """\
PSW_MODE=apply
case ${1-} in
    '') ;;
    --check | -n) PSW_MODE=check ;;
    -h | --help)
        echo "usage: sh $0 [--check]   (--check: say what would change, change nothing)"
        exit 0
        ;;
    *)
        echo "pip-setup-wizard export: unknown option '$1'" >&2
        echo "  fix: run it without options, or with --check to change nothing" >&2
        exit 2
        ;;
esac

PSW_CHANGED=0

psw_as_person() {  # COMMAND...: run as the person (library functions included), in / with their own HOME
    if [ "$(id -un)" = "$PSW_PERSON" ]; then
        "$@"
        return
    fi
    runuser -u "$PSW_PERSON" -- env -i HOME="$PSW_HOME" USER="$PSW_PERSON" LOGNAME="$PSW_PERSON" \\
        PATH="$PATH" LANG="${LANG:-C.UTF-8}" PSW_PYTHON="$PSW_PYTHON" PSW_EDIT="${PSW_EDIT-}" \\
        /bin/sh -c "$PSW_LIB"'
cd / && "$@"' psw "$@"
}

psw_step() {  # NUMBER TEXT
    printf '[%s/%s] %s\\n' "$1" "$PSW_STEPS" "$2"
}

psw_do() {  # COMMAND...: a change; prints what it changed, or that all was in place
    psw_out=$("$@")
    if [ -n "$psw_out" ]; then
        printf '%s\\n' "$psw_out" | sed 's/^/  /'
        PSW_CHANGED=$((PSW_CHANGED + 1))
    else
        echo "  already in place"
    fi
}

psw_verify() {  # COMMAND...: a read-only check of the result (it needs the changes, so not in check mode)
    if [ "$PSW_MODE" = check ]; then
        echo "  skipped in check mode"
        return 0
    fi
    "$@"
    echo "  ok"
}
"""


def q(text: str) -> str:
    return shlex.quote(text)


def words(*parts: str) -> str:
    return " ".join(q(p) for p in parts)


def call(step: Step) -> str:
    """The sh line that makes ``step``'s change (or its check)."""
    person = "psw_as_person " if step.scope == USER else ""
    found = library_call(step)
    if found is not None:
        return f"psw_do {person}{found[0]} {MODE} {words(*found[1:])}"
    if isinstance(step, CreateUser):
        return f"psw_do psw_create_user {MODE} {q(step.name)} {step.command()}"
    if isinstance(step, DeleteUser):
        return f"psw_do psw_delete_user {MODE} {q(step.name)}"
    if isinstance(step, WriteFile):
        owner = ("-", "-") if step.scope == USER else (step.owner, step.group)
        args = words(step.path, *owner, f"{step.mode:04o}", step.validate or "-")
        return f"psw_do {person}psw_write_file {MODE} {args} \\\n    {q(step.content)}"
    if isinstance(step, RemoveFile):
        return f"psw_do {person}psw_remove_file {MODE} {q(step.path)}"
    if isinstance(step, (EnsureBlock, RemoveBlock, SetConfigKey, UnsetConfigKey)):
        return f"psw_do {person}psw_edit {MODE} {words(*edit_call(step))}"
    if isinstance(step, CreateVenv):
        scratch = step.scratch if step.uv else ""
        return f"psw_do psw_as_person psw_make_venv {MODE} {words(step.path, scratch, step.command())}"
    if isinstance(step, Check):
        rc = "-" if step.expect_rc is None else str(step.expect_rc)
        expect = words(rc, step.expect_in or "-", "absent" if step.expect_absent else "present")
        return f"psw_verify {person}psw_expect {expect} {words(*step.argv)}"
    raise AssertionError(f"no export for the step kind {step.kind}")  # Revert is refused before rendering


def heredoc(variable: str, text: str) -> str:
    """``VARIABLE=$(cat <<'END' ... END)``: the text exactly, nothing expanded in it."""
    end = f"{variable}_END"
    assert f"\n{end}\n" not in f"\n{text}\n", "the text must not contain its own end marker"
    return f"{variable}=$(cat <<'{end}'\n{text.rstrip(chr(10))}\n{end}\n)"


def script(plan: Plan, facts: Facts) -> str:
    """The script text."""
    name = f"{plan.approach}.sh"
    as_root = any(s.scope == ROOT for s in plan.steps)
    who = "root" if as_root or facts.person == "root" else f"{facts.person} (or as root)"
    run = f"sudo sh {name}" if as_root else f"sh {name}"
    comments = [
        *header(plan, facts, "a POSIX sh script"),
        "",
        f"Run it as {who}, first with --check, which reports what would change and changes nothing, then without:",
        f"  {run} --check",
        f"  {run}",
    ]
    out = ["#!/bin/sh", *(f"# {c}".rstrip() for c in comments)]
    # Text in single quotes (the plan's lines, descriptions, file contents) is meant literally: no expansion.
    out += ["# shellcheck disable=SC2016", "", "set -eu", "umask 022", ""]
    out += [
        f"PSW_PERSON={q(facts.person)}",
        f"PSW_HOME={q(facts.home)}",
        f"PSW_PYTHON={q(facts.interpreter)}",
        f"PSW_STEPS={len(plan.steps)}",
        "",
        "# The shared library (the same functions the Ansible export runs), kept as text too, so that the steps",
        f"# that belong to {facts.person} can run it in a shell started as {facts.person}.",
        heredoc("PSW_LIB", library()),
        'eval "$PSW_LIB"',
    ]
    if any(isinstance(s, (EnsureBlock, RemoveBlock, SetConfigKey, UnsetConfigKey)) for s in plan.steps):
        out += ["", "# The wizard's own file edit: wizard.textedit and a small driver (wizard/export/edit.py)."]
        out += [heredoc("PSW_EDIT", edit_program())]
    out += ["", FRAME]
    if as_root:
        out += [
            'if [ "$(id -u)" != 0 ]; then',
            f"    psw_fail {q('this script changes what only root may change')} {q(f'run it as root: sudo sh {name}')}",
            "fi",
        ]
    else:
        out += [
            'if [ "$(id -u)" != 0 ] && [ "$(id -un)" != "$PSW_PERSON" ]; then',
            f"    psw_fail {q(f'this script sets things up for {facts.person}')} {q(f'run it as {who}')}",
            "fi",
        ]
    if as_root and any(s.scope == USER for s in plan.steps) and facts.person != "root":
        out += [
            "if ! command -v runuser >/dev/null 2>&1; then",
            f"    psw_fail {q(f'runuser is not installed: it runs the steps that are {facts.person}' + chr(39) + 's')} "
            f"{q('install util-linux (it provides runuser)')}",
            "fi",
        ]
    out += ["", 'echo "Checking this machine first (nothing changes if a check fails)..."']
    for name_, what in names(plan, facts).items():
        out.append(f"psw_check_name {words(name_, what)}")
    for guard in guards(plan, facts):
        out.append(words(*guard.argv) + (" >/dev/null" if guard.argv[0] == "psw_check_new_user" else ""))
    out.append("")
    for i, step in enumerate(plan.steps, 1):
        out += [f"psw_step {i} {q(step.describe())}", call(step)]
    out += [
        "",
        'if [ "$PSW_MODE" = check ]; then',
        '    echo "Check mode: $PSW_CHANGED step(s) would change something; nothing was changed."',
        'elif [ "$PSW_CHANGED" = 0 ]; then',
        f"    echo {q(f'Nothing to change: {plan.approach} was already set up as planned.')}",
        "else",
        f'    echo "Done: $PSW_CHANGED step(s) changed something; {plan.approach} is set up."',
        "fi",
    ]
    return "\n".join(out) + "\n"
