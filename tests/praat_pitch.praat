form Pitch
    sentence wav
    real floor 75
    real ceiling 500
    sentence out
endform
s = Read from file: wav$
p = To Pitch (ac): 0.01, floor, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, ceiling
n = Get number of frames
deleteFile: out$
for i to n
    t = Get time from frame number: i
    f = Get value in frame: i, "Hertz"
    if f = undefined
        f = 0
    endif
    appendFileLine: out$, fixed$(t, 4), " ", fixed$(f, 2)
endfor
