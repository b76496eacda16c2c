"""A static look at each submitted file before it runs: constructs that no exercise needs hold its score.

An exercise's code has no business walking the object graph, reading frames, rewriting code, signalling
processes or reading /proc. A finding does not stop the run (the instructor sees the results); it holds the
exercise's score at 0 for review, with the construct and its line named, the way the canary does. An exercise
that really needs a construct lists it in the manifest: `allow = ["import inspect"]`.

A speed bump, not a wall: names computed at run time (`getattr(os, "ki" + "ll")`) pass it. The audit hook and
the integrity snapshot in the grading child are what stop those.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from grading.manifest import Manifest

MODULES = frozenset({"gc", "ctypes", "inspect", "_pytest", "pytest", "pytest_timeout", "xdist", "pluggy", "signal",
                     "importlib", "builtins", "faulthandler", "pdb", "bdb", "trace", "tracemalloc", "code", "codeop",
                     "runpy", "marshal", "dis", "_thread", "grading", "helpers", "conftest", "cffi", "mmap"})
MODULE_ATTRIBUTES = {
    "sys": frozenset({"modules", "_getframe", "_current_frames", "_current_exceptions", "settrace", "setprofile",
                      "addaudithook", "audit", "meta_path", "path_hooks", "exc_info", "last_traceback",
                      "_getframemodulename", "monitoring"}),
    "os": frozenset({"kill", "killpg", "fdopen", "write", "dup", "dup2", "setsid", "setpgid", "setpgrp", "fork",
                     "forkpty", "execv", "execve", "execvp", "system", "posix_spawn"}),
    "threading": frozenset({"settrace", "setprofile", "_active"}),
    "types": frozenset({"FunctionType", "CodeType", "FrameType", "TracebackType", "CellType"}),
    "traceback": frozenset({"walk_tb", "walk_stack"}),
}
# attributes that reach a frame, a function's insides, every class or the interpreter's own objects
ATTRIBUTES = frozenset({"__code__", "__globals__", "__subclasses__", "__builtins__", "__closure__", "__defaults__",
                        "__kwdefaults__", "__traceback__", "__loader__", "__import__", "tb_frame", "tb_next",
                        "f_back", "f_locals", "f_globals", "f_code", "f_builtins", "gi_frame", "gi_code", "cr_frame",
                        "ag_frame", "co_consts", "co_code", "cell_contents", "capture_locals"})
NAMES = frozenset({"exec", "eval", "compile", "__import__", "globals", "breakpoint"})
PATHS = ("/proc", "/dev/fd", "/sys/")
MAX_SOURCE = 1_000_000  # characters: an exercise's file is a few kB; a bigger one is not parsed in the grader


@dataclass(frozen=True)
class Finding:
    construct: str
    line: int

    def __str__(self) -> str:
        return f"{self.construct} at line {self.line}"


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.aliases: dict[str, str] = {}  # a local name -> the module MODULE_ATTRIBUTES watches (`import os as o`)

    def _found(self, construct: str, node: ast.AST) -> None:
        self.findings.append(Finding(construct, getattr(node, "lineno", 0)))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in MODULES:
                self._found(f"import {top}", node)
            elif top in MODULE_ATTRIBUTES and "." not in alias.name:
                self.aliases[alias.asname or top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        top = (node.module or "").split(".")[0]
        if node.level == 0 and top in MODULES:
            self._found(f"import {top}", node)
        for alias in node.names if node.level == 0 and top in MODULE_ATTRIBUTES and node.module == top else ():
            if alias.name in MODULE_ATTRIBUTES[top] or alias.name == "*":
                self._found(f"{top}.{alias.name}", node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in ATTRIBUTES:
            self._found(node.attr, node)
        elif isinstance(node.value, ast.Name) and node.value.id in self.aliases:
            module = self.aliases[node.value.id]
            if node.attr in MODULE_ATTRIBUTES[module]:
                self._found(f"{module}.{node.attr}", node)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in NAMES or node.id in ATTRIBUTES:
            self._found(node.id, node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg in ATTRIBUTES:
            self._found(node.arg, node)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            if node.value in ATTRIBUTES or node.value in NAMES:
                self._found(repr(node.value), node)
            for path in PATHS:
                if path in node.value:
                    self._found(repr(path), node)


def scan_source(source: str) -> list[Finding]:
    """Every construct of the lists above in this source, in line order; none for a file that does not parse
    (its tests fail on the syntax error anyway). A file too big or too deeply nested to look at is a finding."""
    if len(source) > MAX_SOURCE:
        return [Finding(f"a file of over {MAX_SOURCE:,} characters", 1)]
    visitor = _Visitor()
    try:
        visitor.visit(ast.parse(source))
    except (SyntaxError, ValueError):
        return []
    except (RecursionError, MemoryError):
        return [Finding("code nested too deeply to scan", 1)]
    return sorted(set(visitor.findings), key=lambda finding: (finding.line, finding.construct))


def held(manifest: Manifest, submission: Path) -> dict[str, str]:
    """exercise id -> the constructs its file should not hold ("import gc at line 3, ..."), allowances applied."""
    found = {}
    for exercise in manifest:
        source = submission / exercise.relpath
        if not source.is_file() or source.is_symlink():
            continue
        try:
            with open(source, encoding="utf-8", errors="replace") as handle:
                text = handle.read(MAX_SOURCE + 1)  # never more than that into the grader's memory
        except OSError:  # unreadable: it was not copied for the run either
            continue
        findings = [finding for finding in scan_source(text)
                    if finding.construct not in exercise.allow]
        if findings:
            shown = ", ".join(map(str, findings[:5])) + (f" and {len(findings) - 5} more" if len(findings) > 5 else "")
            found[exercise.id] = shown
    return found
