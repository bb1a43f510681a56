#!/usr/bin/env bash
# Runs versitygw's S3 conformance tests (Apache-2.0) against a real lakebox.
#
#   test/conformance/run.sh            run every test in allowlist.txt; fail if any fails
#   test/conformance/run.sh --all      run all 1,420 tests; write results.txt and report the pass count
#   test/conformance/run.sh --all --update   also add newly passing tests to allowlist.txt
#   test/conformance/run.sh --match REGEX    run the tests whose names match; print their failures
#
# The allowlist only grows. versitygw is built once into $(go env GOPATH)/bin if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSITYGW_VERSION=v1.8.0
mode=allowlist update=0 match=
while [ $# -gt 0 ]; do
  case $1 in
    --all) mode=all ;;
    --update) update=1 ;;
    --match) mode=match; match=${2:?--match needs a regular expression}; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

gw=$(command -v versitygw || true)
[ -n "$gw" ] || gw="$(go env GOPATH)/bin/versitygw"
if [ ! -x "$gw" ]; then
  echo "building versitygw $VERSITYGW_VERSION (once; a few minutes)..." >&2
  GOFLAGS=-buildvcs=false go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
fi

[ -x bin/lakebox ] || make build >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server=
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi; server=; }
trap 'stop; rm -rf "$work"' EXIT
# Each test gets a fresh server and data directory: one test's leftovers
# (a failed cleanup, a bucket it could not delete) must not fail the next.
start() {
  rm -rf "$work/data"
  bin/lakebox serve --addr "127.0.0.1:$port" --data-dir "$work/data" --access-log=false --strict-auth 2>>"$work/server.log" &
  server=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/_lakebox/health" >/dev/null && return; sleep 0.05; done
  echo "lakebox did not start" >&2; exit 1
}

if [ $mode = all ]; then
  "$gw" test --help 2>/dev/null | awk '/integration test$/ {print $1}' >"$work/tests"
elif [ $mode = match ]; then
  "$gw" test --help 2>/dev/null | awk '/integration test$/ {print $1}' | grep -E -- "$match" >"$work/tests" || true
else
  { grep -v '^#' test/conformance/allowlist.txt || true; } | sed '/^$/d' >"$work/tests"
fi

pass=0 fail=0
: >"$work/results"
while read -r name; do
  start
  t0=$SECONDS
  # Versioning and Object Lock tests clean up by deleting every version,
  # which they do only when told that versioning is on.
  vs=; case $name in *[Vv]ersion*|*DeleteMarker*|*[Ll]ock*|*[Ll]egal*|*[Rr]etention*|*WORM*) vs=--vs ;; esac
  if out=$(env -u AWS_CA_BUNDLE timeout 60 "$gw" test -a test -s test -e "http://127.0.0.1:$port" "$name" $vs 2>&1); then
    pass=$((pass + 1)); echo "PASS $name" >>"$work/results"
  else
    fail=$((fail + 1)); echo "FAIL $name ($((SECONDS - t0))s): $(echo "$out" | grep -m1 FAIL | sed 's/\x1b\[[0-9;]*m//g')" >>"$work/results"
  fi
  stop
done <"$work/tests"

echo "versitygw $VERSITYGW_VERSION: $pass passed, $fail failed of $((pass + fail))"
if [ $mode = all ]; then
  sort "$work/results" >test/conformance/results.txt
  if [ $update = 1 ]; then
    { grep -v '^#' test/conformance/allowlist.txt || true; awk '/^PASS/ {print $2}' "$work/results"; } | sed '/^$/d' | sort -u >"$work/allow"
    { grep '^#' test/conformance/allowlist.txt || true; cat "$work/allow"; } >"$work/allowlist"
    cp "$work/allowlist" test/conformance/allowlist.txt
  fi
  exit 0
fi
if [ $fail -gt 0 ]; then
  grep '^FAIL' "$work/results" >&2
  exit 1
fi
