/* tts.c — libespeak-ng behind tts.h. espeak reports words by character position (from 1) in the text it was
 * given; the text is cleaned first (soft hyphens out), so each cleaned character keeps its byte offset in the
 * original, and marks come back as byte ranges of whole tokens of the original text.
 * The library is opened (dlopen) when read-aloud first starts, not linked: with the audio libraries it brings
 * (pcaudio, sonic, pulse-simple) it is 300 kB of memory that a patient who only reads never uses (issue 14). */
#include "meistring/tts.h"

#include <dlfcn.h>
#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/utf8.h"
#include "dlfn.h"

struct tts {
    int rate_hz;
};

/* The synthesis in progress (espeak's callback has no user pointer of ours for the audio). */
typedef struct {
    tts_audio *out;
    size_t cap_samples, cap_marks;
    const uint32_t *char_byte; /* cleaned character index → byte offset in the original */
    size_t n_chars;
    const char *orig;
    size_t orig_len;
    const volatile int *cancel;
    bool failed;
} job;

static job *current;
static bool initialised;

/* The soname of the espeak-ng this was built against (Debian's libespeak-ng1). */
#define ESPEAK_LIBRARY "libespeak-ng.so.1"

/* espeak-ng's functions, from the library once it is open; the process never closes it (see tts_free). Each
 * pointer's type is speak_lib.h's own declaration (__typeof__): nothing is linked against the library, and
 * nothing is restated here that could go stale. */
static struct {
    __typeof__(&espeak_Initialize) initialize;
    __typeof__(&espeak_SetSynthCallback) set_synth_callback;
    __typeof__(&espeak_SetVoiceByName) set_voice_by_name;
    __typeof__(&espeak_SetParameter) set_parameter;
    __typeof__(&espeak_Synth) synth;
} es;

static bool espeak_open(char *err, size_t errcap) {
    void *lib = dlopen(ESPEAK_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(err, errcap, "espeak-ng could not be loaded (is libespeak-ng1 installed?): %s", dlerror());
        return false;
    }
    if (!dlfn_get(lib, "espeak_Initialize", &es.initialize) ||
        !dlfn_get(lib, "espeak_SetSynthCallback", &es.set_synth_callback) ||
        !dlfn_get(lib, "espeak_SetVoiceByName", &es.set_voice_by_name) ||
        !dlfn_get(lib, "espeak_SetParameter", &es.set_parameter) || !dlfn_get(lib, "espeak_Synth", &es.synth)) {
        snprintf(err, errcap, "%s lacks a function read-aloud needs", ESPEAK_LIBRARY);
        dlclose(lib);
        return false;
    }
    return true;
}

static void add_mark(job *j, int char_pos, int ms) {
    if (char_pos < 1 || (size_t)char_pos > j->n_chars) return;
    uint32_t b = j->char_byte[char_pos - 1];
    /* widen to the whole token around b */
    size_t s = b, e = b;
    while (s > 0) {
        size_t p = utf8_prev(j->orig, s), q = p;
        if (utf8_is_break_space(utf8_next(j->orig, j->orig_len, &q))) break;
        s = p;
    }
    while (e < j->orig_len) {
        size_t q = e;
        if (utf8_is_break_space(utf8_next(j->orig, j->orig_len, &q))) break;
        e = q;
    }
    if (e <= s) return;
    tts_audio *o = j->out;
    /* espeak may report a token twice (numbers, abbreviations), and after a colon it reports a stray event
     * pointing back into the sentence: keep one mark per token, strictly in reading order */
    if (o->n_marks && s <= o->marks[o->n_marks - 1].start) return;
    if (o->n_marks == j->cap_marks) {
        size_t cap = j->cap_marks ? j->cap_marks * 2 : 64;
        tts_mark *m = realloc(o->marks, cap * sizeof *m);
        if (!m) {
            j->failed = true;
            return;
        }
        o->marks = m;
        j->cap_marks = cap;
    }
    o->marks[o->n_marks++] = (tts_mark){(uint32_t)s, (uint32_t)(e - s), (uint32_t)(ms > 0 ? ms : 0)};
}

static int synth_cb(short *wav, int n, espeak_EVENT *ev) {
    job *j = current;
    if (!j || j->failed) return 1;
    if (j->cancel && *j->cancel) return 1;
    for (; ev && ev->type != espeakEVENT_LIST_TERMINATED; ev++)
        if (ev->type == espeakEVENT_WORD) add_mark(j, ev->text_position, ev->audio_position);
    if (wav && n > 0) {
        tts_audio *o = j->out;
        if (o->n_samples + (size_t)n > j->cap_samples) {
            size_t cap = j->cap_samples ? j->cap_samples * 2 : 65536;
            while (cap < o->n_samples + (size_t)n)
                cap *= 2;
            int16_t *s = realloc(o->samples, cap * sizeof *s);
            if (!s) {
                j->failed = true;
                return 1;
            }
            o->samples = s;
            j->cap_samples = cap;
        }
        memcpy(o->samples + o->n_samples, wav, (size_t)n * sizeof *wav);
        o->n_samples += (size_t)n;
    }
    return 0;
}

tts *tts_new(const char *voice, const char *data_dir, char *err, size_t errcap) {
    if (!initialised) {
        if (!es.synth && !espeak_open(err, errcap)) return NULL;
        int hz = es.initialize(AUDIO_OUTPUT_SYNCHRONOUS, 250, data_dir, espeakINITIALIZE_DONT_EXIT);
        if (hz <= 0) {
            snprintf(err, errcap, "espeak-ng could not start (is espeak-ng-data installed?)");
            return NULL;
        }
        es.set_synth_callback(synth_cb);
        initialised = true;
    }
    if (es.set_voice_by_name(voice) != EE_OK) {
        snprintf(err, errcap, "espeak-ng has no voice \"%s\"", voice);
        return NULL;
    }
    tts *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    t->rate_hz = 22050;
    return t;
}

bool tts_set_voice(tts *t, const char *voice, char *err, size_t errcap) {
    (void)t; /* espeak-ng's voice is process-wide; the tts handle says only that it was started */
    if (es.set_voice_by_name(voice) != EE_OK) {
        snprintf(err, errcap, "espeak-ng has no voice \"%s\"", voice);
        return false;
    }
    return true;
}

void tts_free(tts *t) {
    /* espeak stays initialised for the life of the process: terminating and restarting it is slow and
     * leaks in some versions */
    free(t);
}

int tts_sample_rate(const tts *t) { return t->rate_hz; }

bool tts_speak(tts *t, const char *text, size_t len, int rate, tts_audio *out, const volatile int *cancel) {
    (void)t;
    memset(out, 0, sizeof *out);
    if (rate < 80) rate = 80;
    if (rate > 450) rate = 450;
    es.set_parameter(espeakRATE, rate, 0);
    /* clean copy: no soft hyphens; every character remembers its byte offset in the original */
    char *clean = malloc(len + 1);
    uint32_t *char_byte = malloc((len + 1) * sizeof *char_byte);
    if (!clean || !char_byte) {
        free(clean);
        free(char_byte);
        return false;
    }
    size_t w = 0, nc = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = utf8_next(text, len, &i);
        if (cp == 0xAD) continue;
        memcpy(clean + w, text + at, i - at);
        w += i - at;
        char_byte[nc++] = (uint32_t)at;
    }
    clean[w] = '\0';
    job j = {.out = out, .char_byte = char_byte, .n_chars = nc, .orig = text, .orig_len = len, .cancel = cancel};
    current = &j;
    espeak_ERROR e = es.synth(clean, w + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    current = NULL;
    free(clean);
    free(char_byte);
    bool ok = e == EE_OK && !j.failed && !(cancel && *cancel);
    if (!ok) tts_audio_free(out);
    return ok;
}

void tts_audio_free(tts_audio *a) {
    free(a->samples);
    free(a->marks);
    memset(a, 0, sizeof *a);
}
