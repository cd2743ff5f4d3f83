#!/usr/bin/env bash
# Bad input must give exactly one stderr line "attune: <path>: <problem>",
# no stdout for that file, exit 1 (2 for usage errors), and never a crash,
# hang or sanitizer report. Good input in the odd formats must still work.
#
# usage: bad_input.sh ATTUNE_BINARY SCRATCH_DIR
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 ATTUNE_BINARY SCRATCH_DIR" >&2
    exit 2
fi
ATTUNE=$1
D=$2
PY=/usr/bin/python3          # Debian's python, stdlib only
for tool in sox espeak-ng "$PY" timeout; do
    command -v "$tool" >/dev/null || { echo "FAIL setup: $tool not found"; echo "0 passed, 1 failed"; exit 1; }
done
[ -x "$ATTUNE" ] || { echo "FAIL setup: $ATTUNE is not executable"; echo "0 passed, 1 failed"; exit 1; }

rm -rf "$D"
mkdir -p "$D" || exit 1
OUT=$D/stdout
ERR=$D/stderr
export LC_ALL=C
# Sanitizer reports go to stderr and make the exit non-zero; keep them loud.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
flunk() {
    echo "FAIL $1: $2"
    sed 's/^/       stderr| /' "$ERR" | head -20
    sed 's/^/       stdout| /' "$OUT" | head -5
    failed=$((failed + 1))
}

# run ARGS...: runs attune under a timeout; sets $rc.
run() {
    timeout 30 "$ATTUNE" "$@" >"$OUT" 2>"$ERR"
    rc=$?
}

# Describes an exit status that is neither the expected one nor a clean exit.
why_rc() {
    case $rc in
        124) echo "hung (killed after 30 s)" ;;
        12[5-7]) echo "could not run (exit $rc)" ;;
        *) if [ "$rc" -gt 128 ]; then echo "crashed (signal $((rc - 128)))"; else echo "exit $rc, wanted $1"; fi ;;
    esac
}

# check_err NAME WANT_RC WHAT KEYWORD: checks $rc and that stderr is one line
# "attune: WHAT: ..." mentioning KEYWORD (case-insensitive extended regex).
# Prints nothing and returns 0 when all is well, else records the failure.
check_err() {
    local name=$1 want=$2 what=$3 kw=$4 line
    if [ "$rc" -ne "$want" ]; then flunk "$name" "$(why_rc "$want")"; return 1; fi
    if [ "$(wc -l <"$ERR")" -ne 1 ] || [ "$(wc -c <"$ERR")" -ne "$(head -n1 "$ERR" | wc -c)" ]; then
        flunk "$name" "stderr is not exactly one line"; return 1
    fi
    line=$(head -n1 "$ERR")
    if [[ $line != "attune: $what: "* ]]; then
        flunk "$name" "stderr does not start with 'attune: $what: '"; return 1
    fi
    if ! grep -Eqi -- "$kw" "$ERR"; then
        flunk "$name" "stderr does not mention /$kw/"; return 1
    fi
    return 0
}

# bad NAME FILE KEYWORD [OPTIONS...]: `attune analyze --json OPTIONS FILE`
# must fail on FILE with exit 1, one line, no stdout.
bad() {
    local name=$1 file=$2 kw=$3
    shift 3
    run analyze --json "$@" "$file"
    check_err "$name" 1 "$file" "$kw" || return
    if [ -s "$OUT" ]; then flunk "$name" "stdout not empty"; return; fi
    pass "$name"
}

# usage NAME WHAT KEYWORD ARGS...: `attune ARGS` is a usage error on WHAT.
usage() {
    local name=$1 what=$2 kw=$3
    shift 3
    run "$@"
    check_err "$name" 2 "$what" "$kw" || return
    if [ -s "$OUT" ]; then flunk "$name" "stdout not empty"; return; fi
    pass "$name"
}

# good NAME REGEX ARGS...: `attune analyze --json ARGS` exits 0, stderr empty,
# one JSON line on stdout matching REGEX (extended, fixed by the caller).
good() {
    local name=$1 re=$2
    shift 2
    run analyze --json "$@"
    if [ "$rc" -ne 0 ]; then flunk "$name" "$(why_rc 0)"; return; fi
    if [ -s "$ERR" ]; then flunk "$name" "stderr not empty"; return; fi
    if [ "$(wc -l <"$OUT")" -ne 1 ] || ! head -c1 "$OUT" | grep -q '{'; then
        flunk "$name" "stdout is not one JSON line"; return
    fi
    if ! grep -Eq -- "$re" "$OUT"; then flunk "$name" "JSON lacks /$re/"; return; fi
    pass "$name"
}

# ---------------------------------------------------------------- material
S() { sox -V1 "$@" || { echo "FAIL setup: sox $*"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }; }

espeak-ng -w "$D/agent_raw.wav" "Hello, thank you for calling. How can I help you today?" &&
espeak-ng -w "$D/cust_raw.wav" "Yes, I have a question about my last bill." ||
    { echo "FAIL setup: espeak-ng"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
# Agent speaks first, the customer answers 1.6 s in; 3 s in all.
S "$D/agent_raw.wav" "$D/agent.wav" trim 0 1.6
S "$D/cust_raw.wav" "$D/cust.wav" pad 1.6 0 trim 0 3
S -M "$D/agent.wav" "$D/cust.wav" "$D/speech.wav" trim 0 3          # stereo, 22050 Hz, 3 s
S "$D/agent_raw.wav" "$D/mono.wav"                                  # mono speech
S -n -r 16000 -c 2 -b 16 "$D/tone.wav" synth 2 sine 440 sine 660 vol 0.5   # 2 s stereo 16-bit

# ---------------------------------------------------------------- bad files
# 1. missing file
bad "missing file" "$D/no_such_call.wav" "no such file"

# 2. a folder
mkdir -p "$D/calls.wav"
bad "folder" "$D/calls.wav" "folder"

# 3. a text file with a .wav name
printf 'this is not audio\njust some notes about the call\n' >"$D/call.wav"
bad "text file named call.wav" "$D/call.wav" "not a readable sound file"

# 4. a WAV cut inside its header
head -c 20 "$D/tone.wav" >"$D/header_cut.wav"
bad "wav cut inside its header" "$D/header_cut.wav" "not a readable sound file|truncated"

# 5. a WAV whose data is cut short: the header promises 2 s, half the bytes are there
size=$(wc -c <"$D/tone.wav")
head -c $((size / 2)) "$D/tone.wav" >"$D/data_cut.wav"
bad "wav with data cut short" "$D/data_cut.wav" "truncated"

# 6. a zero-byte file
: >"$D/empty.wav"
bad "zero-byte file" "$D/empty.wav" "not a readable sound file|empty|0 frames"

# 7. a valid WAV header with zero frames
"$PY" - "$D/zero_frames.wav" <<'EOF'
import sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(2); w.setsampwidth(2); w.setframerate(16000)
w.writeframes(b"")
w.close()
EOF
bad "wav with zero frames" "$D/zero_frames.wav" "0 frames"

# 8. 32-bit float WAVs (WAVE_FORMAT_IEEE_FLOAT) with a NaN / +Inf / -Inf sample
float_wav() { # PATH BAD_VALUE: 2 s stereo 16 kHz sine, one bad sample at 1.0 s
    "$PY" - "$1" "$2" <<'EOF'
import math, struct, sys
path, bad = sys.argv[1], float(sys.argv[2])
rate, ch, n = 16000, 2, 32000
samples = []
for i in range(n):
    v = 0.3 * math.sin(2 * math.pi * 440 * i / rate)
    samples += [v, 0.3 * math.sin(2 * math.pi * 660 * i / rate)]
samples[2 * 16000] = bad
data = struct.pack("<%df" % len(samples), *samples)
fmt = struct.pack("<HHIIHHH", 3, ch, rate, rate * ch * 4, ch * 4, 32, 0)
fact = struct.pack("<I", n)
body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + b"fact" + struct.pack("<I", len(fact)) + fact
        + b"data" + struct.pack("<I", len(data)) + data)
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", len(body)) + body)
EOF
}
float_wav "$D/nan.wav" nan
bad "float wav with NaN" "$D/nan.wav" "NaN"
float_wav "$D/inf.wav" inf
bad "float wav with +Inf" "$D/inf.wav" "NaN or infinite|inf"
float_wav "$D/neginf.wav" -inf
bad "float wav with -Inf" "$D/neginf.wav" "NaN or infinite|inf"

# 9. all silence: 2 s of zeros, stereo 16 kHz (-D: no dither, true zeros),
#    and the same with sox's +-1 LSB dither, which is silence all the same
S -D -n -r 16000 -c 2 -b 16 "$D/silence.wav" trim 0 2
bad "all silence (zeros)" "$D/silence.wav" "silence"
S -n -r 16000 -c 2 -b 16 "$D/silence_dither.wav" trim 0 2
bad "all silence (dither only)" "$D/silence_dither.wav" "silence"

# 10. heavy clipping: a sine amplified 20 dB and clipped by sox
S -n -r 16000 -c 2 -b 16 "$D/clipped.wav" synth 2 sine 300 sine 500 vol 10
bad "heavy clipping" "$D/clipped.wav" "clipped"

# 11. --agent-channel 1 on a mono file
bad "--agent-channel 1 on mono" "$D/mono.wav" "channel" --agent-channel 1

# 12. a 9-channel file, from nine mono files
for i in 1 2 3 4 5 6 7 8 9; do
    S -n -r 16000 -c 1 -b 16 "$D/m$i.wav" synth 2 sine $((200 + 50 * i)) vol 0.3
done
S -M "$D"/m[1-9].wav "$D/nine.wav"
bad "9-channel file" "$D/nine.wav" "channel"

# 13./14. sample rates outside 8-48 kHz
S -n -r 4000 -c 2 -b 16 "$D/rate4000.wav" synth 2 sine 300 vol 0.5
bad "4000 Hz file" "$D/rate4000.wav" "sample rate"
S -n -r 96000 -c 2 -b 16 "$D/rate96000.wav" synth 2 sine 300 vol 0.5
bad "96000 Hz file" "$D/rate96000.wav" "sample rate"

# 15. --customer-channel 5 on a stereo file
bad "--customer-channel 5 on stereo" "$D/speech.wav" "channel" --customer-channel 5

# 16. several files, one good and one bad: the good one is still reported
several() { # NAME BADFILE KEYWORD FILES...
    local name=$1 badf=$2 kw=$3
    shift 3
    run analyze --json "$@"
    check_err "$name" 1 "$badf" "$kw" || return
    if [ "$(wc -l <"$OUT")" -ne 1 ] || ! head -c1 "$OUT" | grep -q '{'; then
        flunk "$name" "stdout is not exactly one JSON line for the good file"; return
    fi
    if ! grep -Fq "\"file\":\"$D/speech.wav\"" "$OUT"; then
        flunk "$name" "the JSON line is not about the good file"; return
    fi
    pass "$name"
}
several "good then bad file" "$D/nan.wav" "NaN" "$D/speech.wav" "$D/nan.wav"
several "bad then good file" "$D/call.wav" "not a readable sound file" "$D/call.wav" "$D/speech.wav"
several "missing then good file" "$D/gone.wav" "no such file" "$D/gone.wav" "$D/speech.wav"

# 17. usage errors: exit 2, one line naming the option
usage "unknown option" "--bogus" "unknown option" analyze --bogus "$D/speech.wav"
usage "--set unknown key" "--set" "unknown key" analyze --set nosuchkey=1 "$D/speech.wav"
usage "--set non-number" "--set" "not a number" analyze --set bridge_s=abc "$D/speech.wav"
usage "--agent-channel 9" "--agent-channel" "expects" analyze --agent-channel 9 "$D/speech.wav"

# 18. random bytes with a .flac name (seeded, so every run is the same)
"$PY" -c 'import random, sys; random.seed(18); open(sys.argv[1], "wb").write(bytes(random.getrandbits(8) for _ in range(8192)))' "$D/noise.flac"
bad "random bytes named .flac" "$D/noise.flac" "not a readable sound file"

# 19. a file without read permission: skipped, root reads everything.

# ---------------------------------------------------------------- good files
good "mono speech, one speaker" '"speaker"' --speakers 1 "$D/mono.wav"
good "mono speech, two speakers (the default)" '"agent":\{"channel":0.*"customer":\{"channel":0' "$D/mono.wav"
good "stereo speech" '"agent".*"customer"' "$D/speech.wav"
S "$D/speech.wav" -e u-law -r 8000 "$D/ulaw8k.wav"
good "mu-law 8 kHz stereo" '"sample_rate":8000' "$D/ulaw8k.wav"
S "$D/speech.wav" "$D/speech.flac"
good "FLAC stereo" '"channels":2' "$D/speech.flac"
S "$D/speech.wav" -b 24 "$D/s24.wav"
good "24-bit WAV" '"channels":2' "$D/s24.wav"
S "$D/speech.wav" -e floating-point -b 32 "$D/f32.wav"
good "32-bit float WAV" '"channels":2' "$D/f32.wav"
S -n -r 22050 -c 1 -b 16 "$D/zero3.wav" trim 0 3
S -M "$D/zero3.wav" "$D/zero3.wav" "$D/agent.wav" "$D/zero3.wav" "$D/cust.wav" "$D/zero3.wav" "$D/six.wav" trim 0 3
good "6 channels, agent 2 customer 4" '"agent":\{"channel":2,.*"customer":\{"channel":4,' \
    --agent-channel 2 --customer-channel 4 "$D/six.wav"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
