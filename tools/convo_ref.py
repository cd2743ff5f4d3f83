"""Reference implementation of attune's conversation conventions.

This module is the single definition of "what the right answer is" for the
accuracy harness: tools/gencall uses it to turn each party's clean placed
signal into ground truth, and tools/score / tests use it to check
conventions.  attune's C analyzer is meant to follow the same rules, so keep
this file small, explicit and free of tuning.

Pipeline (all times in seconds, frames are 10 ms, frame i = [i*0.01, (i+1)*0.01)):
  clean signal -> frame levels -> speech frames -> talk spurts -> events.

Only numpy and the standard library are used.
"""

import math

import numpy as np

FRAME_S = 0.01
# Frames within this many dB of the loudest frame count towards the active
# level (a simple P.56-like "active speech level": mean power over frames that
# plausibly contain speech, ignoring the silence between utterances).
ACTIVE_RANGE_DB = 40.0
# A frame is speech if it is within this many dB of the party's active level
# (and above the absolute floor below).
SPEECH_BELOW_ACTIVE_DB = 30.0
ABS_FLOOR_DBFS = -70.0
BRIDGE_S = 0.3          # pauses shorter than this are bridged inside a spurt
MIN_SPURT_S = 0.05      # shorter spurts are dropped
INTERRUPT_OVERLAP_S = 0.3
FLOOR_MIN_S = 1.0       # an overlapping spurt shorter than this is a backchannel
DEAD_AIR_S = 3.0
# Times are multiples of 10 ms stored as floats; comparisons against the
# thresholds above use this slack so 0.3 computed as 0.29999999 still counts.
EPS = 1e-6

PARTIES = ("agent", "customer")
SCHEMA = "attune.analysis/1"


# ---------------------------------------------------------------- signal level

def frame_power(x, sr):
    """Mean square per 10 ms frame (last partial frame zero-padded)."""
    hop = int(round(sr * FRAME_S))
    n = int(math.ceil(len(x) / hop)) if len(x) else 0
    buf = np.zeros(n * hop, dtype=np.float64)
    buf[:len(x)] = x
    return np.mean(buf.reshape(n, hop) ** 2, axis=1)


def power_db(p):
    return 10.0 * np.log10(np.maximum(p, 1e-20))


def active_level_db(frame_pow):
    """Active level in dBFS: 10*log10 of the mean power over the frames
    within ACTIVE_RANGE_DB of the loudest frame.  Returns -inf for silence."""
    if len(frame_pow) == 0 or np.max(frame_pow) <= 0:
        return -math.inf
    db = power_db(frame_pow)
    sel = frame_pow[db >= db.max() - ACTIVE_RANGE_DB]
    return float(power_db(np.mean(sel)))


def speech_frames(x, sr):
    """Boolean speech mask per 10 ms frame and the active level used."""
    fp = frame_power(x, sr)
    level = active_level_db(fp)
    if level == -math.inf:
        return np.zeros(len(fp), dtype=bool), level
    thresh = max(level - SPEECH_BELOW_ACTIVE_DB, ABS_FLOOR_DBFS)
    return power_db(fp) > thresh, level


# ---------------------------------------------------------------- spurts

def spurts_from_mask(mask):
    """Runs of speech frames -> [[start, end], ...] seconds, after bridging
    pauses < BRIDGE_S and dropping spurts < MIN_SPURT_S (in that order).
    Works in whole frames so the result is exact on the 10 ms grid."""
    bridge = int(round(BRIDGE_S / FRAME_S))
    min_len = int(round(MIN_SPURT_S / FRAME_S))
    runs = []
    i, n = 0, len(mask)
    while i < n:
        if not mask[i]:
            i += 1
            continue
        j = i
        while j < n and mask[j]:
            j += 1
        if runs and i - runs[-1][1] < bridge:
            runs[-1][1] = j
        else:
            runs.append([i, j])
        i = j
    return [[round(a * FRAME_S, 2), round(b * FRAME_S, 2)]
            for a, b in runs if b - a >= min_len]


# ---------------------------------------------------------------- events

def _containing(spurts, t):
    """The spurt with start < t < end, if any (spurts of one party do not
    overlap, so there is at most one)."""
    for s in spurts:
        if s[0] < t - EPS and t < s[1] - EPS:
            return s
    return None


def _last_floor_before(floor, party, t):
    """The party's floor-taking spurt with the greatest end <= t."""
    best = None
    for p, s in floor:
        if p == party and s[1] <= t + EPS and (best is None or s[1] > best[1]):
            best = s
    return best


def classify(spurts):
    """Walk all spurts of both parties in start order and classify each.

    spurts: {"agent": [[s, e], ...], "customer": [...]}
    Returns (floor, events) where floor is the ordered list of
    (party, spurt) that took the floor and events holds interruptions,
    backchannels and response_gaps in the output schema."""
    allsp = sorted((s[0], p, s) for p in PARTIES for s in spurts[p])
    floor, ints, bcs, gaps = [], [], [], []
    for _, p, x in allsp:
        q = other(p)
        dur = x[1] - x[0]
        y = _containing(spurts[q], x[0])
        if y is not None:
            overlap = min(x[1], y[1]) - x[0]
            if overlap >= INTERRUPT_OVERLAP_S - EPS and dur >= FLOOR_MIN_S - EPS:
                ints.append({"t": x[0], "by": p, "overlap_s": round(overlap, 3)})
            elif dur < FLOOR_MIN_S - EPS:
                bcs.append({"t": x[0], "by": p})
                continue            # a backchannel never takes the floor
            floor.append((p, x))    # interruption or early turn start
            continue
        qf = _last_floor_before(floor, q, x[0])
        pf = _last_floor_before(floor, p, x[0])
        if qf is not None and (pf is None or qf[1] > pf[1]):
            gaps.append({"t": x[0], "by": p, "gap_s": round(x[0] - qf[1], 3)})
        floor.append((p, x))
    return floor, {"interruptions": ints, "backchannels": bcs,
                   "response_gaps": gaps}


def other(p):
    return "customer" if p == "agent" else "agent"


def turns_and_monologues(spurts, floor):
    """turns[P]: floor spurts of P whose preceding floor spurt was not P's.
    A turn of P runs from its first floor spurt's start to the end of P's
    last spurt (any kind) that starts before the other party's next
    floor-taking spurt starts; longest_monologue_s[P] is the longest span."""
    turns = {p: 0 for p in PARTIES}
    longest = {p: 0.0 for p in PARTIES}
    for k, (p, s) in enumerate(floor):
        if k > 0 and floor[k - 1][0] == p:
            continue
        turns[p] += 1
        nxt = next((x[0] for q, x in floor[k + 1:] if q != p), math.inf)
        # The turn's own first spurt always counts, even if the other party's
        # next floor spurt starts at the very same frame.
        ends = [s[1]] + [x[1] for x in spurts[p] if x[0] >= s[0] - EPS and x[0] < nxt - EPS]
        longest[p] = max(longest[p], max(ends) - s[0])
    return turns, {p: round(v, 2) for p, v in longest.items()}


# ---------------------------------------------------------------- time sums

def _union(intervals):
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def _intersection_len(xs, ys):
    tot, i, j = 0.0, 0, 0
    while i < len(xs) and j < len(ys):
        lo, hi = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        tot += max(0.0, hi - lo)
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return tot


def dead_air(spurts):
    """Mutual silences longer than DEAD_AIR_S between the first spurt start
    and the last spurt end (leading/trailing silence is not dead air)."""
    u = _union([list(s) for p in PARTIES for s in spurts[p]])
    return [{"start": a[1], "end": b[0]} for a, b in zip(u, u[1:])
            if b[0] - a[1] > DEAD_AIR_S + EPS]


def median_or_none(vals):
    if not vals:
        return None
    v = sorted(vals)
    m = len(v) // 2
    return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2.0


# ---------------------------------------------------------------- assembly

def analyze(spurts, duration_s):
    """Conversation metrics from both parties' spurts (schema fields only)."""
    floor, ev = classify(spurts)
    turns, mono = turns_and_monologues(spurts, floor)
    talk = {p: sum(e - s for s, e in spurts[p]) for p in PARTIES}
    total = talk["agent"] + talk["customer"]
    parties = {}
    for ch, p in enumerate(PARTIES):
        pat = median_or_none([g["gap_s"] for g in ev["response_gaps"] if g["by"] == p])
        parties[p] = {
            "channel": ch,
            "talk_s": round(talk[p], 2),
            "talk_share": round(talk[p] / total, 4) if total > 0 else 0.0,
            "turns": turns[p],
            "longest_monologue_s": mono[p],
            "patience_s": None if pat is None else round(pat, 3),
            "interruptions_made": sum(1 for e in ev["interruptions"] if e["by"] == p),
            "backchannels_made": sum(1 for e in ev["backchannels"] if e["by"] == p),
            "segments": [list(s) for s in spurts[p]],
        }
    overtalk = _intersection_len(spurts["agent"], spurts["customer"])
    covered = sum(b - a for a, b in _union([list(s) for p in PARTIES for s in spurts[p]]))
    conv = {"overtalk_s": round(overtalk, 2),
            "silence_s": round(max(0.0, duration_s - covered), 2),
            "dead_air": dead_air(spurts)}
    conv.update(ev)
    return {"parties": parties, "conversation": conv}


def analysis_from_signals(agent, customer, sr, duration_s, file_name, out_sr):
    """Full truth document (without the generator/script extras) from each
    party's clean placed signal."""
    spurts, levels = {}, {}
    for p, x in zip(PARTIES, (agent, customer)):
        mask, levels[p] = speech_frames(x, sr)
        spurts[p] = spurts_from_mask(mask)
    doc = {"schema": SCHEMA, "file": file_name, "duration_s": round(duration_s, 3),
           "sample_rate": out_sr, "channels": 2}
    doc.update(analyze(spurts, duration_s))
    return doc, levels
