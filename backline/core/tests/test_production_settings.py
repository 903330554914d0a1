"""``BACKLINE_ENV=production`` refuses to start without SECRET_KEY or ALLOWED_HOSTS, and says which."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD = {"SECRET_KEY": "p" * 50, "ALLOWED_HOSTS": "backline.example"}


def _setup(**overrides):
    """``django.setup()`` in a fresh interpreter with production settings; ``None`` removes a variable."""
    env = {k: v for k, v in os.environ.items() if k not in GOOD}
    env.update({"BACKLINE_ENV": "production", "EMAIL_URL": "mailbox:",
                "DJANGO_SETTINGS_MODULE": "backline.config.settings", **GOOD})
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=60)


def test_production_starts_with_both():
    done = _setup()
    assert done.returncode == 0, done.stderr


def _refusal(done) -> str:
    """The last line of the traceback: the ImproperlyConfigured message the operator reads."""
    assert done.returncode != 0, "production started without a required setting"
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: Production needs"), done.stderr
    return last_line


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(variable):
    message = _refusal(_setup(**{variable: None}))
    assert message.endswith(f"Set the {variable} environment variable"), message


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_with_an_empty(variable):
    message = _refusal(_setup(**{variable: ""}))
    assert variable in message, message


def test_production_refuses_a_short_secret_key():
    message = _refusal(_setup(SECRET_KEY="too-short"))
    assert "SECRET_KEY of 32+ characters" in message, message
