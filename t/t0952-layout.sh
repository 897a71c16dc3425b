#!/bin/sh
# ctest-label: source
# ctest-cost: 30

test_description='lib/ keeps to the map of docs/hacking.md

The map lists lib/'"'"'s folders from the bottom up, each with its public
headers (include/psm/). A folder may include the public headers of its own
row and of the rows above it, and its own private headers (-int.h, beside
its sources, by bare name); nothing in lib/ includes from cmd/, from a
later folder or from another folder'"'"'s private headers. Outside lib/, the
private headers are out of reach but for the exceptions CMakeLists.txt and
bench/lib.sh name.'

. ./test-lib.sh

SRC=$PSM_SOURCE_DIR
MAP=$SRC/docs/hacking.md

# Outside lib/, the files allowed lib/similar's private headers: the target
# psm-similar-internals of CMakeLists.txt, and bench_cc of bench/lib.sh.
EXCEPTIONS="t/unit/test-similar-quick.c bench/hint-agree.c bench/postings.c"

# map_rows: "RANK FOLDER HEADER..." for each row of the map's table, the
# top row 0; the headers are the last column's.
map_rows () {
	awk -F'|' '
		/^## The map/ { inmap = 1; next }
		inmap && /^## / { exit }
		inmap && $2 ~ /^ *`[a-z]+\/` *$/ {
			folder = $2
			gsub(/[ `\/]/, "", folder)
			headers = $(NF - 1)
			gsub(/[`,]/, " ", headers)
			print n++, folder, headers
		}' "$MAP"
}

# includes FILE...: "FILE NAME" for every #include "NAME" (run in $SRC).
includes () {
	for f
	do
		sed -n "s|^#[ 	]*include[ 	]*\"\([^\"]*\)\".*|$f \1|p" "$f"
	done
}

# check_lib ROWS INCLUDES: one line per include in lib/ or include/psm/
# that goes against the map.
check_lib () {
	awk -v src="$SRC" '
		NR == FNR {
			rank[$2] = $1
			for (i = 3; i <= NF; i++)
				owner[$i] = $2
			next
		}
		{
			file = $1; name = $2
			n = split(file, p, "/")
			from = p[1] == "lib" ? p[2] : owner[p[n]]
			if (name ~ /^psm\//) {
				h = substr(name, 5)
				if (!(h in owner))
					print file ": includes " name ", which the map does not list"
				else if (rank[owner[h]] > rank[from])
					print file ": " from "/ includes " name " of " owner[h] "/, which comes after it in the map"
			} else if (p[1] != "lib" || name !~ /^[a-z0-9-]+-int\.h$/ ||
				   system("test -f \"" src "/lib/" from "/" name "\"")) {
				print file ": includes \"" name "\": only psm/NAME.h, or a -int.h of its own folder"
			}
		}' "$1" "$2"
}

test_expect_success 'the map names each folder and each public header once' '
	map_rows >rows &&
	test_line_count = $(cd "$SRC/lib" && ls -d */ | wc -l) rows &&
	cut -d" " -f2 rows | sort >folders.map &&
	(cd "$SRC/lib" && ls -d */ | tr -d /) | sort >folders.lib &&
	test_cmp folders.map folders.lib &&
	cut -d" " -f3- rows | tr " " "\n" | sed "/^\$/d" | sort >headers.map &&
	sort -u headers.map >headers.uniq &&
	test_cmp headers.uniq headers.map &&
	(cd "$SRC/include/psm" && ls) | sort >headers.inc &&
	test_cmp headers.inc headers.map
'

test_expect_success 'lib/ holds folders only, and its headers end in -int.h' '
	(cd "$SRC/lib" && find . -maxdepth 1 -type f) >stray &&
	test_line_count = 0 stray &&
	(cd "$SRC/lib" && find . -name "*.h" ! -name "*-int.h") >public-in-lib &&
	test_line_count = 0 public-in-lib
'

test_expect_success 'lib/ includes its own folder and the folders before it only' '
	map_rows >rows &&
	(cd "$SRC" && includes lib/*/*.[ch] include/psm/*.h) >incs &&
	test_line_count -gt 200 incs &&
	check_lib rows incs >violations &&
	test_line_count = 0 violations
'

objects=$(find "$PSM_BUILD_DIR" -path "*libpsm.dir/lib/*/*.o" 2>/dev/null | sort)
command -v nm >/dev/null 2>&1 && test -n "$objects" && test_set_prereq OBJECTS

# symbols: "FOLDER D|U SYMBOL" for the psm symbols libpsm's objects define
# and use.
symbols () {
	for o in $objects
	do
		folder=${o%/*}
		folder=${folder##*/}
		nm -g --defined-only "$o" | awk -v f="$folder" '$3 ~ /^psm_/ { print f, "D", $3 }'
		nm -u "$o" | awk -v f="$folder" '$2 ~ /^psm_/ { print f, "U", $2 }'
	done
}

test_expect_success OBJECTS 'no folder calls a function of a later one (libpsm as built)' '
	map_rows >rows &&
	symbols >syms &&
	test_line_count -gt 500 syms &&
	awk "
		NR == FNR { rank[\$2] = \$1; next }
		\$2 == \"D\" { def[\$3] = \$1; next }
		{ use[++n] = \$1 \" \" \$3 }
		END {
			for (i = 1; i <= n; i++) {
				split(use[i], u, \" \")
				if ((u[2] in def) && rank[def[u[2]]] > rank[u[1]])
					print u[1] \"/ calls \" u[2] \" of \" def[u[2]] \"/\"
			}
		}" rows syms >violations &&
	test_line_count = 0 violations
'

test_expect_success 'cmd/, t/unit/, fuzz/ and bench/ reach no private header' '
	(cd "$SRC/lib" && ls */*-int.h | sed "s|.*/||") >private &&
	test_line_count -ge 5 private &&
	(cd "$SRC" && includes cmd/*.[ch] t/unit/*.[ch] fuzz/*.[ch] bench/*.c) >incs &&
	test_line_count -gt 100 incs &&
	while read -r file name
	do
		case " $EXCEPTIONS " in
		*" $file "*) continue ;;
		esac
		case $name in
		*lib/*) echo "$file: includes \"$name\" from lib/ by its path" ;;
		*) ! grep -qx "$name" private || echo "$file: includes \"$name\", private to lib/" ;;
		esac
	done <incs >violations &&
	test_line_count = 0 violations
'

test_expect_success 'CMake gives lib/ folders as include directories to no one but the exception' '
	grep -n "include_directories" "$SRC/CMakeLists.txt" >dirs &&
	grep "/lib" dirs >lib-dirs &&
	test_line_count = 1 lib-dirs &&
	grep "psm-similar-internals INTERFACE \${CMAKE_SOURCE_DIR}/lib/similar)" lib-dirs &&
	grep "target_include_directories(libpsm PUBLIC \${CMAKE_SOURCE_DIR}/include)" dirs
'

test_expect_success 'libpsm sets libgit2 up through psm_git_lib_init alone' '
	# git-tls.c: every other call would parse the CA bundle psm never uses
	(cd "$SRC" && grep -rn "git_libgit2_init *(" lib cmd) >calls &&
	{ grep -v "^lib/git/git-tls.c:" calls >others || :; } &&
	test_line_count = 0 others &&
	grep "r = git_libgit2_init();" calls
'

test_done
