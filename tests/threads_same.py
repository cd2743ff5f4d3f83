#!/usr/bin/python3
"""Two threads give what one gives, byte for byte.

  tests/threads_same.py --attune PATH/TO/attune --workdir DIR

`attune analyze` runs a file on two threads by default (each channel's
spectra a block ahead on a worker, src/front.c); `--threads 1` keeps one.
Generated calls (tools/gencall, seed 3, 90 s: clean16k at 16 kHz PCM and
mulaw8k at 8 kHz mu-law) and their mono mixes (sox remix 1,2, diarized into
two parties) are analysed both ways, and every output is compared byte for
byte: the text summary, JSON with the sales goals' alerts, RTTM and
TextGrid, and the per-frame CSV of `attune frames`.  A bad --threads value
is a usage error.

Data races: a ThreadSanitizer build runs this test and unit_pipeline
without a report (cmake -S . -B build-tsan -DCMAKE_C_FLAGS=-fsanitize=thread
-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread; TSan fails the runs with exit
code 66 on a race, and this script with them).
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENCALL = os.path.join(os.path.dirname(HERE), "tools", "gencall")
SEED, DURATION_S = 3, 90
CONDITIONS = ["clean16k", "mulaw8k"]


def calls(workdir):
    """The stereo calls and their mono mixes, made once."""
    out = []
    for cond in CONDITIONS:
        stereo = os.path.join(workdir, "%s-%d" % (cond, SEED))
        if not os.path.exists(stereo + ".wav"):
            subprocess.run([GENCALL, "--condition", cond, "--seed", str(SEED),
                            "--duration", str(DURATION_S), "--out", stereo], check=True)
        mono = stereo + "-mono.wav"
        if not os.path.exists(mono):
            subprocess.run(["sox", "-R", stereo + ".wav", mono, "remix", "1,2"], check=True)
        out += [stereo + ".wav", mono]
    return out


def outputs(attune, wav, threads, workdir):
    """Every output of one file with the given threads, as {name: bytes}."""
    t = ["--threads", str(threads)]
    got = {}
    run = lambda args: subprocess.run([attune] + args, check=True, capture_output=True).stdout
    got["text"] = run(["analyze"] + t + [wav])
    got["json"] = run(["analyze", "--json", "--goals", "sales"] + t + [wav])
    odir = os.path.join(workdir, "out%d" % threads)
    os.makedirs(odir, exist_ok=True)
    run(["analyze", "--rttm", "--textgrid", "-o", odir] + t + [wav])
    base = os.path.splitext(os.path.basename(wav))[0]
    for ext in ("rttm", "TextGrid"):
        with open(os.path.join(odir, base + "." + ext), "rb") as f:
            got[ext] = f.read()
    got["frames"] = run(["frames", "--csv"] + t + [wav])
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    failed = 0
    for wav in calls(a.workdir):
        one = outputs(a.attune, wav, 1, a.workdir)
        two = outputs(a.attune, wav, 2, a.workdir)
        for name in one:
            same = one[name] == two[name]
            print("%-28s %-8s %8d bytes  %s" % (os.path.basename(wav), name, len(one[name]),
                                                "same" if same else "DIFFERENT"))
            failed += not same
        # Not trivially equal: a call's outputs hold its talk and frames.
        if len(one["frames"].splitlines()) < 0.9 * DURATION_S * 100 or b'"segments":[[' not in one["json"]:
            print("%s: outputs too short to compare" % wav)
            failed += 1
    bad = subprocess.run([a.attune, "analyze", "--threads", "3", wav], capture_output=True)
    if bad.returncode != 2 or b"--threads" not in bad.stderr:
        print("--threads 3: expected a usage error, got %d %r" % (bad.returncode, bad.stderr))
        failed += 1
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
