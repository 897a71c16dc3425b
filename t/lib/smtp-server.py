#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for the tests of --send (t/lib-smtp.sh).

smtp-server.py DIR PORTFILE: listens on a free port, written to PORTFILE
once it accepts connections, and stores each message it accepts as
DIR/NNNN.eml (the bytes as received) with DIR/NNNN.env (MAIL FROM, then
one RCPT TO a line). A recipient listed in DIR/../smtp-refuse (read at
every RCPT) is refused with 550. With SMTP_USER and SMTP_PASS set, the
server asks for a login (AUTH PLAIN/LOGIN, without TLS: loopback only)
and refuses other credentials. It exits when the process SMTP_PARENT
(the test script's shell) is gone, so a test that dies leaves no server behind.
"""
import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

outdir, portfile = sys.argv[1], sys.argv[2]
refuse_file = os.path.join(os.path.dirname(os.path.abspath(outdir)), "smtp-refuse")
user, password = os.environ.get("SMTP_USER"), os.environ.get("SMTP_PASS")
parent = int(os.environ.get("SMTP_PARENT") or os.getppid())
os.makedirs(outdir, exist_ok=True)


def refused():
    try:
        with open(refuse_file) as f:
            return {line.strip().lower() for line in f if line.strip()}
    except FileNotFoundError:
        return set()


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in refused():
            return "550 5.1.1 <%s>: recipient refused by the test" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(outdir) if f.endswith(".eml")]) + 1
        base = os.path.join(outdir, "%04d" % n)
        with open(base + ".env.tmp", "w") as f:
            f.write(envelope.mail_from + "\n")
            for r in envelope.rcpt_tos:
                f.write(r + "\n")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK stored as %04d" % n


def authenticate(server, session, envelope, mechanism, auth_data):
    if (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
            and auth_data.password.decode() == password):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


async def main():
    handler = Handler()
    kw = {}
    if user:
        kw = dict(authenticator=authenticate, auth_required=True, auth_require_tls=False)
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(lambda: SMTP(handler, hostname="test.example", **kw),
                                   host="127.0.0.1", port=0)
    port = srv.sockets[0].getsockname()[1]
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            break
        await asyncio.sleep(0.2)
    srv.close()


asyncio.run(main())
