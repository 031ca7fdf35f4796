# jar-env.sh - sourced by the scripts that run one of the project's jars (demo.sh, bench.sh):
# ROOT, REPORT and JAVA with their usual overrides, and require_jar.
#   ROOT=/path     the checkout (default: this script's parent directory)
#   REPORT=/path   where reports go (default: $ROOT/target/morpheus-report)
#   JAVA=/path     the JVM (default: $JAVA_HOME/bin/java, else java on PATH)
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
REPORT="${REPORT:-$ROOT/target/morpheus-report}"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"

# require_jar WHO JAR MODULE: exits 1 with the build command when JAR (built by MODULE) is missing
require_jar() {
  if [[ ! -f "$2" ]]; then
    echo "$1: $2 not found; build it first: mvn -B -q -pl $3 -am -DskipTests package" >&2
    exit 1
  fi
}
