"""pip-audit over requirements.lock, saying plainly when no vulnerability database could be asked.

Asks PyPI's JSON API first, then OSV. Outcomes (the first line printed says which):

- ``pip-audit: PASSED`` — a database answered for the pinned packages and knows no vulnerability;
- ``pip-audit: FAILED`` — a database lists a vulnerability (exit 1): upgrade the package (pyproject.toml
  and requirements.lock) or, when it cannot affect us, pass ``--ignore-vuln ID`` here with the reason;
- ``pip-audit: SKIPPED, vulnerability database unreachable: …`` — neither database could be reached (or
  every package came back unknown, as behind a registry proxy that serves no JSON API): nothing was
  checked, and the log says so rather than passing silently (exit 0, so CI without that network runs).

    .venv/bin/python .ci/audit.py [requirements.lock]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_AUDIT = str(Path(sys.executable).with_name("pip-audit"))
SERVICES = ("pypi", "osv")
IGNORED: dict[str, str] = {}  # vulnerability id → why it cannot affect Backline


def audit(requirements: Path, service: str) -> tuple[str, str]:
    """(outcome, text) for one vulnerability service: outcome is passed, failed or unreachable."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [PIP_AUDIT, "--requirement", str(requirements), "--no-deps", "--disable-pip",
                   "--vulnerability-service", service, "--progress-spinner", "off", "--timeout", "15",
                   "--format", "json", "--output", str(report)]
        for vuln_id in IGNORED:
            command += ["--ignore-vuln", vuln_id]
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)  # noqa: S603 (our own tool)
        except subprocess.TimeoutExpired:
            return "unreachable", f"{service}: no answer within 600 s"
        data = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
    return classify(service, done.returncode, data, done.stderr)


def classify(service: str, returncode: int, data: dict | None, stderr: str) -> tuple[str, str]:
    if data is None:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        reason = lines[-1] if lines else f"pip-audit exited {returncode} without a report"
        return "unreachable", f"{service}: {reason}"
    dependencies = data.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        text = "\n".join(f"  {d['name']}=={d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})"
                         f" {v.get('description', '')[:160]}" for d in vulnerable for v in d["vulns"])
        return "failed", f"{service}: {sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities\n{text}"
    unknown = [d["name"] for d in dependencies if "skip_reason" in d]
    if dependencies and len(unknown) == len(dependencies):
        return "unreachable", (f"{service}: every one of the {len(dependencies)} pinned packages came back unknown "
                               f"(the database did not answer for them)")
    if returncode != 0:
        return "unreachable", f"{service}: pip-audit exited {returncode}: {stderr.strip()[-300:]}"
    note = f"; not known to the database (not audited): {', '.join(unknown)}" if unknown else ""
    return "passed", f"{service}: {len(dependencies) - len(unknown)} packages audited, no known vulnerability{note}"


def main() -> int:
    requirements = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "requirements.lock")
    reasons = []
    for service in SERVICES:
        outcome, text = audit(requirements, service)
        if outcome == "passed":
            print(f"pip-audit: PASSED ({text})")
            return 0
        if outcome == "failed":
            print(f"pip-audit: FAILED, vulnerable dependencies in {requirements.name} ({text})")
            return 1
        reasons.append(text)
    print(f"pip-audit: SKIPPED, vulnerability database unreachable: {'; '.join(reasons)}")
    print("pip-audit: nothing was checked; run `make audit` where PyPI's JSON API or OSV can be reached.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
