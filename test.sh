#!/bin/bash
# Runs pytest in this worktree with its own database and redis db. Args go to pytest.
cd /work/wt/fuzz
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/samen_fuzz
export SAMEN_TEST_REDIS_URL=redis://127.0.0.1:6379/7
exec .venv/bin/python -m pytest "$@"
