"""Scheduling's web pages, one module per concern: ``acts`` (a person's availability; an act's
schedule, events and polls), ``sharing`` (calendar feeds, share links and the public availability
page, imported calendars)."""
