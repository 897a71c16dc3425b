#!/bin/sh

test_description='psm --version: the build, and the libraries at run time

The first line names the build: git describe of the checkout it was built
from (a vX.Y.Z tag, or the release number and the commit while there is no
tag; -dirty with uncommitted changes), or the release number outside a
checkout. cmake/version.cmake makes it at every build; it is run here on
scratch repositories. The next lines are libgit2, libyaml and cmark as they
report themselves.'

. ./test-lib.sh

command -v cmake >/dev/null 2>&1 && test_set_prereq CMAKE
command -v pkg-config >/dev/null 2>&1 && test_set_prereq PKG_CONFIG

release=$(sed -n 's/^project(psm VERSION \([0-9.]*\) .*/\1/p' "$PSM_SOURCE_DIR/CMakeLists.txt")

# version SRC: the version cmake/version.cmake makes for the tree SRC.
version () {
	cmake -DSRC="$1" -DOUT="$TRASH_DIRECTORY/out.h" -DRELEASE=9.8.7 \
		-P "$PSM_SOURCE_DIR/cmake/version.cmake" &&
	sed -n 's/^#define PSM_VERSION "\(.*\)"$/\1/p' "$TRASH_DIRECTORY/out.h"
}

test_expect_success 'psm --version: the build, then libgit2, libyaml and cmark' '
	psm --version >out &&
	test_line_count = 4 out &&
	sed -n 1p out | grep -E "^psm version [0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?\$" &&
	sed -n 2p out | grep -E "^libgit2 [0-9]+\.[0-9]+\.[0-9]+\$" &&
	sed -n 3p out | grep -E "^libyaml [0-9]+\.[0-9]+\.[0-9]+\$" &&
	sed -n 4p out | grep -E "^cmark [0-9]+\.[0-9]+\.[0-9]+\$"
'

test_expect_success PKG_CONFIG 'the libraries'"'"' versions are those psm runs with' '
	printf "libgit2 %s\nlibyaml %s\ncmark %s\n" "$(pkg-config --modversion libgit2)" \
		"$(pkg-config --modversion yaml-0.1)" "$(pkg-config --modversion libcmark)" >expect &&
	psm --version | sed 1d >actual &&
	test_cmp expect actual
'

test_expect_success 'the build'"'"'s version names this source tree' '
	test -n "$release" &&
	v=$(psm --version | sed -n "s/^psm version //p") &&
	if git -C "$PSM_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1
	then
		# a commit of this checkout (the build may be older than HEAD)
		hash=$(printf %s "$v" | sed -n "s/.*-g\([0-9a-f]\{7,\}\).*/\1/p") &&
		if test -n "$hash"
		then
			git -C "$PSM_SOURCE_DIR" rev-parse --verify -q "$hash^{commit}"
		else
			git -C "$PSM_SOURCE_DIR" rev-parse --verify -q "v$v^{commit}"
		fi
	else
		test "$v" = "$release"
	fi
'

test_expect_success CMAKE 'a checkout without a release tag: the release number and the commit' '
	git init -q src &&
	echo one >src/file &&
	git -C src add file &&
	git -C src commit -q -m one &&
	echo "9.8.7-g$(git -C src rev-parse --short=7 HEAD)" >expect &&
	version src >actual &&
	test_cmp expect actual
'

test_expect_success CMAKE 'at a release tag: the release; after it: git describe' '
	git -C src tag -a -m "psm 1.2.3" v1.2.3 &&
	echo 1.2.3 >expect &&
	version src >actual &&
	test_cmp expect actual &&
	echo two >src/file &&
	git -C src commit -q -a -m two &&
	echo "1.2.3-1-g$(git -C src rev-parse --short=7 HEAD)" >expect &&
	version src >actual &&
	test_cmp expect actual &&
	# a tag that is not a release does not count
	git -C src tag not-a-release &&
	version src >actual &&
	test_cmp expect actual
'

test_expect_success CMAKE 'uncommitted changes: -dirty' '
	echo three >src/file &&
	echo "1.2.3-1-g$(git -C src rev-parse --short=7 HEAD)-dirty" >expect &&
	version src >actual &&
	test_cmp expect actual &&
	git -C src checkout -q -- file
'

test_expect_success CMAKE 'not a checkout, even inside another repository: the release number' '
	mkdir src/unpacked &&
	echo 9.8.7 >expect &&
	version src/unpacked >actual &&
	test_cmp expect actual
'

test_expect_success CMAKE 'the header is rewritten only when the version changes' '
	version src >/dev/null &&
	touch -d "2020-01-01 00:00:00" out.h &&
	version src >/dev/null &&
	test "$(find out.h -newermt "2020-01-02")" = "" &&
	echo four >src/file &&
	git -C src commit -q -a -m four &&
	version src >/dev/null &&
	test "$(find out.h -newermt "2020-01-02")" = out.h
'

test_done
