#!/usr/bin/env bash
# The Morpheus cluster sample on one machine: three JVMs on 127.0.0.1:25251-25253 (seeds 25251,
# 25252), each a dev.morpheus.samples.cluster.ClusterNode.
#
#   scripts/cluster.sh [start]          build, start the 3 nodes, follow their logs; Ctrl-C stops them
#   scripts/cluster.sh start --detach   same, but return once the nodes are started
#   scripts/cluster.sh stop             stop a running cluster (from another terminal)
#   scripts/cluster.sh status           which nodes run, each node's last status line, ERROR count
#
# Stopping sends SIGTERM to one node at a time (25253, 25252, 25251) and waits for its JVM to
# exit: Pekko's coordinated shutdown leaves the cluster gracefully and hands its shards off.
# Logs and pid files: build/cluster/. Env: JAVA (java), CLUSTER_JAVA_OPTS, NO_BUILD=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/build/cluster"
PORTS=(25251 25252 25253)
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
STOP_TIMEOUT=40

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

pid_of() { # port -> pid of a running node, or nothing
    local f="$DIR/node-$1.pid"
    [[ -f "$f" ]] || return 0
    local pid
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

any_running() {
    local p
    for p in "${PORTS[@]}"; do
        [[ -n "$(pid_of "$p")" ]] && return 0
    done
    return 1
}

build() {
    if [[ "${NO_BUILD:-0}" == 1 && -f "$ROOT/samples/target/cluster.classpath" ]]; then
        return
    fi
    echo "cluster.sh: building the samples module (mvn -pl samples -am package) ..."
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl samples -am -DskipTests package \
        dependency:build-classpath -Dmdep.outputFile=target/cluster.classpath)
}

start_nodes() {
    if any_running; then
        echo "cluster.sh: a cluster is already running (scripts/cluster.sh stop first)" >&2
        exit 1
    fi
    build
    mkdir -p "$DIR"
    local cp="$ROOT/samples/target/classes:$(cat "$ROOT/samples/target/cluster.classpath")"
    local p
    for p in "${PORTS[@]}"; do
        : >"$DIR/node-$p.log"
        # setsid: the nodes do not get the terminal's Ctrl-C; this script stops them in order.
        # shellcheck disable=SC2086
        setsid "$JAVA" -Xms64m -Xmx256m \
            -Dlogback.configurationFile=cluster-logback.xml \
            -Djna.library.path="$ROOT/build/native" -Dmorpheus.root="$ROOT" \
            ${CLUSTER_JAVA_OPTS:-} \
            -cp "$cp" dev.morpheus.samples.cluster.ClusterNode "$p" \
            >"$DIR/node-$p.log" 2>&1 </dev/null &
        echo $! >"$DIR/node-$p.pid"
        echo "cluster.sh: node 127.0.0.1:$p started (pid $!, log build/cluster/node-$p.log)"
    done
}

stop_nodes() {
    local p pid waited stopped=0
    for ((i = ${#PORTS[@]} - 1; i >= 0; i--)); do
        p="${PORTS[$i]}"
        pid="$(pid_of "$p")"
        [[ -n "$pid" ]] || continue
        echo "cluster.sh: stopping node 127.0.0.1:$p (pid $pid): leaving the cluster ..."
        kill -TERM "$pid"
        waited=0
        while kill -0 "$pid" 2>/dev/null; do
            if ((waited >= STOP_TIMEOUT * 10)); then
                echo "cluster.sh: node $p did not exit within ${STOP_TIMEOUT}s; killing it" >&2
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
        rm -f "$DIR/node-$p.pid"
        stopped=$((stopped + 1))
    done
    if ((stopped == 0)); then
        echo "cluster.sh: no node is running"
    else
        echo "cluster.sh: cluster stopped"
    fi
}

status() {
    local p pid errors
    for p in "${PORTS[@]}"; do
        pid="$(pid_of "$p")"
        local log="$DIR/node-$p.log"
        errors=0
        [[ -f "$log" ]] && errors="$(grep -c ' ERROR ' "$log" || true)"
        local state="not running"
        [[ -n "$pid" ]] && state="running (pid $pid)"
        echo "node 127.0.0.1:$p: $state; ERROR lines in log: $errors"
        if [[ -f "$log" ]]; then
            grep -m1 'Morpheus hint source' "$log" || true
            grep ' status ' "$log" | tail -n 1 || true
        fi
    done
}

follow() {
    echo "cluster.sh: following the node logs; Ctrl-C stops the cluster"
    tail -q -n +1 -F "$DIR"/node-*.log 2>/dev/null &
    local tail_pid=$!
    # the terminal's Ctrl-C also ends tail; a new one shows the nodes leaving
    trap 'trap - INT TERM; echo; kill "$tail_pid" 2>/dev/null || true; tail -q -n 0 -F "$DIR"/node-*.log 2>/dev/null & tail_pid=$!; stop_nodes; kill "$tail_pid" 2>/dev/null || true; exit 0' INT TERM
    while any_running; do
        sleep 1
    done
    kill "$tail_pid" 2>/dev/null || true
    echo "cluster.sh: all nodes have exited"
}

cmd="${1:-start}"
case "$cmd" in
    start)
        case "${2:-}" in
            "") start_nodes; follow ;;
            --detach) start_nodes ;;
            *) usage ;;
        esac
        ;;
    stop) stop_nodes ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage ;;
esac
