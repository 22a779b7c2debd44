#!/usr/bin/env python3
"""imap-tool.py - test helper for the ackmail poll tests (not shipped).

  imap-tool.py append PORT MAILBOX FILE...     APPEND each file (LF -> CRLF),
                                               creating MAILBOX
  imap-tool.py count PORT MAILBOX [KEY...]     print the number of UID SEARCH hits
  imap-tool.py uidvalidity PORT MAILBOX        print UIDVALIDITY
  imap-tool.py copy PORT FROM TO               COPY every message, creating TO
  imap-tool.py store PORT MAILBOX +FLAGS|-FLAGS FLAG KEY...
                                               UID STORE on the SEARCH hits
  imap-tool.py proxy LISTEN TARGET MIN MAX SEED [RECORD [nologin]]
        TCP proxy on 127.0.0.1:LISTEN to 127.0.0.1:TARGET that cuts each
        connection after a random number of bytes in [MIN, MAX] (both
        directions counted); prints "ready" when listening. RECORD: a
        file that gets what the clients sent; nologin: a client's LOGIN
        command is answered NO by the proxy and never reaches the
        server (only AUTHENTICATE gets through).
User "support", password "secret", plain IMAP on 127.0.0.1.
"""
import imaplib, random, re, select, socket, sys, threading


def login(port):
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login("support", "secret")
    return m


def crlf(raw):
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def append(port, mailbox, files):
    m = login(port)
    if mailbox.upper() != "INBOX":
        m.create(mailbox)  # NO when it exists: fine
    for f in files:
        with open(f, "rb") as fp:
            raw = crlf(fp.read())
        typ, data = m.append(mailbox, None, None, raw)
        if typ != "OK":
            sys.exit("APPEND %s: %s" % (f, data))
    m.logout()


def count(port, mailbox, keys):
    m = login(port)
    typ, _ = m.select(mailbox, readonly=True)
    if typ != "OK":
        print(0)
        return
    typ, data = m.uid("SEARCH", None, *(keys or ["ALL"]))
    print(len(data[0].split()))
    m.logout()


def uidvalidity(port, mailbox):
    m = login(port)
    typ, data = m.status(mailbox, "(UIDVALIDITY)")
    print(data[0].decode().split("UIDVALIDITY")[1].strip(" )"))
    m.logout()


def copy(port, src, dst):
    m = login(port)
    m.create(dst)
    m.select(src)
    typ, data = m.copy("1:*", dst)
    if typ != "OK":
        sys.exit("COPY: %s" % data)
    m.logout()


def store(port, mailbox, op, flag, keys):
    m = login(port)
    m.select(mailbox)
    typ, data = m.uid("SEARCH", None, *(keys or ["ALL"]))
    uids = b",".join(data[0].split()).decode()
    if uids:
        typ, data = m.uid("STORE", uids, op, "(%s)" % flag)
        if typ != "OK":
            sys.exit("STORE: %s" % data)
    m.logout()


def proxy(listen, target, lo, hi, seed, record=None, nologin=None):
    rec = open(record, "ab", buffering=0) if record else None
    lock = threading.Lock()
    rnd = random.Random(int(seed))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(listen)))
    srv.listen(16)
    print("ready", flush=True)

    def pump(a, b, budget):
        left = budget
        try:
            while left > 0:
                r, _, _ = select.select([a, b], [], [], 120)
                if not r:
                    break
                for s in r:
                    d = s.recv(min(65536, left))
                    if not d:
                        left = 0
                        break
                    if s is a and rec:
                        with lock:
                            rec.write(d)
                    m = re.match(rb"(\S+) LOGIN ", d, re.I)
                    if s is a and nologin and m:
                        a.sendall(m.group(1) + b" NO LOGIN refused by the test proxy\r\n")
                        continue
                    (b if s is a else a).sendall(d)
                    left -= len(d)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    while True:
        c, _ = srv.accept()
        t = socket.create_connection(("127.0.0.1", int(target)))
        threading.Thread(target=pump, args=(c, t, rnd.randint(int(lo), int(hi))),
                         daemon=True).start()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "append":
        append(args[0], args[1], args[2:])
    elif cmd == "count":
        count(args[0], args[1], args[2:])
    elif cmd == "uidvalidity":
        uidvalidity(args[0], args[1])
    elif cmd == "store":
        store(args[0], args[1], args[2], args[3], args[4:])
    elif cmd == "copy":
        copy(*args)
    elif cmd == "proxy":
        proxy(*args)
    else:
        sys.exit(__doc__)
