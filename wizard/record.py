"""Provides ``record``: dataclass behaviour without dataclasses' code generation at import time.

``dataclasses`` writes and compiles ``__init__``, ``__repr__``, ``__eq__``, ``__setattr__``... for every class
when its module is imported, about half a millisecond a class; the engine defines a few dozen, which made `plan`
start noticeably slower than `detect`. ``record`` gives the same behaviour (keyword and positional arguments,
defaults, ``field(default_factory=...)``, inheritance, frozen instances, equality, hashing, repr, ``fields``,
``replace``) with methods shared by every class. Type checkers see the real ``dataclasses``, so every constructor
call is still checked; ``tests/unit/test_record.py`` holds the two to the same behaviour.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as record
    from dataclasses import field, fields, replace
else:
    _MISSING = object()

    class Field:
        """One field: its name, default and default factory."""

        __slots__ = ("default", "default_factory", "name")

        def __init__(self, default=_MISSING, default_factory=_MISSING, name=""):
            self.name = name
            self.default = default
            self.default_factory = default_factory

        def __repr__(self):
            return f"Field({self.name!r})"

    def field(*, default=_MISSING, default_factory=_MISSING):
        """Like :func:`dataclasses.field` (``default`` and ``default_factory`` only)."""
        return Field(default, default_factory)

    def fields(obj):
        """The fields of a record class or instance, in order."""
        return obj.__record_fields__

    def replace(obj, **changes):
        """A copy of ``obj`` with ``changes``."""
        values = {f.name: getattr(obj, f.name) for f in obj.__record_fields__}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{type(obj).__name__} has no field(s) {', '.join(sorted(unknown))}")
        values.update(changes)
        return type(obj)(**values)

    def _init(self, *args, **kwargs):
        specs = self.__record_fields__
        if len(args) > len(specs):
            raise TypeError(f"{type(self).__name__}() takes {len(specs)} arguments, {len(args)} given")
        for i, spec in enumerate(specs):
            name = spec.name
            if i < len(args):
                if name in kwargs:
                    raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
                value = args[i]
            elif name in kwargs:
                value = kwargs.pop(name)
            elif spec.default is not _MISSING:
                value = spec.default
            elif spec.default_factory is not _MISSING:
                value = spec.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing required argument {name!r}")
            object.__setattr__(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__name__}() got unexpected argument(s) {', '.join(sorted(kwargs))}")
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()

    def _values(self):
        return tuple(getattr(self, f.name) for f in self.__record_fields__)

    def _eq(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def _hash(self):
        return hash((self.__class__.__name__, *_values(self)))

    def _repr(self):
        inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__)
        return f"{self.__class__.__qualname__}({inner})"

    def _frozen_setattr(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def _frozen_delattr(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _is_classvar(annotation):
        text = annotation if isinstance(annotation, str) else repr(annotation)
        return text.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))

    def _make(cls, frozen):
        inherited = {}
        for base in reversed(cls.__mro__[1:]):
            for spec in base.__dict__.get("__record_fields__", ()):
                inherited[spec.name] = spec
        own = cls.__dict__.get("__annotations__")  # noqa: RUF063 - inspect costs milliseconds to import
        if own is None:  # annotations evaluated lazily (PEP 649)
            import inspect

            own = inspect.get_annotations(cls)
        for name, annotation in own.items():
            if _is_classvar(annotation):
                continue
            value = cls.__dict__.get(name, _MISSING)
            if isinstance(value, Field):
                spec = Field(value.default, value.default_factory, name)
                if value.default is _MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, value.default)
            else:
                spec = Field(value, _MISSING, name)
            inherited[name] = spec  # a redefined field keeps its place, as in dataclasses
        cls.__record_fields__ = tuple(inherited.values())
        cls.__init__ = _init
        cls.__repr__ = _repr
        cls.__eq__ = _eq
        if frozen:
            cls.__hash__ = _hash
            cls.__setattr__ = _frozen_setattr
            cls.__delattr__ = _frozen_delattr
        else:
            cls.__hash__ = None
        return cls

    def record(cls=None, *, frozen=False, slots=False):
        """Like :func:`dataclasses.dataclass` (``slots`` is accepted and has no effect)."""
        if cls is None:
            return lambda c: _make(c, frozen)
        return _make(cls, frozen)


__all__ = ["FrozenInstanceError", "field", "fields", "record", "replace"]
