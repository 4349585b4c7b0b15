"""The blast-radius demo's parts that need no sandbox: predictions, the canary (its real hook, run as another
account against a real folder), parsing, the result's JSON, the matrix, the `demo` command on a saved result,
streaming progress, and which paths a set-up may touch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard import proc
from wizard.demo import canary, load, predict
from wizard.demo.model import ABSENT, NO, READ, ROWS, WRITE, YES, DemoError, DemoResult, Place, Runner
from wizard.record import replace
from wizard.render.demo import demo as demo_lines
from wizard.render.lines import plain

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "demo" / "root.json"
ROOT = Runner("root", 0, (0,))
ALICE = Runner("alice", 1000, (1000, 27))
PIP_USER = Runner("pipinstall", None, ())
OTHER = Runner("bob", 1001, (1001,))


def F(uid: int | None, gid: int | None, mode: int, is_dir: bool = True, read_only: bool = False) -> predict.Facts:
    return predict.Facts(True, uid, gid, mode, is_dir, read_only)


BASE = "/psw-demo-test"  # never exists: realpath leaves it alone
FACTS = {
    "/": F(0, 0, 0o755),
    BASE: F(0, 0, 0o755),
    f"{BASE}/etc": F(0, 0, 0o755),
    f"{BASE}/etc/shadow": F(0, 42, 0o640, is_dir=False),
    f"{BASE}/home": F(0, 0, 0o755),
    f"{BASE}/home/alice": F(1000, 1000, 0o700),
    f"{BASE}/home/alice/.bashrc": F(1000, 1000, 0o644, is_dir=False),
    f"{BASE}/shared": F(0, 27, 0o775),
    f"{BASE}/ro": F(0, 0, 0o755, read_only=True),
    f"{BASE}/site": F(1000, 1000, 0o755),
}


def NAMES(uid: int | None) -> str:
    return {None: "pipinstall", 0: "root", 1000: "alice", 1001: "bob"}.get(uid, str(uid))


def cell(runner: Runner, path: str, access: str = WRITE, facts: dict | None = None) -> tuple[str, str]:
    got = predict.predict(runner, Place("p", "p", path, access), facts or FACTS, NAMES)
    return got.predicted, got.why


@pytest.mark.parametrize(
    ("runner", "path", "access", "want", "because"),
    [
        (ROOT, f"{BASE}/etc", WRITE, YES, "root passes"),
        (ROOT, f"{BASE}/ro", WRITE, NO, "read-only"),
        (ROOT, f"{BASE}/ro", READ, YES, "root passes"),
        (ROOT, f"{BASE}/home/alice/.ssh", READ, ABSENT, "nothing there"),
        (ALICE, f"{BASE}/etc", WRITE, NO, "others: r-x (0755)"),
        (ALICE, f"{BASE}/etc/shadow", READ, NO, "others: --- (0640)"),
        (Runner("x", 5, (42,)), f"{BASE}/etc/shadow", READ, YES, "its group: r--"),
        (ALICE, f"{BASE}/home/alice", WRITE, YES, "owner alice: rwx"),
        (ALICE, f"{BASE}/home/alice/.bashrc", WRITE, YES, "owner alice: rw-"),
        (ALICE, f"{BASE}/home/alice/.ssh", WRITE, YES, "missing; creating it is a write in"),
        (ALICE, f"{BASE}/home/alice/.ssh", READ, ABSENT, "nothing there"),
        (ALICE, f"{BASE}/shared", WRITE, YES, "its group: rwx"),
        (OTHER, f"{BASE}/shared", WRITE, NO, "others: r-x"),
        (OTHER, f"{BASE}/home/alice/.bashrc", WRITE, NO, "cannot pass through"),
        (OTHER, f"{BASE}/home/alice/.ssh", READ, NO, "cannot look inside"),
        (PIP_USER, f"{BASE}/site", WRITE, NO, "others: r-x"),
        (PIP_USER, f"{BASE}/etc", WRITE, NO, "others"),
    ],
)
def test_predict_applies_the_permission_model(runner: Runner, path: str, access: str, want: str, because: str) -> None:
    got, why = cell(runner, path, access)
    assert got == want, why
    assert because in why


def test_after_gives_site_packages_to_whom_each_approach_says() -> None:
    site = f"{BASE}/site"
    facts = dict(FACTS, **{site: F(1000, 1000, 0o775)})
    expect = {
        "sudo-pip": (0, 0, 0o755),
        "pip-user": (None, None, 0o755),
        "own-site": (1000, 1000, 0o775),
        "virtualenv": (1000, 1000, 0o775),
        "user-scheme": (1000, 1000, 0o775),
    }
    for approach, (uid, gid, mode) in expect.items():
        changed = predict.after(approach, facts, (site,), ALICE)[site]
        assert (changed.uid, changed.gid, changed.mode) == (uid, gid, mode), approach
    assert cell(PIP_USER, site, WRITE, predict.after("pip-user", facts, (site,), ALICE))[0] == YES
    assert cell(OTHER, site, WRITE, predict.after("pip-user", facts, (site,), ALICE))[0] == NO
    missing = predict.after("sudo-pip", {"/": F(0, 0, 0o755)}, (f"{BASE}/new",), ALICE)[f"{BASE}/new"]
    assert (missing.exists, missing.uid, missing.mode) == (True, 0, 0o755)


def test_who_runs_install_code_comes_from_the_teaching_content() -> None:
    runs = {a: predict.runner_for(a, ROOT, PIP_USER, ALICE) for a in ROWS}
    assert runs == {
        "sudo-pip": ROOT,
        "pip-user": PIP_USER,
        "own-site": ALICE,
        "virtualenv": ALICE,
        "user-scheme": ALICE,
    }


def test_places_are_the_ones_the_issue_names() -> None:
    places = predict.places("/usr/local/lib/python3.11/dist-packages", "/home/alice", "/usr/bin/zsh")
    by = {p.id: p for p in places}
    assert [p.path for p in places if p.access == WRITE] == [
        "/etc",
        "/usr/local/bin",
        "/usr/local/lib/python3.11/dist-packages",
        "/root",
        "/home/alice",
        "/home/alice/.ssh",
        "/home/alice/.zshrc",
    ]
    assert {by["shadow"].path, by["ssh-read"].path} == {"/etc/shadow", "/home/alice/.ssh"}
    assert by["rc"].label == "write ~/.zshrc"


# --- the canary ------------------------------------------------------------------------------------------------


@pytest.fixture
def world() -> Iterator[str]:
    """A real folder every account can search, with places of every kind (removed afterwards)."""
    base = tempfile.mkdtemp(prefix="psw-demo-unit-", dir="/tmp")
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base)


def test_the_canary_hook_reports_what_the_model_predicts_as_another_account(world: str) -> None:
    """The backend's own hook, run by a real interpreter as ``nobody`` (or as you, when not root), against real
    owners and modes: every check the kernel answers equals the prediction from ``stat``."""
    import pwd

    me = os.geteuid()
    who = pwd.getpwnam("nobody") if me == 0 else pwd.getpwuid(me)
    made = {
        "open": (0o777, 0, 0),
        "closed": (0o700, 0, 0),
        "mine": (0o700, who.pw_uid, who.pw_gid),
        "readable": (0o755, 0, 0),
    }
    for name, (mode, uid, gid) in made.items():
        os.mkdir(os.path.join(world, name))
        os.chown(os.path.join(world, name), uid, gid)
        os.chmod(os.path.join(world, name), mode)
    secret = os.path.join(world, "readable", "secret")
    Path(secret).write_text("x")
    os.chmod(secret, 0o600)
    places = (
        Place("open", "w", f"{world}/open", WRITE),
        Place("closed", "w", f"{world}/closed", WRITE),
        Place("closed-child", "w", f"{world}/closed/child", WRITE),
        Place("closed-read", "r", f"{world}/closed/child", READ),
        Place("mine-new", "w", f"{world}/mine/new/deeper", WRITE),
        Place("readable", "r", f"{world}/readable", READ),
        Place("secret", "r", secret, READ),
        Place("nothing", "r", f"{world}/readable/nothing", READ),
    )
    source = canary.backend_source("n0nce", places)
    Path(world, "canary_backend.py").write_text(source)
    os.chmod(os.path.join(world, "canary_backend.py"), 0o644)
    code = f"import sys; sys.path.insert(0, {world!r}); import canary_backend; canary_backend.build_wheel('.')"
    kwargs = {"user": who.pw_uid, "group": who.pw_gid, "extra_groups": []} if me == 0 else {}
    python = "/usr/bin/python3" if me == 0 else sys.executable  # one every account can run (not in root's home)
    if not os.path.exists(python):
        pytest.skip("needs /usr/bin/python3")
    done = subprocess.run(
        [python, "-I", "-B", "-c", code], capture_output=True, text=True, cwd=world, **kwargs, timeout=60
    )
    assert done.returncode != 0 and "stops the build here on purpose" in done.stderr
    observed, checks = canary.parse(done.stdout, "n0nce", [p.id for p in places])
    assert (observed.uid, observed.user, observed.hook) == (who.pw_uid, who.pw_name, "build_wheel")
    runner = Runner(who.pw_name, who.pw_uid, tuple(os.getgrouplist(who.pw_name, who.pw_gid)))
    facts = predict.gather(places)
    predicted = {p.id: predict.predict(runner, p, facts, predict.namer("pipinstall")).predicted for p in places}
    assert {k: v[0] for k, v in checks.items()} == predicted
    if me == 0:  # as nobody, the folders say different things: the test cannot pass by answering one way
        assert predicted["open"] == YES and predicted["closed"] == NO and predicted["mine-new"] == YES
        assert predicted["nothing"] == ABSENT and predicted["secret"] == NO and predicted["closed-read"] == NO
    assert sorted(os.listdir(world)) == sorted([*made, "canary_backend.py"]), "the canary wrote nothing"


def test_the_canary_sdist_is_a_pep517_source_tree_with_an_in_tree_backend(tmp_path: Path) -> None:
    path = canary.build(str(tmp_path), "abc", [Place("etc", "write /etc", "/etc", WRITE)])
    with tarfile.open(path) as tar:
        members = {m.name: m for m in tar.getmembers()}
        pyproject = tar.extractfile("psw-canary-1.0/pyproject.toml").read().decode()  # type: ignore[union-attr]
        backend = tar.extractfile("psw-canary-1.0/backend/canary_backend.py").read().decode()  # type: ignore[union-attr]
    assert set(members) == {
        "psw-canary-1.0",
        "psw-canary-1.0/backend",
        "psw-canary-1.0/pyproject.toml",
        "psw-canary-1.0/PKG-INFO",
        "psw-canary-1.0/backend/canary_backend.py",
    }
    assert all(m.mode in (0o644, 0o755) for m in members.values())
    assert "requires = []" in pyproject and 'backend-path = ["backend"]' in pyproject
    compile(backend, "canary_backend.py", "exec")
    assert "'abc'" in backend and '"/etc"' in backend
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"


def test_parse_finds_this_runs_report_only() -> None:
    ids = ["etc"]
    report = {
        "nonce": "mine",
        "hook": "get_requires_for_build_wheel",
        "uid": 0,
        "euid": 0,
        "gid": 0,
        "groups": [0],
        "user": "root",
        "checks": {"etc": {"result": "yes", "checked": "/etc"}},
    }
    other = dict(report, nonce="theirs", user="mallory")
    text = (
        "Processing ./psw-canary-1.0.tar.gz\n"
        f"      {canary.MARK} {json.dumps(other)}\n"
        f"      {canary.MARK} {json.dumps(report)}\n      [end of output]"
    )
    observed, checks = canary.parse(text, "mine", ids)
    assert observed.user == "root" and checks == {"etc": ("yes", "/etc")}
    with pytest.raises(DemoError, match="did not report"):
        canary.parse("error: externally-managed-environment", "mine", ids)
    broken = dict(report, checks={"etc": {"result": "maybe", "checked": None}})
    with pytest.raises(DemoError, match="malformed"):
        canary.parse(f"{canary.MARK} {json.dumps(broken)}", "mine", ids)


# --- the result, the matrix, the command --------------------------------------------------------------------------


def test_the_saved_result_round_trips_and_bad_ones_are_named(tmp_path: Path) -> None:
    data = json.loads(FIXTURE.read_text())
    result = DemoResult.from_dict(data)
    again = result.to_dict()
    assert DemoResult.from_dict(again) == result
    assert again["agree"] is True and again["disagreements"] == []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(data, schema=7)))
    with pytest.raises(DemoError, match=r"bad\.json: .*schema 7") as err:
        load(str(bad))
    assert "demo --json" in (err.value.hint or "")
    bad.write_text("{")
    with pytest.raises(DemoError, match="is not JSON"):
        load(str(bad))


def test_the_matrix_shows_agreement_and_flags_every_disagreement_loudly() -> None:
    result = DemoResult.from_dict(json.loads(FIXTURE.read_text()))
    text = plain(demo_lines(result))
    assert "All 45 observations match what the sources predict here." in text
    assert "DISAGREE" not in text
    header = next(line for line in text.splitlines() if "sudo-pip" in line and "pip --user" in line)
    assert len(header) <= 80
    assert "What sudo adds:" in text and "read /etc/shadow" in text
    row = result.row("own-site")
    assert row is not None
    wrong = replace(row, cells=dict(row.cells, etc=replace(row.cells["etc"], observed=YES)))
    flagged = replace(result, rows=tuple(wrong if r.approach == "own-site" else r for r in result.rows))
    text = plain(demo_lines(flagged))
    assert "1 of 45 observations DISAGREE" in text
    assert "own-site × write /etc: predicted no (others: r-x (0755)), saw yes" in text
    assert "YES≠no!" in text


def test_rows_that_did_not_run_show_predictions_and_why() -> None:
    result = DemoResult.from_dict(json.loads(FIXTURE.read_text()))
    sudo = result.row("sudo-pip")
    assert sudo is not None
    cells = {k: replace(c, observed=None) for k, c in sudo.cells.items()}
    not_run = replace(sudo, ran=False, observed=None, cells=cells, not_run="needs root: sudo would run it as root")
    text = plain(demo_lines(replace(result, rows=(not_run, *result.rows[1:]))))
    assert "(YES)" in text and "(root)" in text and "not run: needs root" in text
    assert "All 36 observations match" in text


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, env=env)


def test_demo_command_shows_a_saved_result_and_names_bad_input(tmp_path: Path) -> None:
    shown = cli("demo", "--from-json", str(FIXTURE))
    assert shown.returncode == 0, shown.stderr
    assert "write site-packages   YES" in shown.stdout and "observations match" in shown.stdout
    as_json = cli("demo", "--from-json", str(FIXTURE), "--json")
    assert DemoResult.from_dict(json.loads(as_json.stdout)) == DemoResult.from_dict(json.loads(FIXTURE.read_text()))
    missing = cli("demo", "--from-json", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "nope.json" in missing.stderr and "hint:" in missing.stderr
    both = cli("demo", "--from-json", str(FIXTURE), "--python", "/usr/bin/python3")
    assert both.returncode == 2 and "--from-json" in both.stderr
    for bad, said in (("python3", "is relative"), ("/no/such/python3", "no program to run there")):
        refused = cli("demo", "--python", bad)  # refused before anything starts (as root: before any namespace)
        assert refused.returncode == 1 and bad in refused.stderr and said in refused.stderr, refused.stderr
        assert "hint:" in refused.stderr and refused.stdout == ""
    helped = cli("demo", "--help")
    assert helped.returncode == 0
    for words in ("canary", "setup.py", "private mount namespace", "SUDO_USER", "installs nothing", "--from-json"):
        assert words in helped.stdout, words


# --- streaming, the namespace's bookkeeping -------------------------------------------------------------------


def test_stream_hands_over_lines_as_they_come_and_stops_on_time_or_cancel() -> None:
    script = "import sys, time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)\n"
    seen: list[tuple[str, float]] = []
    start = time.monotonic()
    done = proc.stream([sys.executable, "-c", script], timeout=30, on_line=lambda t: seen.append((t, time.monotonic())))
    assert done.ok and [t for t, _ in seen] == ["0", "1", "2"]
    assert seen[0][1] - start < seen[2][1] - start - 0.3, "lines arrive while the program runs"
    slow = proc.stream([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5, on_line=print)
    assert slow.timed_out and slow.seconds < 5
    stopped = proc.stream(
        [sys.executable, "-c", "import time; time.sleep(30)"], timeout=30, on_line=print, cancel=lambda: True
    )
    assert stopped.timed_out and stopped.seconds < 5


def test_every_path_a_set_up_touches_is_named_for_the_guard() -> None:
    """What the inside part checks against its private copies before it applies a set-up: every step's path, the
    paths inside reverted steps, and what an account change writes (/etc, the logs)."""
    from wizard.demo.as_root import touched
    from wizard.plan import Check, ChownTree, CreateUser, EnsureBlock, Plan, PlanOptions, Revert, WriteFile

    target = "/usr/local/lib/python3.11/dist-packages"
    steps = (
        Revert(journal="j1", index=0, step=EnsureBlock(path="/home/alice/.bashrc", lines=("x",)).to_dict()),
        CreateUser(name="pipinstall", home="/var/lib/pipinstall"),
        ChownTree(path=target, owner="pipinstall", group="pipinstall"),
        WriteFile(path="/usr/local/bin/pipinstall-pip", content="#!/bin/sh\n", mode=0o755),
        Check(title="pip runs", argv=("true",)),
    )
    paths = touched(Plan(PlanOptions(approach="pip-user"), "/usr/bin/python3", "alice", steps))
    assert paths[:1] == ["/home/alice/.bashrc"]
    assert {"/var/lib/pipinstall", "/etc/passwd", target, "/usr/local/bin/pipinstall-pip"} <= set(paths)
    assert "/var/log" in paths or not os.path.exists("/var/log")


def test_covers_say_which_paths_stay_private() -> None:
    from wizard.demo.namespace import Covers, mounts

    covers = Covers("/tmp/x-demo")
    covers.covered += ["/etc", "/usr/local"]
    covers.read_only += ["/usr/local/share"]
    assert covers.private("/etc/sudoers.d/pip-setup-wizard") and covers.private("/tmp/x-demo/run")
    assert not covers.private("/etcetera") and not covers.private("/usr/local/share/x")
    assert not covers.private("/usr/lib/python3/dist-packages")
    assert any(point == "/" for point, _fs, _shared in mounts())
