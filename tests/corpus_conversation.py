#!/usr/bin/python3
"""attune scored on real conversation against human RTTM references.

  tests/corpus_conversation.py PATH/TO/attune WORKDIR

conversation/sample.wav (pyannote's sample, mono, two speakers) and the
AMI meeting excerpts in meetings/ are single-channel mixes: attune's mono
analysis has one "speaker", so they are scored as speech activity (missed
speech and false alarm, no confusion), collar 0.25 s.  Prints the scores;
asserts only loose sanity bounds.  The corpus is ../shared/corpus from the
repository or $ATTUNE_CORPUS; without it the test is skipped (exit 77).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77


def corpus_dir():
    for d in (os.environ.get("ATTUNE_CORPUS"),
              os.path.join(HERE, "..", "..", "shared", "corpus")):
        if d and os.path.isfile(os.path.join(d, "conversation", "sample.rttm")):
            return d
    return None


def score(attune, workdir, name, wavs, rttm):
    hyp = os.path.join(workdir, name + ".jsonl")
    with open(hyp, "w") as f:
        subprocess.run([attune, "analyze", "--json", "--speakers", "1"] + wavs, stdout=f,
                       check=True)
    table = subprocess.run([attune, "score", "--ref", rttm, hyp], capture_output=True,
                           text=True, check=True).stdout
    print(table)
    out = subprocess.run([attune, "score", "--json", "--ref", rttm, hyp], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def main():
    attune, workdir = sys.argv[1], sys.argv[2]
    corpus = corpus_dir()
    if not corpus:
        print("corpus not found (../shared/corpus or $ATTUNE_CORPUS): skipped")
        return SKIP
    os.makedirs(workdir, exist_ok=True)
    conv = os.path.join(corpus, "conversation")
    s = score(attune, workdir, "conversation", [os.path.join(conv, "sample.wav")],
              os.path.join(conv, "sample.rttm"))
    f = s["files"][0]
    ok = (f["mode"] == "speech" and f["confusion_s"] == 0 and f["der"] < 0.35
          and f["frame_agreement"] > 0.8)
    meet = os.path.join(corpus, "meetings")
    wavs = [os.path.join(meet, w) for w in ("dev00.wav", "dev01.wav")]
    m = score(attune, workdir, "meetings", wavs, os.path.join(meet, "debug.development.rttm"))
    ok = ok and m["total"]["files"] == 2 and m["total"]["der"] < 0.6
    print("sample: DER %.3f (missed %.2f s, false alarm %.2f s of %.2f s), meetings DER %.3f"
          % (f["der"], f["missed_s"], f["false_alarm_s"], f["reference_speech_s"],
             m["total"]["der"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
