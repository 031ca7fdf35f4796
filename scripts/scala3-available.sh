#!/usr/bin/env bash
# scala3-available.sh - exits 0 when Pekko's Scala 3 artifacts (pekko-actor_3 at the project's
# Pekko version) resolve from the configured Maven repositories, 1 when they do not. The
# Scala 3 builds (make test-java-scala3, the user project's Scala 3 run) are skipped then,
# with a message, rather than failed: the registry decides, not the code.
set -uo pipefail
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
MVN="${MVN:-mvn}"
pekko="$(sed -n 's:.*<pekko.version>\(.*\)</pekko.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
"$MVN" -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
  -Dtransitive=false -Dartifact="org.apache.pekko:pekko-actor_3:$pekko" >/dev/null 2>&1
