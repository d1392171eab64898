#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis generates requests from
# /api/v1/openapi.json (its examples, boundary values, random valid and invalid data) and runs
# every check on every answer. Any failure fails the step, and so does a run whose generated
# crossings never reached storage (no POST /api/v1/crossings answered 201).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
MAX_EXAMPLES="${SAPAR_SCHEMATHESIS_EXAMPLES:-50}"
SEED="${SAPAR_SCHEMATHESIS_SEED:-20250401}"

python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"

source .ci/sapar-binary.sh

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="sqlite:$WORK/register.db"
OFFICER="$("$SAPAR" tokens create --db "$DB" --role officer --name schemathesis-officer 2>/dev/null)"
"$SAPAR" tokens create --db "$DB" --role border --name schemathesis-border >/dev/null 2>&1
# The access log is listed with an auditor's token (.ci/schemathesis.toml sends it to /api/v1/audit).
SAPAR_SCHEMATHESIS_AUDITOR="$("$SAPAR" tokens create --db "$DB" --role auditor --name schemathesis-auditor 2>/dev/null)"
export SAPAR_SCHEMATHESIS_AUDITOR

# Cards are issued and checked under a state's keys (the card signer among them).
"$SAPAR" keys init --state KAZ --out "$WORK/keys" >/dev/null

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$WORK/sapar.toml" <<EOF
db = "$DB"
listen = "127.0.0.1:$PORT"

[http]
# The fuzzer sends far more than a border post; the limits themselves are tested in the suite.
token_rate = 100000
token_burst = 100000
address_rate = 100000
address_burst = 100000

[cards]
keys = "$WORK/keys"
EOF

"$SAPAR" serve --config "$WORK/sapar.toml" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$BASE/health" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        echo "error: sapar serve exited" >&2
        exit 1
    fi
    sleep 0.2
done

CONFIG="$PWD/.ci/schemathesis.toml"
started=$(date +%s)
status=0
# From the temporary directory, so schemathesis's own cache stays out of the work tree.
(cd "$WORK" && schemathesis --config-file "$CONFIG" run "$BASE/api/v1/openapi.json" \
    --header "Authorization: Bearer $OFFICER" \
    --checks all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --generation-database none \
    --report ndjson --report-dir "$WORK/report" \
    --output-truncate true) || status=$?
echo "schemathesis took $(($(date +%s) - started)) s"
if [ "$status" -ne 0 ]; then
    echo "error: schemathesis found failures (exit $status); server log: $WORK/server.log" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit "$status"
fi

answered="$(python3 - "$WORK/report" <<'EOF'
# 201 answers to POST /api/v1/crossings among the interactions in the NDJSON report.
import json, pathlib, sys

def walk(node, found):
    if isinstance(node, dict):
        request, response = node.get("request"), node.get("response")
        if isinstance(request, dict) and isinstance(response, dict):
            if request.get("method") == "POST" and str(request.get("uri", "")).endswith("/api/v1/crossings") \
                    and response.get("status_code") == 201:
                found.append(1)
        for value in node.values():
            walk(value, found)
    elif isinstance(node, list):
        for value in node:
            walk(value, found)

found = []
for path in pathlib.Path(sys.argv[1]).glob("*.ndjson"):
    for line in path.read_text().splitlines():
        walk(json.loads(line), found)
print(len(found))
EOF
)"
echo "201 answers to generated POST /api/v1/crossings: $answered"
recorded="$(python3 - "$WORK/register.db" <<'EOF'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM crossings").fetchone()[0])
EOF
)"
echo "crossings recorded by generated requests: $recorded"
if [ "$recorded" -eq 0 ]; then
    echo "error: no generated POST /api/v1/crossings reached storage; the document's examples or schemas keep the fuzzer out" >&2
    exit 1
fi
