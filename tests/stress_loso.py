#!/usr/bin/python3
"""The vocal-stress model's leave-one-speaker-out figures, reproduced.

tools/train_stress recorded the within-speaker ROC AUC of the model and of
each single feature per data set in models/stress.txt ("#: loso DATASET
NAME AUC" lines) when it wrote the model.  This runs the trainer again on
the same corpus and the current attune, and fails when any figure moved by
more than TOL: a change in the features (src/stress.c, pitch, VAD) that
shifts the accuracy must come with a retrained model and new figures.  It
also holds the model to its floors (EmoDB 0.97, RAVDESS normal intensity
0.93, the issue's targets).

Usage: stress_loso.py --attune BIN.  Exit 77 (skipped) without the corpus."""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOL = 0.01
FLOORS = {"emodb": 0.97, "ravdess": 0.93}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    a = ap.parse_args()
    r = subprocess.run([os.path.join(ROOT, "tools", "train_stress"), "--attune", a.attune, "--json"],
                       capture_output=True, text=True)
    if r.returncode == 77:
        print("no corpus: skipped")
        return 77
    if r.returncode != 0:
        print(r.stderr)
        return 1
    got = json.loads(r.stdout)
    bad = 0
    with open(os.path.join(ROOT, "models", "stress.txt")) as f:
        for line in f:
            if not line.startswith("#: loso "):
                continue
            _, _, ds, name, auc = line.split()
            g = got[ds][name]
            ok = abs(g - float(auc)) <= TOL
            bad += not ok
            print("%-8s %-14s recorded %.3f now %.3f %s" % (ds, name, float(auc), g, "" if ok else "MOVED"))
    for ds, floor in FLOORS.items():
        if got[ds]["model"] < floor:
            print("%s: model AUC %.3f below %.2f" % (ds, got[ds]["model"], floor))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
