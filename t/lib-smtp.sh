# Helpers for the tests of --send (t41xx): a real SMTP server on loopback
# (t/lib/smtp-server.py on python3-aiosmtpd), msmtp as the sendmail
# command, and Python's email module to read what arrived.
#
# smtp_start [DIR]: start a server storing messages in the trash
#   directory's DIR (default "received"); smtp_port: its port; smtp_stop:
#   stop it. Works inside a test (the server outlives the test's subshell
#   and ends with the script).
# smtp_msmtp: a sendmail-compatible command line that hands a message to
#   that server (msmtp -t).
# smtp_show FILE: the parsed message as "Header: value" lines (decoded),
#   "Recipients:" every address of To, Cc and Bcc, the content type, the
#   parser's defects, then "--" and the decoded text: what a client shows.

SMTP_PYTHON=
for py in python3 /usr/bin/python3
do
	if "$py" -c "import aiosmtpd" 2>/dev/null
	then
		SMTP_PYTHON=$py
		break
	fi
done
test -n "$SMTP_PYTHON" && test_set_prereq SMTPD
command -v msmtp >/dev/null 2>&1 && test_set_prereq MSMTP

smtp_start () {
	rm -f "$TRASH_DIRECTORY/smtp-port" &&
	SMTP_PARENT=$$ "$SMTP_PYTHON" "$TEST_DIRECTORY/lib/smtp-server.py" \
		"$TRASH_DIRECTORY/${1:-received}" "$TRASH_DIRECTORY/smtp-port" \
		>>"$TRASH_DIRECTORY/smtp-server.log" 2>&1 </dev/null &
	echo $! >"$TRASH_DIRECTORY/smtp-pid"
	_smtp_i=0
	while ! test -s "$TRASH_DIRECTORY/smtp-port"
	do
		_smtp_i=$((_smtp_i + 1))
		if test $_smtp_i -gt 100 || ! kill -0 "$(cat "$TRASH_DIRECTORY/smtp-pid")" 2>/dev/null
		then
			echo "the SMTP server did not start:" >&2
			cat "$TRASH_DIRECTORY/smtp-server.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

smtp_port () {
	cat "$TRASH_DIRECTORY/smtp-port"
}

smtp_stop () {
	if test -s "$TRASH_DIRECTORY/smtp-pid"
	then
		kill "$(cat "$TRASH_DIRECTORY/smtp-pid")" 2>/dev/null
		rm -f "$TRASH_DIRECTORY/smtp-pid" "$TRASH_DIRECTORY/smtp-port"
	fi
	return 0
}

smtp_msmtp () {
	echo "msmtp --host=127.0.0.1 --port=$(smtp_port) --auth=off --tls=off --read-envelope-from -t"
}

smtp_show () {
	"$SMTP_PYTHON" -c '
import sys
from email import policy
from email.parser import BytesParser
with open(sys.argv[1], "rb") as f:
    m = BytesParser(policy=policy.default).parse(f)
for k in ("From", "To", "Cc", "Bcc", "Subject", "Message-ID", "In-Reply-To", "References"):
    for v in m.get_all(k) or []:
        print("%s: %s" % (k, " ".join(str(v).split())))
from email.utils import getaddresses
print("Recipients: %s" % " ".join(a for n, a in getaddresses(
    [str(v) for k in ("To", "Cc", "Bcc") for v in (m.get_all(k) or [])])))
print("Content-Type: %s; charset=%s" % (m.get_content_type(), m.get_content_charset()))
print("Defects: %d" % (len(m.defects) + sum(len(p.defects) for p in m.walk())))
print("--")
sys.stdout.write(m.get_content())
' "$1"
}
