#!/bin/sh

test_description='batch intake names likely duplicates as single intake does

psm intake --jsonl, --csv, --email, --mbox and --maildir print, for each
new item, the hint psm intake prints for one (on stderr), or with
--format json give it in the item as "similar".'

. ./test-lib.sh

test_expect_success 'setup: an issue the batch will duplicate' '
	psm init &&
	psm intake -t "Cannot sign in after password reset" \
		-m "After resetting my password the login page says invalid credentials." >A &&
	cat >batch.jsonl <<-\EOF
	{"title": "Login fails once the password was reset", "body": "I reset my password and now login says my credentials are invalid."}
	{"title": "Dark mode for the dashboard", "body": "A dark theme would be easier on the eyes."}
	{"title": "Sign in broken after I reset my password", "body": "The login page says my credentials are invalid."}
	EOF
'

test_expect_success 'each new item gets its hint on stderr, after the listing' '
	psm intake --jsonl batch.jsonl >out 2>err &&
	test $(grep -c "^new	" out) = 3 &&
	b1=$(sed -n 1p out | cut -f2) && b2=$(sed -n 2p out | cut -f2) && b3=$(sed -n 3p out | cut -f2) &&
	grep "^hint: likely duplicates; to merge: psm dup $b1 --of <id>\$" err &&
	grep "^hint: likely duplicates; to merge: psm dup $b3 --of <id>\$" err &&
	! grep "psm dup $b2 " err &&
	sed -n "/psm dup $b1 /,/to merge/p" err >h1 &&
	grep "^hint:   0\.[0-9][0-9]  $(cat A)  new      Cannot sign in after password reset\$" h1 &&
	# the batch items are found among each other too
	grep "^hint:   0\.[0-9][0-9]  $b3  new      Sign in broken after I reset my password\$" h1 &&
	tail -n 1 err | grep "^intake: 3 new\$"
'

test_expect_success 'the same lines as one psm intake of that item prints' '
	b3=$(sed -n 3p out | cut -f2) &&
	sed -n "/psm dup $b3 /,\$p" err | grep "^hint:   .*  $(cat A)  " >batch-line &&
	test_line_count = 1 batch-line &&
	git reset -q --hard HEAD~1 &&
	psm intake -t "Sign in broken after I reset my password" \
		-m "The login page says my credentials are invalid." 2>single >/dev/null &&
	grep "^hint:   .*  $(cat A)  " single >single-line &&
	test_cmp single-line batch-line &&
	git reset -q --hard HEAD~1
'

test_expect_success '--format json: each new item holds its likely duplicates' '
	psm intake --jsonl --format json batch.jsonl >json 2>err &&
	! grep "^hint:" err &&
	sed "s/^ *//" json | tr -d "\n" >flat &&
	grep "\"action\": \"new\"" flat &&
	grep "\"similar\": \[{\"id\": \"[0-9a-z]*\",\"short_id\": \"[0-9a-z]*\",\"score\": 0\.[0-9][0-9][0-9],\"status\": \"new\",\"title\": \"Cannot sign in after password reset\",\"via\": null}" flat &&
	grep "\"title\": \"Dark mode for the dashboard\",\"detail\": null,\"similar\": \[\]" flat
'

test_expect_success 'an mbox names them too; a reply gets none' '
	cat >mail.mbox <<-\EOF &&
	From x Mon Nov  9 10:00:00 2026
	From: Kim <kim@example.org>
	Subject: Password reset then sign in fails
	Date: Mon, 09 Nov 2026 10:00:00 +0000
	Message-ID: <m1@example.org>

	After a password reset I cannot sign in, it says invalid credentials.

	From x Mon Nov  9 11:00:00 2026
	From: Kim <kim@example.org>
	Subject: Re: Password reset then sign in fails
	Date: Mon, 09 Nov 2026 11:00:00 +0000
	Message-ID: <m2@example.org>
	In-Reply-To: <m1@example.org>

	Still broken.
	EOF
	psm intake --mbox mail.mbox >out 2>err &&
	test $(grep -c "^hint: likely duplicates" err) = 1 &&
	grep "^hint: likely duplicates; to merge: psm dup $(sed -n 1p out | cut -f2) --of <id>\$" err
'

test_expect_success 'similar.on_intake false: no hint, "similar" null' '
	sed "s/^  on_intake: true\$/  on_intake: false/" .psm/config.yml >tmp && mv tmp .psm/config.yml &&
	printf "{\"title\": \"Sign in fails after the password reset\"}\n" >one.jsonl &&
	psm intake --jsonl --format json one.jsonl >json 2>err &&
	! grep "^hint:" err &&
	sed "s/^ *//" json | tr -d "\n" | grep "\"similar\": null"
'

test_done
