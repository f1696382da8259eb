/* speech.c — read-aloud player; see speech.h.
 * Two threads share one mutex: the worker synthesises up to MS_SPEECH_LOOKAHEAD texts ahead of what the UI has queued,
 * so there is never a gap between paragraphs and never much audio held in memory. A new play or a stop bumps
 * a generation number; the worker drops any result of an older generation and its synthesis is cancelled
 * through tts_speak's cancel flag. Audio position = bytes queued − bytes still in SDL's queue. */
#include "speech.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/config.h"
#include "meistring/tts.h"


typedef struct {
    bool queued;
    Uint32 start_byte; /* where this text's audio starts in the stream */
    tts_mark *marks;
    size_t n_marks;
    char *said; /* the text as espeak-ng was given it (speech_said) */
} unit_info;

struct speech {
    SDL_AudioDeviceID dev;
    int hz;
    char voice[16];   /* the voice the job asks for (guarded by mu) */
    char speaking[16]; /* the voice espeak-ng has now: set by the worker when it switched (guarded by mu) */
    SDL_Thread *worker;
    SDL_mutex *mu;
    SDL_cond *cv;
    bool quit;

    /* the current job (guarded by mu) */
    unsigned gen;
    volatile int cancel; /* set when gen moves on: the running synthesis gives up */
    char **texts;
    int n, next_synth, next_queue;
    int first; /* texts[0] is the caller's texts[first] */
    int rate;
    tts_audio ready[MS_SPEECH_LOOKAHEAD]; /* results for next_queue .. next_queue + MS_SPEECH_LOOKAHEAD - 1 */
    bool ready_ok[MS_SPEECH_LOOKAHEAD];
    unit_info *units;
    Uint32 queued_bytes;
    bool active, paused;
    Uint64 play_t0;
    double first_audio_ms;
    bool failed_start;
    bool silent; /* no sound card: timing only */
};

bool speech_silent(const speech *s) { return s->silent; }

static void clear_job(speech *s) {
    for (int i = 0; i < s->n; i++) {
        free(s->texts[i]);
        free(s->units[i].marks);
        free(s->units[i].said);
    }
    free(s->texts);
    free(s->units);
    s->texts = NULL;
    s->units = NULL;
    s->n = s->next_synth = s->next_queue = 0;
    for (int k = 0; k < MS_SPEECH_LOOKAHEAD; k++) {
        tts_audio_free(&s->ready[k]);
        s->ready_ok[k] = false;
    }
    s->queued_bytes = 0;
}

static int worker_main(void *arg) {
    speech *s = arg;
    char err[256];
    tts *t = tts_new(s->voice, NULL, err, sizeof err);
    SDL_LockMutex(s->mu);
    if (!t) {
        fprintf(stderr, "meistring: read-aloud is off: %s\n", err);
        s->failed_start = true;
    } else
        snprintf(s->speaking, sizeof s->speaking, "%s", s->voice);
    while (!s->quit) {
        bool work = t && s->texts && s->next_synth < s->n && s->next_synth < s->next_queue + MS_SPEECH_LOOKAHEAD;
        if (!work) {
            SDL_CondWait(s->cv, s->mu);
            continue;
        }
        if (strcmp(s->voice, s->speaking) != 0) {
            /* a job in another language: espeak-ng's voice is switched here, on the only thread that uses it */
            if (tts_set_voice(t, s->voice, err, sizeof err))
                snprintf(s->speaking, sizeof s->speaking, "%s", s->voice);
            else {
                fprintf(stderr, "meistring: %s; the voice stays \"%s\"\n", err, s->speaking);
                snprintf(s->voice, sizeof s->voice, "%s", s->speaking);
            }
        }
        unsigned gen = s->gen;
        int k = s->next_synth;
        char *text = SDL_strdup(s->texts[k]);
        int rate = s->rate;
        SDL_UnlockMutex(s->mu);
        tts_audio au = {0};
        bool ok = text && tts_speak(t, text, strlen(text), rate, &au, &s->cancel);
        SDL_free(text);
        SDL_LockMutex(s->mu);
        if (gen != s->gen) {
            tts_audio_free(&au); /* a newer play or a stop came while this was spoken: drop it */
            continue;
        }
        s->ready[k % MS_SPEECH_LOOKAHEAD] = au;
        s->ready_ok[k % MS_SPEECH_LOOKAHEAD] = true;
        if (!ok) s->ready[k % MS_SPEECH_LOOKAHEAD].n_samples = 0; /* unspeakable text: skip it, keep going */
        s->next_synth++;
    }
    SDL_UnlockMutex(s->mu);
    tts_free(t);
    return 0;
}

speech *speech_new(const char *voice, char *err, size_t errcap) {
    speech *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(s->voice, sizeof s->voice, "%s", voice);
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(err, errcap, "no sound: %s", SDL_GetError());
        free(s);
        return NULL;
    }
    SDL_AudioSpec want = {0}, have;
    want.freq = 22050; /* espeak-ng's rate */
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!s->dev) {
        /* no sound card (a kiosk, a broken tablet): keep time with SDL's silent driver, so the words are still
         * lit one by one for the reader to follow */
        fprintf(stderr, "meistring: no sound device (%s); reading aloud silently\n", SDL_GetError());
        SDL_AudioQuit();
        if (SDL_AudioInit("dummy") == 0) s->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
        s->silent = true;
    }
    if (!s->dev) {
        snprintf(err, errcap, "no sound device: %s", SDL_GetError());
        free(s);
        return NULL;
    }
    s->hz = have.freq;
    s->mu = SDL_CreateMutex();
    s->cv = SDL_CreateCond();
    s->first_audio_ms = -1;
    s->worker = s->mu && s->cv ? SDL_CreateThread(worker_main, "speech", s) : NULL;
    if (!s->worker) {
        snprintf(err, errcap, "cannot start the speech thread: %s", SDL_GetError());
        speech_free(s);
        return NULL;
    }
    return s;
}

void speech_free(speech *s) {
    if (!s) return;
    if (s->mu) {
        SDL_LockMutex(s->mu);
        s->quit = true;
        s->cancel = 1;
        SDL_CondSignal(s->cv);
        SDL_UnlockMutex(s->mu);
    }
    if (s->worker) SDL_WaitThread(s->worker, NULL);
    if (s->dev) SDL_CloseAudioDevice(s->dev);
    clear_job(s);
    if (s->cv) SDL_DestroyCond(s->cv);
    if (s->mu) SDL_DestroyMutex(s->mu);
    free(s);
}

void speech_play(speech *s, const char *const *texts, int n, int first, int rate, const char *voice) {
    SDL_LockMutex(s->mu);
    if (voice) snprintf(s->voice, sizeof s->voice, "%s", voice);
    s->gen++;
    s->cancel = 1; /* stop what the worker is speaking now */
    SDL_ClearQueuedAudio(s->dev);
    clear_job(s);
    if (first < 0) first = 0;
    int count = n - first > 0 ? n - first : 0;
    s->texts = calloc((size_t)count + 1, sizeof *s->texts);
    s->units = calloc((size_t)count + 1, sizeof *s->units);
    if (s->texts && s->units) {
        for (int i = 0; i < count; i++)
            s->texts[i] = SDL_strdup(texts[first + i] ? texts[first + i] : "");
        s->n = count;
    }
    s->rate = rate;
    s->first = first;
    s->active = count > 0;
    s->paused = false;
    s->play_t0 = SDL_GetPerformanceCounter();
    s->first_audio_ms = -1;
    SDL_PauseAudioDevice(s->dev, 0);
    SDL_UnlockMutex(s->mu);
    /* the worker reads the new job after it has seen the old one cancelled */
    SDL_LockMutex(s->mu);
    s->cancel = 0;
    SDL_CondSignal(s->cv);
    SDL_UnlockMutex(s->mu);
}

void speech_pause(speech *s, bool paused) {
    SDL_LockMutex(s->mu);
    if (s->active) {
        s->paused = paused;
        SDL_PauseAudioDevice(s->dev, paused ? 1 : 0);
    }
    SDL_UnlockMutex(s->mu);
}

void speech_stop(speech *s) {
    SDL_LockMutex(s->mu);
    s->gen++;
    s->cancel = 1;
    SDL_ClearQueuedAudio(s->dev);
    clear_job(s);
    s->active = s->paused = false;
    SDL_UnlockMutex(s->mu);
    SDL_LockMutex(s->mu);
    s->cancel = 0;
    SDL_UnlockMutex(s->mu);
}

/* The text whose audio is playing now (an index into the job), or -1. Call with mu held. */
static int playing_unit(const speech *s) {
    Uint32 left = SDL_GetQueuedAudioSize(s->dev);
    Uint32 played = s->queued_bytes > left ? s->queued_bytes - left : 0;
    int unit = -1;
    for (int k = 0; k < s->next_queue; k++)
        if (s->units[k].queued && s->units[k].start_byte <= played) unit = k;
    return unit;
}

bool speech_said(speech *s, char *buf, size_t cap) {
    SDL_LockMutex(s->mu);
    int unit = s->active ? playing_unit(s) : -1;
    bool ok = unit >= 0 && s->units[unit].said;
    snprintf(buf, cap, "%s", ok ? s->units[unit].said : "");
    SDL_UnlockMutex(s->mu);
    return ok;
}

void speech_poll(speech *s, speech_state *st) {
    memset(st, 0, sizeof *st);
    st->unit = -1;
    st->first_audio_ms = s->first_audio_ms;
    SDL_LockMutex(s->mu);
    if (!s->active) {
        SDL_UnlockMutex(s->mu);
        return;
    }
    Uint32 ahead = (Uint32)(s->hz * 2 * MS_SPEECH_QUEUE_AHEAD_S);
    bool fed = false;
    while (s->next_queue < s->n && s->next_queue < s->next_synth && SDL_GetQueuedAudioSize(s->dev) < ahead) {
        int k = s->next_queue;
        tts_audio *au = &s->ready[k % MS_SPEECH_LOOKAHEAD];
        unit_info *u = &s->units[k];
        u->queued = true;
        u->start_byte = s->queued_bytes;
        u->marks = au->marks; /* the unit keeps its marks for highlighting */
        u->n_marks = au->n_marks;
        au->marks = NULL;
        au->n_marks = 0;
        u->said = au->said;
        au->said = NULL;
        if (au->n_samples) {
            Uint32 bytes = (Uint32)(au->n_samples * sizeof(int16_t));
            if (SDL_QueueAudio(s->dev, au->samples, bytes) == 0) s->queued_bytes += bytes;
            if (s->first_audio_ms < 0)
                s->first_audio_ms =
                    (double)(SDL_GetPerformanceCounter() - s->play_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        }
        tts_audio_free(au);
        s->ready_ok[k % MS_SPEECH_LOOKAHEAD] = false;
        s->next_queue++;
        fed = true;
    }
    if (fed) SDL_CondSignal(s->cv); /* room for the worker to synthesise further ahead */
    int unit = playing_unit(s);
    Uint32 left = SDL_GetQueuedAudioSize(s->dev);
    Uint32 played = s->queued_bytes > left ? s->queued_bytes - left : 0;
    st->active = true;
    st->paused = s->paused;
    st->unit = unit >= 0 ? unit + s->first : -1;
    if (unit >= 0) {
        double ms = (played - s->units[unit].start_byte) / 2.0 * 1000.0 / s->hz;
        for (size_t i = 0; i < s->units[unit].n_marks; i++) {
            if (s->units[unit].marks[i].ms <= ms) {
                st->has_word = true;
                st->word_start = s->units[unit].marks[i].start;
                st->word_len = s->units[unit].marks[i].len;
            }
        }
    }
    if (s->next_queue >= s->n && left == 0 && !s->paused) {
        /* everything spoken */
        st->ended = true;
        st->active = false;
        s->active = false;
    }
    if (s->failed_start) {
        st->ended = true;
        st->active = false;
        s->active = false;
    }
    st->first_audio_ms = s->first_audio_ms;
    snprintf(st->voice, sizeof st->voice, "%s", s->speaking);
    SDL_UnlockMutex(s->mu);
}
