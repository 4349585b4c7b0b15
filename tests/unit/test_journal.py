"""The write-ahead journal on its own: order, tamper evidence, torn writes, the lock."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wizard.journal import Journal, JournalError, Store


def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "state"))


def test_journals_keep_their_order_within_one_second(tmp_path: Path) -> None:
    s = store(tmp_path)
    made = []
    for n in range(12):  # far quicker than a second: the names' timestamps are all equal
        j = s.new("apply", {"n": n})
        j.append({"t": "commit"})
        made.append(j.id)
    assert [j.id for j in s.journals()] == made
    assert [j.begin["n"] for j in s.applied()] == list(range(12))


def test_sequence_numbers_win_over_names(tmp_path: Path) -> None:
    s = store(tmp_path)
    first = s.new("apply", {"n": 1})
    first.append({"t": "commit"})
    # a later journal whose timestamp sorts earlier (a clock set back) still comes later
    second = s.new("apply", {"n": 2})
    second.append({"t": "commit"})
    seq, _stamp, rest = second.id.split("-", 2)
    os.rename(second.path, os.path.join(os.path.dirname(second.path), f"{seq}-19990101T000000-{rest}"))
    assert [j.begin["n"] for j in s.journals()] == [1, 2]


def test_undone_applies_are_not_in_effect(tmp_path: Path) -> None:
    s = store(tmp_path)
    a = s.new("apply", {})
    a.append({"t": "commit"})
    b = s.new("apply", {})
    b.append({"t": "commit"})
    u = s.new("undo", {"target": b.id})
    u.append({"t": "commit"})
    assert [j.id for j in s.applied()] == [a.id]


def test_an_edited_record_is_refused(tmp_path: Path) -> None:
    s = store(tmp_path)
    j = s.new("apply", {"plan": {"approach": "virtualenv"}})
    j.append({"t": "commit"})
    log = Path(j.path) / "log.jsonl"
    log.write_text(log.read_text().replace("virtualenv", "own-site"))
    with pytest.raises(JournalError, match="line 1 was changed"):
        s.journals()


def test_a_loosened_mode_is_refused(tmp_path: Path) -> None:
    s = store(tmp_path)
    j = s.new("apply", {})
    os.chmod(Path(j.path) / "log.jsonl", 0o644)
    with pytest.raises(JournalError, match="mode 0644"):
        s.journals()


def test_a_torn_last_line_is_dropped_and_written_over(tmp_path: Path) -> None:
    s = store(tmp_path)
    j = s.new("apply", {})
    j.append({"t": "step", "i": 0, "step": {}, "prior": {}})
    log = Path(j.path) / "log.jsonl"
    with open(log, "ab") as fh:
        fh.write(b'{"t":"done","i":0,"h":"ab')  # the power went out here
    [loaded] = s.journals()
    assert loaded.status == "open" and loaded.done() == set()
    loaded.append({"t": "rolled-back"})
    again = Journal.load(j.path)
    assert [r["t"] for r in again.records] == ["begin", "step", "rolled-back"]
    assert all(json.loads(line) for line in log.read_text().splitlines())


def test_a_journal_whose_begin_was_torn_counts_as_never_started(tmp_path: Path) -> None:
    s = store(tmp_path)
    j = s.new("apply", {})
    (Path(j.path) / "log.jsonl").write_bytes(b'{"t":"begin","ki')
    assert s.journals() == [] and s.unfinished() is None


def test_the_lock_admits_one_run(tmp_path: Path) -> None:
    s = store(tmp_path)
    with s.lock(), pytest.raises(JournalError, match="another pip-setup-wizard"), Store(s.root).lock():
        pass
    with Store(s.root).lock():
        pass
