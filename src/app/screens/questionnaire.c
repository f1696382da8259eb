/* questionnaire.c — a weekly questionnaire (PHQ-9, GAD-7, …) answered one item to a screen, then a summary with
 * the sum as the content scores it, its band, and «Send inn».
 *
 * The answers in progress are a draft ("q/<block id>": {"item id": score}, kept by src/core/answers.c), saved on
 * every tap, so a flat battery in the middle loses nothing. «Send inn» keeps the score for the plot, queues it
 * for the therapist and clears the draft in one transaction (sync_submit_questionnaire); the scores screen
 * takes the questionnaire's place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "keynav.h"
#include "pages.h"
#include "meistring/answers.h"
#include "meistring/sync.h"
#include "screens.h"

/* The questionnaire being answered: its block in the current page, the item on screen (== the item count: the
 * summary) and the answers so far (owned here). */
static int q_block = -1, q_item;
/* An item (or the summary) has just come on screen: quest_update places it (q_place) before it is drawn. */
static bool q_fresh;
static answers *ans;
/* The modules the demonstration opened on this tablet (indices), locked again when the person is forgotten (a
 * kiosk's next visitor, a wipe): what one person's answers opened is theirs, not the next one's */
static size_t *opened_here, n_opened_here;

static const doc_block *q_current(const app *a) {
    if (a->module < 0 || (size_t)a->module >= a->prog->n_modules) return NULL;
    const doc_module *m = &a->prog->modules[a->module];
    if (a->page < 0 || (size_t)a->page >= m->n_pages) return NULL;
    const doc_page *pg = &m->pages[a->page];
    if (q_block < 0 || (size_t)q_block >= pg->n_blocks) return NULL;
    const doc_block *b = &pg->blocks[q_block];
    return b->type == DOC_BLOCK_QUESTIONNAIRE ? b : NULL;
}

static void draft_key(const doc_block *b, char *buf, size_t cap) { snprintf(buf, cap, "q/%s", b->id); }

static bool q_answer(const app *a, int item, int *score) { return answers_score(ans, q_current(a), item, score); }
static void q_place(app *a, const doc_block *b);

/* Whether the UTF-8 letter at s is a capital of the Latin letters the content's languages use (A–Z, À–Þ but ×),
 * or a small one (a–z, ß–ÿ but ÷): the two ranges are 32 apart in both tables. */
static bool latin_upper(const unsigned char *s) {
    return (s[0] >= 'A' && s[0] <= 'Z') || (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E && s[1] != 0x97);
}
static bool latin_lower(const unsigned char *s) {
    return (s[0] >= 'a' && s[0] <= 'z') || (s[0] == 0xC3 && s[1] >= 0x9F && s[1] <= 0xBF && s[1] != 0xB7);
}

const char *quest_band_in_sentence(const char *band, char *buf, size_t cap) {
    snprintf(buf, cap, "%s", band ? band : "");
    unsigned char *s = (unsigned char *)buf;
    if (!latin_upper(s)) return buf;
    size_t len = s[0] < 0x80 ? 1 : 2;
    if (!latin_lower(s + len)) return buf; /* «PTSD», «A»: as written */
    s[len - 1] = (unsigned char)(s[len - 1] + 0x20);
    return buf;
}

/* PHQ-9's last item asks about thoughts of being better off dead or of self-harm: any answer but "not at all" is
 * met at once with where help is, whatever the total. */
static bool q_urgent(const app *a, const doc_block *b) {
    int s9;
    return b->instrument && strcmp(b->instrument, "PHQ-9") == 0 && b->n_qitems > 0 &&
           q_answer(a, (int)b->n_qitems - 1, &s9) && s9 > 0;
}

void quest_open(app *a, int block) {
    q_block = block;
    const doc_block *b = q_current(a);
    if (!b) return;
    if (!ans) ans = answers_new();
    if (!ans) return;
    char key[160];
    draft_key(b, key, sizeof key);
    char *d = store_draft_get(a->st, key, NULL);
    answers_load(ans, d); /* none, or unreadable: from the start */
    free(d);
    /* on where the patient left off: the first question not answered, else the summary */
    int first = answers_first_unanswered(ans, b);
    q_item = first >= 0 ? first : (int)b->n_qitems;
    nav_push(a, SCREEN_QUEST);
    a->scroll_list = 0;
    q_fresh = true;
    a->dirty = true;
}

static void q_close(void) {
    answers_free(ans);
    ans = NULL;
}

/* Saves, then goes on to the next unanswered item or the summary. */
static void q_choose(app *a, int option) {
    const doc_block *b = q_current(a);
    if (!b || !ans || q_item < 0 || (size_t)q_item >= b->n_qitems) return;
    if (!answers_set_score(ans, b, q_item, option)) return;
    char key[160], *j = answers_to_json(ans);
    draft_key(b, key, sizeof key);
    if (!j || !store_draft_set(a->st, key, j, 0)) {
        app_log("cannot save a questionnaire answer: %s", store_last_error(a->st));
        app_show_error(a, "ex.not_saved");
        free(j);
        return; /* stay on the question: the patient sees it was not kept */
    }
    free(j);
    app_clear_error(a, "ex.not_saved"); /* kept now */
    /* on to the next question not yet answered (or the summary), as a paper form's eye would go */
    int next = q_item + 1;
    int s;
    while (next < (int)b->n_qitems && q_answer(a, next, &s))
        next++;
    q_item = next;
    a->scroll_list = 0;
    q_fresh = true;
    /* the next item's answers say what this one's said: the keyboard's focus goes to its first control in sight,
     * not to the same words out of sight under the band, where a second Return answered unseen (issue 13's audit) */
    keynav_content_changed(a);
    a->dirty = true;
}

static void q_step(app *a, int delta) {
    const doc_block *b = q_current(a);
    if (!b) return;
    int to = q_item + delta;
    if (to < 0 || to > (int)b->n_qitems) return;
    q_item = to;
    a->scroll_list = 0;
    q_fresh = true;
    a->dirty = true;
}

void quest_demo_opens(app *a, const char *block_id) {
    /* the demonstration has no server to open the module this questionnaire gates: it applies the server's rule
     * itself, so the waiting room can be seen. A clinic's tablet (a server named, even one not syncing now)
     * waits for its clinic */
    if (app_has_clinic(a) || !a->prog) return;
    for (size_t m = 0; m < a->prog->n_modules; m++) {
        doc_module *mod = &a->prog->modules[m];
        if (mod->unlocked || !doc_module_opens_after(a->prog, mod, block_id)) continue;
        size_t *more = realloc(opened_here, (n_opened_here + 1) * sizeof *more);
        if (!more) continue; /* out of memory: it stays locked rather than open for the next person too */
        opened_here = more;
        opened_here[n_opened_here++] = m;
        mod->unlocked = true;
    }
}

static void q_submit(app *a) {
    const doc_block *b = q_current(a);
    if (!b || answers_first_unanswered(ans, b) >= 0) return;
    int total = answers_total(ans, b);
    char key[160], id[33], *j = answers_to_json(ans);
    draft_key(b, key, sizeof key);
    bool ok = j && sync_submit_questionnaire(a->st, b->id, b->instrument, j, total, doc_questionnaire_max(b),
                                             doc_questionnaire_band(b, total), q_urgent(a, b), key, id);
    free(j);
    if (!ok) {
        app_log("cannot submit the questionnaire: %s", store_last_error(a->st));
        app_show_error(a, "ex.not_saved");
        return;
    }
    app_clear_error(a, "ex.not_saved");
    if (a->sync) syncer_now(a->sync);
    quest_demo_opens(a, b->id);
    q_close();
    app_show_toast(a, app_tr(a, a->sync ? "q.sent" : "q.saved_demo"), 5000);
    nav_replace(a, SCREEN_SCORES); /* Back from the scores goes to the page */
    a->scroll_list = 0;
    scores_load(a);
    a->dirty = true;
}

static bool quest_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_Q_OPTION: q_choose(a, arg); return true;
    case ACT_Q_PREV: q_step(a, -1); return true;
    case ACT_Q_NEXT: q_step(a, +1); return true;
    case ACT_Q_SUBMIT: q_submit(a); return true;
    default: return false;
    }
}

static void quest_back(app *a) {
    q_close(); /* the answers so far are in their draft */
    nav_pop(a);
}

/* The page changed under the questionnaire (new content from the clinic): back to the page. */
static void quest_update(app *a) {
    const doc_block *b = q_current(a);
    if (!b) {
        nav_pop(a);
        return;
    }
    if (q_fresh) {
        q_fresh = false;
        q_place(a, b);
    }
}

static void quest_free(app *a) {
    q_close();
    for (size_t i = 0; i < n_opened_here; i++)
        if (opened_here[i] < a->prog->n_modules) a->prog->modules[opened_here[i]].unlocked = false;
    free(opened_here);
    opened_here = NULL;
    n_opened_here = 0;
}

/* Where help is, in a red-edged box at the top of the summary, before the sum and before any reassurance: the number
 * to call first, in sight without scrolling at every size (at 400 % on a phone it came four Page Downs after the
 * sum, issue 13's audit): at the reading size unless it would not fit the list's view (then smaller, not below the
 * interface text); then why, at the reading size, and «Hjelp nå». top: the list's top. Returns its height. */
static int q_crisis(app *a, int top, int x, int y, int colw) {
    const theme *th = a->th;
    ui_ctx *u = app_ui(a);
    int pad = app_px(a, 14), px = pages_read_px(a, DP_BODY), w = colw - 2 * pad, least = ui_font(u, DP_BODY);
    const char *call = app_tr(a, "q.phq9_item9_title"), *warn = app_tr(a, "q.phq9_item9");
    int room = a->h - top - app_px(a, 20) - 2 * pad, call_px = px;
    int call_h = ui_text_height(u, call, REN_BOLD, call_px, w);
    for (int i = 0; i < 40 && call_h > room && call_px > least; i++) {
        call_px = call_px * 9 / 10 > least ? call_px * 9 / 10 : least;
        call_h = ui_text_height(u, call, REN_BOLD, call_px, w);
    }
    int gap = app_px(a, 8);
    int h = pad + call_h + gap + ui_text_height(u, warn, REN_REGULAR, px, w) + pad;
    ren_fill_round(a->rn, x, y, colw, h, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, app_px(a, 6), h, th->ink[INK_IMPORTANT_EDGE]);
    /* a callout, not a heading: where the number to call is set smaller to be seen at once, it is no heading over
     * text larger than itself */
    ui_text(u, call, REN_BOLD, call_px, th->ink[INK_TEXT], x + pad, y + pad, w, ROLE_CALLOUT);
    ui_text(u, warn, REN_REGULAR, px, th->ink[INK_TEXT], x + pad, y + pad + call_h + gap, w, ROLE_CALLOUT);
    int used = h + app_px(a, 12);
    used += ui_button(u, x, y + used, colw, app_px(a, DP_BUTTON), app_tr(a, "help.button"), BTN_HELP, ACT_HELP, 0);
    return used;
}

/* An item's layout, measured without drawing: one set of numbers for the frame, for where an item opens
 * (quest_update) and for Page Down. Offsets are from the list's first line at no scroll. */
typedef struct {
    int hint_px, hint_h; /* the band «Flere svar nedenfor» */
    int prog_h, stem_h;  /* «Spørsmål 1 av 9» with its bar, and the stem with its gap */
    int stem_px;         /* the stem's text size */
    int qpx, qh;         /* the question's text size and height */
    int q_off;           /* the question's top */
    int end;             /* the last answer's bottom */
    int first_h;         /* the first answer's height */
    bool tight;          /* the item is taller than the list's view: it scrolls, and the band shows */
    bool pin;            /* the question stays at the top while its answers scroll under it (q_pinned) */
    int pin_pad;         /* above and below a pinned question */
    int pin_scroll;      /* the scroll at which the question reaches its pinned place */
} q_geom;

static void q_stem(const doc_block *b, char *stem, size_t cap) {
    stem[0] = '\0';
    if (b->text.n_spans) doc_text_plain(&b->text, stem, cap);
}

static void q_progress_line(app *a, const doc_block *b, char *line, size_t cap) {
    char i1[16], i2[16];
    snprintf(i1, sizeof i1, "%d", q_item + 1);
    snprintf(i2, sizeof i2, "%d", (int)b->n_qitems);
    const char *args[2] = {i1, i2};
    i18n_format(line, cap, app_tr(a, "q.progress"), 2, args);
}

static void q_measure(app *a, const doc_block *b, int top, int colw, q_geom *g) {
    memset(g, 0, sizeof *g);
    ui_ctx *u = app_ui(a);
    char line[128], stem[1024];
    q_progress_line(a, b, line, sizeof line);
    q_stem(b, stem, sizeof stem);
    g->hint_px = ui_font(u, DP_SMALL + 1);
    g->hint_h = g->hint_px * 135 / 100 + app_px(a, 16);
    if (g->hint_h < app_px(a, DP_TARGET)) g->hint_h = app_px(a, DP_TARGET);
    g->prog_h = ui_text_height(u, line, REN_BOLD, ui_font(u, DP_SMALL + 1), colw) + app_px(a, 26);
    size_t no;
    const doc_option *o = doc_item_options(b, (size_t)q_item, &no);
    g->first_h = no ? ui_choice_height(u, o[0].label, colw, app_px(a, DP_BUTTON_BIG)) : 0;
    int answers_h = 0;
    for (size_t k = 0; k < no; k++)
        answers_h += ui_choice_height(u, o[k].label, colw, app_px(a, DP_BUTTON_BIG)) + app_px(a, 10);
    /* the question at the reading size unless that would leave no answer on the first screen (then smaller, not
     * below the interface text); the stem it finishes at the reading size too, never larger than the question it
     * leads to, so the two give way together (it was held at the interface's 200 % at every reading size, issue 13) */
    const char *q = b->qitems[q_item].text;
    int first_y = top + app_px(a, 20), view_bottom = a->h - g->hint_h;
    int least = ui_font(u, DP_BODY), read = pages_read_px(a, DP_BODY);
    g->qpx = read;
    g->qh = ui_text_height(u, q, REN_BOLD, g->qpx, colw);
    for (int i = 0; i < 40; i++) {
        g->stem_px = g->qpx < read ? g->qpx : read;
        g->stem_h = stem[0] ? ui_text_height(u, stem, REN_REGULAR, g->stem_px, colw) + app_px(a, 10) : 0;
        int room = view_bottom - first_y - g->prog_h - g->stem_h - app_px(a, 20) - g->first_h;
        if (g->qh <= room || g->qpx <= least) break;
        g->qpx = g->qpx * 9 / 10 > least ? g->qpx * 9 / 10 : least;
        g->qh = ui_text_height(u, q, REN_BOLD, g->qpx, colw);
    }
    g->q_off = g->prog_h + g->stem_h;
    g->end = g->q_off + g->qh + app_px(a, 20) + answers_h - app_px(a, 10);
    g->tight = first_y + g->end > view_bottom;
    /* where the item scrolls, its question stays in view above its answers, whole, with the first answer whole
     * under it (a phone on its side at 400 %: PHQ-9's item 9 at the interface size was four lines, its last under
     * the band «Flere svar nedenfor», and a two-line question's first answer was cut by it): set smaller where only
     * that lets both show, not below the 100 % body size. Where even that is too tall, the question scrolls with its
     * answers, whole in view where the item opens. */
    g->pin_pad = app_px(a, 4);
    int view_h = view_bottom - top, floor_px = app_px(a, DP_BODY);
    if (g->tight) {
        for (int i = 0; i < 40 && 3 * g->pin_pad + g->qh + g->first_h > view_h && g->qpx > floor_px; i++) {
            g->qpx = g->qpx * 19 / 20 > floor_px ? g->qpx * 19 / 20 : floor_px;
            g->qh = ui_text_height(u, q, REN_BOLD, g->qpx, colw);
        }
        g->pin = 3 * g->pin_pad + g->qh + g->first_h <= view_h;
        if (g->stem_px > g->qpx) { /* the stem no larger than the question, here too */
            g->stem_px = g->qpx;
            g->stem_h = stem[0] ? ui_text_height(u, stem, REN_REGULAR, g->stem_px, colw) + app_px(a, 10) : 0;
            g->q_off = g->prog_h + g->stem_h;
            g->end = g->q_off + g->qh + app_px(a, 20) + answers_h - app_px(a, 10);
        }
    }
    g->pin_scroll = app_px(a, 20) + g->q_off - g->pin_pad;
}

static bool q_pinned(const app *a, const q_geom *g) { return g->pin && a->scroll_list >= g->pin_scroll; }

static int q_top(app *a, const doc_block *b) {
    return chrome_list_bar_height(a, b->instrument ? b->instrument : b->title, true);
}

/* The geometry of the item on screen, from the bar as it stands. */
static void q_measure_now(app *a, const doc_block *b, q_geom *g) {
    /* the bars as draw_quest has them, a phone's title line under the bar included (without it the item was
     * measured with that line's height more room than it has) */
    q_measure(a, b, q_top(a, b), chrome_column(a), g);
}

/* Where a new item opens: at the top, with where it stands and the stem, unless its question or first answer is not
 * whole in view there (a phone on its side at 400 % opened on «Spørsmål 1 av 9» and half the stem): then at the question, pinned
 * over its answers where there is room for both. */
static void q_place(app *a, const doc_block *b) {
    a->scroll_list = 0;
    if (q_item >= (int)b->n_qitems) return;
    q_geom g;
    int top = q_top(a, b);
    q_measure_now(a, b, &g);
    /* (its first answer whole too: at 400 % on a phone PHQ-9's item 9 opened with the answer under the band) */
    int first_bottom = top + app_px(a, 20) + g.q_off + g.qh + app_px(a, 20) + g.first_h;
    if (!g.tight || first_bottom <= a->h - g.hint_h) return;
    /* only as far as its first answer needs, where the question stays whole at its own place (a tablet at 400 %
     * keeps «Spørsmål 2 av 7» or the stem in sight) */
    int need = first_bottom - (a->h - g.hint_h);
    if (top + app_px(a, 20) + g.q_off + g.qh <= a->h - g.hint_h && need < g.pin_scroll) {
        a->scroll_list = need;
        return;
    }
    /* pinned, with the first answer close under the question's line rather than the gap it has further down */
    a->scroll_list = g.pin ? g.pin_scroll + app_px(a, 20) - 2 * g.pin_pad : app_px(a, 20) + g.q_off - app_px(a, 12);
}

/* Page Down and Page Up across a pinned question's place stop at that place, where the question is at its own place
 * and covers nothing: Page Down would slide what it brings up under the question as it settles at the top, Page Up
 * from under it would leave the answers it covered unseen (the view is the question's height less there). Under the
 * pinned question they go from answer to answer, each whole right under it: the view there may hold little more
 * than one answer, which steps of a fixed size passed over in parts (check-paging, issue 13). */
static bool quest_key(app *a, SDL_Keycode k, Uint16 mod) {
    (void)mod;
    const doc_block *b = q_current(a);
    bool down = k == SDLK_PAGEDOWN || k == SDLK_SPACE;
    if (!b || q_item >= (int)b->n_qitems || (!down && k != SDLK_PAGEUP)) return false;
    q_geom g;
    q_measure_now(a, b, &g);
    if (!g.pin) return false;
    int view_h = a->content_bottom - a->content_top, s = a->scroll_list;
    /* the scroll that puts each answer right under the pinned question (the first where the item opens: q_place) */
    size_t no;
    const doc_option *o = doc_item_options(b, (size_t)q_item, &no);
    int at = g.pin_scroll + app_px(a, 20) - 2 * g.pin_pad, to = -1;
    for (size_t i = 0; i < no; i++) {
        if (down ? at > s && to < 0 : at < s) to = at;
        at += ui_choice_height(app_ui(a), o[i].label, chrome_column(a), app_px(a, DP_BUTTON_BIG)) + app_px(a, 10);
    }
    if (to >= 0 && s >= g.pin_scroll && abs(to - s) <= view_h) {
        screen_scroll_by(a, to - s);
        return true;
    }
    if (down ? s >= g.pin_scroll : s <= g.pin_scroll) return false;
    /* no further than Page Down's own step, which keeps a touch target's overlap (input.c) */
    int most = view_h - (view_h / 10 > app_px(a, DP_TARGET) ? view_h / 10 : app_px(a, DP_TARGET));
    int step = down ? g.pin_scroll - s : s - g.pin_scroll;
    if (!down && step > most) return false; /* still pinned after a whole step up */
    screen_scroll_by(a, (down ? 1 : -1) * (step < most || most <= 0 ? step : most));
    return true;
}

static void draw_quest(app *a) {
    const theme *th = a->th;
    const doc_block *b = q_current(a);
    if (!b) return; /* quest_update goes back to the page */
    int top, x, colw;
    int y = chrome_list_screen(a, b->instrument ? b->instrument : b->title, true, &top, &x, &colw);
    int n = (int)b->n_qitems;
    if (q_item < n) {
        ui_ctx *u = app_ui(a);
        q_geom g;
        q_measure(a, b, top, colw, &g);
        char line[128], stem[1024];
        q_progress_line(a, b, line, sizeof line);
        q_stem(b, stem, sizeof stem);
        size_t no;
        const doc_option *o = doc_item_options(b, (size_t)q_item, &no);
        int chosen;
        bool has = q_answer(a, q_item, &chosen);
        /* a band at the bottom says more answers are below while any is below it; the list ends above it */
        int view_bottom = a->h - g.hint_h;
        bool more_below = y + g.end > view_bottom;
        int area_bottom = more_below ? view_bottom : a->h;
        bool pinned = q_pinned(a, &g);
        int pin_bottom = top + 2 * g.pin_pad + g.qh;
        SDL_Rect clip = {0, top, a->w, area_bottom - top};
        view_scroll_area(&a->view, pinned ? pin_bottom : top, area_bottom);
        ren_clip(a->rn, &clip);
        view_clip(&a->view, clip.x, clip.y, clip.w, clip.h);
        y += ui_text(u, line, REN_BOLD, ui_font(u, DP_SMALL + 1), th->ink[INK_MUTED], x, y, colw, ROLE_STATUS);
        ui_progress(u, x, y + app_px(a, 6), colw, app_px(a, 8), q_item, n);
        y += app_px(a, 26);
        /* the question in large text, after the stem it finishes ("Hvor ofte har du … vært plaget av") */
        if (stem[0]) {
            y += ui_text(u, stem, REN_REGULAR, g.stem_px, th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
            y += app_px(a, 10);
        }
        /* scrolled past its place, the question stays at the top and the answers go under it: the patient sees
         * what is asked beside every answer (a phone on its side at 400 % never showed both) */
        ui_text(u, b->qitems[q_item].text, REN_BOLD, g.qpx, th->ink[INK_HEADING], x, pinned ? top + g.pin_pad : y,
                colw, ROLE_HEADING);
        if (pinned) {
            ren_fill(a->rn, 0, pin_bottom - app_px(a, 2), a->w, app_px(a, 2), th->ink[INK_CARD_BORDER]);
            SDL_Rect under = {0, pin_bottom, a->w, area_bottom - pin_bottom};
            ren_clip(a->rn, &under);
            view_clip(&a->view, under.x, under.y, under.w, under.h);
        }
        y += g.qh + app_px(a, 20);
        for (size_t k = 0; k < no; k++) {
            bool on = has && o[k].score == chosen;
            char label[400];
            snprintf(label, sizeof label, "%s%s%s", o[k].label, on ? " – " : "", on ? app_tr(a, "ex.chosen") : "");
            size_t n0 = a->view.n;
            int bh = ui_choice(u, x, y, colw, app_px(a, DP_BUTTON_BIG), label, o[k].label, on, ACT_Q_OPTION, (int)k);
            view_choice(&a->view, n0, VIEW_CHOICE_ONE, on);
            y += bh + app_px(a, 10);
        }
        y += app_px(a, 10);
        int gap = app_px(a, 12), bw = (colw - gap) / 2;
        if (q_item > 0)
            ui_button(u, x, y, bw, app_px(a, DP_BUTTON), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
        if (has)
            ui_button(u, x + bw + gap, y, bw, app_px(a, DP_BUTTON), app_tr(a, "q.next"), BTN_SECONDARY, ACT_Q_NEXT, 0);
        y += app_px(a, DP_BUTTON);
        chrome_end_list(a, y);
        if (!more_below) return;
        /* the band: words and an arrow down, in the bar's colours so it is not taken for an answer */
        int by = a->h - g.hint_h, hint_px = g.hint_px;
        ren_fill(a->rn, 0, by, a->w, g.hint_h, th->ink[INK_BAR_BG]);
        const char *more = app_tr(a, "q.more_below");
        int st = ren_style(a->rn, REN_BOLD, hint_px);
        int tw = ren_measure(a->rn, st, more, strlen(more)), aw = hint_px * 2 / 3;
        int tx = (a->w - tw - aw - app_px(a, 12)) / 2;
        if (tx < x) tx = x;
        int ty = by + (g.hint_h - hint_px * 135 / 100) / 2;
        ui_text(u, more, REN_BOLD, hint_px, th->ink[INK_BAR_TEXT], tx, ty, a->w - tx - aw - app_px(a, 24), ROLE_STATUS);
        int ax = tx + tw + app_px(a, 12), ay = by + g.hint_h / 2 - aw / 4;
        for (int i = 0; i < aw / 2; i++) /* an arrowhead pointing down */
            ren_fill(a->rn, ax + i, ay + i, aw - 2 * i, 1, th->ink[INK_BAR_TEXT]);
        return;
    }
    /* the summary: where help is first, when the answers ask for it; the sum as the content scores it, its band,
     * and sending it */
    if (q_urgent(a, b)) y += q_crisis(a, top, x, y, colw) + app_px(a, 20);
    /* the title heads the sum and the words under it, at the patient's reading size: never smaller than they are
     * (at 400 % it was the interface's capped H1 over a sum at reading H2, issue 13) */
    int title_px = ui_font(app_ui(a), DP_H1);
    if (title_px < pages_read_px(a, DP_H2)) title_px = pages_read_px(a, DP_H2);
    y += ui_text(app_ui(a), b->title, REN_BOLD, title_px, th->ink[INK_HEADING], x, y, colw, ROLE_HEADING);
    y += app_px(a, 12);
    int missing = answers_first_unanswered(ans, b);
    if (missing >= 0) {
        char i1[16], line[160];
        snprintf(i1, sizeof i1, "%d", missing + 1);
        const char *args[1] = {i1};
        i18n_format(line, sizeof line, app_tr(a, "q.missing"), 1, args);
        y += ui_text(app_ui(a), line, REN_REGULAR, pages_read_px(a, DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
        y += app_px(a, 16);
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
        chrome_end_list(a, y);
        return;
    }
    int total = answers_total(ans, b), max = doc_questionnaire_max(b);
    /* the band's words are left out when the answers asked for where help is: «Ingen eller minimale plager» right
     * under «Ring 113» read as «nothing is wrong» to an anxious patient (the audit of this change); the sum stays */
    const char *band = q_urgent(a, b) ? NULL : doc_questionnaire_band(b, total);
    char t1[16], t2[16], line[300];
    snprintf(t1, sizeof t1, "%d", total);
    snprintf(t2, sizeof t2, "%d", max);
    /* after the dash, mid-sentence: «– moderate plager», not «– Moderate plager» */
    char band_s[160];
    const char *args[3] = {t1, t2, quest_band_in_sentence(band, band_s, sizeof band_s)};
    i18n_format(line, sizeof line, app_tr(a, band ? "q.total_band" : "q.total"), 3, args);
    /* the sum in bold, larger than the words under it where the title is larger still (under it, not over it) */
    int ui_h1 = ui_font(app_ui(a), DP_H1), sum_px = pages_read_px(a, DP_H2);
    if (sum_px > ui_h1) sum_px = ui_h1;
    if (sum_px < pages_read_px(a, DP_BODY)) sum_px = pages_read_px(a, DP_BODY);
    y += ui_text(app_ui(a), line, REN_BOLD, sum_px, th->ink[INK_HEADING], x, y, colw, ROLE_TEXT);
    y += app_px(a, 10);
    /* who sees the answers: the therapist, or in the demonstration (nothing is sent) no one */
    y += ui_text(app_ui(a), app_tr(a, a->sync ? "q.what_now" : "q.what_now_demo"), REN_REGULAR, pages_read_px(a, DP_BODY),
                 th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
    y += app_px(a, 16);
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "q.submit"), BTN_PRIMARY, ACT_Q_SUBMIT, 0);
    y += app_px(a, 12);
    y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, "q.prev"), BTN_SECONDARY, ACT_Q_PREV, 0);
    chrome_end_list(a, y);
}

const screen_ops screen_quest = {
    .name = "quest",
    .update = quest_update,
    .draw = draw_quest,
    .action = quest_action,
    .key = quest_key,
    .back = quest_back,
    .close = quest_free,
};
