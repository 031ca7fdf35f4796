#!/usr/bin/env bash
# build-jvm-smoke.sh ROOT BUILD - host side of the VM's JVM tests, run before booting:
# package morpheus-api and the Pekko dispatcher through the reactor (never `mvn install`:
# ~/.m2 is shared), write their runtime classpath, and compile vm/guest/jvm/ against it into BUILD/vm/jvm/classes. On
# success BUILD/vm/jvm/classpath holds the whole classpath for the guest's `java -cp`.
set -euo pipefail
ROOT=${1:?usage: build-jvm-smoke.sh ROOT BUILD}; BUILD=${2:?usage: build-jvm-smoke.sh ROOT BUILD}
OUT=$BUILD/vm/jvm
rm -rf "$OUT"; mkdir -p "$OUT/classes"
command -v mvn >/dev/null || { echo "build-jvm-smoke: mvn not found (scripts/install-deps.sh)"; exit 1; }
command -v javac >/dev/null || { echo "build-jvm-smoke: javac not found"; exit 1; }
cd "$ROOT"
# One reactor run: the dispatcher's classpath needs morpheus-api's artifacts from this build
# (~/.m2 has none on a fresh machine). build-classpath runs per module into the same file, the
# dispatcher last: its runtime classpath without dev.morpheus (both jars are added from target/).
mvn -B -q -Dstyle.color=never -pl pekko-dispatcher -am package dependency:build-classpath -DskipTests \
  -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -DincludeScope=runtime -DexcludeGroupIds=dev.morpheus \
  -Dmdep.outputFile="$OUT/deps.cp"
jar=$(ls morpheus-api/target/morpheus-api-*.jar | grep -v -- '-sources\|-javadoc\|-tests' | head -1)
djar=$(ls pekko-dispatcher/target/morpheus-pekko-dispatcher_*.jar | grep -v -- '-sources\|-javadoc\|-tests' | head -1)
# morpheus-api's test-jar: the tests' shared helpers (KernelSourceHandles: what a kernel source holds)
tjar=$(ls morpheus-api/target/morpheus-api-*-tests.jar | head -1)
[ -f "$jar" ] || { echo "build-jvm-smoke: no morpheus-api jar in morpheus-api/target"; exit 1; }
[ -f "$tjar" ] || { echo "build-jvm-smoke: no morpheus-api test-jar in morpheus-api/target"; exit 1; }
[ -f "$djar" ] || { echo "build-jvm-smoke: no dispatcher jar in pekko-dispatcher/target"; exit 1; }
cp="$ROOT/$jar:$ROOT/$djar:$ROOT/$tjar:$(cat "$OUT/deps.cp")"
javac --release 17 -d "$OUT/classes" -cp "$cp" $(find "$ROOT/vm/guest/jvm" -name '*.java')
echo "$OUT/classes:$cp" > "$OUT/classpath"
echo "build-jvm-smoke: classpath in $OUT/classpath"
