#!/usr/bin/env bash
# user-project.sh - builds samples/user-project (a user's own Maven project, no parent, not in the
# reactor) against freshly published Morpheus artifacts, once per Scala variant (what
# `make test-user-project` runs):
#   1. deploys morpheus-api and morpheus-pekko-dispatcher_<scala> (flattened poms: no parent) to a
#      throw-away file repository, $BUILD/user-project/repo (the stand-in for Maven Central);
#   2. builds and tests the user project offline (mvn -o) with its own local repository,
#      $BUILD/user-project/local: the Morpheus artifacts can only come from the throw-away repo
#      (the user pom names it), and third-party ones are copied from the developer's ~/.m2
#      through a settings file that mirrors central to it (central serves no snapshots, so a
#      Morpheus snapshot installed in ~/.m2 cannot stand in for the published one).
#   3. runs the project's shaded application jar (java -jar), which must greet on the Morpheus
#      dispatcher.
# That checks the published poms' transitive dependencies, the reference.conf merging and the
# ServiceLoader entries as a user's build sees them, in the test and in a shaded jar.
#   SCALA="2.13 3"   the variants (default: both; 3 is skipped, with a message, when this
#                    machine's registry does not serve Pekko's _3 artifacts)
set -euo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BUILD="${BUILD:-$ROOT/build}"
MVN="${MVN:-mvn}"
M2="${M2_REPO:-$HOME/.m2/repository}"
OUT="$BUILD/user-project"
REPO="$OUT/repo"
LOCAL="$OUT/local"
mvnq=("$MVN" -B -q -Dstyle.color=never)

rm -rf "$REPO" "$LOCAL/dev/morpheus"
mkdir -p "$OUT"
cat >"$OUT/settings.xml" <<XML
<settings>
  <mirrors>
    <mirror><id>developer-m2</id><mirrorOf>central</mirrorOf><url>file://$M2</url></mirror>
  </mirrors>
</settings>
XML

# check_published SCALA: what a release carries: each published jar with its sources and
# javadoc jars, and a standalone pom (no parent) with the release metadata.
check_published() {
  local a f
  for a in morpheus-api "morpheus-pekko-dispatcher_$1"; do
    for f in "" -sources -javadoc; do
      if ! compgen -G "$REPO/dev/morpheus/$a/*/$a-*$f.jar" >/dev/null; then
        echo "user-project: $a was published without its ${f#-}${f:+ }jar" >&2
        exit 1
      fi
    done
  done
  for a in morpheus-api "morpheus-pekko-dispatcher_$1"; do
    local pom
    pom="$(ls "$REPO/dev/morpheus/$a"/*/"$a"-*.pom | head -1)"
    for f in "<licenses>" "<scm" "<developers>" "<url>"; do
      if ! grep -q "$f" "$pom"; then
        echo "user-project: the published $a pom has no $f" >&2
        exit 1
      fi
    done
    if grep -q "<parent>" "$pom" || grep -q '\${' "$pom"; then
      echo "user-project: the published $a pom is not flattened (a parent or a property is left)" >&2
      exit 1
    fi
  done
}

for scala in ${SCALA:-2.13 3}; do
  modules="morpheus-api,pekko-dispatcher"
  profile=()
  if [[ "$scala" == 3 ]]; then
    if ! bash "$ROOT/scripts/scala3-available.sh"; then
      echo "user-project: Scala 3 skipped: org.apache.pekko:pekko-actor_3 is not served by this machine's Maven registry"
      continue
    fi
    modules="morpheus-api,pekko-dispatcher-scala3"
    profile=(-Pscala3)
  fi
  "${mvnq[@]}" -f "$ROOT/pom.xml" "${profile[@]}" -pl "$modules" -DskipTests -Dmaven.install.skip=true \
    -DaltDeploymentRepository="morpheus-under-test::file://$REPO" deploy
  check_published "$scala"
  rm -rf "$ROOT/samples/user-project/target"   # not `mvn clean`: its plugin need not be in ~/.m2
  "${mvnq[@]}" -o -Daether.offline.protocols=file -s "$OUT/settings.xml" -Dmaven.repo.local="$LOCAL" \
    -f "$ROOT/samples/user-project/pom.xml" -Dmorpheus.repo="file://$REPO" -Dscala.binary.version="$scala" \
    verify
  # The shaded application jar on its own: merged reference.conf files, ServiceLoader entries.
  out="$("${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}" -jar "$ROOT/samples/user-project/target/morpheus-greeter.jar")"
  if [[ "$out" != *"whom=world"*"greeter-dispatcher"* ]]; then
    echo "user-project: the shaded jar did not greet on greeter-dispatcher: $out" >&2
    exit 1
  fi
  echo "user-project: Scala $scala: built and tested against the published artifacts; shaded jar: $out"
done
