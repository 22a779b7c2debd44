#!/usr/bin/env python3
"""Replays ../shared/support-stream streams through `ackmail deliver` and
compares every message's issue and class with the generator's truth.

    support-stream.py --ackmail BIN --work DIR --seeds 1,2 --messages 5000

For each seed (in parallel, one database each): generate the stream,
import the shop's customer register (the customers' own addresses, as a
shop has them), deliver every message in file order with ACKMAIL_NOW =
its date and the envelope recipient the README gives (notices to the
tracking address), then read the state back with `ackmail message list
--json`. Prints TAP lines and the confusion figures.
"""
import argparse
import collections
import concurrent.futures
import csv
import email
import email.header
import email.policy
import json
import os
import subprocess
import sys
import time

SHOP = "nwit.example"
# kinds whose messages are written by machines, not people
ROBOT_KINDS = {"auto_reply", "bounce", "read_receipt", "list", "mail_loop",
               "monitoring_alert", "calendar_reply"}

# kinds written by the customers themselves
HUMAN_KINDS = {"new_issue", "followup", "reply_ack", "reply_question", "reply_thanks"}

CONFIG = """\
[database]
path = {work}/ackmail.db
[deliver]
maildir = {work}/Maildir
[support]
address = support@{shop}
staff = @{shop}
tracking_address = notices@{shop}
first_issue_number = 1001
secret = stream-test-secret
new_issues = customers
match_subject = yes
"""


def display_name(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    try:
        addrs = msg["From"].addresses
        return addrs[0].display_name if addrs else ""
    except Exception:
        return ""


def run_seed(args, seed):
    work = os.path.join(args.work, f"seed{seed}")
    stream = os.path.join(work, "stream")
    os.makedirs(work, exist_ok=True)
    subprocess.run([sys.executable, args.generator, "--messages", str(args.messages), "--seed",
                    str(seed), "--out", stream], check=True, stdout=subprocess.DEVNULL)
    conf = os.path.join(work, "ackmail.conf")
    with open(conf, "w") as f:
        f.write(CONFIG.format(work=work, shop=SHOP))
    rows = [json.loads(line) for line in open(os.path.join(stream, "truth.jsonl"), encoding="utf-8")]

    # the customer register, as a shop keeps it: each customer's name and
    # company and the addresses they write from (their own address first,
    # then a private one some of them use); colleagues are customers too
    customers = {}
    for r in rows:
        if not r["customer"] or r["kind"] not in HUMAN_KINDS:
            continue
        c = customers.setdefault(r["customer"], {"name": "", "company": r["company"], "addrs": []})
        if r["from_known_address"] and not c["name"]:
            c["name"] = display_name(os.path.join(stream, r["file"]))
        if r["from_known_address"] and r["from_addr"] not in c["addrs"]:
            c["addrs"].insert(0, r["from_addr"])
        elif r["from_addr"] not in c["addrs"]:
            c["addrs"].append(r["from_addr"])
    reg = os.path.join(work, "customers.csv")
    with open(reg, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name", "company", "email"])
        for c in customers.values():
            w.writerow([c["name"], c["company"], " ".join(c["addrs"])])
    env = dict(os.environ, ACKMAIL_NO_SYSLOG="1")
    subprocess.run([args.ackmail, "customer", "import", "-c", conf, reg], check=True, env=env,
                   stdout=subprocess.DEVNULL)

    t0 = time.monotonic()
    failures = []
    for r in rows:
        rcpt = f"notices@{SHOP}" if r["kind"] == "notice" else f"support@{SHOP}"
        env["ACKMAIL_NOW"] = r["date"]
        with open(os.path.join(stream, r["file"]), "rb") as f:
            p = subprocess.run([args.ackmail, "deliver", "-c", conf, "-a", rcpt], stdin=f, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode != 0:
            failures.append((r["file"], p.returncode, p.stderr.decode(errors="replace")[-300:]))
    elapsed = time.monotonic() - t0
    out = subprocess.run([args.ackmail, "message", "list", "--json", "-c", conf], check=True, env=env,
                         stdout=subprocess.PIPE).stdout.decode()
    recorded = {}
    for line in out.splitlines():
        m = json.loads(line)
        recorded[m["message_id"]] = m
    return dict(seed=seed, rows=rows, recorded=recorded, failures=failures, elapsed=elapsed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ackmail", required=True)
    ap.add_argument("--generator", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--messages", type=int, default=5000)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(seeds)) as ex:
        results = list(ex.map(lambda s: run_seed(args, s), seeds))

    total = right = wrong_customer = robots = robots_missed = 0
    unrecorded = exit_failures = 0
    confusion = collections.Counter()     # (kind, our class)
    assignment = collections.Counter()    # (kind, verdict)
    examples = []
    for res in results:
        rows = res["rows"]
        exit_failures += len(res["failures"])
        for f in res["failures"][:3]:
            print(f"# seed {res['seed']}: {f[0]} exited {f[1]}: {f[2]}")
        issue_customer = {r["issue"]: r["customer"] for r in rows if r["kind"] == "new_issue"}
        for r in rows:
            total += 1
            mid = (r["message_id"] or "").strip("<>")
            m = res["recorded"].get(mid)
            if m is None:
                unrecorded += 1
                assignment[(r["kind"], "unrecorded")] += 1
                continue
            cls = m["class"]
            confusion[(r["kind"], cls)] += 1
            if r["kind"] in ROBOT_KINDS:
                robots += 1
                if cls == "human":
                    robots_missed += 1
                    examples.append(f"seed {res['seed']} {r['file']} {r['kind']} classified human")
            want = int(r["issue"][1:]) if r["issue"] else None
            got = m["issue"]
            if got == want:
                right += 1
                verdict = "right"
            else:
                verdict = "none" if got is None else ("new" if want is None else "other")
                if len(examples) < 25:
                    examples.append(f"seed {res['seed']} {r['file']} {r['kind']} want {want} got {got}: "
                                    f"{m['match_reason']}")
            assignment[(r["kind"], verdict)] += 1
            if got is not None:
                owner = issue_customer.get(f"T{got}")
                if r["customer"] is None or (owner is not None and owner != r["customer"]):
                    wrong_customer += 1
                    examples.append(f"seed {res['seed']} {r['file']} {r['kind']} (customer {r['customer']}) "
                                    f"put on #{got} of {owner}")

    print("# replay: " + ", ".join(f"seed {r['seed']}: {len(r['rows'])} messages in {r['elapsed']:.0f}s"
                                   for r in results))
    print("# class confusion (truth kind -> ackmail class: count)")
    kinds = sorted({k for k, _ in confusion})
    for k in kinds:
        print("#   %-18s %s" % (k, "  ".join(f"{c}={n}" for (kk, c), n in sorted(confusion.items()) if kk == k)))
    print("# issue assignment (truth kind -> verdict: count)")
    for k in sorted({k for k, _ in assignment}):
        print("#   %-18s %s" % (k, "  ".join(f"{v}={n}" for (kk, v), n in sorted(assignment.items()) if kk == k)))
    for e in examples[:25]:
        print("# " + e)
    pct = 100.0 * right / max(total, 1)
    print(f"# {total} messages, {right} on the right issue ({pct:.2f}%), {wrong_customer} on another "
          f"customer's issue, {robots_missed} of {robots} robot messages classified human")
    n = 0

    def ok(cond, text):
        nonlocal n
        n += 1
        print(("ok" if cond else "not ok") + f" {n} - {text}")

    ok(exit_failures == 0, f"every delivery exited 0 ({exit_failures} did not)")
    ok(total >= args.messages * len(seeds), f"{total} messages replayed")
    ok(unrecorded == 0, f"every message recorded ({unrecorded} missing)")
    ok(pct >= 99.5, f"{pct:.2f}% attached to the right issue (>= 99.5%)")
    ok(wrong_customer == 0, f"no message on another customer's issue ({wrong_customer})")
    ok(robots_missed == 0, f"every robot message classified as a robot ({robots_missed} missed)")
    print(f"1..{n}")


if __name__ == "__main__":
    main()
