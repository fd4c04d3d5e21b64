"""The package is self-contained: every subpackage is listed for the wheel, and the
migrations and fixture web are found through the package, not the checkout."""

from __future__ import annotations

import tomllib
from importlib import resources

from newsclaims.fixtureweb.server import DEFAULT_ROOT
from newsclaims.storage import database

from .conftest import ROOT


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    src = ROOT / "src"
    on_disk = {
        ".".join(init.parent.relative_to(src).parts)
        for init in src.rglob("__init__.py")
        if "data" not in init.parts
    }
    mapped = set(config["package-dir"]) - {""}
    assert set(config["packages"]) == on_disk | mapped


def test_migrations_and_fixtures_come_from_the_package():
    assert resources.files("newsclaims.migrations") == database.MIGRATIONS_DIR
    assert (database.MIGRATIONS_DIR / "env.py").is_file()
    assert any((database.MIGRATIONS_DIR / "versions").glob("0001_*.py"))
    assert DEFAULT_ROOT.parent == resources.files("newsclaims.fixtures")
    assert (DEFAULT_ROOT.parent / "sources.toml").is_file()
