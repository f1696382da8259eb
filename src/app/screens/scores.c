/* scores.c — «Mine resultater»: the patient's own questionnaire scores over the weeks, one bar chart per
 * instrument with the same numbers as text under it, and read aloud on request. Drawn at the interface size so
 * it stays readable at 400 %. */
#define _DEFAULT_SOURCE /* localtime_r */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "readaloud.h"
#include "screens.h"
#include "meistring/answers.h"

/* every score the store holds, oldest first; owned here */
static struct score {
    char instrument[32], band[96];
    int total, max;
    long long taken_at;
    bool urgent; /* the answers asked for where help is (PHQ-9's item 9 above 0) */
} *scores;
static int n_scores;

bool scores_any(void) { return n_scores > 0; }

static void add_score(void *ctx, long long taken_at, const char *data) {
    app *a = ctx;
    answers_score_record r;
    if (!answers_parse_score(data, &r)) return;
    if (r.block[0]) quest_demo_opens(a, r.block); /* what the answers opened in a demonstration stays open */
    struct score *n = realloc(scores, (size_t)(n_scores + 1) * sizeof *n);
    if (!n) return;
    scores = n;
    struct score *sc = &scores[n_scores++];
    memset(sc, 0, sizeof *sc);
    snprintf(sc->instrument, sizeof sc->instrument, "%s", r.instrument);
    snprintf(sc->band, sizeof sc->band, "%s", r.band);
    sc->total = r.total;
    sc->max = r.max;
    sc->urgent = r.urgent;
    sc->taken_at = taken_at;
}

void scores_load(app *a) {
    free(scores);
    scores = NULL;
    n_scores = 0;
    if (!store_each_score(a->st, add_score, a))
        app_log("some scores could not be read: %s\n", store_last_error(a->st));
}

/* A day as read aloud: «7. desember», «7 December» (time.day_month, time.months_long). The bars' «07.12» was
 * read by espeak-ng as a number. */
static void day_month(app *a, const struct tm *tm, char *buf, size_t cap) {
    char day[8], month[32] = "";
    const char *m = app_tr(a, "time.months_long");
    for (int i = 0; i < tm->tm_mon && m; i++) {
        m = strchr(m, '|');
        if (m) m++;
    }
    if (m) snprintf(month, sizeof month, "%.*s", (int)strcspn(m, "|"), m);
    snprintf(day, sizeof day, "%d", tm->tm_mday);
    const char *args[2] = {day, month};
    i18n_format(buf, cap, app_tr(a, "time.day_month"), 2, args);
}

/* One instrument's scores as bars, oldest left, the newest that fit: each bar with its number above and its
 * date under it, on a scale from 0 to the instrument's highest score. Drawn with the interface's text size, so
 * it stays readable at 400 %; the same numbers follow as text, for read-aloud. Returns the height used. */
static int draw_plot(app *a, const char *instrument, int x, int y, int colw) {
    const theme *th = a->th;
    int idx[64], n = 0, max = 1;
    for (int i = 0; i < n_scores; i++)
        if (strcmp(scores[i].instrument, instrument) == 0) {
            if (n == 64) { /* keep the newest 64 */
                memmove(idx, idx + 1, sizeof idx[0] * 63);
                n--;
            }
            idx[n++] = i;
            if (scores[i].max > max) max = scores[i].max;
        }
    if (!n) return 0;
    int fpx = ui_font(app_ui(a), DP_BODY), sp = ui_font(app_ui(a), DP_SMALL + 1);
    int num_st = ren_style(a->rn, REN_BOLD, fpx), date_st = ren_style(a->rn, REN_REGULAR, sp);
    int bar_w = ren_measure(a->rn, date_st, "00.00", 5) + app_px(a, 8);
    int min_bar = ren_measure(a->rn, num_st, "00", 2) + app_px(a, 8);
    if (bar_w < min_bar) bar_w = min_bar;
    int gap = app_px(a, 10);
    char top_s[16];
    snprintf(top_s, sizeof top_s, "%d", max);
    int top_w = ren_measure(a->rn, date_st, top_s, strlen(top_s));
    int fit = (colw - top_w) / (bar_w + gap); /* the bars leave the right end to the scale's top number */
    if (fit < 1) fit = 1;
    int first = n > fit ? n - fit : 0;
    int num_h = ren_line_skip(a->rn, num_st), date_h = ren_line_skip(a->rn, date_st);
    int chart_h = fpx * 6 > app_px(a, 160) ? fpx * 6 : app_px(a, 160);
    int y0 = y, base = y + num_h + chart_h;
    /* the frame: a baseline, and a faint line at the top of the scale */
    ren_fill(a->rn, x, base, colw, app_px(a, 2), th->ink[INK_TEXT]);
    ren_fill(a->rn, x, base - chart_h, colw, 1, th->ink[INK_CARD_BORDER]);
    /* the top of the scale, named at the right end of its line, where the bars leave room for it */
    ren_text(a->rn, date_st, th->ink[INK_MUTED], top_s, strlen(top_s), x + colw - top_w, base - chart_h - date_h);
    char alt[1200];
    int len = snprintf(alt, sizeof alt, "%s", instrument);
    for (int k = first; k < n; k++) {
        const struct score *s = &scores[idx[k]];
        int bx = x + (k - first) * (bar_w + gap);
        int h = s->total * chart_h / (s->max > 0 ? s->max : max);
        if (h < app_px(a, 3)) h = app_px(a, 3); /* a 0 still shows as a sliver on the line */
        ren_fill(a->rn, bx, base - h, bar_w, h, th->ink[INK_PROGRESS]);
        char num[16], date[16];
        snprintf(num, sizeof num, "%d", s->total);
        time_t t = (time_t)s->taken_at;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(date, sizeof date, "%d.%m", &tm);
        int tw = ren_measure(a->rn, num_st, num, strlen(num));
        ren_text(a->rn, num_st, th->ink[INK_TEXT], num, strlen(num), bx + (bar_w - tw) / 2, base - h - num_h);
        int dw = ren_measure(a->rn, date_st, date, strlen(date));
        ren_text(a->rn, date_st, th->ink[INK_MUTED], date, strlen(date), bx + (bar_w - dw) / 2, base + app_px(a, 6));
        char said[48];
        day_month(a, &tm, said, sizeof said);
        if (len < (int)sizeof alt - 60)
            len += snprintf(alt + len, sizeof alt - (size_t)len, "%s %s: %d", k == first ? ":" : ",", said, s->total);
    }
    view_add(&a->view, ROLE_IMAGE, alt, x, y0, colw, base + app_px(a, 6) + date_h - y0, 0, 0);
    return base + app_px(a, 6) + date_h - y0;
}

/* One score as a line of text, for the screen and for read-aloud: «05.12.2026: 6 av 21 – Mild angst». */
static void score_line(app *a, const struct score *s, char *buf, size_t cap) {
    char when[32], t1[16], t2[16];
    time_t t = (time_t)s->taken_at;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%d.%m.%Y", &tm);
    snprintf(t1, sizeof t1, "%d", s->total);
    snprintf(t2, sizeof t2, "%d", s->max);
    char band_s[sizeof s->band]; /* after the dash, mid-sentence: «– mild angst» */
    const char *args[4] = {when, t1, t2, quest_band_in_sentence(s->band, band_s, sizeof band_s)};
    /* a week whose answers asked for where help is: its sum without the band's words, as the summary said it (a
     * reassuring «Ingen eller minimale plager» beside the note on 113 contradicts it) */
    bool band = s->band[0] && !s->urgent;
    i18n_format(buf, cap, app_tr(a, band ? "scores.line_band" : "scores.line"), 4, args);
}

/* Where the answers of a week asked for where help is (the newest such week): the summary's words again, short, with
 * that week's day, in its red-edged box, first on the screen — under that week's line, below the chart, it was two
 * screens down on a phone at 400 % (issue 13's audit): «ring 113» is the first thing in sight. */
static int urgent_note(app *a, int x, int y, int colw) {
    const struct score *s = NULL;
    for (int i = 0; i < n_scores; i++)
        if (scores[i].urgent && (!s || scores[i].taken_at >= s->taken_at)) s = &scores[i];
    if (!s) return 0;
    const theme *th = a->th;
    char day[48], note[600];
    time_t t = (time_t)s->taken_at;
    struct tm tm;
    localtime_r(&t, &tm);
    day_month(a, &tm, day, sizeof day);
    const char *args[1] = {day};
    i18n_format(note, sizeof note, app_tr(a, "scores.phq9_item9"), 1, args);
    int pad = app_px(a, 12), px = ui_font(app_ui(a), DP_BODY);
    int h = ui_text_height(app_ui(a), note, REN_BOLD, px, colw - 2 * pad) + 2 * pad;
    ren_fill_round(a->rn, x, y, colw, h, app_px(a, 10), th->ink[INK_IMPORTANT_BG]);
    ren_fill(a->rn, x, y, app_px(a, 6), h, th->ink[INK_IMPORTANT_EDGE]);
    ui_text(app_ui(a), note, REN_BOLD, px, th->ink[INK_TEXT], x + pad, y + pad, colw - 2 * pad, ROLE_CALLOUT);
    return h + app_px(a, 16);
}

static void draw_scores(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "scores.title"), true, &top, &x, &colw);
    y += urgent_note(a, x, y, colw);
    if (!chrome_line_says(app_tr(a, "scores.title"))) /* a phone: the line under the bar names it */
        y += ui_heading(app_ui(a), app_tr(a, "scores.title"), DP_H1, x, y, colw) + app_px(a, 8);
    y += ui_text(app_ui(a), app_tr(a, "scores.intro"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_MUTED], x, y, colw,
                 ROLE_TEXT);
    y += app_px(a, 16);
    if (n_scores == 0)
        y += ui_text(app_ui(a), app_tr(a, "scores.none"), REN_ITALIC, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
    else if (readaloud_offered(a)) /* the numbers read aloud, for a patient who finds a chart hard to read */
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON), app_tr(a, readaloud_get()->on ? "scores.stop" : "scores.read"),
                       BTN_SECONDARY, ACT_SPEAK_SCORES, 0) +
             app_px(a, 16);
    /* one plot per instrument, in the order each was first answered */
    for (int i = 0; i < n_scores; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(scores[j].instrument, scores[i].instrument) == 0;
        if (seen) continue;
        const char *ins = scores[i].instrument;
        y += ui_heading(app_ui(a), ins, DP_H3, x, y, colw);
        y += app_px(a, 8);
        y += draw_plot(a, ins, x, y, colw);
        y += app_px(a, 12);
        /* the same numbers as text: newest first, with the words of its band */
        for (int k = n_scores - 1; k >= 0; k--) {
            const struct score *s = &scores[k];
            if (strcmp(s->instrument, ins) != 0) continue;
            char line[400];
            score_line(a, s, line, sizeof line);
            y += ui_text(app_ui(a), line, REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw, ROLE_TEXT);
            y += app_px(a, 4);
        }
        y += app_px(a, 20);
    }
    chrome_end_list(a, y);
}

static bool scores_action(app *a, app_action act, int arg) {
    (void)arg;
    if (act != ACT_SPEAK_SCORES) return false;
    if (readaloud_get()->on) {
        readaloud_stop(a);
        return true;
    }
    /* the results under the button, as the screen's reading says them: each plot's heading, its description and its
     * lines, lit as they are said and the list scrolled on (read as plain texts, nothing was lit) */
    for (size_t i = 0; i < a->view.n; i++) {
        const view_elem *e = &a->view.e[i];
        if (e->action == ACT_SPEAK_SCORES) {
            readaloud_screen_from(a, e->y + e->h + *screen_scroll(a));
            break;
        }
    }
    return true;
}

static void scores_back(app *a) {
    if (readaloud_get()->on && readaloud_get()->module < 0) readaloud_stop(a); /* the scores were being read */
    nav_pop(a);
    a->scroll_list = 0;
}

static void scores_close(app *a) {
    (void)a;
    free(scores);
    scores = NULL;
    n_scores = 0;
}

const screen_ops screen_scores = {
    .name = "scores",
    .draw = draw_scores,
    .action = scores_action,
    .back = scores_back,
    .close = scores_close,
};
