"""The bookings API: the pipeline (inquiries, holds, offers, confirmation) and agencies' books."""

from ninja import Router

from . import agency, pipeline

router = Router()
router.add_router("/", pipeline.router)
router.add_router("/", agency.router)
