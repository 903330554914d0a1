"""The threads API (mounted in backline/config/api.py)."""

from ninja import Router

router = Router(tags=["threads"])
