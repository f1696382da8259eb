/* speech.h — the read-aloud player: a worker thread synthesises the page's texts one by one with tts (never on
 * the UI thread), the UI thread feeds the audio to SDL's audio queue and asks where playback is, to light the
 * word being spoken. Texts are "units": a heading, a paragraph, a list item, an image's alt text. */
#ifndef MS_APP_SPEECH_H
#define MS_APP_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct speech speech;

/* Opens the audio device and starts the worker (and espeak-ng with voice, e.g. "nb"). NULL with a reason. */
speech *speech_new(const char *voice, char *err, size_t errcap);
void speech_free(speech *s); /* stops everything; NULL is a no-op */

/* Speaks texts[first..n) in order at rate words a minute, in voice ("nb", "en"; NULL: the voice speech_new
 * chose); whatever was playing stops. The texts are copied. */
void speech_play(speech *s, const char *const *texts, int n, int first, int rate, const char *voice);
void speech_pause(speech *s, bool paused);
void speech_stop(speech *s);
/* True when there is no sound card and playback only keeps time (the words are still lit). */
bool speech_silent(const speech *s);

typedef struct {
    bool active; /* playing or paused */
    bool paused;
    bool ended; /* the last text has been spoken (reported once, then inactive) */
    int unit;   /* which text is being spoken (-1: none yet) */
    bool has_word;
    uint32_t word_start, word_len; /* byte range in texts[unit] */
    double first_audio_ms;         /* from speech_play to the first audio handed to SDL, for the bench; -1 until then */
    char voice[16];                /* the voice espeak-ng is speaking with, as the worker set it ("" before) */
} speech_state;

/* The text being spoken now as espeak-ng was given it (tts_say_numbers's: phone numbers digit by digit), copied
 * into buf; false (buf "") when nothing plays. For the harness (`wait-said`): what a patient hears, kept in
 * memory only, never logged. */
bool speech_said(speech *s, char *buf, size_t cap);

/* Call on the UI thread every tick while active: hands synthesised audio to SDL and says where playback is. */
void speech_poll(speech *s, speech_state *st);

#endif
