#!/usr/bin/env bash
# Benchmarks sellerlink's order import against a Python reference on one sandbox: same seller,
# same orders, fresh SQLite files, several rounds, medians and the ratio.
#
# Usage: benches/reference/run.sh [--api mws|spapi] [--orders N] [--rounds N] [--workers N] [--seed N]
#                                 [--lookback-days N] [--python-https] [--quiet-wait S]
#                                 [--no-build] [--keep]
#
#   --api mws          sellerlink-import-once --api mws vs mws_import.py (python-amazon-mws 0.8.15; default)
#   --api spapi        sellerlink-import-once --api spapi vs spapi_import.py (python-amazon-sp-api,
#                      Orders 2026-01-01); the connection is stored with `connection add-spapi`
#   --orders N         orders the sandbox generates for the seller (default 5000; about 30/37 of
#                      them fall in the 30-day window)
#   --rounds N         rounds of (sellerlink, reference) runs; medians are reported (default 3)
#   --workers N        item calls the reference keeps in flight (default 8, like sellerlink)
#   --lookback-days N  LastUpdatedAfter = start − N days, for both importers (default 30)
#   --python-https     also run the reference over HTTPS with the library unchanged (sandbox CA)
#   --quiet-wait S     before each round, wait up to S seconds for the CPUs to be 85 % idle
#                      (other builds on a shared machine); the idle share is recorded either way
#   --no-build         use the release binaries already in the target directory
#   --keep             keep the work directory (databases, logs, per-round JSON)
#
# Needs python3 with pip, curl, and cargo (unless --no-build). Installs the Python packages it needs
# when they are missing. The sandbox runs with --throttle-scale 1000000 (throttling effectively
# off) and the importer with --no-pacing, so both sides run as fast as they can.
set -euo pipefail

API=mws
ORDERS=5000
ROUNDS=3
WORKERS=8
SEED=1
LOOKBACK_DAYS=30
PYTHON_HTTPS=0
QUIET_WAIT=0
BUILD=1
KEEP=0
PYTHON=${PYTHON:-python3}
# No __pycache__ next to the scripts in the repository.
export PYTHONDONTWRITEBYTECODE=1

while [ $# -gt 0 ]; do
    case "$1" in
        --api) API=$2; shift 2 ;;
        --orders) ORDERS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --lookback-days) LOOKBACK_DAYS=$2; shift 2 ;;
        --python-https) PYTHON_HTTPS=1; shift ;;
        --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$API" in
    mws|spapi) ;;
    *) echo "run.sh: --api must be mws or spapi" >&2; exit 2 ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SELLERLINK=$TARGET/release/sellerlink
IMPORT_ONCE=$TARGET/release/sellerlink-import-once

say() { printf '%s\n' "$*" >&2; }

# --- Python packages -------------------------------------------------------------------------
if ! "$PYTHON" -c 'import mws, sys; sys.exit(mws.__version__ != "0.8.15")' 2>/dev/null \
    || ! "$PYTHON" -c 'import sp_api' 2>/dev/null; then
    say "installing mws==0.8.15 and python-amazon-sp-api"
    "$PYTHON" -m pip install --quiet mws==0.8.15 python-amazon-sp-api
fi

# --- sellerlink, release build ---------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
    say "building sellerlink (release)"
    (cd "$ROOT" && cargo build --release -p sellerlink-sync --bin sellerlink-import-once \
        -p sellerlink --bin sellerlink)
fi
for binary in "$SELLERLINK" "$IMPORT_ONCE"; do
    [ -x "$binary" ] || { say "run.sh: $binary is missing (build without --no-build)"; exit 1; }
done

# --- work directory and sandbox ----------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sellerlink-pyref.XXXXXX")
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then
        kill "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    if [ "$KEEP" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)
while [ "$HTTPS_PORT" = "$HTTP_PORT" ]; do HTTPS_PORT=$(free_port); done
BASE=http://127.0.0.1:$HTTP_PORT

say "starting the sandbox: 1 seller, $ORDERS orders, throttle scale 1000000"
"$SELLERLINK" sandbox --port "$HTTP_PORT" --https-port "$HTTPS_PORT" --seed "$SEED" --sellers 1 \
    --orders-per-seller "$ORDERS" --throttle-scale 1000000 --cert-dir "$WORK/ca" >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 600); do
    if curl -sf "$BASE/_sandbox/identity" >"$WORK/identity.json" 2>/dev/null; then break; fi
    kill -0 "$SANDBOX_PID" 2>/dev/null || { say "the sandbox exited:"; cat "$WORK/sandbox.log" >&2; exit 1; }
    sleep 0.1
done
[ -s "$WORK/identity.json" ] || { say "the sandbox did not answer within 60 s"; exit 1; }

# json_field PATH[|PATH…] < JSON: the first of the dotted paths that exists.
json_field() { "$PYTHON" -c 'import json, sys
doc = json.load(sys.stdin)
for path in sys.argv[1].split("|"):
    v = doc
    try:
        for k in path.split("."): v = v[int(k)] if isinstance(v, list) else v[k]
    except (KeyError, IndexError, TypeError):
        continue
    print(v); sys.exit(0)
sys.exit("none of " + sys.argv[1] + " in " + json.dumps(doc)[:300])' "$1"; }

ACCESS_KEY_ID=$(json_field developer.access_key_id <"$WORK/identity.json")
MWS_SECRET_KEY=$(json_field developer.secret_key <"$WORK/identity.json")
DEVELOPER_ID=$(json_field developer.developer_id <"$WORK/identity.json")
SELLER_ID=$(json_field seller.seller_id <"$WORK/identity.json")
MARKETPLACE_ID=$(json_field seller.marketplace_ids.0 <"$WORK/identity.json")
MWS_AUTH_TOKEN=$(curl -sf -X POST "$BASE/_sandbox/grants" -H 'content-type: application/json' \
    -d "{\"seller_id\": \"$SELLER_ID\", \"developer_id\": \"$DEVELOPER_ID\"}" | json_field mws_auth_token)
export MWS_SECRET_KEY MWS_AUTH_TOKEN
if [ "$API" = spapi ]; then
    # The demo SP-API app and a self-authorization of the seller (control API).
    curl -sf "$BASE/_sandbox/apps" >"$WORK/apps.json"
    LWA_CLIENT_ID=$(json_field '0.client_id|apps.0.client_id' <"$WORK/apps.json")
    LWA_CLIENT_SECRET=$(json_field '0.client_secret|apps.0.client_secret' <"$WORK/apps.json")
    SP_API_REFRESH_TOKEN=$(curl -sf -X POST "$BASE/_sandbox/authorizations" -H 'content-type: application/json' \
        -d "{\"seller_id\": \"$SELLER_ID\"}" | json_field refresh_token)
    export LWA_CLIENT_SECRET SP_API_REFRESH_TOKEN
fi
SELLERLINK_MASTER_KEY=$("$PYTHON" -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
export SELLERLINK_MASTER_KEY

CA_BUNDLE=$WORK/ca/sandbox-ca.pem

# idle_share SECONDS_TO_WAIT: waits until the CPUs are 85 % idle over 2 s (or the time is up) and
# prints the last idle share measured.
idle_share() { "$PYTHON" -c 'import sys, time
def sample():
    with open("/proc/stat") as stat:
        cpu = [int(x) for x in stat.readline().split()[1:]]
    return cpu[3] + cpu[4], sum(cpu)
deadline = time.monotonic() + float(sys.argv[1])
while True:
    idle0, total0 = sample(); time.sleep(2); idle1, total1 = sample()
    share = (idle1 - idle0) / max(1, total1 - total0)
    if share >= 0.85 or time.monotonic() >= deadline:
        print(round(share, 2)); break' "$1"; }

# --- rounds ------------------------------------------------------------------------------------
# reference NAME ENDPOINT [EXTRA ARGS…]: runs the reference importer of $API into $DIR/NAME.db.
reference() {
    local name=$1 endpoint=$2
    shift 2
    if [ "$API" = mws ]; then
        set -- "$HERE/mws_import.py" --endpoint "$endpoint" --access-key-id "$ACCESS_KEY_ID" \
            --seller-id "$SELLER_ID" "$@"
    else
        set -- "$HERE/spapi_import.py" --endpoint "$endpoint" --lwa-endpoint "$endpoint/auth/o2/token" \
            --client-id "$LWA_CLIENT_ID" "$@"
    fi
    "$PYTHON" "$HERE/measure.py" --watch-pid "$SANDBOX_PID" --stdout "$DIR/$name.out" -- "$PYTHON" "$@" \
        --marketplace-id "$MARKETPLACE_ID" --database "$DIR/$name.db" \
        --lookback-days "$LOOKBACK_DAYS" --workers "$WORKERS" >"$DIR/$name.json"
}

# check NAME: compares $DIR/NAME.db with sellerlink's database of the round.
check() {
    "$PYTHON" "$HERE/compare.py" --sellerlink-db "$DIR/home/sellerlink.db" --reference-db "$DIR/$1.db" \
        --reference-report "$DIR/$1.out" --sandbox "$BASE" --seller-id "$SELLER_ID" \
        --lookback-days "$LOOKBACK_DAYS" >"$DIR/compare${1#reference}.json" \
        || { say "the imports disagree ($1):"; cat "$DIR/compare${1#reference}.json" >&2; exit 1; }
}

LIBRARY_NAME=python-amazon-mws
[ "$API" = spapi ] && LIBRARY_NAME=python-amazon-sp-api
for round in $(seq 1 "$ROUNDS"); do
    DIR=$WORK/round-$round
    mkdir -p "$DIR/home"
    IDLE=$(idle_share "$QUIET_WAIT")
    printf '{"idle_share_before": %s, "loadavg": "%s"}\n' "$IDLE" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$DIR/machine.json"

    # A fresh sellerlink home with the seller's connection; the secret goes in on stdin.
    export SELLERLINK_HOME=$DIR/home
    export SELLERLINK_DATABASE_URL=sqlite://$DIR/home/sellerlink.db
    "$SELLERLINK" merchant add --name "bench-$round" >/dev/null
    if [ "$API" = mws ]; then
        CONNECTION=$(printf '%s\n' "$MWS_AUTH_TOKEN" | "$SELLERLINK" --json connection add --no-verify \
            --merchant "bench-$round" --seller-id "$SELLER_ID" --marketplace-id "$MARKETPLACE_ID" \
            | json_field 'id|connection.id')
        IMPORTER=("$IMPORT_ONCE" --api mws --endpoint "$BASE" --access-key-id "$ACCESS_KEY_ID")
    else
        CONNECTION=$(printf '%s\n' "$SP_API_REFRESH_TOKEN" | "$SELLERLINK" --json connection add-spapi --no-verify \
            --merchant "bench-$round" --selling-partner-id "$SELLER_ID" --marketplace-id "$MARKETPLACE_ID" \
            | json_field 'id|connection.id')
        IMPORTER=("$IMPORT_ONCE" --api spapi --lwa-endpoint "$BASE/auth/o2/token" --spapi-endpoint "$BASE" \
            --client-id "$LWA_CLIENT_ID")
    fi
    # The importer reads the sandbox's clock: system clock + (sandbox now − system now).
    OFFSET_MS=$(curl -sf "$BASE/_sandbox/clock" | "$PYTHON" -c 'import json, sys, time
sys.path.insert(0, sys.argv[1]); import reference_store
print(reference_store.millis(json.load(sys.stdin)["now"]) - int(time.time() * 1000))' "$HERE")

    say "round $round/$ROUNDS: sellerlink ($(basename "${IMPORTER[0]}"))"
    "$PYTHON" "$HERE/measure.py" --watch-pid "$SANDBOX_PID" --stdout "$DIR/sellerlink.out" -- "${IMPORTER[@]}" \
        --database-url "$SELLERLINK_DATABASE_URL" --connection "$CONNECTION" --no-pacing \
        --clock-offset-ms "$OFFSET_MS" --initial-lookback-days "$LOOKBACK_DAYS" >"$DIR/sellerlink.json" \
        || { say "$(basename "${IMPORTER[0]}") failed:"; cat "$DIR/sellerlink.out" >&2; exit 1; }

    say "round $round/$ROUNDS: $LIBRARY_NAME over HTTP"
    reference reference "$BASE"
    check reference

    if [ "$PYTHON_HTTPS" = 1 ]; then
        say "round $round/$ROUNDS: $LIBRARY_NAME over HTTPS"
        reference reference-https "https://127.0.0.1:$HTTPS_PORT" --ca-bundle "$CA_BUNDLE"
        check reference-https
    fi
done

"$PYTHON" "$HERE/summarize.py" "$WORK"
