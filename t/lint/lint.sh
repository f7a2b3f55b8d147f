#!/bin/sh
# lint.sh: the "make check" lint of STYLE.md principle 6 (make mistakes fail
# the build), TAP output, POSIX sh + awk + grep.
#
# It reads the C sources under $srcdir/lib, cgi-bin and sbin through a small
# tokenizer (comments removed; string literals seen apart from the code) and
# fails on:
#   sql-calls     SQL entry points (mysql_query, mysql_real_query,
#                 mysql_send_query, mysql_stmt_prepare, db_run_script)
#                 called outside lib/db.c
#   sql-text      SQL text in a string literal outside lib/stmt.c (the one
#                 statement table)
#   raw-output    output to the client outside lib/app.c (the one writer):
#                 FCGX_*, printf, vprintf, puts, putchar, stdout,
#                 write/dprintf to fd 1, in lib/ and cgi-bin/ (portalctl,
#                 the operators' command line, may print)
#   unbounded     strcpy, strcat, sprintf, vsprintf, gets, stpcpy, wcscpy,
#                 wcscat anywhere
#   parse-request atoi, atol, strtol, strtoul, sscanf and friends in
#                 cgi-bin/: handlers read values the library validated
#   shell         system, popen, wordexp or a shell path ("/bin/sh", "bash",
#                 ...) as a string anywhere
#   weak-random   rand, srand, random, srandom, the *rand48 family, rand_r
#
# Exceptions are explicit: t/lint/allow.txt lists "file:text" lines (text is
# a fixed string the offending code or string literal contains), each with a
# comment saying why.  An entry that no longer matches anything fails the
# lint too, so the list cannot rot.  Finally the rules are run over a
# fixture with one mistake per rule, to prove each one still fires.
#
#   srcdir=.. sh t/lint/lint.sh      (make check sets srcdir)

set -u
LC_ALL=C
export LC_ALL

here=$(dirname "$0")
: "${srcdir:=$here/../..}"
ALLOW=$srcdir/t/lint/allow.txt

tmp=$(mktemp -d "${TMPDIR:-/tmp}/portal-lint.XXXXXX") || {
	echo "Bail out! mktemp failed"
	exit 1
}
[ -n "${LINT_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT HUP INT TERM

n=0
failed=0

# ok|not ok with a description; diagnostics from file $2 (if non-empty).
tap() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $3"
	else
		echo "not ok $n - $3"
		failed=$((failed + 1))
	fi
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		sed 's/^/# /' "$2"
	fi
}

# scan DIR FILE...: one record per line of code and per string literal,
#   path:line:C:code with comments removed and literals emptied to ""
#   path:line:S:contents of one string literal (escapes kept as written)
# Adjacent literals stay separate records; a literal ending with a
# backslash-newline continues on the next line.
scan() {
	(
		cd "$1" || exit 1
		shift
		awk '
		FNR == 1 { state = "" }
		{
			line = $0; code = ""; i = 1; len = length(line)
			while (i <= len) {
				c = substr(line, i, 1)
				if (state == "comment") {
					if (substr(line, i, 2) == "*/") {
						state = ""; i += 2; code = code " "
					} else
						i++
					continue
				}
				if (state == "str") {
					if (c == "\\") {
						lit = lit substr(line, i, 2); i += 2
						continue
					}
					if (c == "\"") {
						state = ""
						print FILENAME ":" FNR ":S:" lit
						code = code "\"\""
						i++
						continue
					}
					lit = lit c; i++
					continue
				}
				if (substr(line, i, 2) == "/*") {
					state = "comment"; i += 2
					continue
				}
				if (substr(line, i, 2) == "//")
					break
				if (c == "\"") {
					state = "str"; lit = ""; i++
					continue
				}
				if (c == "\047") {	# character constant
					for (k = i + 1; k <= len; k++) {
						d = substr(line, k, 1)
						if (d == "\\") { k++; continue }
						if (d == "\047") break
					}
					code = code "\047 \047"; i = k + 1
					continue
				}
				code = code c; i++
			}
			if (state == "str") {
				if (substr(lit, length(lit), 1) != "\\") {
					print FILENAME ":" FNR ":S:" lit
					state = ""
				}
			}
			print FILENAME ":" FNR ":C:" code
		}' "$@"
	)
}

# Patterns.  W: a character that cannot be part of an identifier.
W='(^|[^A-Za-z0-9_])'
S='[[:space:]]*'
P_SQL_CALLS="$W(mysql_query|mysql_real_query|mysql_send_query|mysql_stmt_prepare|db_run_script)$S\\("
# Upper-case SQL anywhere in a literal, statements that begin a literal,
# and lower-case SQL phrases.
P_SQL_UPPER='(^|[^A-Za-z0-9_])(SELECT|INSERT INTO|UPDATE [A-Za-z_`]+ SET|DELETE FROM|REPLACE INTO|CREATE (TABLE|DATABASE|USER|INDEX|VIEW|PROCEDURE|FUNCTION|TRIGGER)|DROP (TABLE|DATABASE|USER|INDEX|VIEW)|ALTER (TABLE|USER|DATABASE)|TRUNCATE|RENAME TABLE|GRANT|REVOKE|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|LOCK TABLES|UNLOCK TABLES|LOAD DATA|INTO OUTFILE)([^A-Za-z0-9_]|$)'
P_SQL_START='^[[:space:]]*(SET|SHOW|CALL|KILL|USE|DO|BEGIN|HANDLER|EXECUTE|PREPARE|DEALLOCATE|FLUSH|ANALYZE|OPTIMIZE|EXPLAIN|WITH) '
P_SQL_LOWER='[Ss][Ee][Ll][Ee][Cc][Tt] .*[Ff][Rr][Oo][Mm] |[Ii][Nn][Ss][Ee][Rr][Tt] [Ii][Nn][Tt][Oo] |[Dd][Ee][Ll][Ee][Tt][Ee] [Ff][Rr][Oo][Mm] |[Uu][Pp][Dd][Aa][Tt][Ee] [A-Za-z_]+ [Ss][Ee][Tt] '
P_OUTPUT="$W(FCGX_[A-Za-z_]+|stdout)([^A-Za-z0-9_]|\$)|$W(printf|vprintf|puts|putchar)$S\\(|$W(write|dprintf)$S\\($S(1|STDOUT_FILENO)$S,"
P_UNBOUNDED="$W(strcpy|strcat|sprintf|vsprintf|gets|stpcpy|wcscpy|wcscat)$S\\("
P_PARSE="$W(atoi|atol|atoll|atof|strtol|strtoul|strtoll|strtoull|strtod|strtof|strtold|strtoimax|strtoumax|sscanf|scanf|vsscanf)$S\\("
P_SHELL_CALL="$W(system|popen|wordexp)$S\\("
P_SHELL_STR='^(/usr)?(/bin/)?(sh|bash|dash|ksh|zsh|csh|tcsh|env)$'
P_RANDOM="$W(rand|srand|random|srandom|rand_r|drand48|erand48|lrand48|nrand48|mrand48|jrand48|srand48|seed48|lcong48)$S\\("

# rule RECORDS KIND(C|S) PATH_INCLUDE PATH_EXCLUDE PATTERN: the records of
# that kind in the files matching PATH_INCLUDE but not PATH_EXCLUDE (EREs on
# the path) whose text matches PATTERN, as "path:line: text" (a string
# literal's text in double quotes).
rule() {
	LINT_INC=$3 LINT_EXC=$4 LINT_PAT=$5 awk -v kind="$2" '
	BEGIN {
		inc = ENVIRON["LINT_INC"]; exc = ENVIRON["LINT_EXC"]
		pat = ENVIRON["LINT_PAT"]
	}
	{
		p = index($0, ":"); file = substr($0, 1, p - 1)
		rest = substr($0, p + 1); q = index(rest, ":")
		k = substr(rest, q + 1, 1); text = substr(rest, q + 3)
		if (k != kind || file !~ inc || (exc != "" && file ~ exc))
			next
		if (text !~ pat)
			next
		if (kind == "S")
			text = "\"" text "\""
		print file ":" substr(rest, 1, q - 1) ": " text
	}' "$1"
}

# All rules over records file $1, findings of rule NAME into $2/NAME.
run_rules() {
	r=$1 out=$2
	mkdir -p "$out"
	rule "$r" C '\.c$' '^lib/db\.c$' "$P_SQL_CALLS" >"$out/sql-calls"
	{
		rule "$r" S . '^lib/stmt\.c$' "$P_SQL_UPPER"
		rule "$r" S . '^lib/stmt\.c$' "$P_SQL_START"
		rule "$r" S . '^lib/stmt\.c$' "$P_SQL_LOWER"
	} | sort -t: -k1,1 -k2,2n | uniq >"$out/sql-text"
	rule "$r" C '^(lib|cgi-bin)/' '^lib/app\.c$' "$P_OUTPUT" >"$out/raw-output"
	rule "$r" C . '' "$P_UNBOUNDED" >"$out/unbounded"
	rule "$r" C '^cgi-bin/' '' "$P_PARSE" >"$out/parse-request"
	{
		rule "$r" C . '' "$P_SHELL_CALL"
		rule "$r" S . '' "$P_SHELL_STR"
	} >"$out/shell"
	rule "$r" C . '' "$P_RANDOM" >"$out/weak-random"
}

RULES='sql-calls sql-text raw-output unbounded parse-request shell weak-random'

# filter_allowed FINDINGS USED: drop findings an allow-list entry covers
# (same file, text contains the entry's text); record used entries.
filter_allowed() {
	LINT_ALLOW=$ALLOW awk -v used="$2" '
	BEGIN {
		f = ENVIRON["LINT_ALLOW"]
		while ((getline line < f) > 0) {
			if (line ~ /^[[:space:]]*(#|$)/)
				continue
			p = index(line, ":")
			if (p < 2)
				continue
			nallow++
			af[nallow] = substr(line, 1, p - 1)
			at[nallow] = substr(line, p + 1)
			raw[nallow] = line
		}
		close(f)
	}
	{
		p = index($0, ":"); file = substr($0, 1, p - 1)
		rest = substr($0, p + 1); text = substr(rest, index(rest, ": ") + 2)
		for (i = 1; i <= nallow; i++)
			if (af[i] == file && index(text, at[i]) > 0) {
				print raw[i] >> used
				next
			}
		print
	}' "$1"
}

# ------------------------------------------------------------------ the tree

if [ ! -d "$srcdir/lib" ] || [ ! -f "$ALLOW" ]; then
	echo "Bail out! $srcdir/lib or $ALLOW missing (set srcdir)"
	exit 1
fi
files=$(cd "$srcdir" && ls lib/*.c lib/*.h cgi-bin/*.c sbin/*.c 2>/dev/null)
if [ -z "$files" ]; then
	echo "Bail out! no sources under $srcdir"
	exit 1
fi
# shellcheck disable=SC2086
scan "$srcdir" $files >"$tmp/records" || {
	echo "Bail out! scanning the sources failed"
	exit 1
}
nfiles=$(printf '%s\n' "$files" | wc -l | tr -d ' ')
tap "$([ -s "$tmp/records" ]; echo $?)" "" "scanned $nfiles source files"

run_rules "$tmp/records" "$tmp/tree"
: >"$tmp/used"
for name in $RULES; do
	filter_allowed "$tmp/tree/$name" "$tmp/used" >"$tmp/tree/$name.left"
	[ -s "$tmp/tree/$name.left" ]
	rc=$?
	# rc 1 (empty) is a pass
	tap "$((1 - rc))" "$tmp/tree/$name.left" "lint $name"
done

# Every allow-list entry must still be needed.
grep -Ev '^[[:space:]]*(#|$)' "$ALLOW" | while IFS= read -r e; do
	grep -Fxq -- "$e" "$tmp/used" || printf 'allow.txt entry matches nothing: %s\n' "$e"
done >"$tmp/stale"
tap "$([ -s "$tmp/stale" ] && echo 1 || echo 0)" "$tmp/stale" \
    "every t/lint/allow.txt entry is still needed"

# ------------------------------------------------------------------ self-test

mkdir -p "$tmp/fx/lib" "$tmp/fx/cgi-bin" "$tmp/fx/sbin"
cat >"$tmp/fx/cgi-bin/bad.c" <<'EOF'
/* strcpy(a, b) in a comment is fine; "SELECT" in a comment too */
static int
bad(struct req *r, const char *s)
{
	char buf[8], *q = "it's \"quoted\" SELECT";	// printf( in a comment
	int n = atoi(req_param(r, "n"));		/* parse-request */
	sprintf(buf, "%d", n);				/* unbounded */
	printf("%s", s);				/* raw-output */
	db_run_script(r->ctx->db, "x", buf, 8);	/* sql-calls */
	system("ls");					/* shell */
	return rand() + (q[0] == '"');			/* weak-random */
}
EOF
cat >"$tmp/fx/lib/bad.c" <<'EOF'
static const char *q = "DELETE FROM members WHERE id = 1";	/* sql-text */
static const char *sh = "/bin/sh";				/* shell */
static void f(void) { (void)write(1, "x", 1); }		/* raw-output */
EOF
scan "$tmp/fx" cgi-bin/bad.c lib/bad.c >"$tmp/fx.records"
run_rules "$tmp/fx.records" "$tmp/fx.out"
for name in $RULES; do
	case $name in
	sql-text | raw-output | shell) want=2 ;;
	*) want=1 ;;
	esac
	got=$(wc -l <"$tmp/fx.out/$name" | tr -d ' ')
	if [ "$got" = "$want" ]; then
		tap 0 "" "self-test: rule $name fires on the fixture ($got)"
	else
		{
			echo "expected $want finding(s), got $got:"
			cat "$tmp/fx.out/$name"
		} >"$tmp/fx.diag"
		tap 1 "$tmp/fx.diag" "self-test: rule $name fires on the fixture"
	fi
done
# Comments and the quoted SELECT inside an escaped string: exactly the
# findings above, nothing from line 1.
if grep -q '^cgi-bin/bad.c:1:' "$tmp/fx.out"/*; then
	tap 1 "" "self-test: comments are not linted"
else
	tap 0 "" "self-test: comments are not linted"
fi

echo "1..$n"
[ "$failed" = 0 ]
