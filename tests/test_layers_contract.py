"""The import-linter layers contract (pyproject.toml) names every app, so that an app nobody placed
cannot import upwards unseen (ADR 0009; `make lint` runs the contract itself)."""

import tomllib
from pathlib import Path

from django.apps import apps

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _layers() -> list[str]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [module.strip() for layer in contract["layers"] for module in layer.split("|")]


def test_every_installed_backline_app_has_a_layer():
    layers = _layers()
    ours = [config.name for config in apps.get_app_configs() if config.name.startswith("backline.")]
    unplaced = [name for name in ours if not any(name == layer or name.startswith(layer + ".") for layer in layers)]
    assert not unplaced, f"add these apps to the layers contract in pyproject.toml: {unplaced}"


def test_every_layer_names_a_package_that_exists():
    root = PYPROJECT.parent
    missing = [layer for layer in _layers() if not (root / layer.replace(".", "/") / "__init__.py").exists()]
    assert not missing, missing
