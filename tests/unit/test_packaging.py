"""The wheel's package list covers every directory that ships files.

setuptools treats any directory under a package as an importable package and
prints a screen of "Package would be ignored" warnings for each one missing
from pyproject.toml, on every install (`make run` included). A template
directory added without its line here would bring them back, and leave its
templates out of an installed wheel.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> tuple[set[str], dict[str, list[str]]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return set(config["packages"]), config["package-data"]


def _packages_under(directory: Path, name: str) -> set[str]:
    found = {name}
    for child in directory.rglob("*"):
        if child.is_dir() and child.name != "__pycache__" and any(f.is_file() for f in child.iterdir()):
            found.add(name + "." + ".".join(child.relative_to(directory).parts))
    return found


def test_every_directory_with_files_is_a_declared_package_and_ships_its_files() -> None:
    packages, package_data = _declared()
    roots = {"app.templates": ROOT / "templates", "app.static": ROOT / "app" / "static"}
    expected = set().union(*(_packages_under(path, name) for name, path in roots.items()),
                           _packages_under(ROOT / "migrations", "app.migrations"))
    assert expected - packages == set()
    for name, root in roots.items():
        for file in root.rglob("*"):
            if not file.is_file() or "__pycache__" in file.parts:
                continue
            package = ".".join([name, *file.parent.relative_to(root).parts])
            patterns = package_data.get(package, [])
            assert any(fnmatch(file.name, pattern) for pattern in patterns), f"{file} is not in the wheel"
