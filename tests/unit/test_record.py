"""``wizard.record`` behaves like ``dataclasses`` for everything the engine uses."""

from __future__ import annotations

import dataclasses
import pickle
from typing import ClassVar

import pytest

from wizard import record as r


def build(deco: object, field: object) -> tuple[type, type]:
    @deco(frozen=True)  # type: ignore[operator, misc]
    class Base:
        kind: ClassVar[str] = "base"
        why: str = ""

    @deco(frozen=True)  # type: ignore[operator, misc]
    class Child(Base):  # type: ignore[misc, valid-type]
        kind: ClassVar[str] = "child"
        path: str = "/x"
        items: tuple[str, ...] = ()
        extra: dict = field(default_factory=dict)  # type: ignore[operator]

    return Base, Child


@pytest.mark.parametrize(
    ("deco", "field", "fields", "replace"),
    [
        (dataclasses.dataclass, dataclasses.field, dataclasses.fields, dataclasses.replace),
        (r.record, r.field, r.fields, r.replace),
    ],
    ids=["dataclasses", "record"],
)
def test_same_behaviour(deco, field, fields, replace) -> None:  # type: ignore[no-untyped-def]
    base, child = build(deco, field)
    c = child("because", "/p", ("a",))
    assert [f.name for f in fields(child)] == ["why", "path", "items", "extra"]
    assert [f.name for f in fields(c)] == ["why", "path", "items", "extra"]
    assert (c.why, c.path, c.items, c.extra, c.kind) == ("because", "/p", ("a",), {}, "child")
    assert child(path="/p", why="because", items=("a",)) == c
    assert child() != c and child() == child() and child() != base()
    assert child().extra is not child().extra, "a fresh default from the factory each time"
    assert hash(base("a")) == hash(base("a")) and hash(base("a")) != hash(base("b"))
    assert repr(child()).endswith("Child(why='', path='/x', items=(), extra={})")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.path = "/q"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del c.path
    with pytest.raises(TypeError):
        child(nope=1)
    with pytest.raises(TypeError):
        child("a", "b", (), {}, "too many")
    with pytest.raises(TypeError):
        child("a", why="twice")
    assert replace(c, path="/q").path == "/q" and replace(c, path="/q").why == "because"
    assert c.kind == "child" and base.kind == "base"


def test_required_fields_and_mutable_records() -> None:
    @r.record
    class Tree:
        root: str
        entries: list[str] = r.field(default_factory=list)

    with pytest.raises(TypeError, match="missing required argument 'root'"):
        Tree()
    t = Tree("/t")
    t.entries.append("a")
    t.root = "/u"
    assert t == Tree("/u", ["a"]) and Tree.__hash__ is None


def test_records_pickle_through_the_privilege_helper() -> None:
    from wizard.system import Stat

    st = Stat("/p", True, "file", 1, 2, 0o644)
    assert pickle.loads(pickle.dumps(st)) == st
