/* mixdown: a sound file's channels averaged into one, as 16-bit WAV.
 *
 *   mixdown IN OUT
 *
 * For the tests: the real stereo call in ../shared/corpus is Ogg Opus,
 * which sox on Debian 12 does not read and libsndfile does. */
#include <sndfile.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mixdown IN OUT\n");
        return 2;
    }
    SF_INFO in = {0};
    SNDFILE *f = sf_open(argv[1], SFM_READ, &in);
    if (!f) {
        fprintf(stderr, "mixdown: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    SF_INFO out = {.samplerate = in.samplerate, .channels = 1,
                   .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *g = sf_open(argv[2], SFM_WRITE, &out);
    if (!g) {
        fprintf(stderr, "mixdown: %s: %s\n", argv[2], sf_strerror(NULL));
        sf_close(f);
        return 1;
    }
    enum { BLOCK = 4096, MAX_CH = 8 };
    float buf[BLOCK * MAX_CH], mono[BLOCK];
    int rc = in.channels > MAX_CH;
    sf_count_t n;
    while (!rc && (n = sf_readf_float(f, buf, BLOCK)) > 0) {
        for (sf_count_t i = 0; i < n; i++) {
            float s = 0.0f;
            for (int c = 0; c < in.channels; c++)
                s += buf[i * in.channels + c];
            mono[i] = s / (float)in.channels;
        }
        if (sf_writef_float(g, mono, n) != n)
            rc = 1;
    }
    if (rc)
        fprintf(stderr, "mixdown: %s: cannot convert\n", argv[1]);
    sf_close(g);
    sf_close(f);
    return rc;
}
