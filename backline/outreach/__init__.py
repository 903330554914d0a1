"""Email templates with merge fields, composing and sending outreach to contacts (one or many), the
sent list with its statuses, and follow-up reminders for outreach that got no reply."""
