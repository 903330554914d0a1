"""Mail's writes, one module per concern: ``outbox`` (queueing, suppressions, opt-out), ``delivery``
(sending what is due), ``tracking`` (the provider's events), ``inbound`` (replies threaded into
conversations) and ``held`` (the review of quarantined mail)."""
