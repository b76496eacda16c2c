"""The manifest (exercises/manifest.toml) and where each exercise's files live. Imports no torch."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dependency there)
    import tomli as tomllib

PACK_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_NAME = "manifest.toml"


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    difficulty: int
    points: float
    seeds: str = ""
    hints: tuple[str, ...] = field(default_factory=tuple)
    allow: frozenset[str] = frozenset()  # constructs grading.scan would hold that this exercise really needs

    @property
    def chapter(self) -> str:
        return self.id.split("/")[0]

    @property
    def name(self) -> str:
        return self.id.split("/")[1]

    @property
    def relpath(self) -> str:
        """The exercise file, relative to exercises/ (or to any submission folder)."""
        return f"{self.id}.py"

    def test_files(self, root: Path = PACK_ROOT, hidden: bool = True) -> list[Path]:
        files = [root / "tests" / self.chapter / f"test_{self.name}.py"]
        if hidden:
            files.append(root / "tests" / "hidden" / self.chapter / f"test_{self.name}.py")
        return [f for f in files if f.is_file()]

    def variants(self, root: Path = PACK_ROOT) -> list[Path]:
        """Known-wrong implementations: each must fail at least one test."""
        return sorted((root / "tests" / "variants" / self.chapter / self.name).glob("wrong_*.py"))

    def alternatives(self, root: Path = PACK_ROOT) -> list[Path]:
        """Known-correct implementations that differ from the reference: each must pass every test."""
        return sorted((root / "tests" / "variants" / self.chapter / self.name).glob("alt_*.py"))


class Manifest:
    """Every exercise in teaching order."""

    def __init__(self, exercises: list[Exercise], root: Path = PACK_ROOT) -> None:
        self.exercises = exercises
        self.root = root
        self._by_id = {exercise.id: exercise for exercise in exercises}

    @classmethod
    def load(cls, root: Path = PACK_ROOT) -> "Manifest":
        with open(root / "exercises" / MANIFEST_NAME, "rb") as handle:
            entries = tomllib.load(handle)["exercise"]
        exercises = [
            Exercise(
                id=entry["id"],
                title=entry["title"],
                difficulty=int(entry["difficulty"]),
                points=float(entry["points"]),
                seeds=entry.get("seeds", ""),
                hints=tuple(entry.get("hints", ())),
                allow=frozenset(entry.get("allow", ())),
            )
            for entry in entries
        ]
        return cls(exercises, root)

    def __iter__(self):
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, exercise_id: str) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def find(self, text: str) -> Exercise:
        """An exercise by id, by bare name, or by path; KeyError with close matches otherwise."""
        import difflib

        key = text.strip().removesuffix(".py").replace("\\", "/")
        for prefix in ("exercises/", "solutions/", "./"):
            key = key.removeprefix(prefix)
        if key in self._by_id:
            return self._by_id[key]
        by_name = [e for e in self.exercises if e.name == key]
        if len(by_name) == 1:
            return by_name[0]
        id_of = {**{e.name: e.id for e in self.exercises}, **{e.id: e.id for e in self.exercises}}
        close = difflib.get_close_matches(key, list(id_of), n=6, cutoff=0.5)
        close = list(dict.fromkeys(id_of[match] for match in close))[:3]  # an id and its bare name are one exercise
        suggestion = f"; did you mean {' or '.join(close)}?" if close else ""
        raise KeyError(f"no exercise {text!r}{suggestion}")

    def chapters(self) -> list[str]:
        return list(dict.fromkeys(exercise.chapter for exercise in self.exercises))
