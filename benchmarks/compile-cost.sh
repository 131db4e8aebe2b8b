#!/usr/bin/env bash
# What Lifeguard costs on a build: compiles a corpus three ways, interleaved in one run, and prints medians,
# the two ratios and peak memory.
#   plain    : javac
#   ep-off   : javac + Error Prone with every check disabled
#   lifeguard: javac + Error Prone with only Lifeguard's checks (at WARN, so buggy fixtures still compile)
# Usage: benchmarks/compile-cost.sh [rounds] [source dir...]
# Default corpus: sample-drivers and test-fixtures main sources. Needs the reactor built once (mvn -DskipTests install
# is not required: target/ jars of `mvn -DskipTests package` suffice).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(sample-drivers/src/main/java test-fixtures/src/main/java)

jdk=$(ls -d /usr/lib/jvm/*/ | while read -r d; do
  v=$("$d/bin/javac" -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p'); [ -n "$v" ] && [ "$v" -ge 21 ] && echo "$d"; done | head -1)
[ -n "$jdk" ] || { echo "no JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
javac="$jdk/bin/javac"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f checker/target/lifeguard-checker-0.1.0-SNAPSHOT.jar ] || mvn -B -q -DskipTests package >/dev/null
mvn -B -q -pl checker dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
procpath="$(cat "$work/cp.txt"):checker/target/lifeguard-checker-0.1.0-SNAPSHOT.jar"
classpath="annotations/target/classes:runtime/target/classes"
find "${dirs[@]}" -name '*.java' > "$work/sources.txt"
lines=$(xargs cat < "$work/sources.txt" | wc -l)

exports=(-J--add-exports=jdk.compiler/com.sun.tools.javac.{api,file,main,model,parser,processing,tree,util}=ALL-UNNAMED
  -J--add-opens=jdk.compiler/com.sun.tools.javac.{code,comp}=ALL-UNNAMED)
checks="-Xep:DrmObjectInDevres:WARN -Xep:UnguardedDevresAccess:WARN -Xep:SectionDiscipline:WARN -Xep:ReleaseOrdering:WARN"
for extra in WrongWayLifetime DevresOnUnboundDevice ModuleLifetime DmaBufChain; do
  if unzip -l checker/target/lifeguard-checker-0.1.0-SNAPSHOT.jar | grep -q "/$extra.class"; then checks="$checks -Xep:$extra:WARN"; fi
done

run() { # mode -> prints "seconds maxrss_kb"
  local mode=$1 args=()
  case $mode in
    plain) args=(-proc:none) ;;
    ep-off) args=(-XDcompilePolicy=simple --should-stop=ifError=FLOW -processorpath "$procpath" "-Xplugin:ErrorProne -XepDisableAllChecks") ;;
    lifeguard) args=(-XDcompilePolicy=simple --should-stop=ifError=FLOW -processorpath "$procpath" "-Xplugin:ErrorProne -XepDisableAllChecks $checks") ;;
  esac
  rm -rf "$work/out"; mkdir -p "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$javac" "${exports[@]}" -J-Xss4m -nowarn -Xlint:none --release 17 -cp "$classpath" \
    -d "$work/out" "${args[@]}" @"$work/sources.txt" > "$work/log.txt" 2>&1 || { cat "$work/log.txt" >&2; exit 1; }
  cat "$work/time.txt"
}

declare -A t m
for mode in plain ep-off lifeguard; do run $mode >/dev/null; done   # warm the file cache
for ((r = 1; r <= rounds; r++)); do
  for mode in plain ep-off lifeguard; do
    read -r secs kb < <(run $mode)
    t[$mode]="${t[$mode]:-} $secs"; m[$mode]="${m[$mode]:-} $kb"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "corpus: ${dirs[*]} ($(wc -l < "$work/sources.txt") files, $lines lines); $rounds interleaved rounds; JDK $jdk"
printf '%-10s %10s %12s\n' mode median_s peak_rss_MB
for mode in plain ep-off lifeguard; do
  printf '%-10s %10s %12s\n' $mode "$(echo ${t[$mode]} | median)" "$(( $(echo ${m[$mode]} | median | cut -d. -f1) / 1024 ))"
done
p=$(echo ${t[plain]} | median); e=$(echo ${t[ep-off]} | median); l=$(echo ${t[lifeguard]} | median)
awk -v p="$p" -v e="$e" -v l="$l" 'BEGIN { printf "lifeguard / ep-off = %.3f\nep-off / plain     = %.3f\nlifeguard / plain  = %.3f\n", l/e, e/p, l/p }'
