/* devices: `attune devices`, PortAudio's input devices as `live` can use
 * them (by index or part of the name). */
#include "capture.h"
#include "cli.h"

#include <portaudio.h>
#include <stdio.h>
#include <string.h>

int at_cmd_devices(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        at_error("devices", "takes no arguments");
        return 2;
    }
    char err[256];
    if (at_pa_init(NULL, err, sizeof err) != 0) {
        at_error("devices", "%s", err);
        return 1;
    }
    int n = Pa_GetDeviceCount();
    PaDeviceIndex def = Pa_GetDefaultInputDevice();
    int shown = 0;
    printf("%5s  %-40s  %-12s  %8s  %12s\n", "index", "name", "host API", "channels",
           "default rate");
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d || d->maxInputChannels < 1)
            continue;
        const PaHostApiInfo *h = Pa_GetHostApiInfo(d->hostApi);
        printf("%4d%c  %-40s  %-12s  %8d  %9.0f Hz\n", i, i == def ? '*' : ' ', d->name,
               h ? h->name : "?", d->maxInputChannels, d->defaultSampleRate);
        shown++;
    }
    if (!shown)
        printf("(no input devices)\n");
    else if (def != paNoDevice)
        printf("* the default input\n");
    at_pa_terminate();
    return 0;
}
