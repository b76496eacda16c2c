"""A snapshot of the pack's own code in a grading child, checked after every test.

Submission code runs in the same process as the tests. Whatever it can reach (a test function's `__code__`,
`helpers._assert_close`, a conftest class, the results plugin's writer) it can replace, and the next test
would then pass for nothing. So, once collection has loaded the pack's code and before any submission module
is loaded, `Snapshot` records every value of the watched module and class dicts, every function's code,
defaults and closure cells, and the plugin's own attributes; `changes()` names what differs and puts the
original back.

Code objects are immutable, so a function's `__code__` identity covers them; `__globals__` is read-only and
is a module dict that is itself watched.
"""

from __future__ import annotations

import gc
import operator
import sys
import types
from pathlib import Path

_FUNCTION_SLOTS = ("__code__", "__defaults__", "__kwdefaults__")
_MISSING = object()


def _functions_of(value: object) -> list[types.FunctionType]:
    """The Python functions behind a dict value: plain, static/class methods, properties, fixture wrappers."""
    if isinstance(value, types.FunctionType):
        return [value]
    if isinstance(value, (staticmethod, classmethod)):
        found = [value.__func__]
    elif isinstance(value, property):
        found = [value.fget, value.fset, value.fdel]
    elif type(value).__module__.startswith("_pytest"):  # a fixture: pytest keeps the function inside
        found = [vars(value).get("_fixture_function")] if hasattr(value, "__dict__") else []
    else:  # no getattr on anything else: a lazy module or a hostile object would run code
        return []
    return [function for function in found if isinstance(function, types.FunctionType)]


class Snapshot:
    """What the pack's code looked like at collection; `changes()` compares, reports and restores."""

    def __init__(self, namespaces: dict[str, object], attributes: dict[str, tuple[object, str]]) -> None:
        """`namespaces`: modules (with the classes they define) and objects whose whole `__dict__` is watched;
        `attributes`: single attributes of an object whose other attributes change (the plugin's own)."""
        # label -> (the live dict, a copy of it, how to set a key, how to delete one); a class's dict is read-only
        self._dicts: dict[str, tuple] = {}
        self._objects: list[object] = []  # what the fast check walks: each dict itself, never a class's view of it
        for label, namespace in namespaces.items():
            names = namespace.__dict__
            self._watch_dict(label, names, names.__setitem__, names.__delitem__)
            for name, value in list(names.items()) if isinstance(namespace, types.ModuleType) else ():
                if isinstance(value, type) and value.__module__ == namespace.__name__:
                    self._watch_class(f"{label}.{name}", value)
        self._functions: list[tuple[str, types.FunctionType, tuple]] = []
        seen: set[int] = set()
        for label, (_, copy, _, _) in list(self._dicts.items()):
            for name, value in copy.items():
                for function in _functions_of(value):
                    if id(function) not in seen:
                        seen.add(id(function))
                        self._functions.append((f"{label}.{name}", function, self._state_of(function)))
        self._attributes = {label: (owner, name, owner.__dict__.get(name, _MISSING))
                            for label, (owner, name) in attributes.items()}
        # a function's closure cells are fixed when it is made (__closure__ is read-only)
        self._objects += [function for _, function, _ in self._functions]
        self._objects += [cell for _, function, _ in self._functions for cell in function.__closure__ or ()]
        self._fast = self._references()

    def _watch_dict(self, label: str, live, setter, deleter) -> None:
        self._dicts[label] = (live, dict(live), setter, deleter)
        self._objects.append(live)

    def _watch_class(self, label: str, cls: type) -> None:
        view = cls.__dict__  # a new read-only view at each access, onto the one dict behind it
        self._dicts[label] = (view, dict(view), lambda key, value: setattr(cls, key, value),
                              lambda key: delattr(cls, key))
        self._objects.extend(gc.get_referents(view))

    @staticmethod
    def _state_of(function: types.FunctionType) -> tuple:
        cells = tuple(cell.cell_contents if _has_contents(cell) else _MISSING for cell in function.__closure__ or ())
        return (function.__code__, function.__defaults__, function.__kwdefaults__, cells)

    def _references(self) -> list[object]:
        """Everything watched, in one C-level pass: the cheap check that runs after every test."""
        fast = gc.get_referents(*self._objects)
        fast += [owner.__dict__.get(name, _MISSING) for owner, name, _ in self._attributes.values()]
        return fast

    def changes(self) -> list[str]:
        """What differs from the snapshot, each put back; [] when nothing did (the common, fast case)."""
        now = self._references()
        # identity, never ==: a replaced value could compare equal to anything (and id() is an audit event)
        if len(now) == len(self._fast) and all(map(operator.is_, now, self._fast)):
            return []
        changed = self._restore_dicts() + self._restore_functions() + self._restore_attributes()
        self._fast = self._references()  # a benign change the detailed pass ignores (a lazily made __dict__)
        return changed

    def _restore_dicts(self) -> list[str]:
        changed = []
        for label, (live, copy, setter, deleter) in self._dicts.items():
            current = dict(live)
            for key in current.keys() - copy.keys():
                changed.append(f"{label}.{key} (added)")
                deleter(key)
            for key, value in copy.items():
                now = current.get(key, _MISSING)
                if now is value:
                    continue
                if _rewrapped_by_a_library(value, now):
                    copy[key] = now
                    continue
                changed.append(f"{label}.{key}")
                setter(key, value)
        return changed

    def _restore_functions(self) -> list[str]:
        changed = []
        for label, function, state in self._functions:
            now = self._state_of(function)
            for slot, before, after in zip(_FUNCTION_SLOTS, state, now):
                if before is not after:
                    changed.append(f"{label}.{slot}")
                    setattr(function, slot, before)
            for cell, before, after in zip(function.__closure__ or (), state[3], now[3]):
                if before is not after:
                    changed.append(f"{label} (closure cell)")
                    if before is not _MISSING:
                        cell.cell_contents = before
        return changed

    def _restore_attributes(self) -> list[str]:
        changed = []
        for label, (owner, name, value) in self._attributes.items():
            if owner.__dict__.get(name, _MISSING) is not value:
                changed.append(label)
                if value is _MISSING:  # an instance attribute shadowing a method: the class's comes back
                    del owner.__dict__[name]
                else:
                    setattr(owner, name, value)
        return changed


def _rewrapped_by_a_library(before: object, after: object) -> bool:
    """torch.optim's own wrapper around the original: it wraps an optimizer subclass's `step` (for the profiler)
    when the first instance is made, e.g. a test's spy optimizer. Only that wrapper's code: any library
    wrapper would not do (contextlib.contextmanager's would keep a test from running at all)."""
    optimizer = sys.modules.get("torch.optim.optimizer")
    hook = getattr(getattr(optimizer, "Optimizer", None), "profile_hook_step", None)
    wrappers = [const for const in getattr(getattr(hook, "__code__", None), "co_consts", ())
                if isinstance(const, types.CodeType)]
    return (isinstance(after, types.FunctionType) and getattr(after, "__wrapped__", None) is before
            and any(after.__code__ is wrapper for wrapper in wrappers))


def _has_contents(cell: types.CellType) -> bool:
    try:
        cell.cell_contents
    except ValueError:  # an empty cell: a name the closure will bind later
        return False
    return True


def label_of(module: types.ModuleType, root: Path) -> str:
    """A module by its file in the pack (`tests/helpers.py`), else by its name."""
    try:
        return Path(getattr(module, "__file__", None) or "").resolve().relative_to(root).as_posix()
    except ValueError:
        return module.__name__
