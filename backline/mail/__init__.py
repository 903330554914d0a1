"""Email as a transport: the sender identity, the outbox (every email a row committed before it is
sent), delivery over SMTP or a provider, the provider's webhooks and tracking events, inbound replies
threaded into conversations, held (quarantined) mail and its review, suppressions and opt-out."""
