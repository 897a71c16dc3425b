#!/bin/sh
# Install the Debian packages psm needs to build and test, but only those
# that are missing: apt-get runs (with sudo when not root) only then.
set -eu

packages="gcc make libc6-dev clang cmake pkg-config git python3 python3-yaml jq
libgit2-dev libyaml-dev libcmark-dev cmark libjansson-dev
libgmime-3.0-dev libxml2-dev libcurl4-openssl-dev libsqlite3-dev libclang-rt-14-dev valgrind
groff-base time man-db bash-completion zsh fish dpkg-dev file
chromium tidy python3-feedparser python3-aiosmtpd msmtp openssh-client"
# groff-base: t0950 renders psm.1; time: bench/ reads peak memory from
# /usr/bin/time -v. man-db, bash-completion, zsh, fish: t9000 and t9004
# try the installed manual and completions, scripts/package-test.sh the
# package; dpkg-dev (dpkg-shlibdeps) and file: cpack -G DEB's dependencies.
# chromium, tidy, python3-feedparser: t5104-t5106 look at the site psm site
# builds in a browser, with an HTML checker and a feed parser.
# libcurl4-openssl-dev: SMTP for --send (libcurl4-gnutls-dev does as well);
# python3-aiosmtpd and msmtp: t41xx send to a real SMTP server on loopback,
# directly and through a sendmail-compatible command. openssh-client:
# t0016 signs commits with an SSH key (ssh-keygen).

if ! command -v dpkg >/dev/null 2>&1
then
	echo "deps.sh: not a Debian system; make sure these are installed:" >&2
	echo "  $(echo $packages)" >&2
	exit 0
fi

missing=
for p in $packages
do
	if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed$'
	then
		missing="$missing $p"
	fi
done
test -z "$missing" && exit 0

if test "$(id -u)" = 0
then
	sudo=
elif command -v sudo >/dev/null 2>&1
then
	sudo=sudo
else
	echo "deps.sh: need root or sudo to install:$missing" >&2
	exit 1
fi

echo "deps.sh: installing:$missing" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086 # word splitting of $missing is intended
$sudo env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
