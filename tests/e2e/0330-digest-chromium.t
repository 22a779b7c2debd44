#!/bin/sh
# 0330-digest-chromium.t - the HTML digest as a reader sees it: rendered
# by headless Chromium (Debian's chromium) to PNGs at phone (390 px) and
# desktop (1280 px) widths, checked for its sections, and for a layout
# where nothing is wider than the phone's screen. The digest itself has no
# scripts: the overflow probe runs in a test-only copy of the page.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip_all "chromium is not installed (apt-get install chromium)"

A=$ACKMAIL
cat > "$T/conf" <<EOF
[database]
path = $T/db
[deliver]
maildir = $T/Maildir
[support]
address = support@shop.example
staff = @shop.example
tracking_address = notices@shop.example
timezone = Europe/Berlin
[ack]
enabled = no
[outbound]
method = sendmail
sendmail = /bin/true
EOF
export ACKMAIL_CONFIG="$T/conf"
export ACKMAIL_NOW=2026-10-01T08:00:00Z
$A customer add "Maximiliane Hohenzollern-Sigmaringen" \
  --company "Hohenzollern-Sigmaringen Zahnarztpraxis und Kieferorthopaedie GmbH" \
  --email maximiliane.hohenzollern-sigmaringen.praxisverwaltung@zahnarztpraxis-hohenzollern-sigmaringen.example \
  --phone "+49 7571 123456789" --phone "+49 171 98765432" >/dev/null
$A customer add "Li Wei" --company "Quartz Logistics" --email li@quartz.example >/dev/null
unset ACKMAIL_NOW
printf 'Firmware.\n' | $A notice send --now "2026-11-20 09:00" \
  --to maximiliane.hohenzollern-sigmaringen.praxisverwaltung@zahnarztpraxis-hohenzollern-sigmaringen.example \
  --subject "Firmware update of the firewall and the VPN concentrator with a reboot of every switch in the building (expected impact: about 30 minutes without network)" \
  --change-at "2026-11-24 07:00" >/dev/null
printf 'Printer.\n' | $A notice send --now "2026-11-22 09:00" --to li@quartz.example \
  --subject "Printer swap" >/dev/null
$A escalate -q --now "2026-11-23 07:30" 2>/dev/null
$A digest --now "2026-11-23 07:30" --format html > "$T/digest.html"
ok $? "HTML digest"

shot() { # WIDTH PNG URL
  mkdir -p "$T/profile-$1"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --hide-scrollbars --user-data-dir="$T/profile-$1" \
    --screenshot="$2" --window-size="$1,1400" "$3" >/dev/null 2>&1
}
png_size() { # PNG -> "W H"
  python3 -c "
import struct,sys
d=open(sys.argv[1],'rb').read(24)
assert d[:8]==b'\x89PNG\r\n\x1a\n'
print(*struct.unpack('>II', d[16:24]))" "$1"
}
for w in 390 1280; do
  shot $w "$T/digest-$w.png" "file://$T/digest.html"
  ok $? "chromium rendered the digest at $w px"
  is "$(png_size "$T/digest-$w.png" 2>/dev/null)" "$w 1400" "a $w px wide PNG"
  size=$(wc -c < "$T/digest-$w.png" 2>/dev/null || echo 0)
  ok $([ "$size" -gt 20000 ]; echo $?) "the $w px PNG is not blank ($size bytes)"
  # more than a few colours: text and the section colours were drawn
  python3 - "$T/digest-$w.png" <<'EOF'
import sys, zlib, struct
data = open(sys.argv[1], "rb").read()
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8])
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", data[pos + 8:pos + 18])
    if t == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = 4 if ctype == 6 else 3
colours = set(raw[i:i + 3] for i in range(1, min(len(raw), 400 * (w * bpp + 1)), 7))
sys.exit(0 if len(colours) > 20 else 1)
EOF
  ok $? "the $w px PNG shows text in colour"
done
[ -n "${DIGEST_PNG_DIR:-}" ] && cp "$T"/digest-*.png "$DIGEST_PNG_DIR"/

# the DOM Chromium built has every section
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$T/profile-dom" --dump-dom "file://$T/digest.html" > "$T/dom.html" 2>/dev/null
for h in "Call today" "Waiting for an answer" "Customers waiting on us" "Quiet customers" "Mail problems"; do
  grep -q "$h" "$T/dom.html"; ok $? "rendered section: $h"
done
grep -c 'href="tel:' "$T/dom.html" > "$T/tels"
is "$(cat "$T/tels")" "1" "tel: links in the call list (one line with both numbers)"

# layout at phone width: a test-only copy with a probe that measures
# every element against the viewport, then paints the whole page green
# (nothing overflows) or red; a screenshot shows which
sed 's~</body>~<script>var w=document.documentElement.clientWidth,bad=0;document.querySelectorAll("body *").forEach(function(e){var r=e.getBoundingClientRect();if(r.right>w+1||r.left<-1)bad++;});if(document.documentElement.scrollWidth>w)bad++;document.body.innerHTML="<div style=\\"position:fixed;left:0;top:0;width:100%;height:100%;background:"+(bad?"rgb(255,0,0)":"rgb(0,255,0)")+"\\"></div>";</script></body>~' \
  "$T/digest.html" > "$T/probe.html"
grep -q '<script' "$T/digest.html"; ok $([ $? -ne 0 ]; echo $?) "the digest itself has no script"
for w in 390 320; do
  shot $w "$T/probe-$w.png" "file://$T/probe.html"
  colour=$(python3 "$ROOT/tests/e2e/png-pixel.py" "$T/probe-$w.png")
  diag "probe at $w px: $colour"
  is "$colour" "0,255,0" "nothing wider than a $w px screen"
done
done_testing
