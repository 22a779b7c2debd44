#!/usr/bin/env python3
"""png-pixel.py PNG [X Y] - prints the colour "R,G,B" of one pixel (the
centre by default) of an 8-bit RGB or RGBA PNG, decoding the scanline
filters. For the digest's rendering tests."""
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
pos, idat = 8, b""
while pos < len(data):
    n, t = struct.unpack(">I4s", data[pos:pos + 8])
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", data[pos + 8:pos + 18])
    elif t == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
bpp = {6: 4, 2: 3}[ctype]
x = int(sys.argv[2]) if len(sys.argv) > 3 else w // 2
y = int(sys.argv[3]) if len(sys.argv) > 3 else h // 2
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
for row in range(y + 1):
    f = raw[row * (stride + 1)]
    line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pr) & 255
    prev = line
print("%d,%d,%d" % tuple(prev[x * bpp:x * bpp + 3]))
