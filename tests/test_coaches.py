#!/usr/bin/python3
"""test_coaches: the coach's report and batch review (issue 6), end to end.

  test_coaches.py --attune BIN --workdir DIR --part report|batch|parallel

  report    a generated phone call's report loaded by headless Chromium: the
            DOM holds as many talk spurts, interruption and backchannel
            markers and goal flags as the analysis JSON; the player points
            at the call by a relative path; nothing comes from the network.
            A screenshot is kept as DIR/report.png (and the batch index's as
            DIR/index.png).  Skipped (77) without chromium.
  batch     a folder of two good calls, one cut short and one that is not
            audio: the good rows are written, each bad file gets one line
            "attune: FILE: problem" and an error row, the exit is 1;
            summary.csv parses and matches each call's JSON; a re-run skips
            done calls, --force redoes them.
  parallel  the README's recipe: GNU parallel runs one batch per call, then
            `attune batch --merge` joins the summaries.  Skipped (77) without
            parallel.
"""

import argparse
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENCALL = os.path.join(ROOT, "tools", "gencall")
SKIP = 77
failures = []


def check(ok, what):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        failures.append(what)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, **kw)


def make_call(path_prefix, condition, seed, duration):
    if not os.path.exists(path_prefix + ".wav"):
        r = run([GENCALL, "--condition", condition, "--seed", str(seed),
                 "--duration", str(duration), "--out", path_prefix])
        if r.returncode != 0:
            sys.exit("gencall failed: " + r.stderr)
    return path_prefix + ".wav"


def chromium(args, url):
    """Headless Chromium, hermetic: no sandbox (root), no network services."""
    with tempfile.TemporaryDirectory(prefix="attune-chromium-") as profile:
        return run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile] + args + [url], timeout=120)


def svg_of(dom):
    m = re.search(r'<svg id="tl".*?</svg>\s*<p id="tl-help"', dom, re.S)
    return m.group(0) if m else ""


# ---------------------------------------------------------------- report

def part_report(a):
    if not shutil.which("chromium"):
        print("skip: chromium not found (tools/setup installs it)")
        return SKIP
    call = make_call(os.path.join(a.workdir, "call"), "phone", 7, 120)
    j = json.loads(run([a.attune, "analyze", "--json", call]).stdout)
    out_dir = os.path.join(a.workdir, "reports")
    os.makedirs(out_dir, exist_ok=True)
    html = os.path.join(out_dir, "call.html")
    r = run([a.attune, "report", call, "-o", html])
    check(r.returncode == 0 and r.stderr == "", "attune report exits 0, quietly")
    page = open(html).read()
    check(not re.search(r'(src|href)="(https?:)?//', page) and "@import" not in page,
          "the page loads nothing from the network")
    m = re.search(r'<audio id="player"[^>]* src="([^"]+)"', page)
    check(m is not None and m.group(1) == "../call.wav", "the player's source is relative: %s"
          % (m.group(1) if m else None))

    r = chromium(["--dump-dom"], "file://" + html)
    dom = svg_of(r.stdout)
    check(r.returncode == 0 and dom != "", "Chromium loads the report")
    conv = j["conversation"]
    for party in ("agent", "customer"):
        n = len(re.findall(r'class="spurt %s"' % party, dom))
        want = len(j["parties"][party]["segments"])
        check(n == want, "%s talk spurts: %d in the DOM, %d in the JSON" % (party, n, want))
    for by in ("agent", "customer"):
        n = len(re.findall(r'class="intr by-%s"' % by, dom))
        want = sum(1 for e in conv["interruptions"] if e["by"] == by)
        check(n == want, "interruptions by the %s: %d markers, %d in the JSON" % (by, n, want))
    n = len(re.findall(r'class="bc (agent|customer)"', dom))
    check(n == len(conv["backchannels"]), "backchannels: %d ticks, %d in the JSON"
          % (n, len(conv["backchannels"])))
    n = len(re.findall(r'class="deadair"', dom))
    check(n == len(conv["dead_air"]), "dead air: %d shaded, %d in the JSON"
          % (n, len(conv["dead_air"])))
    n = len(re.findall(r'class="flag"', dom))
    check(n == len(j["goals"]), "goal flags: %d, %d in the JSON" % (n, len(j["goals"])))
    check(len(conv["interruptions"]) > 0 and len(j["goals"]) > 0,
          "the call has interruptions and slipped goals to show")
    # The script ran: it wrote the view's readout and placed the axis.
    check('id="view" aria-live="polite">showing 0:00' in r.stdout, "the page's script ran")

    shot = os.path.join(a.workdir, "report.png")
    if os.path.exists(shot):
        os.remove(shot)
    r = chromium(["--screenshot=" + shot, "--window-size=1400,900"], "file://" + html)
    ok = os.path.exists(shot) and open(shot, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    check(ok and os.path.getsize(shot) > 20000, "screenshot kept: %s" % shot)
    return 0


# ---------------------------------------------------------------- batch

def stderr_lines(text):
    return [l for l in text.splitlines() if l.strip()]


def matches_json(row, j):
    """The summary row says what the call's JSON says."""
    p, c = j["parties"]["agent"], j["parties"]["customer"]

    def num(v):
        return None if v == "" else float(v)

    def near(x, y, tol):
        return (x is None and y is None) or (x is not None and y is not None
                                             and abs(x - y) <= tol)
    dead = sum(d["end"] - d["start"] for d in j["conversation"]["dead_air"])
    return all([
        near(num(row["duration_s"]), j["duration_s"], 0.01),
        near(num(row["agent_talk_share"]), p["talk_share"], 1e-4),
        near(num(row["customer_talk_share"]), c["talk_share"], 1e-4),
        int(row["agent_interruptions"]) == p["interruptions_made"],
        int(row["customer_interruptions"]) == c["interruptions_made"],
        near(num(row["agent_patience_s"]), p["patience_s"], 1e-3),
        near(num(row["customer_patience_s"]), c["patience_s"], 1e-3),
        near(num(row["agent_wpm"]), p.get("wpm"), 0.05),
        near(num(row["customer_wpm"]), c.get("wpm"), 0.05),
        near(num(row["dead_air_s"]), dead, 0.05),
        row["customer_stress_peak"] == "",
        int(row["goals_slipped"]) == len(j["goals"]),
        row["error"] == "",
    ])


def make_folder(a):
    calls = os.path.join(a.workdir, "calls")
    shutil.rmtree(calls, ignore_errors=True)
    os.makedirs(calls)
    src = os.path.join(a.workdir, "src")
    os.makedirs(src, exist_ok=True)
    shutil.copy(make_call(os.path.join(src, "phone7"), "phone", 7, 120),
                os.path.join(calls, "agent one.wav"))
    shutil.copy(make_call(os.path.join(src, "clean3"), "clean16k", 3, 60),
                os.path.join(calls, "b.wav"))
    with open(os.path.join(calls, "agent one.wav"), "rb") as f:
        head = f.read(3000)
    with open(os.path.join(calls, "cut.wav"), "wb") as f:   # header of 2 minutes, data of 0.2 s
        f.write(head)
    with open(os.path.join(calls, "notes.wav"), "w") as f:
        f.write("not a sound file\n")
    with open(os.path.join(calls, "readme.txt"), "w") as f:   # not a call: left alone
        f.write("calls of the week\n")
    return calls


def part_batch(a):
    calls = make_folder(a)
    out = os.path.join(a.workdir, "out")
    shutil.rmtree(out, ignore_errors=True)
    r = run([a.attune, "batch", calls, "-o", out, "-j", "2"])
    check(r.returncode == 1, "a folder with bad files: exit 1 (got %d)" % r.returncode)
    lines = stderr_lines(r.stderr)
    bad = [os.path.join(calls, n) for n in ("cut.wav", "notes.wav")]
    check(len(lines) == 2 and all(any(l.startswith("attune: %s: " % b) for l in lines)
                                  for b in bad),
          "one line 'attune: FILE: problem' per bad file: %r" % lines)
    check(r.stdout == "", "nothing on stdout")

    rows = list(csv.DictReader(open(os.path.join(out, "summary.csv"), newline="")))
    check(len(rows) == 4, "summary.csv: a row per call (%d)" % len(rows))
    by_file = {os.path.basename(row["file"]): row for row in rows}
    for name in ("agent one", "b"):
        row = by_file.get(name + ".wav")
        j = json.load(open(os.path.join(out, name + ".json")))
        check(row is not None and matches_json(row, j), "%s: the row matches its JSON" % name)
        check(row is not None and row["report"] == name + ".html"
              and os.path.exists(os.path.join(out, name + ".html")), "%s: its report" % name)
    for name in ("cut", "notes"):
        row = by_file.get(name + ".wav", {})
        empty = all(row.get(k) == "" for k in row if k not in ("file", "error"))
        check(row.get("error", "") != "" and empty, "%s: an error row: %r" % (name, row.get("error")))
    index = open(os.path.join(out, "index.html")).read()
    check('href="agent%20one.html"' in index and 'href="b.html"' in index,
          "index.html links each report")
    check(index.count("<tr") == 5, "index.html: a table row per call")

    # Re-run: done calls are skipped (their outputs untouched), bad ones retried.
    before = os.stat(os.path.join(out, "b.json")).st_mtime_ns
    r = run([a.attune, "batch", calls, "-o", out])
    check(r.returncode == 1 and len(stderr_lines(r.stderr)) == 2, "a re-run retries the bad files")
    check(os.stat(os.path.join(out, "b.json")).st_mtime_ns == before, "a re-run skips done calls")
    rows2 = list(csv.DictReader(open(os.path.join(out, "summary.csv"), newline="")))
    check(rows2 == rows, "a re-run writes the same summary")
    r = run([a.attune, "batch", os.path.join(calls, "b.wav"), "-o", out, "--force", "-j", "1"])
    check(r.returncode == 0 and os.stat(os.path.join(out, "b.json")).st_mtime_ns != before,
          "--force analyses a done call again")
    r = run([a.attune, "batch", calls])
    check(r.returncode == 2 and len(stderr_lines(r.stderr)) == 1, "no -o: a usage error")

    if shutil.which("chromium"):
        shot = os.path.join(a.workdir, "index.png")
        chromium(["--screenshot=" + shot, "--window-size=1400,400"],
                 "file://" + os.path.join(out, "index.html"))
        check(os.path.exists(shot), "index screenshot kept: %s" % shot)
    return 0


# ---------------------------------------------------------------- parallel

def part_parallel(a):
    if not shutil.which("parallel"):
        print("skip: GNU parallel not found (tools/setup installs it)")
        return SKIP
    calls = make_folder(a)
    fleet = os.path.join(a.workdir, "fleet")
    shutil.rmtree(fleet, ignore_errors=True)
    os.makedirs(fleet)
    wavs = sorted(glob.glob(os.path.join(calls, "*.wav")))
    # The README's recipe, word for word but for the paths.
    r = run(["parallel", "-j", "2", a.attune, "batch", "{}", "-o", fleet + "/{/.}", ":::"] + wavs)
    check(r.returncode == 2, "parallel: two jobs fail, so its exit is 2 (got %d)" % r.returncode)
    check(len(stderr_lines(r.stderr)) == 2, "parallel: one line per bad file")
    summaries = sorted(glob.glob(os.path.join(fleet, "*", "summary.csv")))
    merged = os.path.join(fleet, "all")
    r = run([a.attune, "batch", "--merge"] + summaries + ["-o", merged])
    check(r.returncode == 0, "merge exits 0: %s" % r.stderr.strip())
    rows = list(csv.DictReader(open(os.path.join(merged, "summary.csv"), newline="")))
    check(sorted(os.path.basename(x["file"]) for x in rows)
          == sorted(os.path.basename(w) for w in wavs), "the merge has every call once")
    good = [x for x in rows if not x["error"]]
    check(len(good) == 2 and all(os.path.exists(os.path.join(merged, x["report"])) for x in good),
          "merged report links resolve from the merged folder: %r" % [x["report"] for x in good])
    for x in good:
        name = os.path.splitext(os.path.basename(x["file"]))[0]
        j = json.load(open(os.path.join(fleet, name, name + ".json")))
        check(matches_json(x, j), "%s: the merged row matches its JSON" % name)
    r = run([a.attune, "batch", "--merge", os.path.join(calls, "readme.txt"), "-o", merged])
    check(r.returncode == 1 and stderr_lines(r.stderr)[0].startswith("attune: "),
          "merging something that is not a summary: one line, exit 1")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--part", required=True, choices=["report", "batch", "parallel"])
    a = ap.parse_args()
    a.attune = os.path.abspath(a.attune)
    a.workdir = os.path.abspath(a.workdir)
    os.makedirs(a.workdir, exist_ok=True)
    rc = {"report": part_report, "batch": part_batch, "parallel": part_parallel}[a.part](a)
    if rc == SKIP:
        return SKIP
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
