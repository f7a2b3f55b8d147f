#!/usr/bin/env bash
# dev.sh: the developer's entry point to the member portal.
#
#   ./dev.sh up          install what is missing, build, start MariaDB and
#                        Apache under ./var, create the first administrator
#   ./dev.sh down        stop what "up" started (by PID file)
#   ./dev.sh test        everything from scratch, then every test layer
#   ./dev.sh status      what is running
#   ./dev.sh ctl ARGS    portalctl against the dev instance
#   ./dev.sh sql [ARGS]  MariaDB client (full rights) on the dev database
#   ./dev.sh db stop|start   only MariaDB (DB-down tests)
#   ./dev.sh reload      graceful restart of Apache with var/portal.conf as
#                        it is (tests that change a setting; "up" rewrites it)
#
# Environment:
#   PORTAL_WAF=off       start Apache without ModSecurity (default on)
#   PORTAL_SANITIZE=1    build in build-asan/ with --enable-sanitizers and
#                        run those programs
#   PORTAL_PORT=N        https port instead of 8443 (http: PORTAL_HTTP_PORT,
#                        default 8080), to run a second work tree's instance
#                        beside the first; remembered in var/ports
#
# Everything the dev instance writes lives under ./var (git-ignored); the
# builds live in ./build and ./build-asan.  The system's own Apache and
# MariaDB are never started, stopped or reconfigured.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VAR=$ROOT/var
RUN=$VAR/run
LOG=$VAR/log
cd "$ROOT"

# Ports: environment, else what "up" remembered, else the defaults.
read -r SAVED_HTTPS SAVED_HTTP 2>/dev/null <"$VAR/ports" || true
HTTPS_PORT=${PORTAL_PORT:-${SAVED_HTTPS:-8443}}
HTTP_PORT=${PORTAL_HTTP_PORT:-${SAVED_HTTP:-8080}}
[[ $HTTPS_PORT =~ ^[0-9]+$ && $HTTP_PORT =~ ^[0-9]+$ ]] || {
	echo "dev.sh: bad port number" >&2
	exit 64
}
HTTPS_URL=https://127.0.0.1:$HTTPS_PORT
HTTP_URL=http://127.0.0.1:$HTTP_PORT
DB_SOCK=$RUN/mysqld.sock
DB_PID=$RUN/mariadb.pid
HTTPD_PID=$RUN/httpd.pid
HTTPD_CONF=$VAR/httpd.conf
PORTAL_CONF=$VAR/portal.conf
WEB_USER=www-data
WEB_GROUP=www-data
FIRST_ADMIN=admin@portal.example.jp
TZ_DISPLAY=Asia/Tokyo

BUILD_PKGS=(gcc make autoconf automake pkg-config libfcgi-dev libmariadb-dev
	libssl-dev libargon2-dev libqrencode-dev)
RUN_PKGS=(apache2 libapache2-mod-fcgid libapache2-mod-security2 modsecurity-crs
	mariadb-server mariadb-client openssl curl ca-certificates tzdata)
TEST_PKGS=(perl libwww-perl libwww-mechanize-perl libio-socket-ssl-perl
	libjson-pp-perl libhttp-tiny-perl xz-utils)
BROWSER_PKGS=(chromium fonts-noto-cjk)

# ------------------------------------------------------------------ helpers

say() { printf '%s\n' "dev.sh: $*"; }
warn() { printf '%s\n' "dev.sh: $*" >&2; }
die() { warn "error: $*"; exit 1; }

# True if the PID in file $1 is alive and its command is one of $2...
pid_alive() {
	local file=$1 pid comm
	shift
	[[ -s $file ]] || return 1
	pid=$(head -n1 "$file" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	local c
	for c in "$@"; do
		[[ $comm == "$c" ]] && return 0
	done
	return 1
}

pid_of() { head -n1 "$1"; }

# Which build directory the running (or next) instance uses.
build_dir() {
	local b=build
	if [[ ${PORTAL_SANITIZE:-0} == 1 ]]; then
		b=build-asan
	elif [[ -s $VAR/build ]]; then
		b=$(cat "$VAR/build")
	fi
	printf '%s\n' "$ROOT/$b"
}

# ------------------------------------------------------------------ packages

APT_UPDATED=0
POLICY_CREATED=0

cleanup_policy() {
	if [[ $POLICY_CREATED == 1 ]]; then
		rm -f /usr/sbin/policy-rc.d
		POLICY_CREATED=0
	fi
}

# Install the Debian packages among "$@" that are not installed yet.
# While installing, a policy-rc.d that refuses every service start keeps
# the packages' own apache2/mariadb services from starting (we run our
# own instances; the system ones are left as the packages install them).
install_pkgs() {
	local p missing=()
	for p in "$@"; do
		if ! dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
		    grep -qx installed; then
			missing+=("$p")
		fi
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	[[ $(id -u) == 0 ]] || die "missing packages (run as root or install them): ${missing[*]}"
	say "installing: ${missing[*]}"
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		printf '#!/bin/sh\n# dev.sh: no service starts during package installation\nexit 101\n' \
		    >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		POLICY_CREATED=1
	fi
	if [[ $APT_UPDATED == 0 ]]; then
		apt-get update
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
	cleanup_policy
}

# ------------------------------------------------------------------ build

# build DIR [configure args]: autotools out of tree in DIR.
build() {
	local dir=$1
	shift
	if [[ ! -x configure || configure -ot configure.ac || configure -ot Makefile.am ]]; then
		say "autoreconf -fi"
		autoreconf -fi
	fi
	mkdir -p "$dir"
	if [[ ! -f $dir/Makefile || ! -f $dir/config.status || $dir/config.status -ot configure ]]; then
		say "configuring $(basename "$dir") $*"
		(cd "$dir" && ../configure "$@")
	fi
	say "make -C $(basename "$dir")"
	make -C "$dir" -j2
}

build_selected() {
	if [[ ${PORTAL_SANITIZE:-0} == 1 ]]; then
		build "$ROOT/build-asan" --enable-sanitizers
		echo build-asan >"$VAR/build"
	else
		build "$ROOT/build"
		echo build >"$VAR/build"
	fi
}

# ------------------------------------------------------------------ var/

make_var() {
	install -d -m 0755 "$VAR"
	# run: pid files and sockets; www-data must reach mysqld.sock.
	install -d -m 0750 -o root -g "$WEB_GROUP" "$RUN"
	# log: ASan/UBSan reports of the programs (www-data) land here too.
	install -d -m 0775 -o root -g "$WEB_GROUP" "$LOG"
	install -d -m 0700 "$VAR/mysql"
	install -d -m 0770 -o "$WEB_USER" -g "$WEB_GROUP" "$VAR/mail"
	install -d -m 0750 -o root -g "$WEB_GROUP" "$VAR/keys"
	install -d -m 0700 "$VAR/tls"
	install -d -m 0750 -o "$WEB_USER" -g "$WEB_GROUP" "$VAR/modsec"
	install -d -m 0750 -o "$WEB_USER" -g "$WEB_GROUP" "$VAR/fcgid"
	install -d -m 0750 -o "$WEB_USER" -g "$WEB_GROUP" "$VAR/fcgid/sock"
}

# ------------------------------------------------------------------ MariaDB

db_ping() {
	mariadb-admin --no-defaults --socket="$DB_SOCK" -u root ping >/dev/null 2>&1
}

db_start() {
	if pid_alive "$DB_PID" mariadbd mysqld; then
		say "MariaDB already running (pid $(pid_of "$DB_PID"))"
		return 0
	fi
	if [[ -z $(ls -A "$VAR/mysql" 2>/dev/null) ]]; then
		say "initialising MariaDB in var/mysql"
		if ! mariadb-install-db --no-defaults --user=root --datadir="$VAR/mysql" \
		    --auth-root-authentication-method=socket --skip-test-db \
		    >"$LOG/mariadb-install.log" 2>&1; then
			tail -n 30 "$LOG/mariadb-install.log" >&2
			die "mariadb-install-db failed (var/log/mariadb-install.log)"
		fi
	fi
	rm -f "$DB_SOCK" "$DB_PID"
	say "starting MariaDB (socket var/run/mysqld.sock, no TCP)"
	setsid nohup mariadbd --no-defaults --user=root --datadir="$VAR/mysql" \
	    --socket="$DB_SOCK" --skip-networking --pid-file="$DB_PID" \
	    --log-error="$LOG/mariadb.err" --character-set-server=utf8mb4 \
	    --collation-server=utf8mb4_bin --default-time-zone=+00:00 \
	    --innodb-buffer-pool-size=128M </dev/null >/dev/null 2>&1 &
	local i
	for ((i = 0; i < 60; i++)); do
		if db_ping; then
			say "MariaDB up (pid $(pid_of "$DB_PID"))"
			return 0
		fi
		sleep 0.5
	done
	tail -n 30 "$LOG/mariadb.err" >&2 || true
	die "MariaDB did not answer on var/run/mysqld.sock within 30 s"
}

# stop_pid FILE NAME COMM...: TERM, wait up to 20 s, then KILL (the
# process group, which the daemon leads).
stop_pid() {
	local file=$1 name=$2 pid i
	shift 2
	if ! pid_alive "$file" "$@"; then
		rm -f "$file"
		return 0
	fi
	pid=$(pid_of "$file")
	say "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 40; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		warn "$name did not stop within 20 s: KILL"
		# Field 5 of /proc/PID/stat is the process group (comm, field 2,
		# is in parentheses and has no spaces for apache2/mariadbd).
		if [[ $(awk '{ print $5 }' "/proc/$pid/stat" 2>/dev/null) == "$pid" ]]; then
			kill -KILL -- "-$pid" 2>/dev/null || true
		else
			kill -KILL "$pid" 2>/dev/null || true
		fi
		sleep 0.5
	fi
	rm -f "$file"
}

db_stop() {
	stop_pid "$DB_PID" MariaDB mariadbd mysqld
	rm -f "$DB_SOCK"
}

# Database, application account and its password (generated once).
db_setup() {
	local pass
	if [[ ! -s $VAR/keys/db.pass ]]; then
		umask 027
		openssl rand -base64 48 | tr -d '/+=\n' | head -c 40 >"$VAR/keys/db.pass"
		umask 022
	fi
	chown root:"$WEB_GROUP" "$VAR/keys/db.pass"
	chmod 0640 "$VAR/keys/db.pass"
	pass=$(cat "$VAR/keys/db.pass")
	[[ $pass =~ ^[A-Za-z0-9]{20,}$ ]] || die "var/keys/db.pass is not a generated password"
	mariadb --no-defaults --default-character-set=utf8mb4 --socket="$DB_SOCK" -u root <<-SQL
		CREATE DATABASE IF NOT EXISTS portal CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
		CREATE USER IF NOT EXISTS 'portal_web'@'localhost' IDENTIFIED BY '$pass';
		ALTER USER 'portal_web'@'localhost' IDENTIFIED BY '$pass';
	SQL
}

# ------------------------------------------------------------------ portal.conf

# var/portal.conf from etc/portal.conf.example with the dev values.
gen_portal_conf() {
	local tmp=$VAR/portal.conf.new
	{
		echo "# Generated by dev.sh from etc/portal.conf.example: edit that file"
		echo "# (or dev.sh) instead; this one is rewritten by every ./dev.sh up."
		awk '
		BEGIN {
			for (i = 2; i < ARGC; i++) {
				k = ARGV[i]; sub(/=.*/, "", k)
				set[k] = substr(ARGV[i], length(k) + 2)
				ARGV[i] = ""
			}
		}
		/^[a-z0-9_]+[ \t]*=/ {
			k = $0; sub(/[ \t]*=.*/, "", k)
			if (k in set) {
				if (set[k] == "") print k " ="
				else print k " = " set[k]
				seen[k] = 1
				next
			}
		}
		{ print }
		END {
			for (k in set) if (!(k in seen)) {
				print "dev.sh: key " k " missing in portal.conf.example" > "/dev/stderr"
				exit 1
			}
		}' etc/portal.conf.example \
		    "environment=development" \
		    "base_url=$HTTPS_URL" \
		    "timezone=$TZ_DISPLAY" \
		    "db_socket=$DB_SOCK" \
		    "db_password_file=$VAR/keys/db.pass" \
		    "db_admin_user=root" \
		    "key_dir=$VAR/keys" \
		    "sql_dir=$ROOT/sql" \
		    "maintenance_flag=$VAR/maintenance" \
		    "mail_command=$ROOT/tools/devmail $VAR/mail" \
		    "mail_from=noreply@portal.example.jp"
	} >"$tmp"
	chown root:"$WEB_GROUP" "$tmp"
	chmod 0640 "$tmp"
	mv -f "$tmp" "$PORTAL_CONF"
}

# ------------------------------------------------------------------ portalctl

portalctl() {
	local b
	b=$(build_dir)
	[[ -x $b/sbin/portalctl ]] || die "$b/sbin/portalctl not built (./dev.sh up builds it)"
	"$b/sbin/portalctl" -c "$PORTAL_CONF" "$@"
}

keys_and_schema() {
	say "portalctl keys init"
	portalctl keys init
	shopt -s nullglob
	local k
	for k in "$VAR"/keys/*.key; do
		chgrp "$WEB_GROUP" "$k"
		chmod 0640 "$k"
	done
	shopt -u nullglob
	say "portalctl migrate"
	portalctl migrate
}

first_admin() {
	local admins out
	admins=$(portalctl user list --role admin)
	if [[ -z $admins ]]; then
		say "creating the first administrator $FIRST_ADMIN"
		out=$(portalctl user add --admin "$FIRST_ADMIN")
		(umask 077 && printf '%s\n' "$out" >"$VAR/first-admin.txt")
		chmod 0600 "$VAR/first-admin.txt"
		echo
		echo "First administrator (one-time credentials, also in var/first-admin.txt):"
		printf '%s\n' "$out" | sed 's/^/    /'
		echo
	elif [[ -s $VAR/first-admin.txt ]]; then
		say "an administrator exists; the first one's one-time credentials are in var/first-admin.txt"
	else
		say "an administrator exists"
	fi
}

# ------------------------------------------------------------------ TLS

make_cert() {
	[[ -s $VAR/tls/cert.pem && -s $VAR/tls/key.pem ]] && return 0
	say "generating a self-signed certificate (var/tls/cert.pem)"
	(umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -days 825 -subj /CN=localhost \
	    -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
	    -keyout "$VAR/tls/key.pem" -out "$VAR/tls/cert.pem" 2>/dev/null)
	chmod 0644 "$VAR/tls/cert.pem"
	chmod 0711 "$VAR/tls"
}

# ------------------------------------------------------------------ Apache

waf_mode() {
	case ${PORTAL_WAF:-on} in
	off | 0 | no | false) echo off ;;
	*) echo on ;;
	esac
}

# gen_httpd_conf OUT BUILD WAF(on|off) SAN(0|1)
gen_httpd_conf() {
	local out=$1 b=$2 waf=$3 san=$4
	awk -v root="$ROOT" -v var="$VAR" -v build="$b" -v waf="$waf" -v san="$san" \
	    -v https_port="$HTTPS_PORT" -v http_port="$HTTP_PORT" '
	function subst(s) {
		gsub(/@ROOT@/, root, s); gsub(/@VAR@/, var, s); gsub(/@BUILD@/, build, s)
		gsub(/@HTTPS_PORT@/, https_port, s); gsub(/@HTTP_PORT@/, http_port, s)
		return s
	}
	/^#@WAF_BEGIN/ { skip = (waf != "on"); next }
	/^#@WAF_END/ { skip = 0; next }
	/^#@SAN_BEGIN/ { skip = (san != "1"); next }
	/^#@SAN_END/ { skip = 0; next }
	!skip { print subst($0) }
	' etc/apache/portal-dev.conf.in >"$out"
	if grep -q '@[A-Z]*@' "$out"; then
		die "unsubstituted placeholder in $out"
	fi
}

apache() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ="$TZ_DISPLAY" \
	    apache2 -f "$HTTPD_CONF" "$@"
}

# Graceful restart: the FastCGI processes start again and read
# var/portal.conf as it is now.
cmd_reload() {
	pid_alive "$HTTPD_PID" apache2 httpd || die "Apache is not running (./dev.sh up)"
	apache -k graceful
	wait_healthz
}

wait_healthz() {
	local i code
	for ((i = 0; i < 60; i++)); do
		code=$(curl -sk --max-time 3 -o /dev/null -w '%{http_code}' "$HTTPS_URL/healthz" || true)
		if [[ $code == 200 ]]; then
			return 0
		fi
		sleep 0.5
	done
	warn "$HTTPS_URL/healthz answered ${code:-nothing} for 30 s; var/log/error.log:"
	tail -n 30 "$LOG/error.log" >&2 || true
	return 1
}

apache_start() {
	local b san=0 waf new=$VAR/httpd.conf.new
	b=$(build_dir)
	[[ $(basename "$b") == build-asan ]] && san=1
	waf=$(waf_mode)
	gen_httpd_conf "$new" "$b" "$waf" "$san"
	if ! env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apache2 -t -f "$new" 2>"$LOG/httpd-configtest.log"; then
		cat "$LOG/httpd-configtest.log" >&2
		die "apache2 -t failed for the generated configuration ($new)"
	fi
	mv -f "$new" "$HTTPD_CONF"
	echo "$waf" >"$VAR/waf"
	echo "$HTTPS_PORT $HTTP_PORT" >"$VAR/ports"
	if pid_alive "$HTTPD_PID" apache2 httpd; then
		# Picks up a changed configuration and restarts the programs
		# (mod_fcgid respawns them from the freshly built binaries).
		say "Apache running (pid $(pid_of "$HTTPD_PID")): graceful restart"
		apache -k graceful
		sleep 1
	else
		rm -f "$HTTPD_PID"
		say "starting Apache on $HTTPS_URL and $HTTP_URL (WAF $waf)"
		if ! apache -k start; then
			tail -n 30 "$LOG/error.log" >&2 || true
			die "apache2 -k start failed"
		fi
	fi
	wait_healthz || die "the portal did not become healthy"
	# Warm up one process per program (mod_fcgid spawns on demand).
	local p
	for p in /login /register /profile; do
		curl -sk --max-time 10 -o /dev/null "$HTTPS_URL$p" || true
	done
}

apache_stop() {
	stop_pid "$HTTPD_PID" Apache apache2 httpd
}

# ------------------------------------------------------------------ commands

cmd_up() {
	install_pkgs "${BUILD_PKGS[@]}" "${RUN_PKGS[@]}"
	id "$WEB_USER" >/dev/null 2>&1 || die "user $WEB_USER missing (it comes with Debian's base-passwd)"
	make_var
	build_selected
	db_start
	db_setup
	gen_portal_conf
	keys_and_schema
	make_cert
	apache_start
	first_admin
	echo
	say "portal: $HTTPS_URL/  (http: $HTTP_URL/ redirects)"
	cmd_status
}

cmd_down() {
	apache_stop
	db_stop
	say "stopped"
}

cmd_status() {
	local b
	if pid_alive "$HTTPD_PID" apache2 httpd; then
		echo "Apache:   running, pid $(pid_of "$HTTPD_PID"), $HTTPS_URL/ ($HTTP_URL/ redirects)"
	else
		echo "Apache:   not running"
	fi
	if pid_alive "$DB_PID" mariadbd mysqld; then
		echo "MariaDB:  running, pid $(pid_of "$DB_PID"), socket $DB_SOCK"
	else
		echo "MariaDB:  not running"
	fi
	case $(cat "$VAR/waf" 2>/dev/null || echo unknown) in
	on) echo "WAF:      on (ModSecurity + OWASP CRS 3.3.4, paranoia level 1)" ;;
	off) echo "WAF:      off (started with PORTAL_WAF=off)" ;;
	*) echo "WAF:      unknown" ;;
	esac
	b=$(cat "$VAR/build" 2>/dev/null || echo none)
	echo "build:    $b$([[ $b == build-asan ]] && echo ' (ASan/UBSan)')"
	echo "logs:     var/log/  mail: var/mail/  config: var/portal.conf"
	if [[ -f $VAR/maintenance ]]; then
		echo "maintenance: ON (var/maintenance exists)"
	fi
}

cmd_db() {
	case ${1:-} in
	start) make_var; db_start ;;
	stop) db_stop ;;
	*) die "usage: ./dev.sh db stop|start" ;;
	esac
}

cmd_sql() {
	exec mariadb --no-defaults --default-character-set=utf8mb4 \
	    --socket="$DB_SOCK" -u root portal "$@"
}

cmd_ctl() {
	local b
	b=$(build_dir)
	[[ -x $b/sbin/portalctl ]] || die "$b/sbin/portalctl not built (./dev.sh up builds it)"
	exec "$b/sbin/portalctl" -c "$PORTAL_CONF" "$@"
}

# ------------------------------------------------------------------ test layers
# Each layer is a function test_NAME returning 0 (pass) or non-zero (fail);
# add a layer by writing the function and naming it in LAYERS.

LAYERS=(unit unit_asan fuzz integration browser integration_nowaf sanitizer_logs distcheck)

# Layers run in a subshell with errexit on: the first failing command
# fails the layer.

test_unit() {
	build "$ROOT/build"
	make -C "$ROOT/build" -j2 check
}

test_unit_asan() {
	build "$ROOT/build-asan" --enable-sanitizers
	make -C "$ROOT/build-asan" -j2 check
}

# libFuzzer targets for every parser (t/fuzz/), FUZZ_SECONDS each.
test_fuzz() {
	install_pkgs clang libclang-rt-14-dev
	sh "$ROOT/t/fuzz/run.sh" "$ROOT/build-fuzz" "${FUZZ_SECONDS:-20}"
}

# The stack for the integration and browser layers: ASan/UBSan programs
# behind the full Apache (WAF on).  Started once, by a separate dev.sh
# process so that its own errexit applies.
STACK_UP=0
stack_up() {
	case $STACK_UP in
	1) return 0 ;;
	2) warn "the stack failed to start (see above)"; return 1 ;;
	esac
	PORTAL_SANITIZE=1 PORTAL_WAF=on "$ROOT/dev.sh" up
}

portal_test_env() {
	export PORTAL_ROOT=$ROOT PORTAL_URL=$HTTPS_URL PORTAL_CA=$VAR/tls/cert.pem
	export PORTAL_HTTP_URL=$HTTP_URL
	# Built helpers of the tests (t/integration/db_layer) of the stack's build.
	PORTAL_BUILD=$(build_dir)
	export PORTAL_BUILD
}

test_integration() {
	stack_up
	if [[ ! -d t/integration ]]; then
		warn "t/integration missing"
		return 1
	fi
	portal_test_env
	prove -I t/lib -r t/integration
}

# The same suite again with ModSecurity switched off: the application
# itself must refuse every attack the suite sends (the WAF is a second
# line, not the first).
test_integration_nowaf() {
	stack_up
	PORTAL_SANITIZE=1 PORTAL_WAF=off "$ROOT/dev.sh" up
	portal_test_env
	local rc=0
	PORTAL_EXPECT_WAF=off prove -I t/lib -r t/integration || rc=$?
	PORTAL_SANITIZE=1 PORTAL_WAF=on "$ROOT/dev.sh" up >/dev/null
	return $rc
}

test_browser() {
	if [[ ! -f t/browser/run.mjs ]]; then
		say "t/browser/run.mjs does not exist: browser layer skipped"
		return 0
	fi
	stack_up
	install_pkgs "${BROWSER_PKGS[@]}"
	if ! command -v node >/dev/null; then
		install_pkgs nodejs npm
	fi
	portal_test_env
	(
		cd t/browser
		export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
		if [[ -f package-lock.json ]]; then
			npm ci --no-audit --no-fund
		else
			npm install --no-audit --no-fund
		fi
		node run.mjs
	)
}

test_sanitizer_logs() {
	shopt -s nullglob
	local f files=("$LOG"/asan.* "$LOG"/ubsan.*)
	shopt -u nullglob
	[[ ${#files[@]} -eq 0 ]] && return 0
	for f in "${files[@]}"; do
		echo "==== $f"
		cat "$f"
	done
	return 1
}

test_distcheck() {
	make -C "$ROOT/build" distcheck
}

cmd_test() {
	trap 'cmd_down >/dev/null 2>&1 || true; cleanup_policy' EXIT
	# var/ports goes with var/: keep the ports for the dev.sh children.
	export PORTAL_PORT=$HTTPS_PORT PORTAL_HTTP_PORT=$HTTP_PORT
	cmd_down
	rm -rf "$VAR" "$ROOT/build" "$ROOT/build-asan" "$ROOT/build-fuzz"
	install_pkgs "${BUILD_PKGS[@]}" "${RUN_PKGS[@]}" "${TEST_PKGS[@]}"
	make_var

	local layer rc passed=0 failed=0 start summary=()
	for layer in "${LAYERS[@]}"; do
		echo
		say "=== layer $layer"
		start=$SECONDS
		set +e
		(set -e; "test_$layer")
		rc=$?
		set -e
		if [[ $rc == 0 ]]; then
			passed=$((passed + 1))
			summary+=("ok    $layer ($((SECONDS - start)) s)")
		else
			failed=$((failed + 1))
			summary+=("FAIL  $layer ($((SECONDS - start)) s)")
		fi
		# The stack is started inside the layer's subshell: remember
		# here whether it came up, so that it is started only once.
		if [[ $layer == integration || $layer == browser ]] && [[ $STACK_UP == 0 ]]; then
			if pid_alive "$HTTPD_PID" apache2 httpd; then
				STACK_UP=1
			elif [[ $layer == integration ]]; then
				STACK_UP=2
			fi
		fi
	done
	echo
	printf '%s\n' "${summary[@]}"
	echo "$passed passed, $failed failed"
	[[ $failed == 0 ]]
}

usage() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

main() {
	trap cleanup_policy EXIT
	case ${1:-} in
	up) cmd_up ;;
	down) cmd_down ;;
	status) cmd_status ;;
	reload) cmd_reload ;;
	test) cmd_test ;;
	ctl) shift; cmd_ctl "$@" ;;
	sql) shift; cmd_sql "$@" ;;
	db) shift; cmd_db "$@" ;;
	-h | --help | help) usage ;;
	*) usage >&2; exit 64 ;;
	esac
}

# Sourcing the file (for debugging a step) defines the functions only.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
