#!/usr/bin/env python3
"""smtp-sink.py - a small SMTP server for ackmail's tests, on 127.0.0.1.

Records every accepted message as OUT/NNNNNN.eml with its envelope in
OUT/NNNNNN.env ("MAIL FROM" on the first line, one recipient per line
after it). Its behaviour is read from MODE_FILE at every command, so a
test can change it while the sink runs:

  ok            accept everything (the default)
  4xx           451 to MAIL FROM
  5xx           550 to RCPT TO
  close-data    read part of the DATA, then drop the connection
  slow SECONDS  wait that long before every reply
  trickle SECS  send every reply one byte at a time, SECS apart
  auth USER:PASS  require AUTH PLAIN/LOGIN with these credentials
  refuse CODE:ADDR...  answer CODE (e.g. 550, 451) to RCPT TO of each
                ADDR, accept every other recipient

usage: smtp-sink.py --port PORT --out DIR [--mode-file FILE] [--pidfile F]
                   [--tls-cert CERT --tls-key KEY [--implicit-tls]]
With a certificate the sink offers STARTTLS (or, with --implicit-tls,
speaks TLS from the first byte).
Only ever listens on 127.0.0.1.
"""
import argparse
import asyncio
import base64
import os
import sys


def read_mode(path):
    try:
        with open(path) as f:
            words = f.read().split()
    except OSError:
        words = []
    return words or ["ok"]


class Sink:
    def __init__(self, out, mode_file, tls=None, implicit=False):
        self.out = out
        self.mode_file = mode_file
        self.tls = tls
        self.implicit = implicit
        self.count = len([n for n in os.listdir(out) if n.endswith(".eml")])

    def mode(self):
        return read_mode(self.mode_file) if self.mode_file else ["ok"]

    async def reply(self, writer, line):
        m = self.mode()
        if m[0] == "slow":
            await asyncio.sleep(float(m[1]) if len(m) > 1 else 5)
        if m[0] == "trickle":
            # one byte at a time: every read of the client succeeds, the
            # answer never ends in time
            for ch in (line + "\r\n").encode():
                writer.write(bytes([ch]))
                await writer.drain()
                await asyncio.sleep(float(m[1]) if len(m) > 1 else 0.3)
            return
        writer.write((line + "\r\n").encode())
        await writer.drain()

    def save(self, mail_from, rcpts, data):
        self.count += 1
        base = os.path.join(self.out, "%06d" % self.count)
        with open(base + ".tmp", "wb") as f:
            f.write(data)
        with open(base + ".env", "w") as f:
            f.write(mail_from + "\n" + "".join(r + "\n" for r in rcpts))
        os.rename(base + ".tmp", base + ".eml")

    async def handle(self, reader, writer):
        mail_from, rcpts, authed = None, [], False
        in_tls = self.implicit
        try:
            await self.reply(writer, "220 sink.test ESMTP ackmail test sink")
            while True:
                line = await reader.readline()
                if not line:
                    break
                cmd = line.decode("latin-1").rstrip("\r\n")
                verb = cmd.split(" ", 1)[0].upper()
                mode = self.mode()
                need_auth = mode[0] == "auth"
                if verb in ("EHLO", "HELO"):
                    if verb == "EHLO":
                        writer.write(b"250-sink.test\r\n250-8BITMIME\r\n"
                                     b"250-AUTH PLAIN LOGIN\r\n")
                        if self.tls and not in_tls:
                            writer.write(b"250-STARTTLS\r\n")
                        await self.reply(writer, "250 SIZE 10240000")
                    else:
                        await self.reply(writer, "250 sink.test")
                elif verb == "AUTH":
                    parts = cmd.split()
                    want = mode[1] if need_auth and len(mode) > 1 else None
                    if len(parts) >= 2 and parts[1].upper() == "PLAIN":
                        if len(parts) == 2:
                            await self.reply(writer, "334 ")
                            resp = (await reader.readline()).strip()
                        else:
                            resp = parts[2].encode()
                        try:
                            _, u, p = base64.b64decode(resp).split(b"\0")
                            got = u.decode() + ":" + p.decode()
                        except Exception:
                            got = ""
                    elif len(parts) >= 2 and parts[1].upper() == "LOGIN":
                        await self.reply(writer, "334 VXNlcm5hbWU6")
                        u = base64.b64decode((await reader.readline()).strip())
                        await self.reply(writer, "334 UGFzc3dvcmQ6")
                        p = base64.b64decode((await reader.readline()).strip())
                        got = u.decode() + ":" + p.decode()
                    else:
                        await self.reply(writer, "504 unknown mechanism")
                        continue
                    if want is None or got == want:
                        authed = True
                        await self.reply(writer, "235 ok")
                    else:
                        await self.reply(writer, "535 bad credentials")
                elif verb == "MAIL":
                    if need_auth and not authed:
                        await self.reply(writer, "530 authentication required")
                    elif mode[0] == "4xx":
                        await self.reply(writer, "451 4.3.0 try again later")
                    else:
                        mail_from = cmd[cmd.find(":") + 1:].strip()
                        mail_from = mail_from.split()[0].strip("<>") if mail_from else ""
                        rcpts = []
                        await self.reply(writer, "250 ok")
                elif verb == "RCPT":
                    addr = cmd[cmd.find(":") + 1:].strip().strip("<>")
                    refused = dict(w.split(":", 1)[::-1] for w in mode[1:]
                                   if ":" in w) if mode[0] == "refuse" else {}
                    if mode[0] == "5xx":
                        await self.reply(writer, "550 5.1.1 no such user")
                    elif addr in refused:
                        code = refused[addr]
                        await self.reply(writer, "%s %s.1.1 <%s> refused" %
                                         (code, code[0], addr))
                    else:
                        rcpts.append(cmd[cmd.find(":") + 1:].strip().strip("<>"))
                        await self.reply(writer, "250 ok")
                elif verb == "DATA":
                    if mail_from is None or not rcpts:
                        await self.reply(writer, "503 need MAIL and RCPT")
                        continue
                    await self.reply(writer, "354 go ahead")
                    data = bytearray()
                    n = 0
                    while True:
                        l = await reader.readline()
                        if not l:
                            return
                        n += 1
                        if mode[0] == "close-data" and n >= 3:
                            writer.close()
                            return
                        if l in (b".\r\n", b".\n"):
                            break
                        if l.startswith(b".."):
                            l = l[1:]
                        data += l
                    self.save(mail_from, rcpts, bytes(data))
                    mail_from, rcpts = None, []
                    await self.reply(writer, "250 2.0.0 queued as %06d" % self.count)
                elif verb == "STARTTLS" and self.tls and not in_tls:
                    await self.reply(writer, "220 go ahead")
                    await writer.start_tls(self.tls)
                    in_tls = True
                    mail_from, rcpts, authed = None, [], False
                elif verb == "RSET":
                    mail_from, rcpts = None, []
                    await self.reply(writer, "250 ok")
                elif verb == "NOOP":
                    await self.reply(writer, "250 ok")
                elif verb == "QUIT":
                    await self.reply(writer, "221 bye")
                    break
                else:
                    await self.reply(writer, "502 not implemented")
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode-file")
    ap.add_argument("--pidfile")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--implicit-tls", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ctx = None
    if a.tls_cert:
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
    sink = Sink(a.out, a.mode_file, ctx, a.implicit_tls)
    server = await asyncio.start_server(sink.handle, "127.0.0.1", a.port,
                                        ssl=ctx if a.implicit_tls else None)
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
