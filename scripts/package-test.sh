#!/bin/sh
# scripts/package-test.sh: build psm's Debian package and try it as an
# installed program, as CI does (.ci/run) on a fresh Debian machine.
#
#   1. a Release build in build-deb/ and `cpack -G DEB` (dependencies from
#      dpkg-shlibdeps, plus git);
#   2. `apt-get install ./psm_*.deb`, which resolves those dependencies;
#   3. with PATH=/usr/bin:/bin only: `man psm` shows the page, bash
#      completion (through bash-completion's loader) completes a command,
#      and a merge of two clones that changed one issue runs the merge
#      driver git finds on PATH, cleanly;
#   4. the package is removed again, unless psm was installed before.
#
# Needs root or sudo (the install). Exits non-zero on the first failure.
set -eu
cd "$(dirname "$0")/.."
src=$(pwd -P)
scripts/deps.sh

if test "$(id -u)" = 0
then
	sudo=
else
	sudo=sudo
fi
say () { echo "== package-test: $*"; }
fail () { echo "== package-test: FAILED: $*" >&2; exit 1; }

build=$src/build-deb
mkdir -p "$build"
say "Release build in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DPSM_WERROR=ON >"$build/configure.log" 2>&1 ||
	{ cat "$build/configure.log"; fail "configure"; }
cmake --build "$build" -j2 >"$build/build.log" 2>&1 ||
	{ tail -n 60 "$build/build.log"; fail "build"; }
rm -f "$build"/psm_*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) ||
	{ cat "$build/cpack.log"; fail "cpack"; }
deb=$(ls "$build"/psm_*.deb)
say "built $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libgit2 libyaml libcmark libjansson libgmime libglib2.0 libxml2 libcurl git
do
	case ", $depends" in
	*", $lib"*) ;;
	*) fail "the package does not depend on $lib" ;;
	esac
done
dpkg-deb -c "$deb" | sed 's/.* \.\//\//' >"$build/contents"
for f in /usr/bin/psm /usr/share/man/man1/psm.1 /usr/share/bash-completion/completions/psm \
	/usr/share/zsh/vendor-completions/_psm /usr/share/fish/vendor_completions.d/psm.fish \
	/usr/share/doc/psm/README.md
do
	grep -qx "$f" "$build/contents" || fail "$f is not in the package"
done

was_installed=
dpkg -s psm >/dev/null 2>&1 && was_installed=t
work=$(mktemp -d)
cleanup () {
	rm -rf "$work"
	test -n "$was_installed" ||
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq psm >/dev/null 2>&1
}
trap cleanup EXIT
say "installing with apt-get (dependencies resolved)"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$build/install.log" 2>&1 ||
	{ cat "$build/install.log"; fail "apt-get install $deb"; }

cd "$work"
# The installed program alone: no build directory on PATH, a fresh HOME.
run () {
	env -i HOME="$work" PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=dumb GIT_CONFIG_NOSYSTEM=1 \
		GIT_AUTHOR_NAME="Package Test" GIT_AUTHOR_EMAIL=package-test@example.com \
		GIT_COMMITTER_NAME="Package Test" GIT_COMMITTER_EMAIL=package-test@example.com \
		"$@"
}

test "$(run sh -c 'command -v psm')" = /usr/bin/psm || fail "psm is not /usr/bin/psm"
run psm --version

say "man psm"
run env MANWIDTH=80 man psm >man.out 2>man.err || { cat man.err; fail "man psm"; }
grep -q "^NAME" man.out && grep -q "product service management" man.out ||
	{ head man.out; fail "man psm does not show psm's page"; }
test -f /usr/share/man/man1/psm.1 ||
	fail "/usr/share/man/man1/psm.1 is missing: does dpkg exclude /usr/share/man (/etc/dpkg/dpkg.cfg.d)?"

say "bash completion"
cat >complete.bash <<-\EOF
	. /usr/share/bash-completion/bash_completion
	__load_completion psm || exit 1
	COMP_WORDS=(psm sh) COMP_CWORD=1 COMP_LINE="psm sh" COMP_POINT=6
	_psm
	printf '%s\n' "${COMPREPLY[@]}"
EOF
test "$(run bash complete.bash)" = show || fail "bash completion did not complete 'psm sh' to 'show'"

say "a merge of two clones through the merge driver on PATH"
run git -c init.defaultBranch=main init -q --bare hub.git
run git clone -q hub.git a 2>/dev/null
(
	cd a
	run psm init >/dev/null
	run psm intake -t "Sign-in loops after a password reset" -l auth >../id
	run git push -q origin main
)
id=$(cat id)
run git clone -q hub.git b
(cd a && run psm tag "$id" +android >/dev/null && run git push -q origin main)
(
	cd b
	run psm init >/dev/null # registers the driver: git config is not cloned
	run psm tag "$id" +ios >/dev/null
	run git -c pull.rebase=false pull -q --no-edit origin main ||
		{ run git status; fail "the merge of the two clones conflicted"; }
	run psm show --format json "$id" >../merged.json
	for l in android ios auth
	do
		grep -q "\"$l\"" ../merged.json || { cat ../merged.json; fail "the merge lost label $l"; }
	done
	run psm check >/dev/null || fail "psm check after the merge"
	run git log --oneline --merges | grep -q . || fail "no merge commit"
)
say "passed"
