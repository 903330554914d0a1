"""The domain events the artists app announces (sent on commit; see ``backline.core.events``)."""

from backline.core.events import DomainEvent

# An agency's representation of an act was asked for, granted, declined or ended.
# Payload: representation_id, what (the audit code of the change), actor_id.
representation_changed = DomainEvent("representation.changed")

# Backline's staff withdrew an act's verification. Payload: act_id, reason, actor_id.
verification_revoked = DomainEvent("act.verification_revoked")
