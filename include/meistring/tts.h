/* tts.h — read-aloud speech with libespeak-ng, offline: voice "nb" for bokmål and nynorsk (espeak-ng has no
 * nynorsk voice; the bokmål one reads it well enough), "en" for English.
 * Synthesis is synchronous into caller-visible buffers: 16-bit mono samples plus one mark per spoken word
 * (byte range in the text, and when in the audio it starts). espeak-ng keeps global state: create one tts and
 * use it from one thread only (the client's speech worker). */
#ifndef MEISTRING_TTS_H
#define MEISTRING_TTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tts tts;

/* A spoken word: bytes [start, start + len) of the synthesised text, starting `ms` into the audio. The range
 * is the whole white-space-delimited token the synthesiser reported (punctuation and quotes included). */
typedef struct {
    uint32_t start, len;
    uint32_t ms;
} tts_mark;

/* The result of one synthesis; tts_audio_free releases both arrays. */
typedef struct {
    int16_t *samples;
    size_t n_samples;
    tts_mark *marks;
    size_t n_marks;
    char *said; /* the text as the voice was given it (tts_say_numbers's), for the harness to hear; NUL-ended */
} tts_audio;

/* Starts espeak-ng with the voice (e.g. "nb"). NULL with the reason in err. data_dir may be NULL (the
 * system's espeak-ng-data). */
tts *tts_new(const char *voice, const char *data_dir, char *err, size_t errcap);
void tts_free(tts *t); /* NULL is a no-op */
/* Speaks with another voice from the next tts_speak on (e.g. "en"); false with the reason, the old voice kept. */
bool tts_set_voice(tts *t, const char *voice, char *err, size_t errcap);
int tts_sample_rate(const tts *t);

/* Synthesises text[0..len) (UTF-8) at rate words a minute (80–450). Soft hyphens are dropped and phone
 * numbers spelt out (tts_say_numbers) before speaking; the marks are still ranges of text. Returns false on failure or when *cancel became non-zero (checked every audio chunk); out is
 * then empty. */
bool tts_speak(tts *t, const char *text, size_t len, int rate, tts_audio *out, const volatile int *cancel);
void tts_audio_free(tts_audio *a);

/* Phone numbers as a patient must dial them: digit by digit in their groups, a pause (a comma) between groups —
 * «113» becomes «1 1 3» («en en tre», not espeak-ng's «ett hundre og tretten»), «116 117» «1 1 6, 1 1 7» (not
 * «ett hundre og seksten tusen …»). A phone number is a whole token of digits (space, no-break space or narrow
 * no-break space between groups) that is: an emergency number 110, 112, 113; a 116 number («116 117»,
 * «116117»); or eight digits grouped 2+2+2+2 («22 33 44 55») or 3+2+3 («800 12 345»). Anything else is left as
 * written: years, times («08–15», «08.00»), scores, page counts, amounts («250 000», «1 113»). Writes the text to
 * speak into out (2 * len + 1 bytes always suffice; NUL-terminated) and, when from is not NULL, for each byte
 * of out the byte of text it stands for (an added space or comma: the digit before it). Returns out's length. */
size_t tts_say_numbers(const char *text, size_t len, char *out, uint32_t *from);

#endif
