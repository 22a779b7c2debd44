#!/usr/bin/env python3
"""run-diff.py - the Sieve differential test: for each script x message,
Dovecot's sieve-test (through the shared sieve-oracle's parser) and
`ackmail check` must give the same normalised action list.

usage: run-diff.py --ackmail BIN --shared DIR [--support DIR] [--full]
                   [--jobs N] [--only SCRIPT...]

Prints TAP: one line per script (which messages differed go in # lines).
Without --full, 28 messages are picked for variety (one per feature of
the corpus's FEATURES.tsv, plus support-stream mail); with --full every
corpus message is used. Nothing is cached between runs.
"""
import argparse, concurrent.futures as cf, csv, importlib.machinery, os
import pwd, shutil, subprocess, sys, tempfile, types

HERE = os.path.dirname(os.path.abspath(__file__))
SENDER, RCPT = "sender@example.com", "recipient@example.com"


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

    def stage(self, src):
        self.n += 1
        dst = os.path.join(self.tmp, "f%d" % self.n)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
        return dst

    def run(self, script, msg):
        work = tempfile.mkdtemp(dir=self.tmp)
        os.chown(work, self.nobody.pw_uid, self.nobody.pw_gid)
        cmd = ["sieve-test", "-c", self.conf, "-x", self.mod.EXTS, "-C",
               "-f", SENDER, "-a", RCPT, "-r", RCPT, script, msg]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=%d" % self.nobody.pw_uid,
                   "--regid=%d" % self.nobody.pw_gid, "--clear-groups"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True,
                           errors="replace", cwd=work)
        shutil.rmtree(work, ignore_errors=True)
        if p.returncode == 89:
            return ["error compile"]
        if p.returncode == 1 and not p.stdout.strip():
            return ["store INBOX"]
        return sorted(set(self.mod.parse_sieve_test(p.stdout)))

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def ackmail(mod, binary, script, msg):
    p = subprocess.run([binary, "check", "-r", script, "-f", SENDER,
                        "-a", RCPT, msg], capture_output=True, text=True,
                       errors="replace")
    if p.returncode == 65:
        return ["error compile"]
    return mod.normalize_json(p.stdout.splitlines())


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
    a = ap.parse_args()
    mod = load_oracle(a.shared)
    scripts = a.only or sorted(
        os.path.join(HERE, "scripts", f)
        for f in os.listdir(os.path.join(HERE, "scripts")) if f.endswith(".sieve"))
    msgs = pick_messages(a.shared, a.support, a.full)[a.offset::a.every]
    oracle = Oracle(mod)
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
                got = ex.map(lambda m: ackmail(mod, a.ackmail, s, m), msgs)
                bad = []
                name = os.path.basename(s)
                for m, w, g in zip(msgs, want, got):
                    why = known.get((name, os.path.relpath(m, a.shared)))
                    if w != g and why:
                        print("# %s x %s: known difference: %s" % (name, os.path.relpath(m, a.shared), why))
                    elif w != g:
                        bad.append((m, w, g))
                name = os.path.basename(s)
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
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
