/* readaloud.c — see readaloud.h. */
#include "readaloud.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "meistring/kiosk_config.h"
#include "pages.h"
#include "screens.h"

static speech *sp;          /* the player, opened on first use */
static readaloud_state ra; /* what is being read, and the word being spoken */

/* A screen read from its elements (ra.module == -1). The texts are copies: the view is rebuilt every frame, and an
 * element is found again by role, text and which of its equals it is, so it can be lit as it is said. */
typedef struct {
    view_role role;
    char *text; /* the element's own text */
    int occ;    /* 0: the first element with this role and text in the frame, 1: the second … */
    int at;     /* a part of the editor's field (its words a sentence at a time): its first byte; -1: an element */
} said_elem;
static struct {
    bool on;          /* the session says elements */
    bool single;      /* one element (a tap, the focus): nothing follows */
    app_screen screen;
    said_elem *el;
    int n;
    int unit;         /* the element being said, or -1 */
    int read_to;      /* the list's content (px from its top) read up to: the next part starts there */
    int scroll_dy;    /* when the part ends: scroll this far and read on (0: the screen is read) */
    bool cont;        /* scrolled; read on once the frame after it has been drawn */
    unsigned cont_frame;
    bool first;       /* the part being built is the first: the screen's title is read with it */
    bool titled0;     /* parts[0] was read with the title (not so when started mid-screen or the oldest dropped) */
    int parts[MS_READ_PARTS_MAX]; /* where each part read so far began (read_to), to skip back into it */
    int n_parts;
    bool from_last; /* the part being scrolled to is read from its last element (a skip back into it) */
    size_t word_at; /* the word being said, bytes into the element's text (the editor follows it in a long
                     * sentence of the patient's) */
} sr;
/* The page's text read from last (readaloud_from): the one being said until the voice says which it is. */
static int page_from;
/* «Les opp det jeg trykker på»: the control a first tap said, so a second tap on it acts */
static struct {
    bool set;
    app_screen screen;
    int action, arg;
} heard;

static void sr_clear(void) {
    for (int i = 0; i < sr.n; i++)
        free(sr.el[i].text);
    free(sr.el);
    memset(&sr, 0, sizeof sr);
    sr.unit = -1;
}

const readaloud_state *readaloud_get(void) { return &ra; }

bool readaloud_reads_screen(void) { return ra.on && sr.on && !sr.single; }

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
    sr_clear();
    heard.set = false;
}

/* The voice for a language: espeak-ng has no nynorsk voice, and the bokmål one reads nynorsk well enough. */
static const char *voice_for(const char *lang) { return lang && strcmp(lang, "en") == 0 ? "en" : "nb"; }
/* What the screens say (labels, buttons, help) is in the UI's language; a page is in its programme's. A
 * programme title on an English screen is then said the English way: the screen's words are the most. */
static const char *ui_voice(const app *a) { return voice_for(a->opt.lang); }
static const char *page_voice(const app *a) { return voice_for(a->prog ? a->prog->language : a->opt.lang); }

/* Opens the read-aloud player on first use; false (and says why) when there is none. */
bool readaloud_offered(const app *a) { return !a->opt.kiosk_cfg || a->opt.kiosk_cfg->read_aloud; }

bool readaloud_ready(app *a) {
    if (!readaloud_offered(a)) return false;
    if (!sp) {
        char err[256];
        sp = speech_new(ui_voice(a), err, sizeof err);
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
    sr_clear();
    speech_play(sp, texts, n, 0, settings_speech_rate(a->set.speech_pct), ui_voice(a));
    ra.on = true;
    ra.paused = false;
    ra.module = -1; /* not a page */
    ra.single = false;
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
    sr_clear();
    speech_play(sp, texts, n, from, settings_speech_rate(a->set.speech_pct), page_voice(a));
    free(texts);
    page_from = from;
    ra.on = true;
    ra.paused = false;
    ra.module = a->module;
    ra.page = a->page;
    ra.single = false;
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
    ra.on = ra.paused = ra.word = ra.single = false;
    sr_clear();
    a->dirty = true;
}

/* ---- a screen's own elements ---------------------------------------------------------------------------------- */

/* The bars' own controls (Back, read-aloud, «Lesehjelp», «Hjelp nå») are on every screen: a screen's reading
 * leaves them out and keeps the title (a button when the bar had to shorten it: ACT_SHOW_TITLE). */
static bool in_top_bar(const app *a, const view_elem *e) {
    int top, bottom;
    app_content_area(a, &top, &bottom);
    return e->action && e->action != ACT_SHOW_TITLE && e->action != ACT_TOAST_WHOLE && e->y + e->h <= top;
}

static int occurrence(const view *v, size_t upto, view_role role, const char *text) {
    int k = 0;
    for (size_t i = 0; i < upto; i++)
        if (v->e[i].role == role && strcmp(v->e[i].text, text) == 0) k++;
    return k;
}

static const view_elem *find_said(const app *a, const said_elem *s) {
    int k = 0;
    if (s->at >= 0) { /* a sentence of the editor's field: in the field */
        for (size_t i = 0; i < a->view.n; i++)
            if (a->view.e[i].role == ROLE_FIELD) return &a->view.e[i];
        return NULL;
    }
    for (size_t i = 0; i < a->view.n; i++) {
        const view_elem *e = &a->view.e[i];
        if (e->role == s->role && e->text && strcmp(e->text, s->text) == 0 && k++ == s->occ) return e;
    }
    return NULL;
}

static bool sr_add(const view *v, size_t i) {
    const view_elem *e = &v->e[i];
    said_elem *g = realloc(sr.el, (size_t)(sr.n + 1) * sizeof *g);
    if (!g) return false;
    sr.el = g;
    g[sr.n].role = e->role;
    g[sr.n].text = strdup(e->text);
    g[sr.n].occ = occurrence(v, i, e->role, e->text);
    g[sr.n].at = -1;
    if (!g[sr.n].text) return false;
    sr.n++;
    return true;
}

/* The patient's own words in the editor, a sentence at a time (a line the patient began is one too): each is lit
 * in the field, and the field shows it, as it is said (editor_part_box); read as one element, a long text was lit
 * as a whole, the field kept to the lines round its caret, and nothing skipped within it. */
static void sr_add_field(const view *v, size_t i) {
    const char *t = v->e[i].text;
    size_t n = strlen(t), p = 0;
    if (!n) {
        sr_add(v, i); /* «Skrivefeltet er tomt» */
        return;
    }
    while (p < n) {
        while (p < n && (t[p] == ' ' || t[p] == '\n' || t[p] == '\t'))
            p++;
        if (p >= n) break;
        size_t e = p;
        while (e < n && t[e] != '\n') {
            bool stop = t[e] == '.' || t[e] == '!' || t[e] == '?';
            e++;
            if (stop) {
                /* the sentence ends with its marks and closing quotes, before the space that follows */
                while (e < n && strchr(".!?\"')", t[e]))
                    e++;
                if (e + 1 < n && (unsigned char)t[e] == 0xC2 && (unsigned char)t[e + 1] == 0xBB) e += 2; /* » */
                if (e >= n || t[e] == ' ' || t[e] == '\n') break;
            }
        }
        size_t end = e;
        while (end > p && (t[end - 1] == ' ' || t[end - 1] == '\t'))
            end--;
        said_elem *g = realloc(sr.el, (size_t)(sr.n + 1) * sizeof *g);
        if (!g) return;
        sr.el = g;
        g[sr.n] = (said_elem){ROLE_FIELD, strndup(t + p, end - p), 0, (int)p};
        if (!g[sr.n].text) return;
        sr.n++;
        p = e;
    }
}

/* What an element sounds like: a control is named as one («Start modulen, knapp»), a field with its words. */
static char *spoken(app *a, view_role role, const char *text) {
    if (role == ROLE_FIELD && !text[0]) return strdup(app_tr(a, "speech.field_empty")); /* where to write, said */
    const char *suffix = role == ROLE_BUTTON ? app_tr(a, "speech.role_button")
                         : role == ROLE_FIELD ? app_tr(a, "speech.role_field")
                                              : NULL;
    size_t n = strlen(text) + (suffix ? strlen(suffix) + 3 : 0) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    if (suffix)
        snprintf(s, n, "%s, %s", text, suffix);
    else
        snprintf(s, n, "%s", text);
    return s;
}

/* The part built, said from its element `from` on. */
static void sr_play_from(app *a, int from) {
    char **texts = calloc((size_t)sr.n + 1, sizeof *texts);
    if (!texts) return;
    int ok = 0;
    for (int i = 0; i < sr.n; i++) {
        /* the field's words a sentence at a time: named a field once, after its last */
        bool more_of_field = sr.el[i].at >= 0 && i + 1 < sr.n && sr.el[i + 1].at >= 0;
        if ((texts[i] = spoken(a, more_of_field ? ROLE_TEXT : sr.el[i].role, sr.el[i].text))) ok++;
    }
    if (from < 0 || from >= sr.n) from = 0;
    if (ok == sr.n && sr.n > 0) {
        speech_play(sp, (const char *const *)texts, sr.n, from, settings_speech_rate(a->set.speech_pct), ui_voice(a));
        ra.on = true;
        ra.paused = false;
        ra.module = ra.page = -1;
        ra.restart = ra.word = false;
        ra.single = sr.single;
        sr.on = true;
        sr.unit = from; /* lit at once: the voice starts with it */
        sr.word_at = 0;
    }
    for (int i = 0; i < sr.n; i++)
        free(texts[i]);
    free(texts);
    a->dirty = true;
}

static void sr_play(app *a) { sr_play_from(a, 0); }

/* The editor's field, read after its actions: read in the order drawn, a long text kept «Angre» and «Send» from a
 * patient who cannot read them until the whole of it was said, and nothing skipped to them. The question and the
 * actions are a few words; the patient's own words, which may run to minutes, come last, where stopping the
 * reading loses nothing else. (The keys are said as they are touched, not here.) */
static bool words_last(const app *a, const view_elem *e) { return a->screen == SCREEN_WRITE && e->role == ROLE_FIELD; }

/* The next part of the screen: what shows whole of the list from read_to on (an element cut by the list's foot is
 * left for the next part, which scrolls it to the top), the title before the first part, the bottom bar after
 * the last. Returns the number of elements. */
static int sr_build(app *a) {
    const view *v = &a->view;
    for (int i = 0; i < sr.n; i++)
        free(sr.el[i].text);
    sr.n = 0;
    bool area = v->area_top >= 0 && v->area_bottom > v->area_top;
    int top = area ? v->area_top : 0, bottom = area ? v->area_bottom : a->h;
    int scroll = area ? *screen_scroll(a) : 0;
    /* where this part stops: the first element the list's foot cuts, or the foot */
    int stop = bottom;
    bool more = area && scroll < a->max_scroll;
    /* where this part begins, to skip back to it (a part read again after a skip back is not a new one) */
    while (sr.n_parts > 0 && sr.parts[sr.n_parts - 1] >= sr.read_to)
        sr.n_parts--;
    if (sr.n_parts == MS_READ_PARTS_MAX) { /* a very long screen: the oldest part is forgotten */
        memmove(sr.parts, sr.parts + 1, (MS_READ_PARTS_MAX - 1) * sizeof *sr.parts);
        sr.n_parts--;
        sr.titled0 = false; /* slot 0 is a later part now */
    }
    if (sr.n_parts == 0) sr.titled0 = sr.first;
    sr.parts[sr.n_parts++] = sr.read_to;
    for (size_t i = 0; area && i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if (e->y >= top && e->y < bottom && e->clipped && e->y + e->h >= bottom && e->y > top && e->y < stop) {
            stop = e->y;
            more = true;
        }
    }
    /* a tall element near the top (a long message at 400 %): read in this part, then past it; left for the next part
     * it was scrolled past unread */
    if (more && stop - top < (bottom - top) / 4) stop = bottom;
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        /* the editor's keys are said one by one as they are touched («Les opp det jeg trykker på»), not as a list;
         * «Les høyt» itself, in the editor's row on a phone at 400 %, is not read out */
        /* an empty field is said too («Skrivefeltet er tomt»): a patient who cannot read hears where to write */
        if (!e->text || (!e->text[0] && e->role != ROLE_FIELD) || in_top_bar(a, e) || e->action == ACT_KEY ||
            e->action == ACT_SPEAK || readaloud_secret_key(e->action, e->arg))
            continue;
        if (area && e->y + e->h <= top) { /* the title, above the list */
            if (sr.first) sr_add(v, i);
            continue;
        }
        if (area && e->y >= bottom) continue; /* the bottom bar: after the last part */
        if (area && (e->y + scroll < sr.read_to || e->y >= stop)) continue;
        if (words_last(a, e)) continue;
        sr_add(v, i);
    }
    sr.scroll_dy = more ? stop - top : 0;
    sr.read_to = stop + scroll;
    if (!more)
        for (size_t i = 0; area && i < v->n; i++)
            if (v->e[i].text && v->e[i].text[0] && v->e[i].y >= bottom) sr_add(v, i);
    for (size_t i = 0; !more && i < v->n; i++)
        if (v->e[i].text && words_last(a, &v->e[i])) sr_add_field(v, i);
    sr.first = false;
    return sr.n;
}

/* The list scrolled so that `from` (px into its content) is at its top; the part from there is built, lit and read
 * once the list is drawn there (sr_tick). */
static void sr_read_after_scroll(app *a, int from) {
    int top = a->view.area_top >= 0 ? a->view.area_top : 0;
    screen_scroll_by(a, from - top - *screen_scroll(a));
    sr.read_to = from;
    sr.on = sr.cont = true;
    sr.cont_frame = a->frames;
    sr.unit = -1;
    ra.on = true;
    ra.paused = ra.single = ra.restart = ra.word = false;
    ra.module = ra.page = -1;
    a->dirty = true;
}

void readaloud_screen(app *a) {
    if (!readaloud_ready(a)) return;
    app_screen s = a->screen;
    sr_clear();
    sr.screen = s;
    sr.first = true;
    /* A screen is read from its top: read from where it was scrolled, the list's heading and first texts scrolled
     * away were never heard (home after a scroll; the messages, which open at the newest, the thread's heading and
     * how to reach help above). The list goes to its top and on as it is read, as it does past the screen's foot.
     * The thread alone is read from what shows when it holds more than a few messages and its top is more than two
     * screens away: a long thread opens at its newest, which is what the patient came for, and its first message
     * may be thousands back (its name, in the bar, is said first all the same); a short one, or one with no message
     * yet, from its heading, however tall its introduction is at 400 %. (The reader
     * reads its page from the screen shown: that is paged reading's place, and the patient turns back to hear the
     * rest.) */
    const view *v = &a->view;
    int scroll = *screen_scroll(a);
    bool area = v->area_top >= 0 && v->area_bottom > v->area_top;
    bool thread_long = a->screen == SCREEN_MESSAGES && messages_in_thread() > MS_READ_THREAD_FROM_TOP &&
                       scroll > 2 * (v->area_bottom - v->area_top);
    if (area && scroll > 0 && !thread_long) {
        sr_read_after_scroll(a, v->area_top);
        return;
    }
    if (sr_build(a) == 0) {
        sr_clear();
        return;
    }
    sr_play(a);
}

void readaloud_screen_from(app *a, int from) {
    if (!readaloud_ready(a)) return;
    sr_clear();
    sr.screen = a->screen;
    sr.first = false; /* a part of the screen the caller names: not its title */
    sr_read_after_scroll(a, from);
}

void readaloud_say(app *a, view_role role, const char *text) {
    if (!text || !text[0] || !readaloud_ready(a)) return;
    sr_clear();
    sr.screen = a->screen;
    sr.single = true;
    sr.el = calloc(1, sizeof *sr.el);
    if (!sr.el || !(sr.el[0].text = strdup(text))) {
        sr_clear();
        return;
    }
    sr.el[0].role = role; /* occ 0: lit on the first of its equals, unless the caller knows which */
    sr.el[0].at = -1;
    sr.n = 1;
    sr_play(a);
}

bool readaloud_secret_key(int action, int arg) {
    return (action == ACT_PIN || action == ACT_STAFF) && arg >= 0 && arg <= 9;
}

bool readaloud_control(int action) {
    return action == ACT_SPEAK || action == ACT_SPEAK_NEXT || action == ACT_SPEAK_PREV || action == ACT_SPEAK_STOP ||
           action == ACT_SPEAK_SLOWER || action == ACT_SPEAK_FASTER;
}

bool readaloud_keeps_reading(int action) {
    return ra.on && !ra.single && readaloud_control(action);
}

bool readaloud_tap(app *a, const view_elem *e, int x, int y) {
    if (!a->set.hear_tap || !readaloud_offered(a)) return false;
    if (e && readaloud_secret_key(e->action, e->arg)) return false; /* typed at the first tap, unsaid */
    /* the reading's own controls act at the first tap: saying «Hopp fram» stopped the reading it was to skip */
    if (e && readaloud_keeps_reading(e->action)) return false;
    if (e) {
        if (heard.set && heard.screen == a->screen && heard.action == e->action && heard.arg == e->arg) {
            heard.set = false; /* the second tap: do it */
            return false;
        }
        readaloud_say(a, e->role, e->text);
        if (sr.n == 1) sr.el[0].occ = occurrence(&a->view, (size_t)(e - a->view.e), e->role, e->text);
        heard.set = true;
        heard.screen = a->screen;
        heard.action = e->action;
        heard.arg = e->arg;
        return true;
    }
    /* a text, a heading: said; the page's own taps (turning, the glossary) stay the page's */
    if (a->screen == SCREEN_PAGE) return false;
    for (size_t i = a->view.n; i-- > 0;) {
        const view_elem *t = &a->view.e[i];
        if (!t->action && t->text && t->text[0] && x >= t->x && x < t->x + t->w && y >= t->y && y < t->y + t->h) {
            readaloud_say(a, t->role, t->text);
            if (sr.n == 1) sr.el[0].occ = occurrence(&a->view, i, t->role, t->text);
            heard.set = false;
            return true;
        }
    }
    return false;
}

void readaloud_field_edited(app *a) {
    /* the sentences' offsets are the old text's: the field kept scrolling to them, away from the caret the patient
     * types at, and lit the wrong words. The patient writing took over from the reading of their words. */
    for (int i = 0; ra.on && sr.on && i < sr.n; i++)
        if (sr.el[i].at >= 0) {
            readaloud_stop(a);
            return;
        }
}

bool readaloud_field_part(size_t *start, size_t *len, size_t *word) {
    if (!ra.on || !sr.on || sr.unit < 0 || sr.unit >= sr.n || sr.cont || sr.el[sr.unit].at < 0) return false;
    *start = (size_t)sr.el[sr.unit].at;
    *len = strlen(sr.el[sr.unit].text);
    *word = *start + (sr.word_at < *len ? sr.word_at : 0);
    return true;
}

bool readaloud_lit(const app *a, int *x, int *y, int *w, int *h, const char **text) {
    if (!ra.on || !sr.on || sr.unit < 0 || sr.unit >= sr.n || sr.cont) return false;
    size_t at, len;
    size_t word;
    if (readaloud_field_part(&at, &len, &word)) { /* a sentence of the patient's words: its lines in the field */
        if (a->screen != SCREEN_WRITE || !editor_part_box(a, at, len, x, y, w, h, NULL)) return false;
        *text = sr.el[sr.unit].text;
        return true;
    }
    const view_elem *e = find_said(a, &sr.el[sr.unit]);
    if (!e) return false;
    *x = e->x;
    *y = e->y;
    *w = e->w;
    *h = e->h;
    *text = e->text;
    return true;
}

bool readaloud_said(char *buf, size_t cap) {
    if (!ra.on || !sp) {
        snprintf(buf, cap, "%s", "");
        return false;
    }
    return speech_said(sp, buf, cap);
}

/* True when one rectangle holds the other: a card and the texts in it are one element said, not neighbours. */
static bool nested(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh) {
    bool a_in_b = ax >= bx && ay >= by && ax + aw <= bx + bw && ay + ah <= by + bh;
    bool b_in_a = bx >= ax && by >= ay && bx + bw <= ax + aw && by + bh <= ay + ah;
    return a_in_b || b_in_a;
}

bool readaloud_frame_box(const app *a, int *fx, int *fy, int *fw, int *fh, int *thick) {
    int x, y, w, h;
    const char *t;
    if (!readaloud_lit(a, &x, &y, &w, &h, &t)) return false;
    int th = app_px(a, 4) > 3 ? app_px(a, 4) : 3, o = 3 * th; /* the ring takes 2 th */
    /* a sentence of the editor's words: the ring in the space between it and the words beside it on its line */
    size_t at, len, word;
    int ox = readaloud_field_part(&at, &len, &word) ? 2 * th : o;
    int x0 = x - ox, y0 = y - o, x1 = x + w + ox, y1 = y + h + o;
    /* The frame keeps to its element's room: it stopped 3 th outside the element whatever lay there, and so
     * crossed the editor's slim status line under the field, the bar's buttons over it, the next card of a list.
     * Each side goes back as far as the nearest neighbour (never into the element itself: a neighbour a few px
     * away gets a frame drawn over the element's own edge), and an element of the list stays inside the list's
     * area, off the bars. */
    const view *v = &a->view;
    if (v->area_top >= 0 && v->area_bottom > v->area_top && y >= v->area_top && y + h <= v->area_bottom) {
        if (y0 < v->area_top) y0 = v->area_top;
        if (y1 > v->area_bottom) y1 = v->area_bottom;
    }
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if (e->w <= 0 || e->h <= 0 || nested(x, y, w, h, e->x, e->y, e->w, e->h)) continue;
        if (e->x >= x1 || e->x + e->w <= x0 || e->y >= y1 || e->y + e->h <= y0) continue; /* clear of it */
        /* the frame's side goes back to it on the side it lies beyond (below, above, right, left; diagonally
         * beyond, the side that loses least). One that overlaps the element itself lies beyond no side: no frame
         * can keep off it (check-layout reports the overlap). */
        int loss[4] = {e->y >= y + h ? y1 - e->y : INT_MAX, e->y + e->h <= y ? e->y + e->h - y0 : INT_MAX,
                       e->x >= x + w ? x1 - e->x : INT_MAX, e->x + e->w <= x ? e->x + e->w - x0 : INT_MAX};
        int side = 0;
        for (int k = 1; k < 4; k++)
            if (loss[k] < loss[side]) side = k;
        if (loss[side] == INT_MAX) continue;
        if (side == 0) y1 = e->y;
        if (side == 1) y0 = e->y + e->h;
        if (side == 2) x1 = e->x;
        if (side == 3) x0 = e->x + e->w;
    }
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > a->w) x1 = a->w;
    if (y1 > a->h) y1 = a->h;
    *fx = x0;
    *fy = y0;
    *fw = x1 - x0;
    *fh = y1 - y0;
    *thick = th;
    return true;
}

void readaloud_frame(app *a) {
    int x, y, w, h, th;
    /* a frame in the progress bar's colour (3:1 or more against the page in every theme), outside where the
     * keyboard's ring would be where there is room, so both show when the focus is the element being said */
    if (!readaloud_frame_box(a, &x, &y, &w, &h, &th)) return;
    /* the bar's title (read first on every screen) is on the bar's colour, which is the progress bar's in the
     * light themes: there the frame is in the bar's text colour, or it is not seen (the banner and a message under
     * the bar have colours of their own) */
    const view_elem *e = sr.on && sr.unit >= 0 && sr.unit < sr.n ? find_said(a, &sr.el[sr.unit]) : NULL;
    bool in_bar = e && e->role != ROLE_STATUS && e->y + e->h <= a->view.bar_bottom;
    ren_clip(a->rn, NULL);
    ren_frame_round(a->rn, x, y, w, h, app_px(a, 12), th, a->th->ink[in_bar ? INK_BAR_TEXT : INK_PROGRESS]);
}

/* A screen's reading, every tick: the element being said, the next part after a scroll, the end. */
static bool sr_tick(app *a) {
    if (a->screen != sr.screen) { /* the patient went on: what was said belongs to the screen they left */
        readaloud_stop(a);
        return true;
    }
    if (sr.cont) {
        if (a->frames == sr.cont_frame) return false; /* the scrolled list is not drawn yet */
        sr.cont = false;
        bool from_last = sr.from_last;
        sr.from_last = false;
        if (sr_build(a) == 0) {
            /* a part with nothing to say (a screen's own «Les høyt» alone in it, at 400 % on a phone on its side):
             * on to the next part while there is one, not the end of the reading */
            if (sr.scroll_dy > 0) {
                screen_scroll_by(a, sr.scroll_dy);
                sr.cont = true;
                sr.cont_frame = a->frames;
                a->dirty = true;
                return true;
            }
            readaloud_stop(a);
            return true;
        }
        sr_play_from(a, from_last ? sr.n - 1 : 0);
        return true;
    }
    speech_state st;
    speech_poll(sp, &st);
    if (st.first_audio_ms >= 0) ra.first_audio_ms = st.first_audio_ms;
    if (st.voice[0]) snprintf(ra.voice, sizeof ra.voice, "%s", st.voice);
    if (st.ended) {
        if (!sr.single && sr.scroll_dy > 0) {
            screen_scroll_by(a, sr.scroll_dy);
            sr.cont = true;
            sr.cont_frame = a->frames;
            sr.unit = -1;
            a->dirty = true;
            return true;
        }
        readaloud_stop(a);
        return true;
    }
    size_t word_at = st.has_word ? st.word_start : 0;
    if (st.unit >= 0 && (st.unit != sr.unit || word_at != sr.word_at)) {
        bool moved = st.unit != sr.unit || sr.el[st.unit].at >= 0; /* a field's sentence: its words followed */
        sr.unit = st.unit;
        sr.word_at = word_at;
        if (moved) a->dirty = true;
        return moved;
    }
    return false;
}

/* Keeps the spoken word on screen. */
static void readaloud_follow(app *a) {
    pagelayout *pl = pages_layout(a);
    int x, y, w, h;
    if (pl && pl_unit_box(pl, ra.unit, ra.start, ra.len, &x, &y, &w, &h)) reader_show(a, y, h);
}

bool readaloud_tick(app *a) {
    if (!ra.on || !sp) return false;
    if (sr.on) return sr_tick(a);
    if (ra.restart && a->screen == SCREEN_PAGE && ra.module >= 0) {
        readaloud_from(a, readaloud_first_in_view(a));
        return true;
    }
    speech_state st;
    speech_poll(sp, &st);
    if (st.first_audio_ms >= 0) ra.first_audio_ms = st.first_audio_ms;
    if (st.voice[0]) snprintf(ra.voice, sizeof ra.voice, "%s", st.voice);
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
    /* compared as stored: before the first audio the voice's unit is -1 and the stored one the text it starts
     * with, which redrew the whole screen every tick while the voice was being made */
    bool word = st.has_word && a->module == ra.module && a->page == ra.page;
    int unit = st.unit >= 0 ? st.unit : page_from; /* before the first audio: the text it starts with */
    bool changed = word != ra.word || unit != ra.unit || st.word_start != ra.start;
    ra.word = word;
    ra.unit = unit;
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

/* A screen's reading, on to its next element (dir 1) or back to the one before (-1): within the part said, or into
 * the next part (scrolled on, as when the part ends) or the one before (scrolled back, from its last element). Past
 * the last element the reading ends, as it would have; back from the screen's first it says that one again. */
static void sr_skip(app *a, int dir) {
    if (sr.cont) return; /* scrolling to the next part: nothing is being said to skip from */
    int to = sr.unit + dir;
    if (to >= sr.n) {
        if (sr.scroll_dy > 0) {
            speech_stop(sp);
            screen_scroll_by(a, sr.scroll_dy);
            sr.cont = true;
            sr.cont_frame = a->frames;
            sr.unit = -1;
            a->dirty = true;
        } else {
            readaloud_stop(a);
        }
        return;
    }
    if (to < 0 && sr.n_parts > 1) {
        int back = sr.n_parts - 2;
        speech_stop(sp);
        /* the first part is read with the screen's title if it was the first time (readaloud_screen_from leaves
         * it out; a very long screen's slot 0 is a later part once the oldest was dropped) */
        sr.first = back == 0 && sr.titled0;
        sr.from_last = true;
        sr_read_after_scroll(a, sr.parts[back]);
        return;
    }
    sr_play_from(a, to < 0 ? 0 : to);
}

bool readaloud_skip(app *a, int dir) {
    if (!ra.on || ra.single || !sp) return false;
    if (sr.on) {
        if (a->screen == sr.screen) sr_skip(a, dir);
        return true;
    }
    if (ra.module < 0 || a->screen != SCREEN_PAGE || a->module != ra.module || a->page != ra.page) return true;
    pagelayout *pl = pages_layout(a);
    if (!pl) return true;
    /* a page's texts (a heading, a paragraph, a list's item): the next one, on over the page's end as the reading
     * goes on by itself; back from the first, the first again */
    int to = ra.unit + dir, n = pl_unit_count(pl);
    const doc_module *m = &a->prog->modules[ra.module];
    if (to >= n && (size_t)ra.page + 1 < m->n_pages) {
        reader_open_page(a, ra.page + 1);
        readaloud_from(a, 0);
    } else if (to >= n) {
        readaloud_stop(a);
        app_show_toast(a, app_tr(a, "speech.done"), 4000);
    } else {
        readaloud_from(a, to < 0 ? 0 : to);
        ra.unit = to < 0 ? 0 : to;
    }
    return true;
}

bool readaloud_key(app *a, SDL_Keycode k, Uint16 mod) {
    /* Alt and the arrows (a key no screen uses: the arrows alone turn the reader's pages and move the editor's
     * caret), or a keyboard's own previous and next track keys */
    bool alt = (mod & KMOD_ALT) && !(mod & (KMOD_CTRL | KMOD_SHIFT));
    int dir = k == SDLK_AUDIONEXT || (alt && k == SDLK_RIGHT)  ? 1
              : k == SDLK_AUDIOPREV || (alt && k == SDLK_LEFT) ? -1
                                                               : 0;
    if (!dir || !ra.on || ra.single) return false;
    readaloud_skip(a, dir);
    a->dirty = true;
    return true;
}

bool readaloud_action(app *a, app_action act, int arg) {
    (void)arg;
    switch (act) {
    case ACT_SPEAK_NEXT:
    case ACT_SPEAK_PREV: readaloud_skip(a, act == ACT_SPEAK_NEXT ? 1 : -1); return true;
    case ACT_SPEAK: /* a screen that is not a page (the reader takes its own) */
        if (!ra.on || ra.single)
            readaloud_screen(a);
        else
            readaloud_pause(a);
        return true;
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
