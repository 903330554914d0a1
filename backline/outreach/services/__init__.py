"""Outreach's writes, one module per concern: ``templates``, ``sending`` (compose, preview, send,
drafts) and ``follow_ups`` (the reminders). The sender identity is mail's (``mail.services.senders``)."""
