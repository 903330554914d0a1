"""Threads and messages between workspaces (a booking's thread, support threads, direct threads) and
with outside contacts by email, attachments, read state, and the workspace inbox."""
