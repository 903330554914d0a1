from backline.core.events import DomainEvent

# Every payload names booking_id and workspace_id (the buyer); act_workspace_id where an act is on it;
# actor_id: the person whose action it was (None when the clock did it).
inquiry_logged = DomainEvent("inquiry_logged")
hold_placed = DomainEvent("hold_placed")  # + rank
hold_promoted = DomainEvent("hold_promoted")  # became the 1st hold
hold_challenged = DomainEvent("hold_challenged")  # + challenger_id, deadline
hold_expiring = DomainEvent("hold_expiring")  # + expires_at: the hold runs out within HOLD_WARNING_HOURS
offer_made = DomainEvent("offer_made")  # + offer_id, side, version
booking_confirmed = DomainEvent("booking_confirmed")
booking_moved = DomainEvent("booking_moved")  # + was_starts_at, was_ends_at (ISO): a hold, offer or show moved
booking_closed = DomainEvent("booking_closed")  # + status (lost, released, declined, expired, cancelled), reason
performer_conflict = DomainEvent("performer_conflict")  # + performer_id, conflicting_booking_id, overridden
