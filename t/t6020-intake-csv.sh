#!/bin/sh

test_description='psm intake --csv

RFC 4180 CSV (quoted fields with commas, line breaks and doubled quotes,
CRLF line ends), header names as field names, --map for exports whose
columns are named otherwise (an app-store review export), unmapped columns
kept in the body, and re-imports that add nothing.'

. ./test-lib.sh

test_expect_success 'setup' '
	git init -q &&
	psm init &&
	printf "%s\r\n" \
		"title,body,external_id,source,reporter_email,labels,Plan" \
		"Login loops,\"Steps:" \
		"1. open the app" \
		"2. sign in, then \"\"Continue\"\"\",t-1,form,ana@example.com,\"login,mobile\",Pro" \
		"\"Export, then import\",Loses the last row,t-2,form,,,Free" \
		"" \
		"Only a title,,t-3,,,," >tickets.csv
'

test_expect_success 'quoted fields keep commas, quotes and line breaks' '
	before=$(test_commit_count) &&
	psm intake --csv tickets.csv >out &&
	test $(test_commit_count) = $((before + 1)) &&
	cut -f1,3,4 out >actual &&
	cat >expect <<-\EOF &&
	new	tickets.csv:2	Login loops
	new	tickets.csv:5	Export, then import
	new	tickets.csv:7	Only a title
	EOF
	test_cmp expect actual &&
	f=$(grep -l "^title: Login loops" issues/*/*.md) &&
	sed "1,/^---$/d" "$f" >body &&
	cat >expect <<-\EOF &&
	Steps:
	1. open the app
	2. sign in, then "Continue"

	- Plan: Pro
	EOF
	test_cmp expect body &&
	grep -x -- "- email: ana@example.com" "$f" &&
	grep -x -- "- login" "$f" &&
	grep -x -- "- mobile" "$f" &&
	cr=$(printf "\r") &&
	! grep -l "$cr" issues/*/*.md
'

test_expect_success 'an empty cell leaves the field out; the default source is other' '
	f=$(grep -l "^title: Only a title" issues/*/*.md) &&
	grep -x "source: other" "$f" &&
	! grep "^reporters:" "$f" &&
	psm check
'

test_expect_success 'the same file again adds nothing' '
	before=$(test_commit_count) &&
	psm intake --csv tickets.csv >out &&
	test $(test_commit_count) = $before &&
	cut -f1 out | sort -u >actual &&
	echo skipped >expect &&
	test_cmp expect actual
'

test_expect_success 'an app-store review export with --map' '
	cat >reviews.csv <<-\EOF &&
	Review ID,Date,Rating,Title,Review,Reviewer,App Version
	901,2026-11-10 08:30,2,Crashes on start,"Since the update it crashes, every time.",mobilefan,4.2.0
	902,2026-11-11 19:05,5,Love it,"Great app, thanks!",happy_user,4.2.0
	EOF
	psm intake --csv --source app-store \
		--map "Review ID=external_id" --map Date=created --map Title=title \
		--map Review=body --map Reviewer=reporter_name reviews.csv >out &&
	f=$(grep -l "^title: Crashes on start" issues/*/*.md) &&
	grep -x "source: app-store" "$f" &&
	grep -x "external_id: .901." "$f" &&
	grep -x "created: 2026-11-10T08:30:00Z" "$f" &&
	grep -x -- "- name: mobilefan" "$f" &&
	grep -x "  channel: app-store" "$f" &&
	sed "1,/^---$/d" "$f" >body &&
	cat >expect <<-\EOF &&
	Since the update it crashes, every time.

	- Rating: 2
	- App Version: 4.2.0
	EOF
	test_cmp expect body &&
	psm intake --csv --source app-store \
		--map "Review ID=external_id" --map Date=created --map Title=title \
		--map Review=body --map Reviewer=reporter_name reviews.csv >again &&
	cut -f1 again >actual &&
	printf "skipped\nskipped\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the app-store export with --map gets no hint' '
	psm intake --csv --source app-store \
		--map "Review ID=external_id" --map Date=created --map Title=title \
		--map Review=body --map Reviewer=reporter_name reviews.csv >out 2>err &&
	! grep "went into each body" err
'

test_expect_success 'a form export: columns that look like fields are named with their --map' '
	cat >form.csv <<-\EOF &&
	title,Message,Email Address,name,Company,Date,Rating
	Share link is a 404,the link my team gets is a 404,li@hooli.example,Li Wen,Hooli,2026-12-02T11:00:00Z,2
	EOF
	psm intake --csv form.csv >out 2>err &&
	cat >expect <<-\EOF &&
	hint: form.csv: columns '"'"'Message'"'"', '"'"'Email Address'"'"', '"'"'name'"'"', '"'"'Company'"'"', '"'"'Date'"'"' went into each body
	hint: to read them as fields: --map Message=body --map "Email Address=reporter_email" --map name=reporter_name --map Company=customer --map Date=created
	EOF
	grep "^hint: form.csv\|^hint: to read" err >actual &&
	test_cmp expect actual &&
	f=$(grep -l "^title: Share link is a 404" issues/*/*.md) &&
	grep -x -- "- Email Address: li@hooli.example" "$f" &&
	! grep "^reporters:" "$f" &&
	git rm -q "$f" && git commit -q -m "taken in again below" &&
	psm intake --csv --map Message=body --map "Email Address=reporter_email" \
		--map name=reporter_name --map Company=customer --map Date=created form.csv >out 2>err &&
	! grep "went into each body" err &&
	f=$(grep -l "^title: Share link is a 404" issues/*/*.md) &&
	grep -x "customer: Hooli" "$f" &&
	grep -x "created: 2026-12-02T11:00:00Z" "$f" &&
	grep -x -- "- email: li@hooli.example" "$f" &&
	grep -x "  name: Li Wen" "$f" &&
	sed "1,/^---$/d" "$f" >body &&
	printf "the link my team gets is a 404\n\n- Rating: 2\n" >expect &&
	test_cmp expect body
'

test_expect_success 'one suggestion per field: a second body-like column is not named' '
	printf "title,Message,Comments\nA,b,c\n" >two.csv &&
	psm intake --csv --no-commit two.csv >out 2>err &&
	grep "^hint: two.csv: column .Message. went into each body\$" err &&
	grep "^hint: to read it as a field: --map Message=body\$" err
'

test_expect_success 'two columns read as the body are two paragraphs' '
	printf "title,body,Message\nTwo bodies,first words,second words\n" >bodies.csv &&
	psm intake --csv --map Message=body bodies.csv >out &&
	f=$(grep -l "^title: Two bodies" issues/*/*.md) &&
	sed "1,/^---$/d" "$f" >body &&
	printf "first words\n\nsecond words\n" >expect &&
	test_cmp expect body
'

test_expect_success 'two columns read as one other field: refused, nothing written' '
	printf "title,Subject\nOne,Two\n" >twice.csv &&
	before=$(test_commit_count) &&
	git status --porcelain -uall -- issues >status.before &&
	test_must_fail psm intake --csv --map Subject=title twice.csv 2>err &&
	grep "^fatal: .twice.csv.: columns .title. and .Subject. are both read as title" err &&
	test $(test_commit_count) = $before &&
	git status --porcelain -uall -- issues >status.after &&
	test_cmp status.before status.after
'

test_expect_success '--map COLUMN=- drops a column' '
	cat >drop.csv <<-\EOF &&
	title,external_id,Secret
	Dropped column,d-1,hunter2
	EOF
	psm intake --csv --map Secret=- drop.csv &&
	! grep -r hunter2 issues
'

test_expect_success 'an unclosed quote is reported with its line; rows before it are in' '
	printf "title,external_id\nGood row,u-1\n\"Never closed,u-2\nmore\n" >open.csv &&
	test_expect_code 1 psm intake --csv open.csv >out 2>err &&
	grep "^error: open.csv:3: the quoted field starting on line 3 is not closed" err &&
	cut -f1 out >actual &&
	echo new >expect &&
	test_cmp expect actual
'

test_expect_success 'a row with more fields than the header fails alone' '
	printf "title,external_id\nToo many,w-1,extra\nFine,w-2\n" >wide.csv &&
	test_expect_code 1 psm intake --csv wide.csv >out 2>err &&
	grep "^error: wide.csv:2: more fields than the header has columns" err &&
	grep "Fine" out
'

test_expect_success 'bad --map arguments stop before anything is written' '
	before=$(test_commit_count) &&
	test_expect_code 128 psm intake --csv --map Nope=title reviews.csv 2>err &&
	grep "no column .Nope." err &&
	test_expect_code 128 psm intake --csv --map Title=priority reviews.csv 2>err &&
	grep ".priority. is not a field" err &&
	test $(test_commit_count) = $before
'

test_expect_success 'an empty file is zero items (t6061 has every format)' '
	: >empty.csv &&
	psm intake --csv empty.csv >out 2>err &&
	! test -s out &&
	grep "intake: 0 new" err
'

test_done
