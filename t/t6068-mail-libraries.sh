#!/bin/sh

test_description='GMime and libxml2 are loaded only by the commands that read or write mail

psm does not link GMime or libxml2 (psm/dl.h): every command starts
without them. E-mail intake loads GMime, an HTML-only message libxml2,
and a send GMime. When the library found under its name is not the real
one, the command fails naming it and leaves the store as it was.'

. ./test-lib.sh

command -v cc >/dev/null 2>&1 || test_skip_all 'no C compiler to build stand-in libraries'

# A stand-in under each SONAME, with none of the library's functions.
test_expect_success 'setup: a store, messages, stand-in "GMime" and "libxml2"' '
	psm init &&
	cat >plain.eml <<-\EOF &&
	From: Dana Ortiz <dana@acme.example>
	To: support@team.example
	Subject: Export drops rows
	Date: Mon, 30 Nov 2026 09:00:00 +0000
	Message-ID: <dana-1@acme.example>

	Export drops the last row.
	EOF
	psm intake --email plain.eml >new &&
	cut -f2 new >id &&
	{
		echo "From dana@acme.example Mon Nov 30 09:00:00 2026" &&
		sed "s/dana-1/dana-2/; s/Export drops rows/Import is slow/" plain.eml &&
		echo &&
		echo "From dana@acme.example Mon Nov 30 10:00:00 2026" &&
		sed "s/dana-1/dana-3/; s/Export drops rows/Search misses words/" plain.eml
	} >two.mbox &&
	cp "$TEST_DIRECTORY/t6000/html-only.eml" html.eml &&
	mkdir no-gmime no-xml &&
	echo "int psm_not_gmime;" >fake.c &&
	cc -shared -fPIC -Wl,-soname,libgmime-3.0.so.0 -o no-gmime/libgmime-3.0.so.0 fake.c &&
	cc -shared -fPIC -Wl,-soname,libxml2.so.2 -o no-xml/libxml2.so.2 fake.c &&
	git rev-parse HEAD >head.before
'

ID=$(cat id 2>/dev/null)
BOTH="$TRASH_DIRECTORY/no-gmime:$TRASH_DIRECTORY/no-xml"

# unchanged: no commit, no file of the store changed
unchanged () {
	git rev-parse HEAD >head.now &&
	test_cmp head.before head.now &&
	git status --porcelain -- issues .psm >st &&
	test ! -s st
}

# LD_BIND_NOW: a library psm linked would have every function it uses
# looked up at start, and the stand-ins have none.
test_expect_success 'commands start and answer without GMime and libxml2' '
	LD_BIND_NOW=1 LD_LIBRARY_PATH="$BOTH" psm list >out 2>err &&
	grep "Export drops rows" out &&
	test ! -s err &&
	LD_BIND_NOW=1 LD_LIBRARY_PATH="$BOTH" psm show $ID >out 2>err &&
	grep "Export drops the last row" out &&
	test ! -s err &&
	unchanged &&
	LD_BIND_NOW=1 LD_LIBRARY_PATH="$BOTH" psm reply $ID -m "Looking into it." >draft 2>err &&
	test ! -s err &&
	git log -1 --format=%s >msg &&
	grep "^psm reply" msg &&
	git rev-parse HEAD >head.before
'

test_expect_success 'e-mail intake names GMime when it cannot load it, once, and writes nothing' '
	test_must_fail env LD_LIBRARY_PATH="$TRASH_DIRECTORY/no-gmime" \
		psm intake --email html.eml plain.eml >out 2>err &&
	grep "could not load GMime (libgmime-3\.0\.so\.0).*; e-mail intake and sending need it: install GMime 3" err &&
	test $(grep -c "could not load" err) = 1 &&
	test ! -s out &&
	test_must_fail env LD_LIBRARY_PATH="$TRASH_DIRECTORY/no-gmime" \
		psm intake --mbox two.mbox >out 2>err &&
	test $(grep -c "could not load GMime" err) = 1 &&
	unchanged
'

test_expect_success 'plain-text mail does not need libxml2; HTML-only mail names it' '
	LD_LIBRARY_PATH="$TRASH_DIRECTORY/no-xml" psm intake --mbox two.mbox >out 2>err &&
	test $(grep -c "^new	" out) = 2 &&
	git rev-parse HEAD >head.before &&
	test_expect_code 1 env LD_LIBRARY_PATH="$TRASH_DIRECTORY/no-xml" \
		psm intake --email html.eml >out 2>err &&
	grep "html.eml: could not load libxml2 (libxml2\.so\.2).*; an HTML-only e-mail needs it: install libxml2" err &&
	unchanged
'

test_expect_success 'a send names GMime when it cannot load it; nothing is recorded as sent' '
	cat >sendmail <<-\EOF &&
	#!/bin/sh
	cat >>"$TRASH_DIRECTORY/sent"
	EOF
	chmod +x sendmail &&
	git config psm.sendmail "$TRASH_DIRECTORY/sendmail" &&
	test_must_fail env LD_LIBRARY_PATH="$TRASH_DIRECTORY/no-gmime" \
		psm reply $ID -m "Fixed in 2.4." --send >out 2>err &&
	grep "could not load GMime (libgmime-3\.0\.so\.0).*; e-mail intake and sending need it: install GMime 3" err &&
	test ! -e sent &&
	unchanged
'

test_done
