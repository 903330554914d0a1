"""Fuzz the JSON API with Schemathesis against a real server on PostgreSQL (`make fuzz`, CI).

What it does, start to finish:

1. creates a fresh PostgreSQL database (its name must contain "fuzz"; it is dropped first), migrates it
   and loads the demo world (`manage.py demo`);
2. starts the development server on a free loopback port, with the demo mailbox as the email backend
   (no email leaves the machine) and uploads in a temporary folder;
3. sweeps every operation once with Schemathesis' coverage phase (boundary and invalid values of every
   parameter and field, deterministic) as the act owner, then, for each of three roles (an act owner, a
   venue viewer, an agency performer) and each of two seeds (a fixed one, and a random one printed so a
   failure can be reproduced with ``--seed``), fuzzes every operation (a bounded number of positive and
   negative cases each). Each run logs in through ``POST /api/v1/auth/login`` first and checks
   ``not_a_server_error``, ``status_code_conformance`` and ``response_schema_conformance``; a run that
   does not finish within its cap counts as a failure and is stopped;
4. stops the server (its whole process group) and drops the database, whatever happened.

It exits non-zero on any finding, on a run that did not finish in its time, or when the server does not
start. Excluded operations (and why) are listed in ``EXCLUDED``.

    .venv/bin/python tests/fuzz/run.py [--seed N] [--max-examples N] [--roles 'venue viewer'] [--no-coverage]

Environment: ``FUZZ_DATABASE_URL`` (default postgres://postgres:postgres@127.0.0.1:5432/backline_fuzz),
``FUZZ_SEED`` (the second seed instead of a random one), ``FUZZ_MAX_EXAMPLES``, ``FUZZ_COVERAGE_CAP``,
``FUZZ_RUN_CAP``,
``FUZZ_REPORT_DIR`` (default var/fuzz: server log, JUnit and NDJSON reports of each run).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Schemathesis through a wrapper that serialises ast.parse across its worker threads (see the module).
SCHEMATHESIS_CLI = str(Path(__file__).with_name("schemathesis_cli.py"))
FIXED_SEED = 20261205
PASSWORD = "backline-demo"  # the demo world's password (backline.demo.world.DEMO_PASSWORD)
ROLES = (
    ("act owner", "owner.act@demo.example.org"),
    ("venue viewer", "viewer.venue@demo.example.org"),
    ("agency performer", "performer.agency@demo.example.org"),
)
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# Operations the fuzzer must not call, by operation id, and why. (Logout and refresh are fuzzed: they act
# on the refresh cookie, which the fuzzer never holds, so they cannot end the bearer session it runs under.
# No email leaves the machine: the server sends to the demo mailbox.)
EXCLUDED = {
    "backline_scheduling_api_sharing_calendar_add": "downloads the calendar URL it is given: the fuzzer "
                                                   "would send traffic to addresses off this machine",
    "backline_scheduling_api_sharing_calendar_refresh": "downloads the imported calendar's URL (as above)",
}
DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/backline_fuzz"


def say(message: str) -> None:
    print(f"fuzz: {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "fuzz" not in name:
        raise SystemExit(f"fuzz: refusing to drop the database {name!r}: its name must contain 'fuzz'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, timeout: int = 600) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"fuzz: the server did not answer within {timeout:.0f} s")


def login(base: str, email: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",  # noqa: S310 (loopback)
                                     data=json.dumps({"email": email, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())["access_token"]


def stop(process: subprocess.Popen | None) -> None:
    """End a process we started and everything it started (its own process group)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def schemathesis_command(base: str, token: str, *, seed: int, phases: str, max_examples: int, report: Path) -> list[str]:
    command = [
        PYTHON, SCHEMATHESIS_CLI, "run", f"{base}/api/v1/openapi.json",
        "--checks", CHECKS,
        "--mode", "all",
        "--phases", phases,
        "--max-examples", str(max_examples),
        "--seed", str(seed),
        "--workers", "2",
        "--request-timeout", "30",
        "--continue-on-failure",
        "--suppress-health-check", "all",
        "--generation-database", "none",
        "--generation-with-security-parameters", "false",
        "--no-color",
        "--report", "junit,ndjson",
        "--report-dir", str(report),
        "--header", f"Authorization: Bearer {token}",
    ]
    for operation_id in EXCLUDED:
        command += ["--exclude-operation-id", operation_id]
    return command


FINDINGS: dict[str, set[str]] = {}  # "METHOD /path" → "ST101 Server error (act owner, seed 1)", …
_OPERATION = re.compile(r"^_{3,} ([A-Z]+ /\S*) _{3,}$")
_FINDING = re.compile(r"^- (ST\d+ [^(]+?)\s*(\(|$)")


def _echo(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))
        print(line, end="", flush=True)


def collect_findings(lines: list[str], where: str) -> None:
    """Schemathesis prints each failing operation as a ruled heading followed by ``- STnnn …`` lines."""
    operation = None
    for line in lines:
        if match := _OPERATION.match(line):
            operation = match.group(1)
        elif operation and (match := _FINDING.match(line)):
            FINDINGS.setdefault(operation, set()).add(f"{match.group(1)} ({where})")
        elif line.startswith("===") and "SUMMARY" in line:
            operation = None


def print_findings() -> None:
    if not FINDINGS:
        return
    say(f"findings per operation ({len(FINDINGS)} operations):")
    for operation in sorted(FINDINGS):
        kinds: dict[str, list[str]] = {}
        for finding in sorted(FINDINGS[operation]):
            kind, _, where = finding.partition(" (")
            kinds.setdefault(kind, []).append(where.rstrip(")"))
        say(f"  {operation}: " + "; ".join(f"{kind} [{', '.join(wheres)}]" for kind, wheres in kinds.items()))


_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*")


def server_errors(log: Path) -> dict[str, int]:
    """"path → final exception" of each 500 in the server's log, counted."""
    found: dict[str, int] = {}
    path, last = None, None
    for line in [*log.read_text(errors="replace").splitlines(), "Internal Server Error: (end)"]:
        if line.startswith("Internal Server Error: ") or line.startswith("["):
            if path and last:
                key = f"{path} → {last[:200]}"
                found[key] = found.get(key, 0) + 1
            path, last = (line.removeprefix("Internal Server Error: ").split("?")[0], None) \
                if line.startswith("Internal") else (None, None)
        elif path and _EXCEPTION.match(line):
            last = line
    return found


def run_one(base: str, role: str, email: str, *, seed: int, phases: str, max_examples: int, cap: float,
            reports: Path) -> bool:
    slug = role.replace(" ", "-")
    report = reports / f"{slug}-{phases.replace(',', '-')}-seed-{seed}"
    command = schemathesis_command(base, login(base, email), seed=seed, phases=phases, max_examples=max_examples,
                                   report=report)
    say(f"{role} ({email}), phases {phases}, seed {seed} (stopped after {cap:.0f} s)")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    lines: list[str] = []
    reader = threading.Thread(target=_echo, args=(process.stdout, lines), daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=cap)
    except subprocess.TimeoutExpired:
        say(f"FAILED {role}, {phases}, seed {seed}: did not finish within {cap:.0f} s (stopped)")
        FINDINGS.setdefault("(the whole run)", set()).add(f"did not finish in time ({role}, {phases}, seed {seed})")
        return False
    finally:
        stop(process)
        reader.join(timeout=10)
    collect_findings(lines, f"{role}/{phases}/seed {seed}")
    verdict = "passed" if code == 0 else f"FAILED (schemathesis exit {code})"
    say(f"{role}, {phases}, seed {seed}: {verdict} in {time.monotonic() - started:.0f} s; reports in {report}")
    if code != 0:
        say(f"reproduce: FUZZ_SEED={seed} make fuzz   (or .venv/bin/python tests/fuzz/run.py --seed {seed} "
            f"--roles '{role}')")
    return code == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=int(os.environ["FUZZ_SEED"]) if os.environ.get("FUZZ_SEED") else None,
                        help="the second seed (default: random, printed)")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "5")),
                        help="test cases per operation in the fuzzing phase (default 5)")
    parser.add_argument("--coverage-cap", type=float, default=float(os.environ.get("FUZZ_COVERAGE_CAP", "420")),
                        help="seconds after which the coverage sweep counts as hung and is stopped")
    parser.add_argument("--run-cap", type=float, default=float(os.environ.get("FUZZ_RUN_CAP", "150")),
                        help="seconds after which one fuzzing run counts as hung and is stopped")
    parser.add_argument("--deadline", type=float, default=float(os.environ.get("FUZZ_DEADLINE", "900")),
                        help="seconds for the whole fuzz step, set-up included; runs that would start later fail")
    parser.add_argument("--no-coverage", action="store_true", help="skip the coverage sweep")
    parser.add_argument("--roles", default="", help="comma-separated subset of: " + ", ".join(r for r, _ in ROLES))
    args = parser.parse_args()

    random_seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    seeds = [FIXED_SEED] if random_seed == FIXED_SEED else [FIXED_SEED, random_seed]
    roles = [(r, e) for r, e in ROLES if not args.roles or r in args.roles.split(",")]
    say(f"seeds: fixed {FIXED_SEED}, random {random_seed} (reproduce with --seed {random_seed} or FUZZ_SEED={random_seed})")
    say(f"checks: {CHECKS}; a coverage sweep as the {roles[0][0]}, then {args.max_examples} fuzzed cases per "
        f"operation for each role and seed")
    for operation_id, why in EXCLUDED.items():
        say(f"excluded {operation_id}: {why}")

    started = time.monotonic()
    # `timeout` (CI) and kill send SIGTERM: leave through the clean-up below, as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    database_url = os.environ.get("FUZZ_DATABASE_URL", DEFAULT_DATABASE_URL)
    reports = Path(os.environ.get("FUZZ_REPORT_DIR", ROOT / "var" / "fuzz"))
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True)
    media = Path(tempfile.mkdtemp(prefix="backline-fuzz-media-"))
    env = {**os.environ, "DATABASE_URL": database_url, "BACKLINE_ENV": "development", "DEBUG": "false",
           "EMAIL_URL": "mailbox:", "EMAIL_PROVIDER": "", "REDIS_URL": "", "CELERY_BROKER_URL": "",
           "MEDIA_ROOT": str(media), "PYTHONUNBUFFERED": "1"}
    server = None
    ok = True
    try:
        say(f"database {urlsplit(database_url).path.lstrip('/')}: create, migrate, load the demo world")
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo", "--quiet")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with (reports / "server.log").open("w") as log:  # the server keeps its own copy of the descriptor
            server = subprocess.Popen([PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                      cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_up(base, server)
        say(f"server up at {base} after {time.monotonic() - started:.0f} s; log in {reports / 'server.log'}")
        runs = [] if args.no_coverage else [(roles[0][0], roles[0][1], FIXED_SEED, "coverage", args.coverage_cap)]
        runs += [(role, email, seed, "examples,fuzzing", args.run_cap) for seed in seeds for role, email in roles]
        for role, email, seed, phases, cap in runs:
            left = args.deadline - (time.monotonic() - started)
            if left < 30:
                say(f"FAILED {role}, {phases}, seed {seed}: not run, the step's {args.deadline:.0f} s are spent")
                FINDINGS.setdefault("(the whole run)", set()).add(f"out of time before {role}, {phases}, seed {seed}")
                ok = False
                continue
            cap = min(cap, left)
            ok = run_one(base, role, email, seed=seed, phases=phases, max_examples=args.max_examples, cap=cap,
                         reports=reports) and ok
    finally:
        stop(server)
        try:
            recreate_database(database_url, drop_only=True)
        except Exception as exc:  # noqa: BLE001 (clean-up must not hide the verdict)
            say(f"could not drop the fuzz database: {exc}")
        shutil.rmtree(media, ignore_errors=True)
    print_findings()
    if (reports / "server.log").exists() and (errors := server_errors(reports / "server.log")):
        say("server errors in the server's log (path → exception, count):")
        for key, count in sorted(errors.items()):
            say(f"  {key} ×{count}")
    say(f"{'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s "
        f"(seeds {', '.join(map(str, seeds))}; roles: {', '.join(r for r, _ in roles)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
