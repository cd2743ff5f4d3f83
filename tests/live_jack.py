#!/usr/bin/python3
"""live_jack: `attune live` through a real audio server.

  live_jack.py ATTUNE SCRATCH_DIR

Starts Debian's jackd2 with its dummy driver (no sound card, no realtime,
no root) under a server name of its own, plays a generated call with known
truth into it with sndfile-jackplay, captures it with `attune live`, and
checks talk share, interruptions and the goals that fired against the
truth and against a replay of the same file.  Then a second session in
which the server is killed mid-call: attune must stop with a clear message
and a non-zero status, and leave the partial summary and recording.

Only processes this script started are stopped; every wait has a timeout.
Exits 77 (skipped) only if jackd is missing or cannot start here."""

import json
import os
import signal
import subprocess
import sys
import time
import wave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALL_S = 60
TALK_SHARE_TOL = 0.05
SERVER = "attune-test-%d" % os.getpid()
CLIENT = "attune_t%d" % os.getpid()

passed = failed = 0
procs = []


def check(ok, what):
    global passed, failed
    print("%s %s" % ("ok  " if ok else "FAIL", what), flush=True)
    if ok:
        passed += 1
    else:
        failed += 1


def start(argv, **kw):
    p = subprocess.Popen(argv, **kw)
    procs.append(p)
    return p


def stop_all():
    for p in reversed(procs):
        if p.poll() is None:
            p.kill()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass


def wait_for(cond, timeout, step=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def ports(env):
    r = subprocess.run(["jack_lsp"], env=env, capture_output=True, text=True, timeout=10)
    return r.stdout.split() if r.returncode == 0 else []


def skip(why):
    print("SKIP: " + why)
    stop_all()
    sys.exit(77)


def clear_stale_jack_state():
    """This test kills its server mid-call on purpose, and a killed jackd
    leaves its entry in JACK's shared-memory registry; after a few runs new
    servers fail with "Too many servers already active".  When no jackd is
    running on the machine at all, the registry and the servers' files in
    /dev/shm are stale, and are removed."""
    if subprocess.run(["pgrep", "-x", "jackd"], capture_output=True).returncode == 0:
        return
    shm = "/dev/shm"
    for name in os.listdir(shm) if os.path.isdir(shm) else []:
        if name == "jack-shm-registry" or name.startswith(("jack-", "jack_")):
            try:
                os.remove(os.path.join(shm, name))
            except OSError:
                pass


def start_server(env, log):
    clear_stale_jack_state()
    jackd = start(["jackd", "-n", SERVER, "--no-realtime", "-d", "dummy", "-r", "16000",
                   "-p", "320"], env=env, stdout=log, stderr=subprocess.STDOUT)
    if not wait_for(lambda: jackd.poll() is not None or "system:capture_1" in ports(env), 15):
        skip("jackd did not come up within 15 s")
    if jackd.poll() is not None:
        return None
    return jackd


def live_session(attune, env, tmp, name, call, profile, kill_server=None):
    """Plays call into a fresh attune live session; returns (rc, stderr, summary, recording)."""
    if kill_server:
        # The dead server's PortAudio stream is abandoned on purpose (stopping
        # it would hang): not a leak worth a sanitizer report.
        env = dict(env, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    summary = os.path.join(tmp, name + ".summary.json")
    rec = os.path.join(tmp, name + ".wav")
    errf = open(os.path.join(tmp, name + ".stderr"), "w+")
    live = start([attune, "live", "--device", "system", "--jack-name", CLIENT, "--ui", "none",
                  "--goals", profile,
                  "--events", os.path.join(tmp, name + ".events.jsonl"), "--summary", summary,
                  "--record", rec], env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                 stderr=errf, text=True)
    if not wait_for(lambda: CLIENT + ":in_1" in ports(env), 15):
        check(False, "%s: attune's JACK ports appear" % name)
        return None, "", summary, rec
    # -w: sndfile-jackplay waits for Enter, so nothing plays before it is connected.
    play = start(["sndfile-jackplay", "-w", call], env=env, stdin=subprocess.PIPE,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_for(lambda: "jackplay:out_2" in ports(env), 15):
        check(False, "%s: sndfile-jackplay's ports appear" % name)
        return None, "", summary, rec
    for src, dst in (("out_1", "in_0"), ("out_2", "in_1")):
        subprocess.run(["jack_connect", "jackplay:" + src, CLIENT + ":" + dst], env=env,
                       timeout=10, check=True)
    play.stdin.write(b"\n")
    play.stdin.flush()
    if kill_server:
        time.sleep(kill_server[1])
        kill_server[0].kill()       # the server dies mid-call
        kill_server[0].wait(10)
    else:
        try:
            play.wait(CALL_S + 30)
        except subprocess.TimeoutExpired:
            check(False, "%s: playback ended within %d s" % (name, CALL_S + 30))
        time.sleep(1.5)             # the last spurts close
        live.stdin.write("quit\n")
        live.stdin.flush()
    try:
        rc = live.wait(30)
    except subprocess.TimeoutExpired:
        rc = None
    errf.seek(0)
    return rc, errf.read(), summary, rec


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: live_jack.py ATTUNE SCRATCH_DIR")
    attune, tmp = os.path.abspath(sys.argv[1]), sys.argv[2]
    for tool in ("jackd", "jack_lsp", "jack_connect", "sndfile-jackplay"):
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in os.environ.get("PATH", "").split(":")):
            skip("%s not installed (tools/setup installs jackd2 and sndfile-tools)" % tool)
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, JACK_NO_AUDIO_RESERVATION="1", JACK_DEFAULT_SERVER=SERVER)
    call = os.path.join(tmp, "call")
    subprocess.run([os.path.join(ROOT, "tools", "gencall"), "--condition", "clean16k",
                    "--seed", "6", "--duration", str(CALL_S), "--out", call], check=True,
                   stdout=subprocess.DEVNULL, timeout=120)
    truth = json.load(open(call + ".truth.json"))
    # The espeak agent speaks right at the pace goal's 185 wpm: whether it
    # slips would be chance, so the comparison of slipped goals leaves pace out.
    profile = os.path.join(tmp, "nopace.ini")
    with open(profile, "w") as f:
        f.write("[pace]\nenabled = false\n")
    replay = os.path.join(tmp, "replay.summary.json")
    subprocess.run([attune, "live", "--replay", call + ".wav", "--speed", "max", "--ui", "none",
                    "--goals", profile, "--summary", replay], check=True,
                   stderr=subprocess.DEVNULL, timeout=120)
    replayed = json.load(open(replay))
    log = open(os.path.join(tmp, "jackd.log"), "w")
    try:
        jackd = start_server(env, log)
        if not jackd:
            skip("jackd exited at start (see %s/jackd.log)" % tmp)

        # 1. A whole call through the server.
        rc, err, summary, rec = live_session(attune, env, tmp, "whole", call + ".wav", profile)
        check(rc == 0, "whole: attune exits 0 after quit (got %s)" % rc)
        check("ended by the agent" in err, "whole: says how it ended: " + err.strip())
        if os.path.exists(summary):
            s = json.load(open(summary))
            a = s["analysis"]
            share, want = a["parties"]["agent"]["talk_share"], truth["parties"]["agent"]["talk_share"]
            check(abs(share - want) <= TALK_SHARE_TOL,
                  "whole: agent talk share %.3f vs truth %.3f (tolerance %.2f)"
                  % (share, want, TALK_SHARE_TOL))
            for p in ("agent", "customer"):
                got = a["parties"][p]["interruptions_made"]
                want = truth["parties"][p]["interruptions_made"]
                check(abs(got - want) <= 1, "whole: %s interruptions %d vs truth %d (+-1)"
                      % (p, got, want))
            goals = sorted({g["goal"] for g in a["goals"]})
            want_goals = sorted({g["goal"] for g in replayed["analysis"]["goals"]})
            check(goals == want_goals, "whole: goals that slipped %s match the replay's %s"
                  % (goals, want_goals))
            check(s["complete"] and s["overruns"] == 0,
                  "whole: complete, %d overruns" % s["overruns"])
            check(a["duration_s"] >= CALL_S, "whole: captured %.1f s" % a["duration_s"])
        else:
            check(False, "whole: summary written")
        with wave.open(rec) as w:
            check(w.getnchannels() == 2 and w.getnframes() >= CALL_S * 16000,
                  "whole: recording is stereo and holds the call")

        # 2. The server dies mid-call.
        rc, err, summary, rec = live_session(attune, env, tmp, "killed", call + ".wav",
                                             profile, kill_server=(jackd, 8.0))
        check(rc not in (0, None), "killed: attune exits non-zero (got %s)" % rc)
        check("partial summary in" in err and "gone" in err,
              "killed: one clear line: " + err.strip().splitlines()[-1] if err.strip() else "")
        if os.path.exists(summary):
            s = json.load(open(summary))
            check(not s["complete"], "killed: summary marked incomplete: " + s["ended_because"])
            check(s["analysis"]["duration_s"] > 5, "killed: summary holds %.1f s"
                  % s["analysis"]["duration_s"])
        else:
            check(False, "killed: partial summary written")
        with wave.open(rec) as w:
            check(w.getnframes() > 5 * 16000, "killed: recording holds %.1f s"
                  % (w.getnframes() / 16000))
    finally:
        stop_all()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
