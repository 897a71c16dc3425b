#!/usr/bin/env python3
"""Run a command on pseudo-terminals, for the shell tests' test_terminal.

Usage: test-terminal.py COMMAND [ARG]...

The child's stdin and stdout are one pseudo-terminal (its controlling
terminal) and its stderr is a second one, so isatty() is true for all three
and the two output streams stay apart.  Both terminals are 80x24 and have
echo and "\\n" -> "\\r\\n" output translation turned off, so what comes out
is exactly what the child wrote.

Our own stdin is fed to the child's terminal, followed by an end-of-file
(^D); what the child writes to its stdout terminal is copied to our stdout,
its stderr terminal to our stderr.  We exit with the child's status, or
128+N when it was killed by signal N (as the shell reports it).
"""
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios

ROWS, COLS = 24, 80
VEOF = b"\x04"


def setup_tty(fd):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    attrs = termios.tcgetattr(fd)
    attrs[1] &= ~termios.ONLCR                    # oflag: leave "\n" alone
    attrs[3] &= ~(termios.ECHO | termios.ECHONL)  # lflag: no echo of input
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def exec_child(argv, out_slave, err_slave, masters):
    try:
        os.setsid()
        fcntl.ioctl(out_slave, termios.TIOCSCTTY, 0)
        os.dup2(out_slave, 0)
        os.dup2(out_slave, 1)
        os.dup2(err_slave, 2)
        for fd in (out_slave, err_slave) + masters:
            if fd > 2:
                os.close(fd)
        # Python ignores these; the child must get the default behaviour.
        for sig in (signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_DFL)
        os.execvp(argv[0], argv)
    except OSError as e:
        msg = "test-terminal: %s: %s\n" % (argv[0], e.strerror)
        os.write(2, msg.encode())
        os._exit(127 if e.errno == errno.ENOENT else 126)
    os._exit(126)


def write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: test-terminal.py COMMAND [ARG]...\n")
        return 2
    out_master, out_slave = os.openpty()
    err_master, err_slave = os.openpty()
    setup_tty(out_slave)
    setup_tty(err_slave)

    pid = os.fork()
    if pid == 0:
        exec_child(argv[1:], out_slave, err_slave, (out_master, err_master))
    os.close(out_slave)
    os.close(err_slave)
    fl = fcntl.fcntl(out_master, fcntl.F_GETFL)
    fcntl.fcntl(out_master, fcntl.F_SETFL, fl | os.O_NONBLOCK)

    copy_to = {out_master: 1, err_master: 2}
    broken = set()          # our stdout/stderr went away: drop the output
    try:
        os.fstat(0)
        stdin_open = True
    except OSError:
        stdin_open = False
    pending = b""
    last_byte = b"\n"
    eof_sent = False
    status = None

    while copy_to:
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
        rlist = list(copy_to)
        wlist = []
        if status is None:
            if pending:
                wlist.append(out_master)
            elif stdin_open:
                rlist.append(0)
            elif not eof_sent:
                # Two ^D end an unfinished line, then signal end-of-file.
                pending = VEOF if last_byte == b"\n" else VEOF + VEOF
                eof_sent = True
                wlist.append(out_master)
        # Once the child is gone, only drain what it left behind.
        timeout = 0.05 if status is not None else 0.1
        r, w, _ = select.select(rlist, wlist, [], timeout)
        if not r and not w and status is not None:
            break
        for fd in r:
            if fd == 0:
                try:
                    data = os.read(0, 65536)
                except OSError:
                    data = b""
                if data:
                    pending += data
                    last_byte = data[-1:]
                else:
                    stdin_open = False
                continue
            try:
                data = os.read(fd, 65536)
            except OSError as e:
                if e.errno not in (errno.EIO, errno.EAGAIN):
                    raise
                if e.errno == errno.EAGAIN:
                    continue
                data = b""
            if not data:        # EIO: every holder of the slave closed it
                os.close(fd)
                del copy_to[fd]
                continue
            dest = copy_to[fd]
            if dest not in broken:
                try:
                    write_all(dest, data)
                except OSError:
                    broken.add(dest)
        if w and pending and out_master in copy_to:
            try:
                n = os.write(out_master, pending)
                pending = pending[n:]
            except OSError as e:
                if e.errno != errno.EAGAIN:
                    pending = b""
                    stdin_open = False
                    eof_sent = True

    if status is None:
        _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
