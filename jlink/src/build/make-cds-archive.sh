#!/bin/sh
# Makes <image>/lib/lockstep.jsa, the class-data sharing archive the launcher maps.
# Usage: make-cds-archive.sh IMAGE MIGRATIONS WORK_DIR
#
# The archive holds every class that `lockstep --version`, a migrate and a status load:
# JVM start-up, the module system, the lockstep and SQLite driver modules, their lambda
# proxies, and the JDK classes a migrate needs (java.time, regex, digests, the method
# handles behind lambdas and records). Leaving those JDK classes out saved about 4 MB of
# image but cost a no-op migrate about a fifth of its CPU time in class loading and
# lambda spinning, and the target is a no-op migrate within twice --version.
set -eu
image=$1 migrations=$2 work=$3
java=$image/bin/java
rm -rf "$work"
mkdir -p "$work/tmp"
common="-XX:+UseSerialGC -Djava.io.tmpdir=$work/tmp
 -Dorg.sqlite.lib.path=$image/lib/sqlite -Dorg.sqlite.lib.name=libsqlitejdbc.so"
main=org.lockstep.cli/org.lockstep.cli.Main

# Record the classes loaded by representative runs, with no archive in the way.
# shellcheck disable=SC2086
"$java" -Xshare:off -XX:DumpLoadedClassList="$work/version.classlist" $common -m $main --version >/dev/null
# shellcheck disable=SC2086
"$java" -Xshare:off -XX:DumpLoadedClassList="$work/migrate.classlist" $common -m $main \
    migrate --database "$work/cds.db" --migrations "$migrations" >/dev/null
# shellcheck disable=SC2086
"$java" -Xshare:off -XX:DumpLoadedClassList="$work/status.classlist" $common -m $main \
    status --database "$work/cds.db" --migrations "$migrations" >/dev/null

cat "$work/version.classlist" "$work/migrate.classlist" "$work/status.classlist" \
    | grep -v '^#' | awk '!seen[$0]++' >"$work/lockstep.classlist"

# Dumped with the collector the launcher uses (SerialGC): JDK 17 archives heap objects
# only for G1, so they would be dead weight.
rm -f "$image/lib/lockstep.jsa"
# shellcheck disable=SC2086
"$java" -Xshare:dump -XX:SharedClassListFile="$work/lockstep.classlist" \
    -XX:SharedArchiveFile="$image/lib/lockstep.jsa" $common -m $main --version >"$work/dump.log" 2>&1 \
    || { cat "$work/dump.log" >&2; exit 1; }
# The archive must be usable by the launcher's JVM options, or -Xshare:auto would
# silently start without it.
# shellcheck disable=SC2086
"$java" -XX:SharedArchiveFile="$image/lib/lockstep.jsa" -Xshare:on -XX:TieredStopAtLevel=1 $common \
    -m $main --version >/dev/null
echo "CDS archive: $(wc -l <"$work/lockstep.classlist") classes, $(wc -c <"$image/lib/lockstep.jsa") bytes"
