#!/usr/bin/python3
"""The researchers' toolkit end to end (issue 7): config, formats, score, tune.

  tests/test_researchers.py --attune PATH/TO/attune --workdir DIR

  - `config --dump` round trip, and --config errors naming file, line, key;
  - hand-computed DER cases at collar 0 and 0.25;
  - RTTM, TextGrid and JSON each scored against itself: DER 0, F1 1;
  - `attune score` agrees with tools/scorelib.py on 3 generated calls;
  - a sweep of bridge_s over two generated calls finds 0.3, the value the
    generator's truth is built with (tools/convo_ref.py BRIDGE_S).
Generated calls go to DIR (tools/gencall --condition clean16k).
"""

import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), "tools")
MODELS = os.path.join(os.path.dirname(HERE), "models")
sys.path.insert(0, TOOLS)
import scorelib  # noqa: E402

TOL = 1e-3
failures = []


def check(ok, what):
    print("%s  %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        failures.append(what)


def run(args, expect=0):
    p = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if p.returncode != expect:
        raise SystemExit("%s: exit %d (wanted %d): %s" % (" ".join(args), p.returncode,
                                                         expect, p.stderr.strip()))
    return p


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def score_json(attune, ref, hyp, collar=0.25):
    out = run([attune, "score", "--json", "--collar", str(collar), "--ref", ref, hyp]).stdout
    return json.loads(out)


def close(a, b, tol=TOL):
    if isinstance(b, float) and math.isinf(b):
        return a == "inf"
    return a is not None and abs(float(a) - float(b)) <= tol


def test_config(attune, wd):
    dump = run([attune, "config", "--dump", "--set", "dead_air_s=4.25"]).stdout
    ini = write(os.path.join(wd, "dumped.ini"), dump)
    again = run([attune, "config", "--dump", "--config", ini]).stdout
    check(dump == again, "config --dump | --config gives the same config back")
    shipped = run([attune, "config", "--dump", "--config", os.path.join(MODELS, "attune.ini")])
    check(shipped.stdout == run([attune, "config", "--dump"]).stdout,
          "models/attune.ini is the built-in defaults")
    bad = write(os.path.join(wd, "my.ini"), "[analysis]\nbridge_s = 0.3\nbrige_s = 0.2\n")
    for cmd in (["analyze", "x.wav"], ["config", "--dump"], ["score", "--ref", "a", "b"]):
        err = run([attune] + cmd[:1] + ["--config", bad] + cmd[1:], expect=2).stderr.strip()
        check(err == "attune: %s:3: unknown key 'brige_s'" % bad,
              "%s --config: error names file, line and key (%s)" % (cmd[0], err))
    err = run([attune, "config", "--dump", "--set", "dead_air_s=99"], expect=2).stderr.strip()
    check("dead_air_s" in err and "0.5 to 60" in err, "--set out of range names key and range")


RTTM_REF_1 = "SPEAKER t 1 0 10 <NA> <NA> A <NA> <NA>\nSPEAKER t 1 8 6 <NA> <NA> B <NA> <NA>\n"
RTTM_HYP_1 = "SPEAKER t 1 0 9 <NA> <NA> X <NA> <NA>\nSPEAKER t 1 9 6 <NA> <NA> Y <NA> <NA>\n"
RTTM_REF_2 = "SPEAKER t 1 0 4 <NA> <NA> A <NA> <NA>\nSPEAKER t 1 4 4 <NA> <NA> B <NA> <NA>\n"
RTTM_HYP_2 = "SPEAKER t 1 0 6 <NA> <NA> X <NA> <NA>\nSPEAKER t 1 6 2 <NA> <NA> Y <NA> <NA>\n"


def test_der_by_hand(attune, wd):
    # Case 1 (A->X, B->Y): overlap 8-10 half missed, 14-15 false alarm.
    # Collar 0: ref 16 s, miss 2, FA 1.  Collar 0.25 (zones around 0, 8, 10,
    # 14): ref 14 s, miss 1.5, FA 0.75.
    # Case 2: 4-6 is B's speech given to X: confusion 2 of 8 s; with the
    # collar (zones at 0, 4, 8) 1.75 of 7 s.
    cases = [(RTTM_REF_1, RTTM_HYP_1, 0.0, (16, 2, 1, 0)),
             (RTTM_REF_1, RTTM_HYP_1, 0.25, (14, 1.5, 0.75, 0)),
             (RTTM_REF_2, RTTM_HYP_2, 0.0, (8, 0, 0, 2)),
             (RTTM_REF_2, RTTM_HYP_2, 0.25, (7, 0, 0, 1.75))]
    for k, (ref, hyp, collar, (total, miss, fa, conf)) in enumerate(cases):
        r = write(os.path.join(wd, "der%d.ref.rttm" % k), ref)
        h = write(os.path.join(wd, "der%d.hyp.rttm" % k), hyp)
        f = score_json(attune, r, h, collar)["files"][0]
        got = (f["reference_speech_s"], f["missed_s"], f["false_alarm_s"], f["confusion_s"])
        ok = all(close(g, w, 1e-9) for g, w in zip(got, (total, miss, fa, conf)))
        ok = ok and close(f["der"], (miss + fa + conf) / total, 1e-9)
        check(ok, "DER by hand, case %d collar %g: %s vs %s" % (k // 2 + 1, collar, got,
                                                                (total, miss, fa, conf)))


def generate(wd, seed):
    prefix = os.path.join(wd, "clean16k-%d" % seed)
    if not os.path.exists(prefix + ".truth.json"):
        run([os.path.join(TOOLS, "gencall"), "--condition", "clean16k", "--seed", str(seed),
             "--out", prefix])
    return prefix


def test_round_trips(attune, wd, prefix):
    out = os.path.join(wd, "formats")
    os.makedirs(out, exist_ok=True)
    run([attune, "analyze", "--json", "--rttm", "--textgrid", "-o", out, prefix + ".wav"])
    base = os.path.join(out, os.path.basename(prefix))
    for ext in (".json", ".rttm", ".TextGrid"):
        t = score_json(attune, base + ext, base + ext)["total"]
        ok = t["der"] == 0 and t["frame_agreement"] == 1
        if ext != ".rttm" or t["interruptions"] is not None:
            ok = ok and t["interruptions"]["f1"] == 1 and t["patience_err_s"] == 0
        check(ok, "%s scored against itself: DER 0, frames 1, F1 1" % ext)
    # The formats hold the same analysis: RTTM and TextGrid against JSON.
    for ext in (".rttm", ".TextGrid"):
        t = score_json(attune, base + ".json", base + ext, 0)["total"]
        check(t["der"] < 1e-9 and t["interruptions"]["f1"] == 1,
              "%s holds the same spurts and events as the JSON" % ext)


def test_against_scorelib(attune, wd, prefixes):
    for prefix in prefixes:
        hyp = prefix + ".hyp.json"
        with open(hyp, "w") as f:
            f.write(run([attune, "analyze", "--json", prefix + ".wav"]).stdout)
        with open(prefix + ".truth.json") as f:
            truth = json.load(f)
        with open(hyp) as f:
            py = scorelib.score(truth, json.loads(f.readline()))
        c = score_json(attune, prefix + ".truth.json", hyp)["files"][0]
        pairs = [("talk_share_err_pp", c["talk_share_err_pp"], py["talk_share_err_pp"])]
        for p in scorelib.PARTIES:
            pairs.append(("frames " + p, c["party"][p]["frame_agreement"],
                          py["frame_agreement"][p]))
            pairs.append(("patience " + p, c["party"][p]["patience_err_s"],
                          py["patience_err_s"][p]))
        for k in ("precision", "recall", "f1"):
            pairs.append(("interruptions " + k, c["interruptions"][k], py["interruptions"][k]))
        bad = [(n, a, b) for n, a, b in pairs if not close(a, b)]
        check(not bad, "%s: C scorer agrees with scorelib.py %s" % (os.path.basename(prefix),
                                                                    bad or ""))


def test_sweep(attune, wd, prefixes):
    data = os.path.join(wd, "set")
    os.makedirs(data, exist_ok=True)
    for prefix in prefixes:
        for ext in (".wav", ".truth.json"):
            dst = os.path.join(data, os.path.basename(prefix) + ext)
            if not os.path.exists(dst):
                os.symlink(prefix + ext, dst)
    out = os.path.join(wd, "tune")
    run([attune, "tune", "--set", data, "--param", "bridge_s=0.05,0.3,1", "--objective",
         "frame_error", "-j", "2", "-o", out])
    with open(os.path.join(out, "trials.csv")) as f:
        rows = f.read().splitlines()
    check(len(rows) == 4 and rows[0].startswith("trial,bridge_s,status,der"),
          "trials.csv: a header and one row per trial")
    dump = run([attune, "config", "--dump", "--config", os.path.join(out, "best.ini")]).stdout
    check("\nbridge_s = 0.3\n" in dump, "the sweep finds bridge_s = 0.3, the truth's own")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attune", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    test_config(a.attune, a.workdir)
    test_der_by_hand(a.attune, a.workdir)
    prefixes = [generate(a.workdir, s) for s in (1, 2, 3)]
    test_round_trips(a.attune, a.workdir, prefixes[0])
    test_against_scorelib(a.attune, a.workdir, prefixes)
    test_sweep(a.attune, a.workdir, prefixes[:2])
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
