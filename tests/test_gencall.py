#!/usr/bin/python3
"""Checks of tools/gencall and tools/convo_ref.py (no attune needed).

  tests/test_gencall.py [--workdir DIR] [--seeds 1,2,3] [--conditions a,b]

Part 1 checks the conversation conventions on small hand-made spurt lists
whose answers were worked out by hand.  Part 2 generates calls and checks
that the truth agrees with the placed script (times, every scripted
interruption and backchannel detected as such) and that generation is
deterministic.  Last line: "N passed, N failed".
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(os.path.dirname(HERE), "tools")
sys.path.insert(0, TOOLS)
import convo_ref  # noqa: E402

GENCALL = os.path.join(TOOLS, "gencall")
TOL = 0.05

# ------------------------------------------------------------ hand-made cases


def conv(agent, customer, duration=30.0):
    return convo_ref.analyze({"agent": agent, "customer": customer}, duration)


def test_response_gap():
    r = conv([[1.0, 3.0]], [[3.8, 6.0]])
    assert r["conversation"]["response_gaps"] == [{"t": 3.8, "by": "customer", "gap_s": 0.8}], r
    assert r["parties"]["customer"]["patience_s"] == 0.8
    assert r["parties"]["agent"]["patience_s"] is None
    assert r["conversation"]["interruptions"] == [] and r["conversation"]["backchannels"] == []


def test_interruption_overlap_half_second():
    # customer starts at 2.5 while the agent talks until 3.0: overlap 0.5
    r = conv([[1.0, 3.0]], [[2.5, 5.0]])
    assert r["conversation"]["interruptions"] == [{"t": 2.5, "by": "customer", "overlap_s": 0.5}], r
    assert r["conversation"]["response_gaps"] == []
    assert r["parties"]["customer"]["interruptions_made"] == 1
    assert abs(r["conversation"]["overtalk_s"] - 0.5) < 1e-9


def test_short_overlapped_is_backchannel():
    # 0.6 s spurt fully inside the agent's speech: backchannel, no floor
    r = conv([[1.0, 6.0], [6.5, 8.0]], [[3.0, 3.6]])
    c = r["conversation"]
    assert c["backchannels"] == [{"t": 3.0, "by": "customer"}], r
    assert c["interruptions"] == [] and c["response_gaps"] == []
    assert r["parties"]["customer"]["turns"] == 0
    assert r["parties"]["agent"]["turns"] == 1
    # the agent keeps the floor: one turn 1.0..8.0
    assert r["parties"]["agent"]["longest_monologue_s"] == 7.0


def test_long_small_overlap_is_no_event():
    # 1.2 s spurt overlapping only 0.2 s: an early turn start, no event
    r = conv([[1.0, 3.0]], [[2.8, 4.0]])
    c = r["conversation"]
    assert c["interruptions"] == [] and c["backchannels"] == [] and c["response_gaps"] == [], r
    assert r["parties"]["customer"]["turns"] == 1
    # the customer took the floor, so the agent's next spurt is a response
    r = conv([[1.0, 3.0], [4.5, 6.0]], [[2.8, 4.0]])
    assert r["conversation"]["response_gaps"] == [{"t": 4.5, "by": "agent", "gap_s": 0.5}], r


def test_patience_is_median():
    a = [[0.0, 1.0], [3.0, 4.0], [6.0, 7.0]]
    c = [[1.2, 2.0], [5.0, 5.5], [8.0, 9.0]]
    r = conv(a, c)
    # customer gaps 0.2, 1.0, 1.0 -> median 1.0; agent gaps 1.0, 0.5 -> 0.75
    assert r["parties"]["customer"]["patience_s"] == 1.0, r
    assert r["parties"]["agent"]["patience_s"] == 0.75, r
    assert r["parties"]["agent"]["turns"] == 3 and r["parties"]["customer"]["turns"] == 3


def test_dead_air_only_inside_call():
    # 5 s of leading and trailing silence are not dead air; 3.5 s inside is,
    # 2.9 s inside is not (threshold 3.0)
    r = conv([[5.0, 7.0], [10.5, 12.0]], [[14.9, 16.0]], duration=21.0)
    assert r["conversation"]["dead_air"] == [{"start": 7.0, "end": 10.5}], r
    assert abs(r["conversation"]["silence_s"] - (21.0 - 4.6)) < 1e-9


def test_turns_and_longest_monologue():
    # agent: 0-4, 4.2-9 (one spurt each, same turn), customer backchannel at
    # 5 (does not end the turn), customer turn 10-12, agent 12.5-13.5
    a = [[0.0, 4.0], [4.2, 9.0], [12.5, 13.5]]
    c = [[5.0, 5.4], [10.0, 12.0]]
    r = conv(a, c)
    pa, pc = r["parties"]["agent"], r["parties"]["customer"]
    assert pa["turns"] == 2 and pc["turns"] == 1, r
    assert pa["longest_monologue_s"] == 9.0 and pc["longest_monologue_s"] == 2.0, r
    assert r["conversation"]["backchannels"] == [{"t": 5.0, "by": "customer"}]
    assert abs(pa["talk_share"] - 9.8 / 12.2) < 1e-4


def test_spurts_bridge_and_drop():
    m = [False] * 10 + [True] * 20 + [False] * 29 + [True] * 10 + [False] * 30 + [True] * 4
    # 0.29 s pause bridged; 0.30 s pause not; 4-frame (0.04 s) spurt dropped
    assert convo_ref.spurts_from_mask(m) == [[0.1, 0.69]], convo_ref.spurts_from_mask(m)
    m = [True] * 10 + [False] * 30 + [True] * 10
    assert convo_ref.spurts_from_mask(m) == [[0.0, 0.1], [0.4, 0.5]]


# ------------------------------------------------------------ generated calls


def gen(cond, seed, prefix, duration=None):
    cmd = [GENCALL, "--condition", cond, "--seed", str(seed), "--out", prefix]
    if duration:
        cmd += ["--duration", str(duration)]
    subprocess.run(cmd, check=True)
    with open(prefix + ".truth.json") as f:
        return json.load(f)


def script_spurts(truth, party):
    """Placed script intervals of a party with the truth's 0.3 s bridging."""
    iv = sorted((u["start"], u["end"]) for u in truth["script"]
                if u["party"] == party and u["kind"] != "bg")
    out = []
    for s, e in iv:
        if out and s - out[-1][1] < convo_ref.BRIDGE_S:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def check_alignment(truth):
    for p in convo_ref.PARTIES:
        want, got = script_spurts(truth, p), truth["parties"][p]["segments"]
        assert len(want) == len(got), (p, len(want), len(got), want, got)
        for w, g in zip(want, got):
            assert abs(w[0] - g[0]) <= TOL and abs(w[1] - g[1]) <= TOL, (p, w, g)


def check_events(truth):
    """Every scripted interruption/backchannel is a truth event of the same
    kind and party at the same time, and there are no unscripted ones."""
    conv_ = truth["conversation"]
    for kind, key in (("interruption", "interruptions"), ("backchannel", "backchannels")):
        sc = [u for u in truth["script"] if u["kind"] == kind]
        ev = conv_[key]
        for u in sc:
            assert any(e["by"] == u["party"] and abs(e["t"] - u["start"]) <= TOL for e in ev), \
                (kind, u, ev)
        assert len(sc) == len(ev), (kind, len(sc), len(ev), ev)
    for e in conv_["interruptions"]:
        assert e["overlap_s"] >= 0.3


def check_script_shape(truth):
    sc = [u for u in truth["script"] if u["kind"] != "bg"]
    kinds = [u["kind"] for u in sc]
    assert kinds.count("interruption") >= 2, kinds.count("interruption")
    assert kinds.count("backchannel") >= 3, kinds.count("backchannel")
    assert len(truth["conversation"]["dead_air"]) >= 2
    mono = [u for u in sc if u["kind"] == "monologue"]
    assert mono and 20.0 <= mono[-1]["end"] - mono[0]["start"] <= 40.0
    assert truth["parties"]["agent"]["longest_monologue_s"] >= 20.0
    for u in sc:
        if u["kind"] == "backchannel":
            assert 0.25 <= u["end"] - u["start"] <= 0.8, u
        if u["kind"] == "interruption":
            assert u["end"] - u["start"] >= 1.3, u


def make_call_tests(workdir, conditions, seeds):
    tests = []
    for cond in conditions:
        for seed in seeds:
            def t(cond=cond, seed=seed):
                truth = gen(cond, seed, os.path.join(workdir, "%s-%d" % (cond, seed)))
                check_events(truth)
                if cond in ("clean16k", "noise", "echo", "bgtalk", "mulaw8k", "real"):
                    check_alignment(truth)   # constant per-utterance gain
                check_script_shape(truth)
            t.__name__ = "test_call_%s_seed%d" % (cond, seed)
            tests.append(t)
    return tests


def make_determinism_test(workdir, cond):
    def t():
        a, b = os.path.join(workdir, "detA"), os.path.join(workdir, "detB")
        for p in (a, b):
            gen(cond, 7, p, 60)
        for ext in (".wav",):
            assert open(a + ext, "rb").read() == open(b + ext, "rb").read(), ext
        ja, jb = (json.load(open(p + ".truth.json")) for p in (a, b))
        ja.pop("file"), jb.pop("file")
        assert ja == jb
    t.__name__ = "test_deterministic_%s" % cond
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir")
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--conditions", default="clean16k,drift,phone,real")
    a = ap.parse_args()
    workdir = a.workdir or tempfile.mkdtemp(prefix="test_gencall_")
    os.makedirs(workdir, exist_ok=True)
    tests = [v for k, v in sorted(globals().items()) if k.startswith("test_") and callable(v)]
    tests += make_call_tests(workdir, a.conditions.split(","), [int(s) for s in a.seeds.split(",")])
    tests += [make_determinism_test(workdir, c) for c in ("clean16k", "phone", "real8k")]
    passed = failed = 0
    for t in tests:
        try:
            t()
            passed += 1
            print("ok   ", t.__name__)
        except Exception:
            failed += 1
            print("FAIL ", t.__name__)
            traceback.print_exc(limit=3)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
