/* readaloud.c — see readaloud.h. */
#include "readaloud.h"

#include <stdlib.h>
#include <string.h>

#include "meistring/kiosk_config.h"
#include "pages.h"
#include "screens.h"

static speech *sp;          /* the player, opened on first use */
static readaloud_state ra; /* what is being read, and the word being spoken */

const readaloud_state *readaloud_get(void) { return &ra; }

void readaloud_pause(app *a) {
    if (!ra.on) return;
    ra.paused = !ra.paused;
    speech_pause(sp, ra.paused);
    a->dirty = true;
}

void readaloud_turned(app *a) {
    (void)a;
    if (ra.on && !ra.paused) ra.restart = true; /* read on from the new screen */
}

void readaloud_close(app *a) {
    (void)a;
    speech_free(sp);
    sp = NULL;
    memset(&ra, 0, sizeof ra);
}

/* Reads the current page aloud from unit `from` (its texts in reading order). */
/* Opens the read-aloud player on first use; false (and says why) when there is none. */
bool readaloud_offered(const app *a) { return !a->opt.kiosk_cfg || a->opt.kiosk_cfg->read_aloud; }

bool readaloud_ready(app *a) {
    if (!readaloud_offered(a)) return false;
    if (!sp) {
        char err[256];
        sp = speech_new("nb", err, sizeof err); /* the Norwegian voice reads nynorsk well enough too */
        if (!sp) {
            app_log("read-aloud is off: %s", err);
            app_show_error(a, "speech.no_sound");
            return false;
        }
        if (speech_silent(sp)) app_show_error(a, "speech.silent");
    }
    return true;
}

/* Reads texts that are not a page (the scores as text): no word is lit on a page, and it ends where it ends. */
void readaloud_texts(app *a, const char *const *texts, int n) {
    if (n <= 0 || !readaloud_ready(a)) return;
    speech_play(sp, texts, n, 0, settings_speech_rate(a->set.speech_pct));
    ra.on = true;
    ra.paused = false;
    ra.module = -1; /* not a page */
    ra.page = -1;
    ra.restart = false;
    ra.word = false;
    a->dirty = true;
}

void readaloud_from(app *a, int from) {
    pagelayout *pl = pages_layout(a);
    if (!pl || !readaloud_ready(a)) return;
    int n = pl_unit_count(pl);
    const char **texts = calloc((size_t)n + 1, sizeof *texts);
    if (!texts) return;
    for (int u = 0; u < n; u++)
        texts[u] = pl_unit_text(pl, u);
    speech_play(sp, texts, n, from, settings_speech_rate(a->set.speech_pct));
    free(texts);
    ra.on = true;
    ra.paused = false;
    ra.module = a->module;
    ra.page = a->page;
    ra.restart = false;
    ra.word = false;
    a->dirty = true;
}

/* The first text that shows on the screen (paged) or at the top of the view (scrolling). */
int readaloud_first_in_view(app *a) {
    pagelayout *pl = pages_layout(a);
    if (!pl) return 0;
    for (int u = 0; u < pl_unit_count(pl); u++) {
        int x, y, w, h;
        if (pl_unit_box(pl, u, 0, 1, &x, &y, &w, &h) && y + h > a->scroll_page) return u;
    }
    return 0;
}

void readaloud_stop(app *a) {
    if (sp) speech_stop(sp);
    ra.on = ra.paused = ra.word = false;
    a->dirty = true;
}

/* Keeps the spoken word on screen. */
static void readaloud_follow(app *a) {
    pagelayout *pl = pages_layout(a);
    int x, y, w, h;
    if (pl && pl_unit_box(pl, ra.unit, ra.start, ra.len, &x, &y, &w, &h)) reader_show(a, y, h);
}

bool readaloud_tick(app *a) {
    if (!ra.on || !sp) return false;
    if (ra.restart && a->screen == SCREEN_PAGE && ra.module >= 0) {
        readaloud_from(a, readaloud_first_in_view(a));
        return true;
    }
    speech_state st;
    speech_poll(sp, &st);
    if (st.first_audio_ms >= 0) ra.first_audio_ms = st.first_audio_ms;
    if (st.ended) {
        ra.word = false;
        const doc_module *m = ra.module >= 0 ? &a->prog->modules[ra.module] : NULL;
        if (m && a->screen == SCREEN_PAGE && a->module == ra.module && (size_t)ra.page + 1 < m->n_pages) {
            /* carry on over the page turn */
            reader_open_page(a, ra.page + 1);
            readaloud_from(a, 0);
        } else {
            readaloud_stop(a);
            app_show_toast(a, app_tr(a, "speech.done"), 4000);
        }
        return true;
    }
    bool changed = st.has_word != ra.word || st.unit != ra.unit || st.word_start != ra.start;
    ra.word = st.has_word && a->module == ra.module && a->page == ra.page;
    ra.unit = st.unit;
    ra.start = st.word_start;
    ra.len = st.word_len;
    if (changed && ra.word && a->screen == SCREEN_PAGE) {
        readaloud_follow(a);
        /* the focus ruler follows the voice */
        pagelayout *pl = pages_layout(a);
        int x, y, w, h;
        if (a->set.focus && pl && pl_unit_box(pl, ra.unit, ra.start, ra.len, &x, &y, &w, &h)) reader_focus_at(a, y);
    }
    if (changed) a->dirty = true;
    return changed;
}

bool readaloud_action(app *a, app_action act, int arg) {
    (void)arg;
    switch (act) {
    case ACT_SPEAK_STOP: readaloud_stop(a); return true;
    case ACT_SPEAK_SLOWER:
    case ACT_SPEAK_FASTER: {
        int pct = settings_speech_step(a->set.speech_pct, act == ACT_SPEAK_FASTER ? 1 : -1);
        if (pct != a->set.speech_pct) {
            a->set.speech_pct = pct;
            aids_apply(a);
            /* the new speed from the word being spoken */
            if (ra.on && !ra.paused && a->screen == SCREEN_PAGE)
                readaloud_from(a, ra.word ? ra.unit : readaloud_first_in_view(a));
        }
        return true;
    }
    default: return false;
    }
}
