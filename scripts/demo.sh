#!/bin/sh
# A first look at psm: build it, make a throwaway store in a temporary
# directory, take in some customer feedback, and show the queue.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"

echo "== building psm (Release) in build/"
mkdir -p "$root/build"
if ! { cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DPSM_WERROR=OFF &&
       cmake --build "$root/build" -j2; } >"$root/build/demo-build.log" 2>&1
then
	tail -n 60 "$root/build/demo-build.log"
	echo "demo: build failed (full log: build/demo-build.log)" >&2
	exit 1
fi
PATH=$root/build:$PATH
export PATH

demo=$(mktemp -d "${TMPDIR:-/tmp}/psm-demo.XXXXXX")
cd "$demo"
echo "== a new store in $demo"
git init -q
# A throwaway identity, in case this machine has none configured.
git config user.name "Demo Support"
git config user.email support@demo.example
psm init

echo "== taking in customer feedback"
psm intake -t "Can't sign in with Google after password reset" \
	-m "I reset my password yesterday and now 'Sign in with Google' just loops back to the login page. Tried Chrome and Firefox." \
	--source email --reporter "Dana Ortiz <dana@acme.example>" --customer Acme --type bug
psm intake -t "CSV export drops the last row" \
	-m "Exporting the March invoices gives 41 rows, the screen shows 42. The missing one is always the last." \
	--source chat --reporter "Priya Raman <priya@northwind.example>" --customer Northwind --type bug -l export
psm intake -t "Please add dark mode" \
	-m "Working late shifts, the white background is painful. Would love a dark theme." \
	--source app-store --reporter "nightowl_42 <nightowl42@mail.example>" --type feature
psm intake -t "Where do I change the billing address?" \
	-m "Our office moved. I looked through Settings and Billing and couldn't find where to update the address on invoices." \
	--source call --reporter "Tom Becker <tom@globex.example>" --customer Globex --type usability -l billing
psm intake -t "API docs example for webhooks is out of date" \
	-m "The signature header in the webhook example is X-Signature, but the requests we receive use X-Hub-Signature-256." \
	--source github --reporter "Lena Fischer <lena@initech.example>" --customer Initech --type docs
psm intake -t "Please merge my two accounts" \
	-m "I signed up twice by mistake, once with my work email and once with Google. Can you merge them into the work one?" \
	--source form --reporter "Sam Lee <sam.lee@acme.example>" --customer Acme --type account
psm intake -t "App crashes when attaching a photo on Android 14" \
	-m "Pixel 8, latest app version. Tap the paperclip, choose a photo, app closes immediately." \
	--source dm --reporter "Jordan Miles <jordan@miles.example>" --type bug -l android
psm intake -t "Bulk-edit tags on several tickets at once" \
	-m "We retag dozens of tickets every Monday, one at a time. Selecting many and editing tags together would save us an hour a week." \
	--source other --reporter "Ana Costa <ana@northwind.example>" --customer Northwind --type feature

echo "== the queue"
psm triage --queue

echo
echo "The demo store is in $demo"
echo "Look around with:  cd $demo && PATH=$root/build:\$PATH psm list"
echo "Remove it with:    rm -rf $demo"
