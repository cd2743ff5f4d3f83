#!/usr/bin/env python3
"""attune live --replay --ui overlay under Xvfb: a real X server, the real
window, a real screenshot (xwd of the root window, read here without any
imaging library).  The call is generated so the truth predicts a listening
alert (a low listening threshold the agent's share crosses); when the
events say it fired, the screenshot must show the window in its corner,
not blank, with the warning banner.  The screenshot is kept as
overlay_xvfb.png beside the offscreen frames (docs/overlay.png is a copy).
Exit 77 (skipped) where Xvfb or xwd is missing."""
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
W, H = 360, 140
WARNING = (0xE6, 0x9F, 0x00)   # overlay_render.c's warning colour
BG = (0x1B, 0x1F, 0x24)
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += not ok


def read_xwd(data):
    """An XWD (X11 window dump) of a 24/32-bit TrueColor screen: width,
    height and rows of (r, g, b) tuples."""
    hs, _, fmt, depth, w, h = struct.unpack(">6I", data[:24])
    byte_order, = struct.unpack(">I", data[28:32])
    bpp, = struct.unpack(">I", data[44:48])
    stride, = struct.unpack(">I", data[48:52])
    ncolors, = struct.unpack(">I", data[76:80])
    if fmt != 2 or bpp not in (24, 32):
        raise ValueError("xwd: format %d, %d bits a pixel (want ZPixmap, 24 or 32)" % (fmt, bpp))
    n = bpp // 8
    off = hs + 12 * ncolors
    rows = []
    for y in range(h):
        r = data[off + y * stride: off + y * stride + n * w]
        if byte_order == 0:   # LSBFirst: B G R (x)
            rows.append([(r[i + 2], r[i + 1], r[i]) for i in range(0, n * w, n)])
        else:                 # MSBFirst: (x) R G B
            rows.append([(r[i + n - 3], r[i + n - 2], r[i + n - 1]) for i in range(0, n * w, n)])
    return w, h, rows


def write_png(path, rows):
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(c for px in r for c in px) for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def near(a, b, tol=6):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def main():
    attune, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    if not shutil.which("Xvfb") or not shutil.which("xwd"):
        print("skip: Xvfb or xwd missing (Debian xvfb, x11-apps)")
        return 77
    os.makedirs(out, exist_ok=True)
    call = os.path.join(out, "call")
    subprocess.run([os.path.join(ROOT, "tools", "gencall"), "--condition", "clean16k", "--seed",
                    "1", "--duration", "120", "--out", call], check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    truth = json.load(open(call + ".truth.json"))
    share = truth["parties"]["agent"]["talk_share"]
    check(share > 0.45, "the truth's agent share %.2f is well above the test's listening "
          "threshold 0.3, so the listening goal must slip" % share)
    profile = os.path.join(out, "overlay.ini")
    with open(profile, "w") as f:
        f.write("[profile]\nname = overlay-test\n"
                "[listening]\nthreshold = 0.3\nhysteresis = 0.05\nmin_talk_s = 10\n"
                "window_s = 60\n[dead_air]\nenabled = false\n[monologue]\nenabled = false\n"
                "[interruptions]\nenabled = false\n[quick_replies]\nenabled = false\n"
                "[pace]\nenabled = false\n[stress]\nenabled = false\n")
    display = ":%d" % (90 + os.getpid() % 100)
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    env.pop("WAYLAND_DISPLAY", None)
    try:
        for _ in range(100):
            if subprocess.run(["xwd", "-root", "-silent"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                break
            time.sleep(0.1)
        else:
            print("skip: Xvfb did not start")
            return 77
        p = subprocess.Popen([attune, "live", "--replay", call + ".wav", "--speed", "4",
                              "--ui", "overlay", "--overlay-pos", "top-left", "--goals", profile,
                              "--events", "-", "--summary", os.path.join(out, "xvfb.json")],
                             env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        shot, fired = None, None
        for line in p.stdout:
            e = json.loads(line)
            if e["event"] == "alert" and fired is None:
                fired = e
                time.sleep(1.0)    # a few frames at 20 a second
                shot = subprocess.run(["xwd", "-root", "-silent"], env=env,
                                      capture_output=True).stdout
                p.stdin.write("quit\n")
                p.stdin.flush()
        err = p.communicate(timeout=60)[1]
        check(p.returncode == 0 and "ended by the agent" in err,
              "the session ends cleanly on quit: " + err.strip())
    finally:
        xvfb.terminate()
        xvfb.wait()
    check(fired is not None and fired["goal"] == "listening",
          "the listening alert the truth predicts fired: %s" % (fired and fired["goal"]))
    if shot is None:
        return 1
    w, h, rows = read_xwd(shot)
    # The window in the top-left corner, 16 px from the edges.
    win = [r[16:16 + W] for r in rows[16:16 + H]]
    write_png(os.path.join(out, "overlay_xvfb.png"), win)
    pixels = [px for r in win for px in r]
    distinct = len(set(pixels))
    check(distinct > 50, "the window is not blank (%d distinct colours)" % distinct)
    check(sum(near(px, BG) for px in pixels) > len(pixels) // 3,
          "the overlay's background fills the corner")
    stripe = [win[y][x] for y in range(46) for x in range(6)]
    check(sum(near(px, WARNING) for px in stripe) > 0.9 * len(stripe),
          "the warning banner shows while the listening goal slips")
    outside = [px for r in rows[200:] for px in r[:400]]
    check(not any(near(px, WARNING) for px in outside), "nothing drawn outside the window")
    print("%d passed, %d failed" % (7 - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
