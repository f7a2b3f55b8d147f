#!/bin/sh
# Build the libFuzzer targets (clang, ASan + UBSan) into DIR and run each
# for SECONDS, starting from the seed corpus in t/fuzz/corpus/TARGET/.
# Usage: t/fuzz/run.sh DIR [SECONDS]     (from the repository root)
# Exit status non-zero if a target fails to build or finds a crash; the
# crashing input is left in DIR/crash-*.
set -eu
out=${1:?usage: t/fuzz/run.sh DIR [SECONDS]}
secs=${2:-15}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Pure libportal modules (no database, no FastCGI) and generated tables.
mods="arena buf utf8 escape parse tpl msg log ptime config crypto keys pii
	password mail validate maint policy totp qr"
sh "$src/tools/embed-templates.sh" "$src"/templates/*.html > "$out/templates.c"
sh "$src/tools/embed-wordlist.sh" "$src/data/common-passwords.txt" \
    > "$out/common_passwords.c"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
	-I$src/lib"
LIBS="-lcrypto -largon2 -lqrencode"
# The library once, instrumented for coverage, then one link per target.
objs=""
for m in $mods; do
	# shellcheck disable=SC2086
	clang $CFLAGS -c -o "$out/$m.o" "$src/lib/$m.c"
	objs="$objs $out/$m.o"
done
for g in templates common_passwords; do
	# shellcheck disable=SC2086
	clang $CFLAGS -c -o "$out/$g.o" "$out/$g.c"
	objs="$objs $out/$g.o"
done
status=0
for f in "$src"/t/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	echo "fuzz: building $t"
	# shellcheck disable=SC2086
	clang $CFLAGS -fsanitize=fuzzer -o "$out/$t" "$f" $objs $LIBS
done
for f in "$src"/t/fuzz/fuzz_*.c; do
	t=$(basename "$f" .c)
	corpus="$out/corpus-$t"
	mkdir -p "$corpus"
	if [ -d "$src/t/fuzz/corpus/$t" ]; then
		cp "$src/t/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null || true
	fi
	echo "fuzz: running $t for ${secs}s"
	if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 \
	    "./$t" -max_total_time="$secs" -max_len=4096 -timeout=10 \
	    -print_final_stats=1 "$corpus" > "$out/$t.log" 2>&1); then
		echo "fuzz: $t FAILED (see $out/$t.log)"
		tail -40 "$out/$t.log"
		status=1
	else
		grep -E '^stat::number_of_executed_units' "$out/$t.log" || true
	fi
done
exit $status
