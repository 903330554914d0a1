"""Integrators' generated clients name operations by their operationId: moving code between apps or
modules must not rename or drop one (ADR 0009). tests/openapi_operations.txt lists every published
operation; a new operation is added to it, an existing line never changes."""

from pathlib import Path

from backline.config.api import api

PUBLISHED = Path(__file__).with_name("openapi_operations.txt")


def _published() -> set[str]:
    return {line for line in PUBLISHED.read_text().splitlines() if line and not line.startswith("#")}


def _served() -> set[str]:
    document = api.get_openapi_schema()
    return {f"{method.upper()} {path} {operation['operationId']}"
            for path, item in document["paths"].items() for method, operation in item.items()}


def test_every_published_operation_keeps_its_method_path_and_operation_id():
    missing = sorted(_published() - _served())
    assert not missing, "published operations renamed or gone:\n" + "\n".join(missing)


def test_every_served_operation_is_published():
    unlisted = sorted(_served() - _published())
    assert not unlisted, "add these to tests/openapi_operations.txt:\n" + "\n".join(unlisted)


def test_operation_ids_are_unique():
    ids = [line.rsplit(" ", 1)[1] for line in _served()]
    assert len(ids) == len(set(ids))
