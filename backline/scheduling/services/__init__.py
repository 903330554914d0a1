"""Scheduling's writes, one module per concern: ``availability`` (a person's default, patterns and
blocks), ``commitments`` (the one door to busy time, and the double-booking guard), ``act_events``,
``polls`` (date polls), ``share_links`` (public green-zone links) and ``external_calendars`` (imported
personal calendars). Calendar feeds are written in ``scheduling.feeds``, beside the iCal they render."""
