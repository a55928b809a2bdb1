#!/bin/sh
# Makes <image>/lib/lockstep.jsa, the class-data sharing archive the launcher maps.
# Usage: make-cds-archive.sh IMAGE MIGRATIONS WORK_DIR
#
# The archive holds the JDK classes that `lockstep --version` loads (JVM start-up, the
# module system, the tool's entry point) plus every class of the lockstep and SQLite
# driver modules, and their lambda proxies, that a migrate and a status load. The JDK
# classes only a migrate needs (java.time, regex, digests, ...) are left out: they
# would roughly double the archive (about 12 MB for all of them) and break the image's
# size target. See jlink/pom.xml for the figures.
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

{
    grep -v '^#' "$work/version.classlist"
    cat "$work/migrate.classlist" "$work/status.classlist" \
        | grep -E '^(org/lockstep/|org/sqlite/|@lambda-proxy org/lockstep/|@lambda-proxy org/sqlite/)'
} | awk '!seen[$0]++' >"$work/lockstep.classlist"

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
