#!/usr/bin/env bash
# Runs io.dataflare.polyglot.bench.ScriptBenchmark (see its javadoc) in the interpreter and with the Graal JIT.
#   polyglot-host/bench.sh passing [seconds]            ProxyObject vs converted vs loop in guest (JavaScript)
#   polyglot-host/bench.sh throughput [seconds] [langs] Java vs JavaScript vs Python (langs: java,js,python)
#   polyglot-host/bench.sh runs RUNS LANG [kept|new]    a new stage instance per 1M records (LANG: js or python),
#                                                       taking the kept context back or starting a new one
# Needs JDK 25 for the JIT run (DATAFLARE_JAVA, else the newest JDK under /usr/lib/jvm). Builds test classes first.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl polyglot-host -am test-compile -DskipTests >/dev/null
# with -am every module writes the file; polyglot-host comes last
mvn -B -q -pl polyglot-host -am dependency:build-classpath -Dmdep.outputFile="$PWD/polyglot-host/target/bench.cp" -Dmdep.includeScope=test >/dev/null
JAVA="${DATAFLARE_JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -n1)}"
CP="polyglot-host/target/test-classes:polyglot-host/target/classes:$(cat polyglot-host/target/bench.cp)"
M2="$HOME/.m2/repository/org/graalvm"; V=25.0.3
JIT="$M2/compiler/compiler/$V/compiler-$V.jar:$M2/sdk/collections/$V/collections-$V.jar:$M2/sdk/word/$V/word-$V.jar:$M2/truffle/truffle-compiler/$V/truffle-compiler-$V.jar"
mvn -B -q dependency:get -Dartifact=org.graalvm.compiler:compiler:$V >/dev/null
JIT_CP="$(tr ':' '\n' <<<"$CP" | grep -v -E '/(collections|word|truffle-compiler)-25' | paste -sd:)"
OPTS=(-Xmx2g --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
if [ "${1:-}" != runs ]; then # runs of a million records each: the JIT only
  echo "== interpreter"
  "$JAVA" "${OPTS[@]}" -cp "$CP" io.dataflare.polyglot.bench.ScriptBenchmark "$@" 2>/dev/null
fi
echo "== JIT"
"$JAVA" "${OPTS[@]}" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path="$JIT" -cp "$JIT_CP" \
  io.dataflare.polyglot.bench.ScriptBenchmark "$@" 2>/dev/null
