"""The fleet export's rendering, without a sandbox: every step kind in both formats, the YAML it writes parses,
bad names and plans an export cannot carry are refused, the shared sh library and the embedded edit behave like
the wizard's own rules and edits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures import machines as m
from wizard import textedit
from wizard.errors import WizardError
from wizard.export import Facts, command_line, edit_program, facts_for, guards, library, names, render
from wizard.export.ansible import MARK_BEGIN, MARK_END, MARKER, playbook
from wizard.export.shell import script
from wizard.export.yamltext import Jinja, Literal, document, quote
from wizard.plan import (
    STEP_TYPES,
    Check,
    ChownTree,
    CreateUser,
    CreateVenv,
    DeleteUser,
    EnsureBlock,
    EnsureDirs,
    Plan,
    PlanOptions,
    RemoveBlock,
    RemoveFile,
    RestrictTree,
    Revert,
    SetConfigKey,
    UnsetConfigKey,
    WriteFile,
)
from wizard.safety import check_user_name

yaml = pytest.importorskip("yaml", reason="PyYAML comes with ansible-core (the test extra)")
TARGET = "/usr/local/lib/python3.11/dist-packages"
FACTS = Facts(
    command="pip-setup-wizard export pip-user --format ansible",
    interpreter="/usr/bin/python3",
    version="3.11.2",
    targets=(TARGET,),
    marker=True,
    person="alice",
    home="/home/alice",
    shell="/bin/bash",
    machine="Debian GNU/Linux 12 (bookworm)",
)
SUDOERS = "alice ALL=(pipinstall) /usr/bin/python3 -I -m pip *\n"
EVERY_KIND = (
    EnsureDirs(path=TARGET),
    CreateUser(name="pipinstall", home="/var/lib/pipinstall"),
    ChownTree(path=TARGET, owner="pipinstall", group="pipinstall"),
    ChownTree(path="/usr/local/bin", recursive=False),
    RestrictTree(path=TARGET),
    SetConfigKey(path="/var/lib/pipinstall/.config/pip/pip.conf", key="only-binary", value=":all:"),
    UnsetConfigKey(path="/home/alice/.config/pip/pip.conf", key="require-virtualenv", value="true", as_user=True),
    WriteFile(path="/etc/sudoers.d/pip-setup-wizard", content=SUDOERS, mode=0o440, validate="visudo"),
    WriteFile(path="/home/alice/notes.txt", content="no final newline, {{ not a template }}", as_user=True),
    RemoveFile(path="/usr/local/bin/old-pip"),
    CreateVenv(path="/home/alice/.venvs/default", python="/usr/bin/python3"),
    CreateVenv(path="/home/alice/.venvs/uv", python="/usr/bin/python3", uv="/usr/local/bin/uv", seed="/usr/share/w"),
    EnsureBlock(path="/home/alice/.bashrc", lines=("# pip-setup-wizard", 'export PATH="/v/bin:$PATH"')),
    RemoveBlock(path="/home/alice/.profile"),
    DeleteUser(name="oldpip"),
    Check(title="pip runs", argv=("sudo", "-n", "-u", "pipinstall", "--", "/usr/bin/python3", "-m", "pip")),
    Check(title="alice cannot write", argv=("test", "-w", TARGET), as_user=True, expect_rc=1),
    Check(title="the rule", argv=("sudo", "-l", "-U", "alice"), expect_in="(pipinstall) /usr/bin/python3"),
)


def plan_of(*steps: object, approach: str = "pip-user", human: str = "alice") -> Plan:
    return Plan(PlanOptions(approach), "/usr/bin/python3", human, tuple(steps))  # type: ignore[arg-type]


class Loader(yaml.SafeLoader):
    """PyYAML with Ansible's ``!unsafe`` tag (a string Ansible never templates)."""


Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def load(text: str) -> object:
    return yaml.load(text, Loader=Loader)


def tasks_of(text: str) -> list[dict]:
    plays = load(text)
    assert isinstance(plays, list) and len(plays) == 1
    return plays[0]["tasks"]


def test_every_step_kind_but_revert_is_covered_here() -> None:
    assert {s.kind for s in EVERY_KIND} == set(STEP_TYPES) - {"revert"}


def test_playbook_maps_every_step_kind_with_its_guards() -> None:
    plan = plan_of(*EVERY_KIND)
    text = playbook(plan, FACTS)
    assert text.startswith("---\n# pip-setup-wizard ") and "REVIEW IT" in text
    play = load(text)[0]  # type: ignore[index]
    assert play["become"] is True and play["gather_facts"] is False and play["hosts"] == "all"
    assert play["vars"]["psw_sh"].startswith("# pip-setup-wizard's export library")
    assert "def set_key(" in play["vars"]["psw_edit"], "the wizard's own edit is embedded"
    tasks = play["tasks"]
    steps = {int(t["name"][1:].split("/")[0]): t for t in tasks if t["name"].startswith("[") and "/" in t["name"]}
    assert sorted(steps) == list(range(1, len(EVERY_KIND) + 1))
    by_step: dict[int, list[dict]] = {}
    for task in tasks:
        if task["name"].startswith("["):
            by_step.setdefault(int(task["name"][1:].split("/")[0]), []).append(task)
    modules = {i: [next(k for k in t if k.startswith("ansible.builtin.")) for t in ts] for i, ts in by_step.items()}
    assert modules[2] == ["ansible.builtin.user"] and by_step[2][0]["when"].endswith(".stdout == 'absent'")
    assert by_step[2][0]["ansible.builtin.user"]["system"] is True
    sudoers = by_step[8][0]["ansible.builtin.copy"]
    assert sudoers == {
        "dest": "/etc/sudoers.d/pip-setup-wizard",
        "content": SUDOERS,
        "owner": "root",
        "group": "root",
        "mode": "0440",
        "validate": "visudo -cf %s",
    }
    notes = by_step[9][0]
    assert notes["become_user"] == "alice" and notes["ansible.builtin.copy"]["content"].endswith("template }}")
    assert "owner" not in notes["ansible.builtin.copy"], "the person's file stays theirs"
    assert modules[10] == ["ansible.builtin.file"] and modules[15] == ["ansible.builtin.user"]
    block = by_step[13][-1]["ansible.builtin.blockinfile"]
    assert block["block"] == '# pip-setup-wizard\nexport PATH="/v/bin:$PATH"' and block["create"] is True
    assert MARKER.replace("{mark}", block["marker_begin"]) == textedit.BEGIN
    assert MARKER.replace("{mark}", block["marker_end"]) == textedit.END
    assert by_step[14][0]["ansible.builtin.blockinfile"]["state"] == "absent"
    venv = by_step[11][-1]["ansible.builtin.command"]
    assert venv["argv"] == ["/usr/bin/python3", "-m", "venv", "/home/alice/.venvs/default"]
    assert venv["creates"] == "/home/alice/.venvs/default/pyvenv.cfg"
    assert by_step[12][-1]["ansible.builtin.command"]["argv"][:2] == ["/bin/sh", "-c"]
    for i in (1, 3, 4, 5):
        argv = by_step[i][0]["ansible.builtin.command"]["argv"]
        assert argv[:4] == ["/bin/sh", "-c", "{{ psw_sh }}", "psw"] and argv[5] == "{{ psw_mode }}"
    assert by_step[3][0]["ansible.builtin.command"]["argv"][4:] == [
        "psw_tree_owner",
        "{{ psw_mode }}",
        TARGET,
        "pipinstall",
        "pipinstall",
        "all",
    ]
    assert by_step[4][0]["ansible.builtin.command"]["argv"][-1] == "top"
    assert by_step[7][0]["become_user"] == "alice" and "become_user" not in by_step[6][0]
    for i in (16, 17, 18):
        check = by_step[i][0]
        assert check["changed_when"] is False and check["when"] == "not ansible_check_mode"
    assert by_step[17][0]["failed_when"] == "psw_step_17.rc != 1"
    assert "psw_expect not in" in by_step[18][0]["failed_when"]
    for task in tasks:
        command = task.get("ansible.builtin.command")
        if command is None:
            continue
        assert command["expand_argument_vars"] is False, task["name"]
        # Idempotent and check-mode aware: it reports in check mode, or has `creates`, or is a skipped check.
        assert (
            task.get("check_mode") is False or "creates" in command or task.get("when") == "not ansible_check_mode"
        ), task["name"]


def test_preflight_comes_first_and_covers_names_paths_and_accounts() -> None:
    tasks = tasks_of(playbook(plan_of(*EVERY_KIND), FACTS))
    first_step = next(i for i, t in enumerate(tasks) if t["name"].startswith("[1/"))
    preflight = tasks[:first_step]
    assert all(t["name"].startswith("preflight: ") for t in preflight)
    names_task = preflight[0]
    assert [item["name"] for item in names_task["loop"]] == ["alice", "root", "pipinstall", "oldpip"]
    functions = [t["ansible.builtin.command"]["argv"][4] for t in preflight[1:]]
    assert functions[:2] == ["psw_check_account", "psw_check_python"]
    for needed in ("psw_check_new_user", "psw_check_ours", "psw_check_dir", "psw_check_file", "psw_check_venv"):
        assert needed in functions
    guard_paths = [g.argv for g in guards(plan_of(*EVERY_KIND), FACTS)]
    assert ("psw_check_dir", TARGET, "missing-ok") in guard_paths, "created by an earlier step: may be missing"
    assert ("psw_check_dir", "/usr/local/bin") in guard_paths
    assert ("psw_check_tool", "/usr/local/bin/uv", "uv") in guard_paths
    assert ("psw_check_python", "/usr/bin/python3", "3.11", TARGET) in guard_paths


def test_script_maps_every_step_kind_and_parses(tmp_path: Path) -> None:
    text = script(plan_of(*EVERY_KIND), FACTS)
    assert text.startswith("#!/bin/sh\n# pip-setup-wizard ") and "\nset -eu\n" in text
    for i, step in enumerate(EVERY_KIND, 1):
        assert f"psw_step {i} " in text, step.kind
    assert 'psw_do psw_create_user "$PSW_MODE" pipinstall useradd --system --user-group' in text
    assert 'psw_write_file "$PSW_MODE" /etc/sudoers.d/pip-setup-wizard root root 0440 visudo' in text
    assert 'psw_do psw_as_person psw_write_file "$PSW_MODE" /home/alice/notes.txt - - 0644 -' in text
    assert "psw_verify psw_as_person psw_expect 1 - present test -w" in text
    assert 'if [ "$(id -u)" != 0 ]; then' in text, "a plan with root steps refuses anyone else"
    path = tmp_path / "all.sh"
    path.write_text(text)
    assert subprocess.run(["sh", "-n", str(path)], capture_output=True).returncode == 0
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck): sh -n passed")
    checked = subprocess.run(["shellcheck", "--shell=sh", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_script_for_the_person_alone_lets_them_run_it() -> None:
    plan = plan_of(EnsureBlock(path="/home/alice/.bashrc", lines=("x",)), approach="virtualenv")
    text = script(plan, FACTS)
    assert '[ "$(id -un)" != "$PSW_PERSON" ]' in text and "run it as alice (or as root)" in text


def test_shared_library_passes_shellcheck_and_holds_the_name_rule(tmp_path: Path) -> None:
    lib = tmp_path / "lib.sh"
    lib.write_text(library())
    assert "@NAME_RULE@" not in lib.read_text()
    assert subprocess.run(["sh", "-n", str(lib)]).returncode == 0
    for name in ("pipinstall", "_svc", "a-b_1", "x" * 31, "x" * 32, "Pip", "1pip", "pip user", "pip$", "", "p.i"):
        done = subprocess.run(["sh", "-c", '. "$0"; psw_check_name "$1" name', str(lib), name], capture_output=True)
        try:
            check_user_name(name)
            accepted = True
        except WizardError:
            accepted = False
        assert (done.returncode == 0) == accepted, name
    if shutil.which("shellcheck") is not None:
        checked = subprocess.run(["shellcheck", "--shell=sh", str(lib)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout


def edit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-c", edit_program(), *args], capture_output=True, text=True, cwd=tmp_path
    )


def test_embedded_edit_is_the_wizards_own(tmp_path: Path) -> None:
    conf = tmp_path / "new" / "pip" / "pip.conf"
    args = [str(conf), "user", "-", "-", "global", "require-virtualenv", "true"]
    dry = edit(tmp_path, "check", "set-key", *args)
    assert dry.returncode == 0 and dry.stdout.startswith("would edit") and not conf.parent.parent.exists()
    done = edit(tmp_path, "apply", "set-key", *args)
    assert done.returncode == 0 and done.stdout.startswith("edited"), done.stderr
    assert conf.read_text() == textedit.set_key("", "global", "require-virtualenv", "true")
    assert oct(conf.stat().st_mode & 0o777) == "0o644" and oct(conf.parent.stat().st_mode & 0o777) == "0o700"
    assert edit(tmp_path, "apply", "set-key", *args).stdout == "", "a second run changes nothing"
    rc = tmp_path / ".bashrc"
    rc.write_text("alias ll='ls -l'")  # no final newline
    rc.chmod(0o600)
    edit(tmp_path, "apply", "block", str(rc), "user", "-", "-", "one", "two")
    assert rc.read_text() == textedit.set_block("alias ll='ls -l'", ["one", "two"])
    assert oct(rc.stat().st_mode & 0o777) == "0o600", "an existing file keeps its mode"
    edit(tmp_path, "apply", "unblock", str(rc), "user", "-", "-")
    assert rc.read_text() == textedit.remove_block(textedit.set_block("alias ll='ls -l'", ["one", "two"]))
    edit(tmp_path, "apply", "unset-key", *args)
    assert "require-virtualenv" not in conf.read_text()
    (tmp_path / "link").symlink_to(rc)
    refused = edit(tmp_path, "apply", "block", str(tmp_path / "link"), "user", "-", "-", "x")
    assert refused.returncode != 0 and "is not a regular file" in refused.stderr
    assert not [p for p in os.listdir(tmp_path) if "pip-setup-wizard" in p], "no temp file left behind"


def test_refuses_what_an_export_cannot_carry() -> None:
    state = m.debian_none()
    switch = plan_of(Revert(journal="j1", index=0, step=ChownTree(path=TARGET).to_dict()), ChownTree(path=TARGET))
    with pytest.raises(WizardError) as err:
        facts_for(switch, state, "ansible")
    assert err.value.ref == "export-switch" and "undo" in (err.value.hint or "")
    with pytest.raises(WizardError) as err:
        facts_for(plan_of(Check(title="x", argv=("true",))), state, "shell")
    assert err.value.ref == "export-empty" and "already set up" in err.value.message
    with pytest.raises(WizardError) as err:
        render(plan_of(ChownTree(path=TARGET)), state, "puppet")
    assert "puppet" in err.value.message and "--format ansible" in (err.value.hint or "")
    with pytest.raises(WizardError) as err:
        names(plan_of(ChownTree(path=TARGET, owner="Bad Owner", group="root")), FACTS)
    assert err.value.ref == "name-invalid" and "'Bad Owner'" in err.value.message


def test_render_from_a_machine_state() -> None:
    plan = plan_of(ChownTree(path=m.DEBIAN_TARGET, owner="root", group="root"), human="root")
    text = render(plan, m.debian_none(), "shell")
    assert "#   python:   /usr/bin/python3 (Python 3.11" in text and "psw_check_python /usr/bin/python3 3.11" in text
    assert "PEP 668:  marked externally managed" in text


def test_command_line_names_only_what_differs_from_the_defaults() -> None:
    options = PlanOptions("virtualenv", shell_rc="path", require_virtualenv=False, uv=False, venv="/v w")
    assert command_line(options, "shell") == (
        "pip-setup-wizard export virtualenv --format shell --venv '/v w' --shell-rc path --no-require-virtualenv "
        "--no-uv"
    )
    assert command_line(PlanOptions("pip-user"), "ansible") == "pip-setup-wizard export pip-user --format ansible"


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_yaml_strings_round_trip(value: str) -> None:
    loaded = load(document({"a": value, "b": [value, "x"], "c": Literal(value)}, ["c"]))
    assert loaded == {"a": value, "b": [value, "x"], "c": value}


def test_yaml_marks_templates_unsafe_but_not_its_own() -> None:
    assert quote("{{ lookup('pipe', 'id') }}").startswith("!unsafe ")
    assert quote("{% if x %}").startswith("!unsafe ") and quote("a {# b").startswith("!unsafe ")
    assert quote(Jinja("{{ psw_mode }}")) == '"{{ psw_mode }}"'
    assert quote("yes") == '"yes"' and quote("0755") == '"0755"'
    text = document({"k": Literal("  leading\n\n\n")}, [])
    assert text.splitlines()[1] == "k: !unsafe |2+"
    assert load(text) == {"k": "  leading\n\n\n"}


def test_marker_parts() -> None:
    assert (MARK_BEGIN, MARK_END) == (">>>", "<<<")
