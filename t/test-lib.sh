# test-lib.sh: a small library for psm's shell tests, in the style of git's.
#
# A test script looks like this, and is run from the t/ directory:
#
#	test_description='what this script covers'
#	. ./test-lib.sh
#
#	test_expect_success 'title' '
#		psm init &&
#		psm list >actual &&
#		test_line_count = 0 actual
#	'
#	test_expect_success PYYAML,!VALGRIND 'title' '...'
#
#	test_done
#
# It prints TAP and exits 0 when every test passed, 1 otherwise, 77 when
# skipped as a whole (test_skip_all).  Options: -v/--verbose (or the
# environment variable PSM_TEST_VERBOSE=1) shows the commands' output,
# -x/--trace also traces them (implies -v; needs bash), -i/--immediate
# stops at the first failure, -d/--debug keeps the trash directory.
#
# Helpers: test_must_fail, test_might_fail, test_expect_code, test_cmp,
# test_line_count, test_set_prereq, test_have_prereq, test_tick,
# test_commit_count, test_terminal, test_skip_all; for psm's files
# write_issue, id_line, field, path_of, id_of, issue_file, body_of, have_cmd.
# Built-in prerequisites: TTY, PYYAML, JQ, CORPORA, VALGRIND, SANITIZE,
# NOT_ROOT.
#
# Each script gets its own trash directory, "$PSM_TRASH_ROOT/trash
# directory.<script>" (PSM_TRASH_ROOT defaults to t/), made anew at the start
# and removed at the end when every test passed.  It is also $HOME.  Each
# test runs in a subshell with that directory as its working directory, so
# neither "cd" nor variables leak from one test into the next; what must
# carry over goes in files (test_tick and test_set_prereq do that for you).
# Without -v a test's stdout and stderr go to .test-output/N.out and N.err
# in the trash directory, and a failing test's stderr tail (stdout's, when
# stderr is empty) is shown in the TAP output.  .test-output/ and $HOME/.gitconfig are in a global git
# excludes file, so a repository made in the trash directory itself does
# not see them, and GIT_CEILING_DIRECTORIES stops git from finding psm's own
# repository above the trash directory.  (psm should honour that variable
# too, e.g. by opening repositories with GIT_REPOSITORY_OPEN_FROM_ENV.)
#
# Environment: PSM_BUILD_DIR (where the psm binary is; default ../build),
# PSM_SOURCE_DIR (default ..), PSM_TRASH_ROOT (default t/).

# ---- options -------------------------------------------------------------

_psm_verbose=
_psm_trace=
_psm_immediate=
_psm_debug=
case ${PSM_TEST_VERBOSE:-} in
''|0|false|no) ;;
*) _psm_verbose=t ;;
esac
for _psm_arg
do
	case $_psm_arg in
	-v|--verbose) _psm_verbose=t ;;
	-x|--trace) _psm_trace=t; _psm_verbose=t ;;
	-i|--immediate) _psm_immediate=t ;;
	-d|--debug) _psm_debug=t ;;
	-h|--help)
		printf '%s\n' "${test_description:-}"
		echo "options: -v|--verbose -x|--trace -i|--immediate -d|--debug"
		exit 0 ;;
	*)
		echo "error: unknown test option '$_psm_arg'" >&2
		exit 1 ;;
	esac
done

# Traces go to fd 4, away from the tests' own 2>file redirections; only
# bash can do that (BASH_XTRACEFD).
if test -n "$_psm_trace"
then
	if test -n "${BASH_VERSION:-}"
	then
		exec 4>&2
	else
		echo "warning: -x needs bash (bash $0 -x); ignoring it" >&2
		_psm_trace=
	fi
fi

# ---- locations -----------------------------------------------------------

_psm_bail_out () {
	echo "Bail out! $*"
	echo "$0: $*" >&2
	exit 1
}

# TEST_DIRECTORY is t/: scripts source ./test-lib.sh, so it is the current
# directory.
TEST_DIRECTORY=$(pwd -P)
test -f "$TEST_DIRECTORY/test-lib.sh" ||
	_psm_bail_out "TEST_DIRECTORY ($TEST_DIRECTORY) has no test-lib.sh; run the script from t/"

_psm_abspath () {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$(pwd -P)/$1" ;;
	esac
}

PSM_BUILD_DIR=$(_psm_abspath "${PSM_BUILD_DIR:-$TEST_DIRECTORY/../build}")
PSM_SOURCE_DIR=$(_psm_abspath "${PSM_SOURCE_DIR:-$TEST_DIRECTORY/..}")
PSM_TRASH_ROOT=$(_psm_abspath "${PSM_TRASH_ROOT:-$TEST_DIRECTORY}")
export PSM_BUILD_DIR PSM_SOURCE_DIR PSM_TRASH_ROOT

if test -d "$PSM_BUILD_DIR"
then
	PSM_BUILD_DIR=$(cd "$PSM_BUILD_DIR" && pwd -P)
fi
test -x "$PSM_BUILD_DIR/psm" && test -f "$PSM_BUILD_DIR/psm" ||
	_psm_bail_out "no psm binary at $PSM_BUILD_DIR/psm: build it first (cmake -S .. -B ../build && cmake --build ../build) or point PSM_BUILD_DIR at the directory holding it"
command -v git >/dev/null 2>&1 ||
	_psm_bail_out "git is not installed"

this_test=${0##*/}
this_test=${this_test%.sh}

# ---- pinned environment ----------------------------------------------------

# Drop every PSM_* variable from the caller's environment but ours.
for _psm_var in $(env | sed -n 's/^\(PSM_[A-Za-z0-9_]*\)=.*/\1/p')
do
	case $_psm_var in
	PSM_BUILD_DIR|PSM_SOURCE_DIR|PSM_TRASH_ROOT) ;;
	*) unset "$_psm_var" ;;
	esac
done
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME \
	VISUAL NO_COLOR CLICOLOR CLICOLOR_FORCE FORCE_COLOR COLUMNS LINES \
	LANGUAGE GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES \
	GIT_DISCOVERY_ACROSS_FILESYSTEM GIT_NAMESPACE GIT_CONFIG \
	GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM GIT_CONFIG_PARAMETERS \
	GIT_CONFIG_COUNT GIT_EDITOR GIT_SEQUENCE_EDITOR GIT_PAGER \
	GIT_TRACE GIT_TRACE2 GIT_TRACE2_EVENT GIT_TRACE2_PERF \
	GIT_REFLOG_ACTION GIT_TEMPLATE_DIR GIT_ASKPASS SSH_ASKPASS
TZ=UTC
LANG=C.UTF-8
LC_ALL=C.UTF-8
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
EDITOR=:
PAGER=cat
TERM=dumb
ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
LSAN_OPTIONS=suppressions=$TEST_DIRECTORY/lsan.supp
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TZ LANG LC_ALL GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL EDITOR PAGER TERM \
	ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
PATH=$PSM_BUILD_DIR:$PATH
export PATH
umask 022

# ---- time ------------------------------------------------------------------

_psm_epoch_base=1795168800	# 2026-11-20T10:00:00Z

# _psm_rfc3339 SECONDS: print a Unix time as RFC 3339 UTC (no date(1) needed).
_psm_rfc3339 () {
	_psm_t=$1
	_psm_s=$((_psm_t % 86400))
	_psm_z=$((_psm_t / 86400 + 719468))
	_psm_era=$((_psm_z / 146097))
	_psm_doe=$((_psm_z - _psm_era * 146097))
	_psm_yoe=$(((_psm_doe - _psm_doe / 1460 + _psm_doe / 36524 - _psm_doe / 146096) / 365))
	_psm_y=$((_psm_yoe + _psm_era * 400))
	_psm_doy=$((_psm_doe - (365 * _psm_yoe + _psm_yoe / 4 - _psm_yoe / 100)))
	_psm_mp=$(((5 * _psm_doy + 2) / 153))
	_psm_d=$((_psm_doy - (153 * _psm_mp + 2) / 5 + 1))
	if test $_psm_mp -lt 10
	then
		_psm_m=$((_psm_mp + 3))
	else
		_psm_m=$((_psm_mp - 9))
	fi
	if test $_psm_m -le 2
	then
		_psm_y=$((_psm_y + 1))
	fi
	printf '%04d-%02d-%02dT%02d:%02d:%02dZ\n' $_psm_y $_psm_m $_psm_d \
		$((_psm_s / 3600)) $((_psm_s % 3600 / 60)) $((_psm_s % 60))
}

_psm_set_time () {
	PSM_NOW=$(_psm_rfc3339 "$1")
	GIT_AUTHOR_DATE=$PSM_NOW
	GIT_COMMITTER_DATE=$PSM_NOW
	export PSM_NOW GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

# ---- trash directory ---------------------------------------------------------

TRASH_DIRECTORY="$PSM_TRASH_ROOT/trash directory.$this_test"
_psm_remove_trash () {
	cd "$TEST_DIRECTORY" || return 1
	if test -d "$TRASH_DIRECTORY"
	then
		chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
		rm -rf "$TRASH_DIRECTORY"
	fi
}
_psm_remove_trash ||
	_psm_bail_out "cannot remove old $TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" ||
	_psm_bail_out "cannot create $TRASH_DIRECTORY"
cd -P "$TRASH_DIRECTORY" ||
	_psm_bail_out "cannot enter $TRASH_DIRECTORY"
TRASH_DIRECTORY=$(pwd -P)
# The trash directory usually sits inside psm's own repository: never let
# git look above it for one.
GIT_CEILING_DIRECTORIES=${TRASH_DIRECTORY%/*}
export GIT_CEILING_DIRECTORIES

# Our bookkeeping: per-test output, tick counter, prerequisites set by tests.
_psm_out="$TRASH_DIRECTORY/.test-output"
mkdir "$_psm_out" || _psm_bail_out "cannot create $_psm_out"
printf '/.gitconfig\n/.test-output/\n' >"$_psm_out/exclude"

HOME=$TRASH_DIRECTORY
export HOME
git config --global init.defaultBranch main &&
git config --global core.excludesFile "$_psm_out/exclude" &&
git config --global psm.autoDetach false || # no housekeeping behind a test's back
	_psm_bail_out "cannot write $HOME/.gitconfig"
_psm_set_time $_psm_epoch_base

# ---- prerequisites -----------------------------------------------------------

_psm_prereq_yes=' '
_psm_prereq_no=' '
_psm_tty_impl=

# _psm_detect_prereq NAME: the built-in, lazily detected prerequisites.
_psm_detect_prereq () {
	case $1 in
	TTY)
		if command -v python3 >/dev/null 2>&1 &&
		   python3 -c 'import pty, termios, fcntl, select, struct' 2>/dev/null
		then
			_psm_tty_impl=python
		elif command -v script >/dev/null 2>&1
		then
			_psm_tty_impl=script
		else
			return 1
		fi ;;
	PYYAML)
		command -v python3 >/dev/null 2>&1 &&
		python3 -c 'import yaml' 2>/dev/null ;;
	JQ)
		command -v jq >/dev/null 2>&1 ;;
	CORPORA)
		test -d "$PSM_SOURCE_DIR/../shared/corpora" ;;
	SANITIZE)	# psm was built with -DPSM_SANITIZE=ON
		grep -q '^PSM_SANITIZE:BOOL=ON$' "$PSM_BUILD_DIR/CMakeCache.txt" 2>/dev/null ;;
	VALGRIND)	# valgrind is there, and psm is not built with ASan
		command -v valgrind >/dev/null 2>&1 &&
		! _psm_prereq_ok SANITIZE ;;
	NOT_ROOT)
		test "$(id -u)" != 0 ;;
	*)
		return 1 ;;
	esac
}

# test_set_prereq NAME: mark NAME as satisfied (also for later tests when
# called inside a test).
test_set_prereq () {
	_psm_prereq_yes="$_psm_prereq_yes$1 "
	echo "$1" >>"$_psm_out/prereqs"
}

_psm_prereq_ok () {
	case $_psm_prereq_yes in *" $1 "*) return 0 ;; esac
	if test -f "$_psm_out/prereqs" && grep -qx "$1" "$_psm_out/prereqs"
	then
		_psm_prereq_yes="$_psm_prereq_yes$1 "
		return 0
	fi
	case $_psm_prereq_no in *" $1 "*) return 1 ;; esac
	if _psm_detect_prereq "$1"
	then
		_psm_prereq_yes="$_psm_prereq_yes$1 "
		return 0
	fi
	_psm_prereq_no="$_psm_prereq_no$1 "
	return 1
}

# test_have_prereq LIST: LIST is NAME[,NAME...], each may be !NAME (negated).
# Succeeds when all hold; else $_psm_missing_prereq names those that did not.
test_have_prereq () {
	_psm_missing_prereq=
	_psm_rest="$1,"
	while test -n "$_psm_rest"
	do
		_psm_p=${_psm_rest%%,*}
		_psm_rest=${_psm_rest#*,}
		test -z "$_psm_p" && continue
		case $_psm_p in
		!*)
			if _psm_prereq_ok "${_psm_p#!}"
			then
				_psm_missing_prereq="${_psm_missing_prereq:+$_psm_missing_prereq,}$_psm_p"
			fi ;;
		*)
			if ! _psm_prereq_ok "$_psm_p"
			then
				_psm_missing_prereq="${_psm_missing_prereq:+$_psm_missing_prereq,}$_psm_p"
			fi ;;
		esac
	done
	test -z "$_psm_missing_prereq"
}

# ---- helpers for test bodies -------------------------------------------------

# test_tick: advance PSM_NOW, GIT_AUTHOR_DATE and GIT_COMMITTER_DATE by 60s.
test_tick () {
	if test -f "$_psm_out/tick"
	then
		read _psm_tick <"$_psm_out/tick"
	else
		_psm_tick=0
	fi
	_psm_tick=$((_psm_tick + 60))
	echo "$_psm_tick" >"$_psm_out/tick"
	_psm_set_time $((_psm_epoch_base + _psm_tick))
}

# test_commit_count [REV]: print the number of commits reachable from REV (HEAD).
test_commit_count () {
	git rev-list --count "${1:-HEAD}"
}

# test_cmp EXPECTED ACTUAL: compare two files; the diff goes to stderr.
test_cmp () {
	if test $# != 2
	then
		echo "test_cmp: need 2 arguments, got $#" >&2
		return 1
	fi
	diff -u "$1" "$2" >&2
}

# test_line_count OP N FILE: e.g. test_line_count = 3 out
test_line_count () {
	if test $# != 3
	then
		echo "test_line_count: need 3 arguments, got $#" >&2
		return 1
	fi
	_psm_lines=$(wc -l <"$3") || return 1
	if ! test "$_psm_lines" "$1" "$2"
	then
		echo "test_line_count: line count for $3 is $_psm_lines, want $1 $2:" >&2
		cat "$3" >&2
		return 1
	fi
}

# _psm_run_checked CMD...: run CMD with stderr captured to a file and
# re-emitted; sets _psm_code to its exit code and _psm_san to the first
# sanitizer report line in its stderr (empty when none).
_psm_run_checked () {
	_psm_errfile=$(mktemp "$_psm_out/stderr.XXXXXX") || {
		echo "test-lib: mktemp failed" >&2
		_psm_code=125 _psm_san=
		return
	}
	"$@" 2>"$_psm_errfile"
	_psm_code=$?
	cat "$_psm_errfile" >&2
	_psm_san=$(grep -E 'runtime error:|AddressSanitizer|LeakSanitizer|ERROR: [A-Za-z]*Sanitizer' "$_psm_errfile" | sed 1q)
	rm -f "$_psm_errfile"
}

# test_must_fail [ok=success|ok=sigpipe[,...]] CMD...: succeeds only when CMD
# fails in an orderly way: a non-zero status that is not a signal (>128),
# not 125-127 (cannot run / not found), and no sanitizer report on stderr.
test_must_fail () {
	case ${1:-} in
	ok=*) _psm_mf_ok=,${1#ok=},; shift ;;
	*) _psm_mf_ok= ;;
	esac
	_psm_run_checked "$@"
	if test -n "$_psm_san"
	then
		echo "test_must_fail: sanitizer report from: $*" >&2
		return 1
	fi
	case $_psm_code in
	0)
		case $_psm_mf_ok in *,success,*) return 0 ;; esac
		echo "test_must_fail: command succeeded: $*" >&2
		return 1 ;;
	141)
		case $_psm_mf_ok in *,sigpipe,*) return 0 ;; esac ;;
	esac
	if test "$_psm_code" -gt 128
	then
		echo "test_must_fail: died by signal $((_psm_code - 128)): $*" >&2
		return 1
	fi
	case $_psm_code in
	125|126|127)
		echo "test_must_fail: could not run (status $_psm_code): $*" >&2
		return 1 ;;
	esac
	return 0
}

# test_might_fail CMD...: like test_must_fail, but success is fine too.
test_might_fail () {
	test_must_fail ok=success "$@"
}

# test_expect_code N CMD...: succeeds when CMD exits with status N (and
# leaves no sanitizer report on stderr).
test_expect_code () {
	_psm_want=$1
	shift
	_psm_run_checked "$@"
	if test -n "$_psm_san"
	then
		echo "test_expect_code: sanitizer report from: $*" >&2
		return 1
	fi
	if test "$_psm_code" != "$_psm_want"
	then
		echo "test_expect_code: command exited with $_psm_code, we wanted $_psm_want: $*" >&2
		return 1
	fi
}

_psm_quote () {
	for _psm_q
	do
		printf "'%s' " "$(printf '%s' "$_psm_q" | sed "s/'/'\\\\''/g")"
	done
}

# test_terminal CMD...: run CMD with stdin/stdout (and stderr) on a
# pseudo-terminal of 80x24; our stdin is typed into it, its output comes out
# on our stdout (stderr separately when python3 does it; merged into stdout
# with the script(1) fallback).  Exits with CMD's status.  Needs prereq TTY.
test_terminal () {
	if test -z "$_psm_tty_impl"
	then
		_psm_detect_prereq TTY || {
			echo "test_terminal: no pseudo-terminal support (prereq TTY)" >&2
			return 1
		}
	fi
	case $_psm_tty_impl in
	python)
		python3 "$TEST_DIRECTORY/lib/test-terminal.py" "$@" ;;
	script)
		# Type our stdin only once the terminal is set up (no echo).
		_psm_ready=$(mktemp -u "$_psm_out/tty-ready.XXXXXX") || return 1
		{
			_psm_i=0
			while ! test -f "$_psm_ready" && test $_psm_i -lt 1000
			do
				sleep 0.01
				_psm_i=$((_psm_i + 1))
			done
			cat
		} | script -qefc "stty cols 80 rows 24 -echo -onlcr 2>/dev/null; : >$(_psm_quote "$_psm_ready"); exec $(_psm_quote "$@")" /dev/null
		_psm_code=$?
		rm -f "$_psm_ready"
		return $_psm_code ;;
	esac
}

# ---- running tests -------------------------------------------------------------

test_count=0
test_success=0
test_failure=0
test_skipped=0
_psm_done=

_psm_restore_state () {
	if test -f "$_psm_out/tick"
	then
		read _psm_tick <"$_psm_out/tick"
		_psm_set_time $((_psm_epoch_base + _psm_tick))
	fi
}

_psm_comment () {
	awk -v p="$1" '{ print p $0 }'
}

_psm_eval () {
	trap - EXIT
	cd "$TRASH_DIRECTORY" || exit 1
	if test -n "$_psm_trace"
	then
		BASH_XTRACEFD=4
		set -x
	fi
	eval "$1"
}

# test_expect_success [PREREQ] TITLE COMMANDS
test_expect_success () {
	if test $# = 3
	then
		_psm_prereq=$1
		shift
	else
		_psm_prereq=
	fi
	if test $# != 2
	then
		_psm_bail_out "bug in the test script: test_expect_success needs 2 or 3 parameters"
	fi
	_psm_restore_state
	test_count=$((test_count + 1))
	if test -n "$_psm_prereq" && ! test_have_prereq "$_psm_prereq"
	then
		test_skipped=$((test_skipped + 1))
		printf 'ok %d # skip %s (missing %s)\n' "$test_count" "$1" "$_psm_missing_prereq"
		return 0
	fi
	if test -n "$_psm_verbose"
	then
		printf 'expecting success of %s.%d %s:%s\n' "$this_test" "$test_count" "'$1'" "$2"
		( _psm_eval "$2" ) </dev/null
		_psm_status=$?
	else
		( _psm_eval "$2" ) </dev/null >"$_psm_out/$test_count.out" 2>"$_psm_out/$test_count.err"
		_psm_status=$?
	fi
	if test $_psm_status = 0
	then
		test_success=$((test_success + 1))
		printf 'ok %d - %s\n' "$test_count" "$1"
		return 0
	fi
	test_failure=$((test_failure + 1))
	printf 'not ok %d - %s\n' "$test_count" "$1"
	printf '%s\n' "$2" | _psm_comment '#	'
	if test -z "$_psm_verbose"
	then
		for _psm_f in err out
		do
			_psm_file="$_psm_out/$test_count.$_psm_f"
			if test -s "$_psm_file"
			then
				printf '# --- tail of std%s (%s) ---\n' "$_psm_f" "$_psm_file"
				tail -n 25 "$_psm_file" | _psm_comment '# '
				break
			fi
		done
	fi
	if test -n "$_psm_immediate"
	then
		printf '# stopping at the first failure (-i); trash directory kept: %s\n' "$TRASH_DIRECTORY"
		_psm_done=t
		exit 1
	fi
	return 0
}

# test_skip_all REASON: skip the whole script (exit 77).
test_skip_all () {
	if test $test_count != 0
	then
		printf '# SKIP the rest: %s\n' "$1"
		test_done
	fi
	printf '1..0 # SKIP %s\n' "$1"
	_psm_done=t
	test -n "$_psm_debug" || _psm_remove_trash
	exit 77
}

# write_issue ID: write issues/XY/ID.md by hand (no psm involved), with the
# front matter lines from stdin after "id: ID" and a one-line body; for
# tests that need exact times and fields no command would produce.
write_issue () {
	_dir=issues/$(printf %s "$1" | cut -c1-2) &&
	mkdir -p "$_dir" &&
	{
		echo --- &&
		echo "id: $1" &&
		cat &&
		echo --- &&
		echo &&
		echo "Body of $1."
	} >"$_dir/$1.md"
}

# id_line ID: the front matter's id line as psm writes it. An ID that
# starts with a digit and holds nothing but hex digits and x (one in about
# 950: 4ae7819862) could read as a number to YAML, so psm quotes it
# (lib/yaml/emit.c, looks_typed).
id_line () {
	case $1 in
	[0-9]*[!0-9a-fx]*) echo "id: $1" ;;
	[0-9]*) echo "id: '$1'" ;;
	*) echo "id: $1" ;;
	esac
}

# gen_store DIR SEED N: a new git repository DIR holding a psm store of N
# issues from bench/gen.py (seed SEED), not committed; for steps that need
# a store larger than a chunk of the scan or a ring's grab (PYTHON).
gen_store () {
	mkdir "$1" &&
	(
		cd "$1" &&
		git init -q &&
		psm init --no-commit >/dev/null &&
		python3 "$PSM_SOURCE_DIR/bench/gen.py" --seed "$2" . "$3" >/dev/null
	)
}

# Helpers many scripts share. field ID KEY: KEY's value in psm show
# --format json ID as JSON text ("new" with its quotes, null, 2); path_of ID:
# the issue's file, relative to the work tree; id_of ID: its full ID;
# issue_file PREFIX: the file of the issue whose ID starts with PREFIX (no
# psm involved); body_of FILE: what follows an issue file's front matter;
# have_cmd NAME: this psm has the command NAME (scripts that run on older
# builds too).
field () {
	psm show --format json "$1" | sed -n "s/^  \"$2\": \(.*\),\$/\1/p"
}

path_of () {
	psm show --format json "$1" | sed -n 's/^  "path": "\(.*\)",$/\1/p'
}

id_of () {
	psm show --format json "$1" | sed -n 's/^  "id": "\(.*\)",$/\1/p'
}

issue_file () {
	ls issues/*/"$1"*.md
}

body_of () {
	awk 'n >= 2 { print; next } /^---$/ { n++ }' "$1"
}

have_cmd () {
	psm help | grep "^   $1 " >/dev/null
}

test_done () {
	_psm_done=t
	if test $test_failure = 0
	then
		printf '# passed all %d test(s)\n' "$test_count"
		printf '1..%d\n' "$test_count"
		test -n "$_psm_debug" || _psm_remove_trash
		exit 0
	fi
	printf '# failed %d among %d test(s)\n' "$test_failure" "$test_count"
	printf '1..%d\n' "$test_count"
	printf '# trash directory kept: %s\n' "$TRASH_DIRECTORY"
	exit 1
}

_psm_exit_trap () {
	_psm_exit_code=$?
	if test -z "$_psm_done"
	then
		echo "Bail out! $0 exited (status $_psm_exit_code) without calling test_done"
		echo "$0: exited (status $_psm_exit_code) without calling test_done" >&2
		exit 1
	fi
}
trap _psm_exit_trap EXIT
