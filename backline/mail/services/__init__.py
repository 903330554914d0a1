"""Mail's writes, one module per concern: ``outbox`` (queueing, and the follow-up drafts outreach
prepares), ``delivery`` (sending what is due), ``suppressions`` (bounced, complained and opted-out
addresses, and the signed opt-out link), ``senders`` (the workspace's sender identity and hourly limit),
``tracking`` (the provider's events), ``inbound`` (replies threaded into conversations) and ``held``
(the review of held incoming mail)."""
