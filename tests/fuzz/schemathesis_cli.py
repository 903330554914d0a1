"""Schemathesis's command line, with ``ast.parse`` serialised across threads.

CPython 3.11 (before 3.11.8) keeps the AST constructor's recursion depth in shared state, so two threads
parsing at once can fail with ``SystemError: AST constructor recursion depth mismatch`` (CPython
gh-106905). Hypothesis parses module sources to describe lambdas when Schemathesis builds strategies,
and ``--workers 2`` runs two threads: a CI run failed that way on an operation our API answered correctly.
One lock around ``ast.parse`` in the fuzzer's own process removes the race; nothing in Backline changes."""

from __future__ import annotations

import ast
import sys
import threading

_lock = threading.Lock()
_parse = ast.parse


def _serialised_parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _serialised_parse

if __name__ == "__main__":
    from schemathesis.cli import schemathesis

    sys.argv[0] = "schemathesis"
    sys.exit(schemathesis())
