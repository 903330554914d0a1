"""Scheduling's web pages, one module per concern (as in the API package): ``personal`` (a person's
availability), ``acts`` (an act's schedule and events), ``polls`` (date polls), ``sharing`` (calendar
feeds, share links and the public availability page, imported calendars)."""
