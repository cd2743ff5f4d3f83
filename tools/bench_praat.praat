# tools/bench: what Praat does for the comparison of issue 10, pitch and
# intensity of every channel of a file, as attune analyses each party:
# To Pitch (ac) with attune's range (60-500 Hz) and 10 ms step, and To
# Intensity (Praat's defaults but a 60 Hz floor and a 10 ms step).  Praat
# reads the whole file into memory first.
form Bench
    sentence wav
endform
s = Read from file: wav$
nch = Get number of channels
frames = 0
for c to nch
    selectObject: s
    ch = Extract one channel: c
    p = To Pitch (ac): 0.01, 60, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 500
    frames += Get number of frames
    selectObject: ch
    i = To Intensity: 60, 0.01, "yes"
    removeObject: ch, p, i
endfor
writeInfoLine: frames, " pitch frames"
