/* tts.c — libespeak-ng behind tts.h. espeak reports words by character position (from 1) in the text it was
 * given; the text is cleaned first (phone numbers spelt out digit by digit, soft hyphens out), so each cleaned
 * character keeps its byte offset in the original, and marks come back as byte ranges of whole tokens of the
 * original text: «113», said «1 1 3», is lit as the one word it is on screen.
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

/* ---- phone numbers, digit by digit ------------------------------------------------------------------------------ */

/* espeak-ng's SSML has <say-as interpret-as="characters"> (docs/markup.md), but SSML would have every page's «&»
 * and «<» escaped and its tags counted in the word positions; spaces between the digits say the same, and the
 * character map below keeps each mark on the number as written. */

#define SAY_MAX_GROUPS 4 /* the most groups a phone number is written in (2+2+2+2) */

/* The ways a phone number is written: group lengths, and the digits it starts with (NULL: any). */
static const struct {
    int n;
    int len[SAY_MAX_GROUPS];
    const char *starts;
} say_forms[] = {
    {1, {3}, "110"},         /* fire, */
    {1, {3}, "112"},         /* police, */
    {1, {3}, "113"},         /* ambulance: alone, never an amount */
    {1, {6}, "116"},         /* the 116 numbers: legevakten, the helplines (116 123, 116 111), */
    {2, {3, 3}, "116"},      /* ... written «116 117» */
    {4, {2, 2, 2, 2}, NULL}, /* eight digits as Norwegians write them: «22 33 44 55» */
    {3, {3, 2, 3}, NULL},    /* ... or «800 12 345» */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_space(uint32_t cp) { return utf8_is_break_space(cp) || cp == 0xA0 || cp == 0x202F; }

/* A separator between a number's groups (a space, a no-break or narrow no-break space) with a digit after it:
 * its length in bytes, or 0. */
static size_t group_sep(const char *s, size_t len, size_t i) {
    size_t n = 0;
    if (i < len && s[i] == ' ')
        n = 1;
    else if (i + 1 < len && memcmp(s + i, "\xC2\xA0", 2) == 0)
        n = 2;
    else if (i + 2 < len && memcmp(s + i, "\xE2\x80\xAF", 3) == 0)
        n = 3;
    return n && i + n < len && is_digit(s[i + n]) ? n : 0;
}

/* A number starts a token at the text's start, after white space, an opening bracket or quote; not after a
 * letter, digit, dash, point, colon or slash («PHQ-9», the «15» of «08–15», «2.113»). */
static bool starts_token(const char *s, size_t i) {
    if (i == 0) return true;
    size_t q = utf8_prev(s, i);
    uint32_t cp = utf8_next(s, i, &q);
    return is_space(cp) || cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0xAB || cp == 0x201C ||
           cp == 0x201E || cp == 0x2018;
}

/* ... and ends one at the text's end, before white space, a closing bracket or quote, ; ! ?, or a point, comma,
 * colon or hyphen with no digit after it (not a decimal, a time, a range: «08–15», «08.00», «113-115»). */
static bool ends_token(const char *s, size_t len, size_t i) {
    if (i >= len) return true;
    size_t q = i;
    uint32_t cp = utf8_next(s, len, &q);
    if (is_space(cp) || cp == ')' || cp == ']' || cp == '"' || cp == '\'' || cp == 0xBB || cp == 0x201D ||
        cp == 0x2019 || cp == ';' || cp == '!' || cp == '?')
        return true;
    if (cp == '.' || cp == ',' || cp == ':') return q >= len || !is_digit(s[q]);
    if (cp == '-') return q < len && !is_digit(s[q]) && s[q] != ' '; /* «113-sentralen» */
    return false;
}

static bool say_form(const char *s, const size_t *start, const size_t *glen, int k) {
    for (size_t f = 0; f < sizeof say_forms / sizeof *say_forms; f++) {
        bool ok = say_forms[f].n == k;
        for (int g = 0; ok && g < k; g++)
            ok = glen[g] == (size_t)say_forms[f].len[g];
        if (ok && say_forms[f].starts) ok = memcmp(s + start[0], say_forms[f].starts, strlen(say_forms[f].starts)) == 0;
        if (ok) return true;
    }
    return false;
}

size_t tts_say_numbers(const char *text, size_t len, char *out, uint32_t *from) {
    size_t o = 0;
#define SAY_PUT(c, at)                                                                                                 \
    do {                                                                                                               \
        out[o] = (c);                                                                                                  \
        if (from) from[o] = (uint32_t)(at);                                                                            \
        o++;                                                                                                           \
    } while (0)
    for (size_t i = 0; i < len;) {
        if (!is_digit(text[i]) || !starts_token(text, i)) {
            SAY_PUT(text[i], i);
            i++;
            continue;
        }
        /* the digit groups from here on, one separator between each two */
        size_t start[SAY_MAX_GROUPS + 1], glen[SAY_MAX_GROUPS + 1], j = i;
        int n = 0;
        for (;;) {
            size_t e = j;
            while (e < len && is_digit(text[e]))
                e++;
            if (n <= SAY_MAX_GROUPS) {
                start[n] = j;
                glen[n] = e - j;
            }
            n++;
            size_t sep = group_sep(text, len, e);
            j = e + sep;
            if (!sep) break;
        }
        /* the whole run, or its first groups when a group of three does not follow (that would make them
         * thousands: «110 000» is an amount, «113 24 timer i døgnet» a number and more) */
        int k = n < SAY_MAX_GROUPS ? n : SAY_MAX_GROUPS;
        for (; k > 0; k--)
            if ((k == n ? ends_token(text, len, j) : glen[k] != 3) && say_form(text, start, glen, k)) break;
        if (k == 0) { /* no phone number: the run as written, none of its groups read on its own */
            for (; i < j; i++)
                SAY_PUT(text[i], i);
            continue;
        }
        for (int g = 0; g < k; g++) {
            if (g) { /* a pause between groups */
                SAY_PUT(',', start[g] - 1);
                SAY_PUT(' ', start[g] - 1);
            }
            for (size_t d = start[g]; d < start[g] + glen[g]; d++) {
                if (d > start[g]) SAY_PUT(' ', d - 1);
                SAY_PUT(text[d], d);
            }
        }
        i = start[k - 1] + glen[k - 1];
    }
#undef SAY_PUT
    out[o] = '\0';
    return o;
}

bool tts_speak(tts *t, const char *text, size_t len, int rate, tts_audio *out, const volatile int *cancel) {
    (void)t;
    memset(out, 0, sizeof *out);
    if (rate < 80) rate = 80;
    if (rate > 450) rate = 450;
    es.set_parameter(espeakRATE, rate, 0);
    /* clean copy: phone numbers spelt out, no soft hyphens; every character remembers its byte offset in the
     * original */
    size_t cap = 2 * len + 1;
    char *said = malloc(cap), *clean = malloc(cap);
    uint32_t *said_from = malloc(cap * sizeof *said_from), *char_byte = malloc(cap * sizeof *char_byte);
    if (!said || !clean || !said_from || !char_byte) {
        free(said);
        free(clean);
        free(said_from);
        free(char_byte);
        return false;
    }
    size_t said_len = tts_say_numbers(text, len, said, said_from);
    size_t w = 0, nc = 0;
    for (size_t i = 0; i < said_len;) {
        size_t at = i;
        uint32_t cp = utf8_next(said, said_len, &i);
        if (cp == 0xAD) continue;
        memcpy(clean + w, said + at, i - at);
        w += i - at;
        char_byte[nc++] = said_from[at];
    }
    clean[w] = '\0';
    free(said_from);
    free(said);
    out->said = clean; /* what espeak-ng is given, kept for the harness (speech.h) */
    job j = {.out = out, .char_byte = char_byte, .n_chars = nc, .orig = text, .orig_len = len, .cancel = cancel};
    current = &j;
    espeak_ERROR e = es.synth(clean, w + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    current = NULL;
    free(char_byte);
    bool ok = e == EE_OK && !j.failed && !(cancel && *cancel);
    if (!ok) tts_audio_free(out);
    return ok;
}

void tts_audio_free(tts_audio *a) {
    free(a->samples);
    free(a->marks);
    free(a->said);
    memset(a, 0, sizeof *a);
}
