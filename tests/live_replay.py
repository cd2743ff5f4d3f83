#!/usr/bin/python3
"""live_replay: `attune live --replay` end to end, no hardware.

  live_replay.py ATTUNE SCRATCH_DIR

On a generated call with known truth (60 s, seed 6: one interruption each,
a 7.9 s stretch of dead air, a 31 s agent monologue):
  - live at full speed gives the same analysis as `attune analyze`, and
    with `--set` the same as analyze with it;
  - with a profile whose thresholds the call crosses, the goals fire and
    clear where the truth says (dead air, monologue, interruptions,
    listening), in the events file and in the summary;
  - a "dismiss" line on stdin dismisses the active alert, logged in the
    events and the summary;
  - SIGTERM mid-replay: exit 0, one line, summary written with the audio
    up to then;
  - bad options and files: one line, the right exit status;
  - a mono recording (a generated 4-minute call mixed to one channel):
    agent and customer live, from the online speaker labelling, with the
    agent's talk share near the truth; the summary is the offline
    diarization, the same as `attune analyze` of the mono file;
  - live interruptions on mono calls (clean16k and phone, seeds 2-5):
    precision, recall and the delay of the events against the truth."""

import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
passed = failed = 0


def check(ok, what):
    global passed, failed
    print("%s %s" % ("ok  " if ok else "FAIL", what), flush=True)
    passed += bool(ok)
    failed += not ok


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)


def events(path):
    return [json.loads(l) for l in open(path)]


def main():
    attune, tmp = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(tmp, exist_ok=True)
    call = os.path.join(tmp, "call")
    subprocess.run([os.path.join(ROOT, "tools", "gencall"), "--condition", "clean16k", "--seed",
                    "6", "--duration", "60", "--out", call], check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    wav = call + ".wav"
    truth = json.load(open(call + ".truth.json"))

    # 1. The same pipeline as analyze.
    summ = os.path.join(tmp, "same.json")
    r = run([attune, "live", "--replay", wav, "--speed", "max", "--summary", summ])
    check(r.returncode == 0 and "end of the replayed file" in r.stderr,
          "replay ends by itself: " + r.stderr.strip())
    ana = json.loads(run([attune, "analyze", "--json", wav]).stdout)
    live = json.load(open(summ))["analysis"]
    check(live["parties"] == ana["parties"] and live["conversation"] == ana["conversation"],
          "live replay and analyze agree on every party and conversation field")
    # ... with the same settings: --set reaches the live pipeline.
    summ = os.path.join(tmp, "set.json")
    run([attune, "live", "--replay", wav, "--speed", "max", "--ui", "none", "--set",
         "bridge_s=1.5", "--summary", summ])
    ana_set = json.loads(run([attune, "analyze", "--json", "--set", "bridge_s=1.5", wav]).stdout)
    live = json.load(open(summ))["analysis"]
    check(live["parties"] == ana_set["parties"] and live["parties"] != ana["parties"],
          "live --set bridge_s=1.5 agrees with analyze --set and differs from the default")

    # 2. Goals firing and clearing, on thresholds the call crosses.
    profile = os.path.join(tmp, "low.ini")
    with open(profile, "w") as f:
        f.write("[profile]\nname = test-low\n"
                "[dead_air]\nthreshold = 5\ncooldown_s = 0\n"
                "[monologue]\nthreshold = 20\n"
                "[interruptions]\nthreshold = 1\nwindow_s = 3\n"
                "[listening]\nthreshold = 0.7\nmin_talk_s = 10\nwindow_s = 30\n"
                "[pace]\nenabled = false\n")
    ev_path = os.path.join(tmp, "low.events.jsonl")
    summ = os.path.join(tmp, "low.json")
    r = run([attune, "live", "--replay", wav, "--speed", "max", "--goals", profile,
             "--events", ev_path, "--summary", summ])
    ev = events(ev_path)
    check(ev[0]["event"] == "session_start" and ev[-1]["event"] == "session_end",
          "events open with session_start and close with session_end")
    n_metrics = sum(e["event"] == "metrics" for e in ev)
    check(59 <= n_metrics <= 61, "a metrics line each second (%d for 60 s)" % n_metrics)
    fired = {}
    for e in ev:
        if e["event"] == "alert":
            fired.setdefault(e["goal"], []).append(e)
    cleared = {e["goal"] for e in ev if e["event"] == "alert_cleared"}
    da = truth["conversation"]["dead_air"][0]
    got = [e["t"] for e in fired.get("dead_air", [])]
    check(any(abs(t - (da["start"] + 5)) < 0.8 for t in got),
          "dead air fires 5 s into the truth's silence at %.2f (fired at %s)"
          % (da["start"] + 5, got))
    mono = [e["t"] for e in fired.get("monologue", [])]
    check(len(mono) >= 1, "monologue fires (at %s)" % mono)
    intr = sorted(i["t"] for i in truth["conversation"]["interruptions"] if i["by"] == "agent")
    got = [e["t"] for e in fired.get("interruptions", [])]
    check(len(got) >= 1 and abs(got[0] - intr[0]) < 1.5,
          "the agent's interruption at %.2f fires at %s" % (intr[0], got))
    check("listening" in fired, "listening fires")
    for g in ("dead_air", "monologue", "interruptions"):
        check(g in cleared, "%s clears when the goal recovers" % g)
    s = json.load(open(summ))
    check(s["profile"] == profile and len(s["alerts"]) == sum(
        e["event"].startswith("alert") for e in ev), "summary lists every alert change")
    check({g["goal"] for g in s["analysis"]["goals"]} == set(fired),
          "summary's goal slips match the events")

    # 3. Dismissal through stdin, as the d key does.
    p = subprocess.Popen([attune, "live", "--replay", wav, "--speed", "8", "--goals", profile,
                          "--events", "-", "--summary", os.path.join(tmp, "dismiss.json")],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    dismissed_id, lines = None, []
    deadline = time.monotonic() + 60
    for line in p.stdout:
        e = json.loads(line)
        lines.append(e)
        if e["event"] == "alert" and dismissed_id is None:
            dismissed_id = e["id"]
            p.stdin.write("dismiss\n")
            p.stdin.flush()
        if time.monotonic() > deadline:
            p.kill()
            break
    p.wait(30)
    d = [e for e in lines if e["event"] == "alert_dismissed"]
    check(d and d[0]["id"] == dismissed_id, "a dismiss line dismisses alert %s" % dismissed_id)
    s = json.load(open(os.path.join(tmp, "dismiss.json")))
    check(any(x["id"] == dismissed_id for x in s["dismissals"]), "the dismissal is in the summary")

    # 4. SIGTERM mid-call.
    summ = os.path.join(tmp, "term.json")
    p = subprocess.Popen([attune, "live", "--replay", wav, "--speed", "1", "--ui", "none",
                          "--summary", summ, "--record", os.path.join(tmp, "term.wav")],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    p.send_signal(signal.SIGTERM)
    try:
        err = p.communicate(timeout=15)[1]
    except subprocess.TimeoutExpired:
        p.kill()
        err = "(did not stop)"
    check(p.returncode == 0 and "interrupted by SIGTERM" in err, "SIGTERM: exit 0, says so: "
          + err.strip())
    s = json.load(open(summ)) if os.path.exists(summ) else None
    check(s and 2.5 < s["analysis"]["duration_s"] < 4.5,
          "SIGTERM: summary holds the first ~3 s")

    # 5. Bad use.
    r = run([attune, "live", "--replay", os.path.join(tmp, "missing.wav"), "--ui", "none",
             "--summary", os.path.join(tmp, "missing.json")])
    check(r.returncode == 1 and r.stderr.count("\n") == 1 and "missing.wav" in r.stderr,
          "missing file: one line naming it, exit 1: " + r.stderr.strip())
    r = run([attune, "live", "--replay", wav, "--speed", "0"])
    check(r.returncode == 2 and r.stderr.count("\n") == 1, "bad --speed: exit 2")
    r = run([attune, "live", "--replay", wav, "--goals", os.path.join(tmp, "nope.ini")])
    check(r.returncode == 1 and "nope.ini" in r.stderr, "missing profile named: "
          + r.stderr.strip())
    mono_replay(attune, tmp)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


# Live talk share against the truth on the mono call: measured 2.8-2.9 points
# (clean16k seed 4, 2026-11-23; 0.2-21.5 over seeds 1-12 of clean16k and
# phone, median 3.3).  A labelling that lost one voice would be 35-45 off.
MONO_SHARE_PP = 8.0


def mono_replay(attune, tmp):
    """6. A mono call: two parties live and in the summary."""
    call = os.path.join(tmp, "mono_src")
    subprocess.run([os.path.join(ROOT, "tools", "gencall"), "--condition", "clean16k", "--seed",
                    "4", "--duration", "240", "--out", call], check=True,
                   stdout=subprocess.DEVNULL, timeout=300)
    wav = os.path.join(tmp, "mono.wav")
    subprocess.run(["sox", "-D", call + ".wav", wav, "remix", "1,2"], check=True)  # no dither
    truth = json.load(open(call + ".truth.json"))
    ev_path, summ = os.path.join(tmp, "mono.events.jsonl"), os.path.join(tmp, "mono.json")
    r = run([attune, "live", "--replay", wav, "--speed", "max", "--ui", "none", "--events",
             ev_path, "--summary", summ])
    check(r.returncode == 0 and "end of the replayed file" in r.stderr,
          "mono replay ends by itself: " + r.stderr.strip())
    metrics = [e for e in events(ev_path) if e["event"] == "metrics"]
    mid, last = metrics[len(metrics) // 2], metrics[-1]
    check(mid["agent"]["talk_s"] > 10 and mid["customer"]["talk_s"] > 10,
          "mono: both parties talk live by mid-call (agent %.1f s, customer %.1f s)"
          % (mid["agent"]["talk_s"], mid["customer"]["talk_s"]))
    want = truth["parties"]["agent"]["talk_share"]
    got = last["agent_talk_share"]
    check(got is not None and abs(got - want) * 100 <= MONO_SHARE_PP,
          "mono: live agent talk share %s, truth %.3f (within %.0f points)"
          % (got, want, MONO_SHARE_PP))
    r = run([attune, "live", "--replay", wav, "--speed", "max", "--ui", "none",
             "--first-speaker", "customer", "--events", ev_path + ".c",
             "--summary", summ + ".c"])
    swapped = [e for e in events(ev_path + ".c") if e["event"] == "metrics"][-1]
    check(got is not None and abs(swapped["agent_talk_share"] - (1 - got)) < 0.002,
          "mono: --first-speaker customer swaps the parties live (agent share %s)"
          % swapped["agent_talk_share"])
    live = json.load(open(summ))["analysis"]
    ana = json.loads(run([attune, "analyze", "--json", wav]).stdout)
    check(live["channels"] == 1 and live["parties"] == ana["parties"] and
          live["conversation"] == ana["conversation"],
          "mono: the summary is the offline diarization, as analyze gives it")
    ev = events(ev_path)
    last = [e for e in ev if e["event"] == "metrics"][-1]
    for party in ("agent", "customer"):
        n = sum(e["event"] == "interruption" and e["by"] == party and e["t"] <= last["t"]
                for e in ev)
        check(n == last[party]["interruptions_made"],
              "mono: %d live interruption events by the %s, as the metrics count (%d)"
              % (n, party, last[party]["interruptions_made"]))
    mono_interruptions(attune, tmp, {4: ev})


# Live interruptions on mono calls (src/diar_online.c), pooled over
# generated 4-minute calls, seeds 2-5, matched by party within 0.5 s of the
# truth's onset as `attune score` does.  Measured 2026-11-23: clean16k
# precision 0.53, recall 0.59, phone 0.28 and 0.21 (the online labelling
# takes part of two phone calls' speech for the wrong voice); an alert
# 1.9-2.1 s after the overlap starts (median per call).  Bounds below.
LIVE_FLOORS = {"clean16k": (0.45, 0.50), "phone": (0.20, 0.15)}   # (precision, recall)
LIVE_LATENCY_S = 2.5    # median, from the true onset to the event
MATCH_S = 0.5


def match(truth, ev):
    """(tp, fp, fn, latencies) of the live interruption events."""
    ref = [(i["by"], i["t"]) for i in truth["conversation"]["interruptions"]]
    used, lat = set(), []
    hyp = [e for e in ev if e["event"] == "interruption"]
    for e in hyp:
        near = [i for i, (by, t) in enumerate(ref)
                if i not in used and by == e["by"] and abs(t - e["start"]) <= MATCH_S]
        if near:
            best = min(near, key=lambda i: abs(ref[i][1] - e["start"]))
            used.add(best)
            lat.append(e["t"] - ref[best][1])
    return len(used), len(hyp) - len(used), len(ref) - len(used), lat


def mono_interruptions(attune, tmp, have):
    """7. Interruptions as a mono call plays, against the truth."""
    for cond, (min_p, min_r) in LIVE_FLOORS.items():
        tp = fp = fn = 0
        lat = []
        for seed in (2, 3, 4, 5):
            call = os.path.join(tmp, "mono_src" if (cond, seed) == ("clean16k", 4)
                                else "%s_%d" % (cond, seed))
            if not os.path.exists(call + ".truth.json"):
                subprocess.run([os.path.join(ROOT, "tools", "gencall"), "--condition", cond,
                                "--seed", str(seed), "--duration", "240", "--out", call],
                               check=True, stdout=subprocess.DEVNULL, timeout=300)
            ev = have.get(seed) if cond == "clean16k" else None
            if ev is None:
                wav = call + ".mono.wav"
                subprocess.run(["sox", "-D", call + ".wav", wav, "remix", "1,2"], check=True)
                ev_path = call + ".events.jsonl"
                run([attune, "live", "--replay", wav, "--speed", "max", "--ui", "none",
                     "--events", ev_path, "--summary", call + ".summary.json"])
                ev = events(ev_path)
            t, f, n, l = match(json.load(open(call + ".truth.json")), ev)
            tp, fp, fn, lat = tp + t, fp + f, fn + n, lat + l
        p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        med = sorted(lat)[len(lat) // 2] if lat else float("inf")
        check(p >= min_p and r >= min_r,
              "mono %s, live interruptions: tp %d fp %d fn %d, precision %.2f (floor %.2f), "
              "recall %.2f (floor %.2f)" % (cond, tp, fp, fn, p, min_p, r, min_r))
        check(med <= LIVE_LATENCY_S and all(x > 0 for x in lat),
              "mono %s: each interruption event %.2f s after the overlap starts (median; "
              "bound %.1f s)" % (cond, med, LIVE_LATENCY_S))


if __name__ == "__main__":
    main()
