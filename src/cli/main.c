/* main: `attune <command>`; the commands live in their own files. */
#include "attune/attune.h"
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void at_error(const char *what, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line, whatever the message held. */
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    fprintf(stderr, "attune: %s: %s\n", what, msg);
}

static void usage(FILE *out)
{
    fputs("usage: attune <command> [options]\n"
          "\n"
          "commands:\n"
          "  analyze [options] FILE...   who spoke when in recorded calls: talk share,\n"
          "                              interruptions, patience, dead air\n"
          "  frames FILE --csv           per-frame features and decisions, CSV\n"
          "  config --dump               the effective configuration as INI, documented\n"
          "  score --ref REF HYP...      score an analysis against a reference (RTTM,\n"
          "                              TextGrid or analysis JSON): DER, events, patience\n"
          "  tune --set DIR --param ...  grid or random search of thresholds over a\n"
          "                              labelled set; writes trials.csv and best.ini\n"
          "  live [options]              monitor a call as it happens: coaching alerts,\n"
          "                              events, summary (attune live --help)\n"
          "  devices                     the audio input devices live can use\n"
          "  stress-features FILE...     pooled vocal-stress features per 5 s of speech, CSV\n"
          "  report [options] CALL [-o F] the coach's report of a call: one HTML file\n"
          "  batch [options] DIR|FILE... -o OUTDIR [-j N] [--force]\n"
          "                              many calls in parallel: per-call JSON and HTML,\n"
          "                              summary.csv and a sortable index.html\n"
          "  batch --merge CSV... -o OUTDIR   one summary and index from several batches\n"
          "  help                        this text\n"
          "  --version                   the version\n"
          "\n"
          "analyze options:\n"
          "  --json                      one attune.analysis/1 JSON object per file, a line each\n"
          "  --agent-channel C           the agent's channel: 0, 1, left or right (default 0)\n"
          "  --customer-channel C        the customer's channel (default: the other of 0 and 1)\n"
          "  --speakers 1|2              a mono file as one party, or (default) two by diarization\n"
          "  --first-speaker P           on a diarized mono call, who speaks first: agent (default)\n"
          "                              or customer\n"
          "  --agent-voice CLIP.wav      on a diarized mono call, the agent is the voice like this\n"
          "  --stress WHO                vocal stress of: customer (default), all (research on\n"
          "                              consented recordings only), none\n"
          "  --goals PROFILE             list where each coaching goal slipped (a name in\n"
          "                              models/goals, e.g. sales, or an INI file)\n"
          "  --rttm, --textgrid          talk spurts as NIST RTTM or a Praat TextGrid\n"
          "  --threads 1|2               threads per file (default 2 on 2+ cores; the\n"
          "                              output is the same); batch -j N>1 uses 1\n"
          "  -o DIR                      write each file's outputs to DIR/NAME.{txt,json,rttm,TextGrid}\n"
          "\n"
          "every command:\n"
          "  --config FILE               load thresholds from an INI file (models/attune.ini)\n"
          "  --set KEY=VALUE             change a threshold (attune config --dump lists them);\n"
          "                              --config and --set apply left to right\n"
          "\n"
          "score options: --collar S (default 0.25), --json\n"
          "tune options:  --param KEY=A:B:STEP | KEY=V1,V2,...  --objective NAME  --random N\n"
          "               --seed N  -j N  -o OUTDIR   (see README.md, Researchers)\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
        printf("attune %s\n", ATTUNE_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "analyze"))
        return at_cmd_analyze(argc - 1, argv + 1);
    if (!strcmp(cmd, "frames"))
        return at_cmd_frames(argc - 1, argv + 1);
    if (!strcmp(cmd, "config"))
        return at_cmd_config(argc - 1, argv + 1);
    if (!strcmp(cmd, "score"))
        return at_cmd_score(argc - 1, argv + 1);
    if (!strcmp(cmd, "tune"))
        return at_cmd_tune(argc - 1, argv + 1);
    if (!strcmp(cmd, "live"))
        return at_cmd_live(argc - 1, argv + 1);
    if (!strcmp(cmd, "devices"))
        return at_cmd_devices(argc - 1, argv + 1);
    if (!strcmp(cmd, "stress-features"))
        return at_cmd_stress_features(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return at_cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return at_cmd_batch(argc - 1, argv + 1);
    at_error(cmd, "unknown command (try: attune help)");
    return 2;
}
