#!/bin/sh
# Runs the linked image the way users do, and fails the build if it misbehaves.
# Usage: smoke-test.sh IMAGE MIGRATIONS WORK_DIR JDK MODULES
set -eu
image=$1 migrations=$2 work=$3 jdk=$4 modules=$5
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

# A Java migration shipped as a service of a modular jar, compiled here against the image's
# org.lockstep, loaded by the image at run time with --java-migrations into a new module layer.
app=$work/app
mkdir -p "$app/src/com/example/smoke"
cat >"$app/src/module-info.java" <<'EOF'
module com.example.smoke {
    requires org.lockstep;
    provides org.lockstep.JavaMigration with com.example.smoke.V900Smoke;
}
EOF
cat >"$app/src/com/example/smoke/V900Smoke.java" <<'EOF'
package com.example.smoke;

public final class V900Smoke implements org.lockstep.JavaMigration {
    public org.lockstep.MigrationVersion version() { return org.lockstep.MigrationVersion.parse("900"); }
    public String description() { return "smoke"; }
    public void migrate(java.sql.Connection connection) throws java.sql.SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE java_smoke (x INTEGER)");
        }
    }
}
EOF
"$jdk/bin/javac" --module-path "$modules/lockstep-core.jar" -d "$app/classes" \
    "$app/src/module-info.java" "$app/src/com/example/smoke/V900Smoke.java" || fail "javac of the smoke app exited $?"
"$jdk/bin/jar" --create --file "$app/smoke.jar" -C "$app/classes" . || fail "jar of the smoke app exited $?"
# Twenty processes of the image at once against a new database: every one exits 0, and the
# scripts and the Java migration are applied by exactly one of them (a second run of its
# CREATE TABLE would fail that worker).
herd=$work/herd
mkdir -p "$herd"
jdb=$work/java.db
i=0
while [ $i -lt 20 ]; do
    env -i LOCKSTEP_JAVA_OPTIONS="$opts" "$image/bin/lockstep" migrate --database "$jdb" --migrations "$migrations" \
        --java-migrations "$app/smoke.jar" --owner "worker-$i" >"$herd/$i.out" 2>&1 &
    eval "pid_$i=$!"
    i=$((i + 1))
done
i=0
while [ $i -lt 20 ]; do
    eval "wait \$pid_$i" || { cat "$herd/$i.out" >&2; fail "worker $i of the Java-migration herd exited $?"; }
    i=$((i + 1))
done
applied=$(cat "$herd"/*.out | grep -c "^Applied 900 smoke") || true
[ "$applied" = 1 ] || fail "the Java migration was applied by $applied workers of 20, not 1"
env -i LOCKSTEP_JAVA_OPTIONS="$opts" "$image/bin/lockstep" status --database "$jdb" --migrations "$migrations" \
    --java-migrations "$app/smoke.jar" | grep -q "com.example.smoke.V900Smoke *APPLIED" \
    || fail "status does not show the Java migration applied"
echo "Java-migration herd: 20 processes, every one exited 0, the Java migration applied once"

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
