"""The domain events the venues app announces (sent on commit; see ``backline.core.events``)."""

from backline.core.events import DomainEvent

# Backline's staff withdrew a venue's verification. Payload: venue_id, reason, actor_id.
verification_revoked = DomainEvent("venue.verification_revoked")
