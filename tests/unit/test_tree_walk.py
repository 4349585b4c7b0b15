"""Walking a tree the wizard will hand over: what it changes and what it must leave alone."""

from __future__ import annotations

import os
from pathlib import Path

from wizard.actions import _links_out
from wizard.system import walk_tree


def test_links_hard_links_and_what_is_listed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("x = 1\n")
    (root / "inside").symlink_to("pkg/mod.py")
    (root / "pkg" / "up").symlink_to("../../outside")
    (root / "abs").symlink_to("/etc/shadow")
    (root / "a.py").write_text("a\n")
    os.link(root / "a.py", root / "b.py")
    tree = walk_tree(str(root))
    rels = [rel for rel, _ in tree.entries]
    assert "a.py" not in rels and "b.py" not in rels, "hard-linked files are set aside"
    assert sorted(tree.hard_links) == [str(root / "a.py"), str(root / "b.py")]
    assert {"", "pkg", "pkg/mod.py", "inside", "pkg/up", "abs"} <= set(rels)
    out = dict(_links_out(str(root), tree))
    assert out == {str(root / "abs"): "/etc/shadow", str(root / "pkg" / "up"): "../../outside"}


def test_a_missing_root_gives_an_empty_tree(tmp_path: Path) -> None:
    assert walk_tree(str(tmp_path / "nothing")).entries == []
