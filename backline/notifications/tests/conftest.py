"""The communication apps share one small world of fixtures (tests/communication.py)."""

from tests.communication import fire, outsider, world  # noqa: F401  (fixtures)
