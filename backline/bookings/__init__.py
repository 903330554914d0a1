"""The deal pipeline: inquiries, holds, offers and counter-offers, confirmed bookings, engagements,
performer assignments and contracts; ``agency/`` holds the agency back office."""
