"""Print the environment for the test run: PostgreSQL and Redis when they answer.

With CI=true a missing PostgreSQL, Redis or Chromium is an error, not a reason to skip.
Used by `make test` as: eval "$(python tests/services.py)"."""

import os
import shlex
import shutil
import socket
import sys

PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
CHROMIUM = "/usr/bin/chromium"


def _answers(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    exports: dict[str, str] = {}
    missing: list[str] = []
    if os.environ.get("DATABASE_URL"):
        pass
    elif _answers(PG):
        exports["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/samen"
    else:
        missing.append("PostgreSQL on 127.0.0.1:5432")
    if os.environ.get("REDIS_URL"):
        exports["SAMEN_TEST_REDIS_URL"] = os.environ["REDIS_URL"]
    elif _answers(REDIS):
        exports["SAMEN_TEST_REDIS_URL"] = "redis://127.0.0.1:6379/15"
    else:
        missing.append("Redis on 127.0.0.1:6379")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing.append("Chromium (/usr/bin/chromium)")
    for name in missing:
        print(f"tests/services.py: {name} is not available", file=sys.stderr)
    if missing and ci:
        print("echo 'CI=true: all services are required' >&2; false")
        return 1
    if ci:
        exports["SAMEN_REQUIRE_SERVICES"] = "1"
    for key, value in exports.items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
