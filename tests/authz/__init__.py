"""Helpers of the authorisation matrix (tests/test_authorization_matrix.py): route enumeration,
the declaration table, and the worlds (a workspace per kind with a member per role) it runs in."""
