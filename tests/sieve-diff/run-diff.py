#!/usr/bin/env python3
"""run-diff.py - the Sieve differential test: for each script x message,
Dovecot's sieve-test (through the shared sieve-oracle's parser) and
`ackmail check` must give the same normalised action list.

usage: run-diff.py --ackmail BIN --shared DIR [--support DIR] [--full]
                   [--jobs N] [--only SCRIPT...] [--every N --offset K]
                   [--batch N] [--details FILE] [--messages FILE...]

Prints TAP: one line per script (which messages differed go in # lines).
Without --full, 28 messages are picked for variety (one per feature of
the corpus's FEATURES.tsv, plus support-stream mail); with --full every
corpus message is used. Nothing is cached between runs.

sieve-test runs once per pair (it takes one message), directly as nobody
with the settings doveconf gives once for the whole run (otherwise each
sieve-test execs doveconf, which execs sieve-test again). `ackmail check`
evaluates --batch messages per process (each JSON line names its message
when there are several); --batch 1 gives one process per pair. --details
writes every differing pair (script, message, sieve-test, ackmail) as
tab-separated lines, known differences marked.
"""
import argparse, concurrent.futures as cf, csv, importlib.machinery, json, os
import pwd, shutil, subprocess, sys, tempfile, types

HERE = os.path.dirname(os.path.abspath(__file__))
SENDER, RCPT = "sender@example.com", "recipient@example.com"
SIEVE_TEST = shutil.which("sieve-test") or "sieve-test"


def load_oracle(shared):
    path = os.path.join(shared, "oracles", "sieve-oracle")
    loader = importlib.machinery.SourceFileLoader("sieve_oracle", path)
    mod = types.ModuleType(loader.name)
    loader.exec_module(mod)
    return mod


def pick_messages(shared, support, full):
    corpus = os.path.join(shared, "corpus")
    rows = list(csv.DictReader(open(os.path.join(corpus, "FEATURES.tsv")),
                               delimiter="\t"))
    if full:
        msgs = [os.path.join(corpus, r["path"]) for r in rows]
    else:
        msgs, seen = [], set()
        feats = [k for k in rows[0].keys() if k not in ("path", "ew_charsets")]
        for f in feats:
            for r in rows:
                if r.get(f) == "1" and r["path"] not in seen:
                    seen.add(r["path"])
                    msgs.append(os.path.join(corpus, r["path"]))
                    break
        msgs = msgs[:20]
    if support:
        sm = sorted(os.listdir(os.path.join(support, "messages")))
        step = 1 if full else max(1, len(sm) // 8)
        msgs += [os.path.join(support, "messages", m) for m in sm[::step]][: (len(sm) if full else 8)]
    return msgs


class Oracle:
    def __init__(self, mod):
        self.mod = mod
        self.nobody = pwd.getpwnam("nobody")
        self.tmp = tempfile.mkdtemp(prefix="sieve-diff.")
        os.chmod(self.tmp, 0o755)
        self.conf = os.path.join(self.tmp, "min.conf")
        with open(self.conf, "w") as f:
            f.write("mail_location = maildir:%s/Maildir\n" % self.tmp)
        self.n = 0
        self.env = self.doveconf_env()

    def drop(self):
        """subprocess keywords that run the child as nobody (we are root)."""
        if os.geteuid() != 0:
            return {}
        return {"user": self.nobody.pw_uid, "group": self.nobody.pw_gid,
                "extra_groups": []}

    def doveconf_env(self):
        """The environment doveconf hands sieve-test for our settings
        (DOVECONF_ENV=1 ...), or None to let sieve-test run doveconf."""
        doveconf = shutil.which("doveconf") or "/usr/bin/doveconf"
        env_bin = shutil.which("env") or "/usr/bin/env"
        try:
            p = subprocess.run([doveconf, "-f", "service=sieve-test", "-c",
                                self.conf, "-m", "mail", "-e", env_bin],
                               capture_output=True, text=True, env={},
                               cwd=self.tmp, **self.drop())
        except OSError:
            return None
        env = dict(l.split("=", 1) for l in p.stdout.splitlines() if "=" in l)
        if p.returncode != 0 or env.get("DOVECONF_ENV") != "1":
            return None
        return env

    def stage(self, src):
        self.n += 1
        dst = os.path.join(self.tmp, "f%d" % self.n)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
        return dst

    def run(self, script, msg):
        work = tempfile.mkdtemp(dir=self.tmp)
        os.chown(work, self.nobody.pw_uid, self.nobody.pw_gid)
        cmd = [SIEVE_TEST, "-c", self.conf, "-x", self.mod.EXTS, "-C",
               "-f", SENDER, "-a", RCPT, "-r", RCPT, script, msg]
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", cwd=work, env=self.env,
                           **self.drop())
        shutil.rmtree(work, ignore_errors=True)
        if p.returncode == 89:
            return ["error compile"]
        if p.returncode == 1 and not p.stdout.strip():
            return ["store INBOX"]
        return sorted(set(self.mod.parse_sieve_test(p.stdout)))

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def ackmail(mod, binary, script, msgs):
    """The normalised action lists of msgs, in one ackmail process."""
    p = subprocess.run([binary, "check", "-r", script, "-f", SENDER,
                        "-a", RCPT] + msgs, capture_output=True, text=True,
                       errors="replace")
    if len(msgs) == 1:
        if p.returncode == 65:
            return [["error compile"]]
        return [mod.normalize_json(p.stdout.splitlines())]
    lines = {m: [] for m in msgs}
    if p.returncode < 0:            # it crashed: each message alone
        return [ackmail(mod, binary, script, [m])[0] for m in msgs]
    for line in p.stdout.splitlines():
        if line.strip():
            lines[json.loads(line)["message"]].append(line)
    # a message with no line at all (it could not be read) is run alone
    return [mod.normalize_json(lines[m]) if lines[m]
            else ackmail(mod, binary, script, [m])[0] for m in msgs]


def known_differences():
    """known-differences.txt: "SCRIPT MESSAGE reason" lines, each one
    documented in docs/compatibility.md."""
    known = {}
    path = os.path.join(HERE, "known-differences.txt")
    for line in open(path) if os.path.exists(path) else []:
        line = line.strip()
        if line and not line.startswith("#"):
            s, m, why = line.split(None, 2)
            known[(s, m)] = why
    return known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ackmail", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--support")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--every", type=int, default=1,
                    help="with --full: every Nth message only")
    ap.add_argument("--offset", type=int, default=0,
                    help="with --every: start at the Nth message")
    ap.add_argument("--batch", type=int, default=50,
                    help="messages per ackmail process")
    ap.add_argument("--details", help="write every differing pair here")
    ap.add_argument("--messages", nargs="*",
                    help="these message files instead of the corpus")
    a = ap.parse_args()
    mod = load_oracle(a.shared)
    scripts = a.only or sorted(
        os.path.join(HERE, "scripts", f)
        for f in os.listdir(os.path.join(HERE, "scripts")) if f.endswith(".sieve"))
    msgs = [os.path.abspath(m) for m in a.messages] if a.messages else \
        pick_messages(a.shared, a.support, a.full)[a.offset::a.every]
    oracle = Oracle(mod)
    details = open(a.details, "a") if a.details else None
    try:
        staged_msgs = [oracle.stage(m) for m in msgs]
        print("1..%d" % len(scripts))
        print("# %d scripts x %d messages" % (len(scripts), len(msgs)))
        fails = 0
        known = known_differences()
        with cf.ThreadPoolExecutor(a.jobs) as ex:
            for i, s in enumerate(scripts, 1):
                st = oracle.stage(s)
                want = ex.map(lambda m: oracle.run(st, m), staged_msgs)
                chunks = [msgs[j:j + a.batch]
                          for j in range(0, len(msgs), max(1, a.batch))]
                got = [g for c in ex.map(
                    lambda c: ackmail(mod, a.ackmail, s, c), chunks)
                    for g in c]
                bad = []
                name = os.path.basename(s)
                for m, w, g in zip(msgs, want, got):
                    rel = os.path.relpath(m, a.shared)
                    why = known.get((name, rel))
                    if w != g and details:
                        details.write("%s\t%s\t%s\t%s\t%s\n" % (
                            name, rel, " | ".join(w), " | ".join(g),
                            "known" if why else "new"))
                        details.flush()
                    if w != g and why:
                        print("# %s x %s: known difference: %s" % (name, rel, why))
                    elif w != g:
                        bad.append((m, w, g))
                if bad:
                    fails += 1
                    print("not ok %d - %s (%d of %d messages differ)" % (i, name, len(bad), len(msgs)))
                    for m, w, g in bad[:3]:
                        print("#   %s" % os.path.relpath(m, a.shared))
                        print("#     sieve-test: %s" % " | ".join(w))
                        print("#     ackmail:    %s" % " | ".join(g))
                else:
                    print("ok %d - %s" % (i, name))
                sys.stdout.flush()
    finally:
        oracle.close()
        if details:
            details.close()
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
