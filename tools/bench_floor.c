/* bench_floor: the floor of any FFT-based analysis, for tools/bench to
 * compare attune against.  It does the work attune cannot avoid and nothing
 * else: decode the file with libsndfile in blocks of 4096 frames (as attune's
 * reader does), and for every complete 10 ms hop and every channel copy the
 * analysis window (wlen samples ending at the end of that hop, zero-padded to
 * nfft) and run one real FFT of attune's size on it.  No windowing function,
 * no power spectrum, no voice activity: whatever attune spends beyond this
 * is the cost of its analysis proper. */
#include "frame.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 4096      /* frames per sf_readf_float, as src/cli/audio_in.h */
#define MAX_CHANNELS 8

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: attune_bench_floor FILE\n");
        return 2;
    }
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(argv[1], SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "attune_bench_floor: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    at_frame_geom g;
    const int nch = info.channels;
    if (at_frame_geom_init(&g, info.samplerate) != 0 || nch < 1 || nch > MAX_CHANNELS) {
        fprintf(stderr, "attune_bench_floor: %s: unsupported format\n", argv[1]);
        sf_close(sf);
        return 1;
    }

    /* Everything is allocated once, up front.  Each channel keeps a planar
     * buffer holding the unconsumed tail of the previous block (always fewer
     * than wlen samples) followed by the new block, so every window is one
     * contiguous run of samples even where hops straddle block boundaries. */
    const int cap = g.wlen + BLOCK;
    kiss_fftr_cfg cfg = kiss_fftr_alloc(g.nfft, 0, NULL, NULL);
    float *in = malloc(sizeof(float) * BLOCK * nch);
    float *t = calloc(g.nfft, sizeof(float)); /* [wlen, nfft) stays zero: the padding */
    kiss_fft_cpx *spec = malloc(sizeof(kiss_fft_cpx) * g.n_bins);
    float *buf[MAX_CHANNELS] = {0};
    int ok = cfg && in && t && spec;
    for (int c = 0; c < nch && ok; c++)
        ok = (buf[c] = calloc(cap, sizeof(float))) != NULL;
    if (!ok) {
        fprintf(stderr, "attune_bench_floor: out of memory\n");
        return 1;
    }

    /* The first window ends at the end of the first hop, so it reaches
     * wlen - hop samples before time 0: those start out as zeros. */
    int fill = g.wlen - g.hop; /* samples in buf[c] */
    int start = 0;             /* first sample of the next window */
    long n_ffts = 0;
    double sink = 0;
    sf_count_t got;
    while ((got = sf_readf_float(sf, in, BLOCK)) > 0) {
        for (int c = 0; c < nch; c++) {
            float *dst = buf[c] + fill;
            for (sf_count_t i = 0; i < got; i++)
                dst[i] = in[i * nch + c];
        }
        fill += (int)got;
        for (; start + g.wlen <= fill; start += g.hop) {
            for (int c = 0; c < nch; c++) {
                memcpy(t, buf[c] + start, sizeof(float) * g.wlen);
                kiss_fftr(cfg, t, spec);
                sink += spec[1].r;
            }
            n_ffts++;
        }
        /* Keep only what later windows still need. */
        for (int c = 0; c < nch; c++)
            memmove(buf[c], buf[c] + start, sizeof(float) * (fill - start));
        fill -= start;
        start = 0;
    }
    /* Printing a value derived from every spectrum keeps the compiler from
     * discarding the FFTs as dead code. */
    printf("%ld hops, checksum %g\n", n_ffts, sink);
    for (int c = 0; c < nch; c++)
        free(buf[c]);
    free(in);
    free(t);
    free(spec);
    kiss_fftr_free(cfg);
    sf_close(sf);
    return 0;
}
