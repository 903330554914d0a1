"""Makers of messaging outbox objects for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token."""

from __future__ import annotations

MAKERS: dict = {}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}
