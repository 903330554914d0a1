"""The scheduling API: a person's own availability and calendar (``/me/...``), acts' events, green
zone, polls, share links and calendar feeds."""

from ninja import Router

from . import acts, personal, polls, sharing

router = Router()
router.add_router("/", personal.router)
router.add_router("/", acts.router)
router.add_router("/", polls.router)
router.add_router("/", sharing.router)
