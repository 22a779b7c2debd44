#!/usr/bin/env python3
"""Replays a support-stream through ackmail with a moving clock and checks
every change notice against the ground truth.

    notices-replay.py ACKMAIL CONFIG STREAM_DIR

Inbound mail is delivered to support@nwit.example, the technicians' notices
to the tracking address notices@nwit.example, their other mail to support@.
`ackmail escalate` runs at every full hour of the stream's clock, and twice
at the end. Prints TAP lines and the figures.
"""
import collections, datetime as dt, json, os, subprocess, sys

ackmail, config, stream = sys.argv[1:4]
truth = [json.loads(l) for l in open(os.path.join(stream, "truth.jsonl"), encoding="utf-8")]
env = dict(os.environ, ACKMAIL_CONFIG=config, ACKMAIL_NO_SYSLOG="1")
n_tap = 0
failed = 0


def tap(ok, what):
    global n_tap, failed
    n_tap += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n_tap, what))
    if not ok:
        failed += 1


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def run(args, now, stdin=None):
    e = dict(env, ACKMAIL_NOW=iso(now))
    return subprocess.run([ackmail] + args, input=stdin, env=e, capture_output=True)


def notices():
    out = run(["notice", "list", "--json"], last).stdout.decode()
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def parse(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


escalations = []          # (clock, stdout) of each escalate run
deliver_fail = 0
last = None
next_hour = None
for t in truth:
    when = parse(t["date"])
    if next_hour is None:
        next_hour = when.replace(minute=0, second=0) + dt.timedelta(hours=1)
    while next_hour <= when:
        r = run(["escalate", "--json"], next_hour)
        escalations.append((next_hour, r.stdout.decode()))
        next_hour += dt.timedelta(hours=1)
    rcpt = "support@nwit.example"
    if t["kind"] == "notice":
        rcpt = "notices@nwit.example"
    data = open(os.path.join(stream, t["file"]), "rb").read()
    sender = "" if "null-return-path" in t["reasons"] else (t["from_addr"] or "")
    r = run(["deliver", "-f", sender, "-a", rcpt], when, stdin=data)
    if r.returncode != 0:
        deliver_fail += 1
        sys.stderr.write("deliver %s: %d %s\n" % (t["file"], r.returncode, r.stderr.decode()[-300:]))
    last = when

# the end of the stream: everything due is escalated, twice
end = last + dt.timedelta(days=3)
first = run(["escalate", "--json"], end)
before = notices()
second = run(["escalate", "--json"], end)
after = notices()
tap(deliver_fail == 0, "every message delivered (%d failures)" % deliver_fail)
tap(second.stdout.decode().strip() == "" and before == after,
    "ackmail escalate twice: the second run changes nothing")

# ---- the ground truth per notice
by_mid = {}
for t in truth:
    if t["kind"] == "notice":
        by_mid[t["message_id"].strip("<>")] = t["notice"]
acked, bounced, away, seen = set(), set(), set(), set()
latest_notice = {}        # issue -> (notice id or None for resolution notices)
for t in truth:
    if t["kind"] in ("notice", "resolution_notice"):
        latest_notice[t["issue"]] = t["notice"] if t["kind"] == "notice" else None
    if t.get("acks_notice"):
        acked.add(t["acks_notice"])
    if t.get("bounced_notice"):
        bounced.add(t["bounced_notice"])
    if t.get("receipt_for"):
        seen.add(t["receipt_for"])
    if t["kind"] == "auto_reply" and latest_notice.get(t["issue"]):
        away.add(latest_notice[t["issue"]])


def expected(nid):
    if nid in acked:
        return "acknowledged"
    if nid in bounced:
        return "undeliverable"
    if nid in away:
        return "away"
    return "escalated"


got = {}
for n in after:
    nid = by_mid.get(n["message_id"])
    if nid is not None:
        got[nid] = n
tracked = [t["notice"] for t in truth if t["kind"] == "notice"]
tap(len(got) == len(tracked), "every notice recorded (%d of %d)" % (len(got), len(tracked)))
tap(len(after) == len(got), "no notice recorded that is not one (%d extra)" % (len(after) - len(got)))

# An acknowledgement that carries only the issue tag (no In-Reply-To, no
# References) and comes after we sent the customer other mail on the same
# issue cannot be told from an answer to that later mail. ackmail does not
# count it: the notice is escalated and someone calls (the safe side).
ack_msg = {t["acks_notice"]: t for t in truth if t.get("acks_notice")}
sent_on = collections.defaultdict(list)
for t in truth:
    if t["kind"] in ("notice", "resolution_notice"):
        sent_on[t["issue"]].append((parse(t["date"]), t["notice"]))
notice_date = {t["notice"]: parse(t["date"]) for t in truth if t["kind"] == "notice"}


def ambiguous(nid):
    a = ack_msg.get(nid)
    if a is None or "in-reply-to" in a["evidence"] or "references" in a["evidence"]:
        return False
    return any(notice_date[nid] < d < parse(a["date"]) for d, other in sent_on[a["issue"]] if other != nid)


confusion = collections.Counter()
wrong = []
n_ambiguous = 0
for nid in tracked:
    exp = expected(nid)
    st = got[nid]["state"] if nid in got else "missing"
    if exp == "acknowledged" and st == "escalated" and ambiguous(nid):
        n_ambiguous += 1
        st = "acknowledged"
    confusion[(exp, st)] += 1
    if exp != st:
        wrong.append((nid, exp, st))
per_state = collections.Counter(expected(n) for n in tracked)
for state in ("acknowledged", "away", "undeliverable", "escalated"):
    total = per_state[state]
    right = confusion[(state, state)]
    tap(right == total, "%s: %d of %d notices end so" % (state, right, total))
false_acks = sum(k for (e, s), k in confusion.items() if s == "acknowledged" and e != "acknowledged")
tap(false_acks == 0, "no notice acknowledged that the customer did not acknowledge (%d)" % false_acks)
for nid, exp, st in wrong[:20]:
    print("#   %s: expected %s, got %s" % (nid, exp, st))

# ---- escalation at the deadline and not before
early = late = 0
for n in after:
    if n["escalated_at"] is None or n["state"] != "escalated":
        continue
    esc, dl = parse(n["escalated_at"]), parse(n["deadline"])
    if esc < dl:
        early += 1
    elif esc - dl >= dt.timedelta(hours=1) and esc != end:
        late += 1
tap(early == 0, "no notice escalated before its deadline (%d early)" % early)
tap(late == 0, "every notice escalated by the first run after its deadline (%d late)" % late)
# a waiting notice never passes its deadline unescalated
overdue = [n for n in after if n["state"] in ("waiting", "seen") and parse(n["deadline"]) <= end]
tap(not overdue, "no waiting notice past its deadline (%d)" % len(overdue))

print("# figures: %d messages, %d notices tracked, %d escalate runs" % (len(truth), len(tracked), len(escalations) + 2))
for state in ("acknowledged", "away", "undeliverable", "escalated"):
    print("# expected %-13s %4d  right %4d" % (state, per_state[state], confusion[(state, state)]))
print("# of the acknowledged, %d carried only the tag after later mail of ours: escalated (call) instead" % n_ambiguous)
for (exp, st), k in sorted(confusion.items()):
    if exp != st:
        print("# mismatch: expected %s, got %s: %d" % (exp, st, k))
print("1..%d" % n_tap)
sys.exit(1 if failed else 0)
