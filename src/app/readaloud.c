/* readaloud.c — see readaloud.h. */
#include "readaloud.h"

#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "screens.h"

/* Reads the current page aloud from unit `from` (its texts in reading order). */
/* Opens the read-aloud player on first use; false (and says why) when there is none. */
bool readaloud_ready(app *a) {
    if (!a->sp) {
        char err[256];
        a->sp = speech_new("nb", err, sizeof err); /* the Norwegian voice reads nynorsk well enough too */
        if (!a->sp) {
            app_log("read-aloud is off: %s", err);
            app_show_toast(a, app_tr(a, "speech.no_sound"), 5000);
            return false;
        }
        if (speech_silent(a->sp)) app_show_toast(a, app_tr(a, "speech.silent"), 5000);
    }
    return true;
}

/* Reads texts that are not a page (the scores as text): no word is lit on a page, and it ends where it ends. */
void readaloud_texts(app *a, const char *const *texts, int n) {
    if (n <= 0 || !readaloud_ready(a)) return;
    speech_play(a->sp, texts, n, 0, settings_speech_rate(a->set.speech_pct));
    a->speaking = true;
    a->sp_paused = false;
    a->sp_module = -1; /* not a page */
    a->sp_page = -1;
    a->sp_restart = false;
    a->hl_valid = false;
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
    speech_play(a->sp, texts, n, from, settings_speech_rate(a->set.speech_pct));
    free(texts);
    a->speaking = true;
    a->sp_paused = false;
    a->sp_module = a->module;
    a->sp_page = a->page;
    a->sp_restart = false;
    a->hl_valid = false;
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
    if (a->sp) speech_stop(a->sp);
    a->speaking = a->sp_paused = a->hl_valid = false;
    a->dirty = true;
}

/* Keeps the spoken word on screen. */
static void readaloud_follow(app *a) {
    pagelayout *pl = pages_layout(a);
    int x, y, w, h;
    if (pl && pl_unit_box(pl, a->hl_unit, a->hl_start, a->hl_len, &x, &y, &w, &h)) reader_show(a, y, h);
}

bool readaloud_tick(app *a) {
    if (!a->speaking || !a->sp) return false;
    if (a->sp_restart && a->screen == SCREEN_PAGE && a->sp_module >= 0) {
        readaloud_from(a, readaloud_first_in_view(a));
        return true;
    }
    speech_state st;
    speech_poll(a->sp, &st);
    if (st.first_audio_ms >= 0) a->sp_first_audio_ms = st.first_audio_ms;
    if (st.ended) {
        a->hl_valid = false;
        const doc_module *m = a->sp_module >= 0 ? &a->prog->modules[a->sp_module] : NULL;
        if (m && a->screen == SCREEN_PAGE && a->module == a->sp_module && (size_t)a->sp_page + 1 < m->n_pages) {
            /* carry on over the page turn */
            reader_open_page(a, a->sp_page + 1);
            readaloud_from(a, 0);
        } else {
            readaloud_stop(a);
            app_show_toast(a, app_tr(a, "speech.done"), 4000);
        }
        return true;
    }
    bool changed = st.has_word != a->hl_valid || st.unit != a->hl_unit || st.word_start != a->hl_start;
    a->hl_valid = st.has_word && a->module == a->sp_module && a->page == a->sp_page;
    a->hl_unit = st.unit;
    a->hl_start = st.word_start;
    a->hl_len = st.word_len;
    if (changed && a->hl_valid && a->screen == SCREEN_PAGE) {
        readaloud_follow(a);
        /* the focus ruler follows the voice */
        pagelayout *pl = pages_layout(a);
        int x, y, w, h;
        if (a->set.focus && pl && pl_unit_box(pl, a->hl_unit, a->hl_start, a->hl_len, &x, &y, &w, &h)) reader_focus_at(a, y);
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
            if (a->speaking && !a->sp_paused && a->screen == SCREEN_PAGE)
                readaloud_from(a, a->hl_valid ? a->hl_unit : readaloud_first_in_view(a));
        }
        return true;
    }
    default: return false;
    }
}
