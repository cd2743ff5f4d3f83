"""Scoring of an attune analysis (hypothesis) against gencall truth.

score(truth, hyp) -> dict of metrics; both arguments are parsed
attune.analysis/1 documents.  Used by tools/score and tests/accuracy.py.

Metric conventions
  talk_share_err_pp      |hyp - truth| agent talk_share, percentage points.
  frame_agreement[P]     fraction of 10 ms frames of the whole file where
                         "frame centre inside a hyp segment" equals the same
                         for the truth segments.
  interruptions          greedy matching by time: each hyp event (in time
                         order) takes the closest unmatched truth event of
                         the same party with |dt| <= 0.5 s.  P/R/F1, with
                         F1 = 1 when both lists are empty.  tp/fp/fn are
                         returned so callers can pool over calls.
  backchannels           the same (informational).
  patience_err_s[P]      |hyp - truth| when both are numbers; inf when
                         exactly one is null; 0 when both are null.
  talk_s_err[P]          |hyp - truth| talk_s, seconds.
  dead_air               counts truth vs hyp (informational).
  seg_implied            events recomputed from the hyp SEGMENTS with the
                         reference conventions (informational): tells a
                         detection error from an event-logic error.
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convo_ref  # noqa: E402

MATCH_S = 0.5
PARTIES = convo_ref.PARTIES


def frame_mask(segments, n_frames):
    """Frames whose centre lies in [start, end) of some segment."""
    centres = (np.arange(n_frames) + 0.5) * convo_ref.FRAME_S
    m = np.zeros(n_frames, dtype=bool)
    for s, e in segments or []:
        m |= (centres >= s) & (centres < e)
    return m


def frame_agreement(truth_segs, hyp_segs, duration):
    n = int(math.ceil(duration / convo_ref.FRAME_S - 1e-9))
    if n <= 0:
        return 1.0
    return float(np.mean(frame_mask(truth_segs, n) == frame_mask(hyp_segs, n)))


def match_events(truth_ev, hyp_ev, tol=MATCH_S):
    """Greedy one-to-one matching by party and onset; returns counts."""
    used = [False] * len(truth_ev)
    tp = 0
    for h in sorted(hyp_ev, key=lambda e: e["t"]):
        best = None
        for i, t in enumerate(truth_ev):
            if used[i] or t["by"] != h["by"] or abs(t["t"] - h["t"]) > tol:
                continue
            if best is None or abs(t["t"] - h["t"]) < abs(truth_ev[best]["t"] - h["t"]):
                best = i
        if best is not None:
            used[best] = True
            tp += 1
    return prf(tp, len(hyp_ev) - tp, len(truth_ev) - tp)


def prf(tp, fp, fn):
    """Precision/recall/F1 with the empty-list convention (all 1.0)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    if tp + fp + fn == 0:
        f = 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def patience_err(t, h):
    if t is None and h is None:
        return 0.0
    if t is None or h is None:
        return math.inf
    return abs(float(h) - float(t))


def _conv(doc, key):
    return (doc.get("conversation") or {}).get(key) or []


def _party(doc, p):
    return (doc.get("parties") or {}).get(p) or {}


def score(truth, hyp):
    dur = float(truth["duration_s"])
    out = {"talk_share_err_pp": 100.0 * abs(float(_party(hyp, "agent").get("talk_share", 0.0))
                                            - float(_party(truth, "agent")["talk_share"])),
           "frame_agreement": {}, "patience_err_s": {}, "talk_s_err": {},
           "patience": {}}
    for p in PARTIES:
        tp_, hp = _party(truth, p), _party(hyp, p)
        out["frame_agreement"][p] = frame_agreement(tp_["segments"], hp.get("segments"), dur)
        out["patience_err_s"][p] = patience_err(tp_.get("patience_s"), hp.get("patience_s"))
        out["patience"][p] = {"truth": tp_.get("patience_s"), "hyp": hp.get("patience_s")}
        out["talk_s_err"][p] = abs(float(hp.get("talk_s", 0.0)) - float(tp_["talk_s"]))
    out["interruptions"] = match_events(_conv(truth, "interruptions"), _conv(hyp, "interruptions"))
    out["backchannels"] = match_events(_conv(truth, "backchannels"), _conv(hyp, "backchannels"))
    out["dead_air"] = {"truth": len(_conv(truth, "dead_air")), "hyp": len(_conv(hyp, "dead_air"))}
    out["seg_implied"] = seg_implied(truth, hyp)
    return out


def seg_implied(truth, hyp):
    """Events the reference conventions derive from hyp's own segments."""
    spurts = {p: [list(s) for s in (_party(hyp, p).get("segments") or [])] for p in PARTIES}
    ref = convo_ref.analyze(spurts, float(truth["duration_s"]))
    return {"interruptions": match_events(_conv(truth, "interruptions"),
                                          ref["conversation"]["interruptions"]),
            "backchannels": match_events(_conv(truth, "backchannels"),
                                         ref["conversation"]["backchannels"])}


def format_table(s):
    """Human-readable table of one score() result."""
    def num(v, fmt="%.3f"):
        return "inf" if v == math.inf else fmt % v
    rows = [("talk-share error (pp)", num(s["talk_share_err_pp"], "%.2f"), "")]
    for p in PARTIES:
        rows.append(("speech-frame agreement %s" % p, num(s["frame_agreement"][p], "%.4f"), ""))
    for key, label in (("interruptions", "interruptions"), ("backchannels", "backchannels")):
        m = s[key]
        rows.append(("%s P/R/F1" % label, "%.2f/%.2f/%.2f" % (m["precision"], m["recall"], m["f1"]),
                     "tp=%d fp=%d fn=%d" % (m["tp"], m["fp"], m["fn"])))
    for p in PARTIES:
        pt = s["patience"][p]
        rows.append(("patience error %s (s)" % p, num(s["patience_err_s"][p]),
                     "truth=%s hyp=%s" % (pt["truth"], pt["hyp"])))
    for p in PARTIES:
        rows.append(("talk_s error %s (s)" % p, num(s["talk_s_err"][p], "%.2f"), ""))
    rows.append(("dead-air count truth/hyp", "%d/%d" % (s["dead_air"]["truth"], s["dead_air"]["hyp"]), ""))
    si = s["seg_implied"]
    rows.append(("segment-implied int./bc F1", "%.2f/%.2f" % (si["interruptions"]["f1"],
                                                            si["backchannels"]["f1"]),
                 "(reference rules on hyp segments)"))
    w = max(len(r[0]) for r in rows)
    return "\n".join("%-*s  %-12s %s" % (w, a, b, c) for a, b, c in rows)


def jsonable(s):
    """inf is not valid JSON: encode it as the string "inf"."""
    if isinstance(s, dict):
        return {k: jsonable(v) for k, v in s.items()}
    if isinstance(s, float) and math.isinf(s):
        return "inf"
    return s
