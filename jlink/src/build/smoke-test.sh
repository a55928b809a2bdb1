#!/bin/sh
# Runs the linked image the way users do, and fails the build if it misbehaves.
# Usage: smoke-test.sh IMAGE MIGRATIONS WORK_DIR
set -eu
image=$1 migrations=$2 work=$3
rm -rf "$work"
mkdir -p "$work/tmp" "$work/bin"
fail() {
    echo "smoke test failed: $*" >&2
    exit 1
}

# An empty environment: no PATH, HOME, TMPDIR or JAVA_HOME.
version=$(env -i "$image/bin/lockstep" --version) || fail "lockstep --version exited $?"
case $version in
    "lockstep "*) echo "$version" ;;
    *) fail "unexpected --version output [$version]" ;;
esac

# Through a relative symlink, as an installer would link it onto the PATH.
ln -s "$image/bin/lockstep" "$work/bin/lockstep-link"
env -i "$work/bin/lockstep-link" --version >/dev/null || fail "lockstep through a symlink exited $?"

# A migrate against a new database, then a no-op one, then status, with the temp folder
# pointed at an empty directory: the driver must load the image's SQLite library and
# extract nothing.
db=$work/smoke.db
opts="-Djava.io.tmpdir=$work/tmp -Xshare:on"
env -i LOCKSTEP_JAVA_OPTIONS="$opts" "$image/bin/lockstep" migrate --database "$db" --migrations "$migrations" \
    || fail "lockstep migrate exited $?"
env -i LOCKSTEP_JAVA_OPTIONS="$opts" "$image/bin/lockstep" migrate --database "$db" --migrations "$migrations" \
    || fail "lockstep migrate (up to date) exited $?"
env -i LOCKSTEP_JAVA_OPTIONS="$opts" LOCKSTEP_DATABASE="$db" LOCKSTEP_MIGRATIONS="$migrations" \
    "$image/bin/lockstep" status || fail "lockstep status exited $?"

# The demo: four workers of this image at once, in an empty environment. Its exit code is 0
# only if each migration is in the history once, every worker exited 0 and the integrity
# check passed.
env -i LOCKSTEP_JAVA_OPTIONS="$opts" "$image/bin/lockstep" demo --workers 4 --database "$work/demo.db" \
    || fail "lockstep demo exited $?"
if [ -n "$(ls -A "$work/tmp")" ]; then
    ls -la "$work/tmp" >&2
    fail "the SQLite driver wrote to java.io.tmpdir"
fi
echo "smoke test passed"
