#!/bin/sh
# The shell samples of README.md and docs/*.md print what they show: see test_doc_samples.py.
# Skipped, passing, where python3 is missing.
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: cli.test_doc_samples: python3 not found"
    exit 0
fi
exec python3 "$(dirname "$0")/test_doc_samples.py"
