#!/usr/bin/python3
"""A real phone call against its reference turn times.

../shared/corpus/telephone/MUL1011.opus (SpokenWOZ, 8 kHz, caller on the
first channel, agent on the second) comes with the start of every agent
turn and the end of every caller turn, taken from word alignments.  attune
must find each of those boundaries, with the channel map of
--agent-channel 1, and no turn-taking that the call does not have.

The reference marks words with their aligner's padding: speech energy ends
about 0.3 s before a caller turn's listed end and the agent's first syllable
comes about 0.15 s after a listed start.  The tolerances below take that
bias into account; they are still tight enough that a detector that loses
or invents turns, swaps channels or drifts by a few hundred ms fails.

Usage: corpus_telephone.py ATTUNE.  Exit 77 (skipped) without the corpus."""
import csv
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus():
    for d in (os.environ.get("ATTUNE_CORPUS"), os.path.join(HERE, "..", "..", "shared", "corpus")):
        if d and os.path.isdir(os.path.join(d, "telephone")):
            return d
    return None


def nearest(values, t):
    return min(values, key=lambda v: abs(v - t)) - t


def main():
    d = corpus()
    if not d:
        print("SKIPPED: no corpus at ../shared/corpus or $ATTUNE_CORPUS")
        return 77
    audio = os.path.join(d, "telephone", "MUL1011.opus")
    rows = list(csv.DictReader(open(os.path.join(d, "telephone", "MUL1011.turns.tsv")),
                               delimiter="\t"))
    out = subprocess.run([sys.argv[1], "analyze", "--json", "--agent-channel", "1", audio],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        print("attune failed:", out.stderr.strip())
        return 1
    h = json.loads(out.stdout)
    agent, caller = h["parties"]["agent"], h["parties"]["customer"]
    starts = [float(r["start_s"]) for r in rows if r["speaker"] == "agent" and r["start_s"] != "NA"]
    ends = [float(r["end_s"]) for r in rows if r["speaker"] == "user" and r["end_s"] != "NA"]
    e_start = [nearest([s for s, _ in agent["segments"]], t) for t in starts]
    e_end = [nearest([e for _, e in caller["segments"]], t) for t in ends]
    checks = []

    def check(name, ok, detail):
        checks.append(ok)
        print("%-4s %-44s %s" % ("ok" if ok else "FAIL", name, detail))

    med_s = statistics.median(e_start)
    med_e = statistics.median(e_end)
    check("agent turn starts found (|err| <= 0.4 s)",
          sum(abs(e) <= 0.4 for e in e_start) >= len(starts) - 2,
          "%d of %d, median %+.2f s" % (sum(abs(e) <= 0.4 for e in e_start), len(starts), med_s))
    check("agent onset bias within 0.05..0.25 s", 0.05 <= med_s <= 0.25, "%+.2f s" % med_s)
    check("caller turn ends found (|err| <= 0.5 s)", all(abs(e) <= 0.5 for e in e_end),
          "%d of %d, median %+.2f s" % (sum(abs(e) <= 0.5 for e in e_end), len(ends), med_e))
    check("caller offset bias within -0.40..-0.20 s", -0.40 <= med_e <= -0.20, "%+.2f s" % med_e)
    check("agent turns 18..25 (reference 21)", 18 <= agent["turns"] <= 25, str(agent["turns"]))
    check("caller turns 19..26 (reference 22)", 19 <= caller["turns"] <= 26, str(caller["turns"]))
    # The corpus notes both channels are active together in about 1 % of frames.
    check("overtalk under 3 s (1 % of 183 s is 1.8 s)", h["conversation"]["overtalk_s"] < 3.0,
          "%.1f s" % h["conversation"]["overtalk_s"])
    check("at most one interruption", len(h["conversation"]["interruptions"]) <= 1,
          str(len(h["conversation"]["interruptions"])))
    print("%d passed, %d failed" % (sum(checks), len(checks) - sum(checks)))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
