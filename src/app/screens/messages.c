/* messages.c — the thread with the therapist: every message with who wrote it, when, and what became of it
 * (saved, sent, read, refused), oldest at the top, newest at the bottom with the draft and the way to write under
 * it; it opens at the newest, as every messenger does. Sending itself is the editor's (editor.c) and the sync
 * engine's.
 *
 * A thread grows for as long as the treatment lasts (issue 14: 10,000 messages cost 44 ms a frame when each was
 * laid out every frame, and 40 ms at launch when each was read), so the screen holds only a stretch of it: the
 * newest MS_MESSAGES_STRETCH when it opens, then older stretches as the patient scrolls up to them (read by row id,
 * store_messages_before). Each message's height is measured once for the fit it is shown at (column, text sizes,
 * language, day: fit_key) and kept; a frame adds the kept heights and lays out only the messages on screen. Home
 * needs only the unread count, which the store answers from an index without opening a message. */
#define _DEFAULT_SOURCE /* timegm */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "screens.h"
#include "meistring/config.h"
#include "meistring/sync.h"

/* a scroll past any end: settle_list (app.c) brings it back to the newest */
#define TO_NEWEST (1 << 30)

/* Everything a message's height depends on besides its own text and state. Compared whole (memcmp): each is
 * made with memset first, so padding compares equal. */
typedef struct {
    int colw, sp, bp, bf, pad, gap, btn; /* the column, the head's, body's and buttons' text (px), spacings */
    const void *tr, *hyph;               /* the language of «Du · i dag kl. 20:17», the patterns that break words */
    int day;                             /* today, locally: «i dag» and «i går» move at midnight */
    bool revoked, memory_only;           /* what an unsent message's state says */
} fit_key;

struct msg {
    long long id; /* the store's row: the thread's order */
    char *body, *when, *state, *client_id;
    bool from_patient, refused;
    long long server_id;
    int h; /* its box's height, px, under the fit numbered fit (0: not measured yet) */
    unsigned fit;
};

/* Where the patient is in the thread, by message rather than by pixel, so the place survives a relayout (a new
 * width or text size) and a visit to another screen (Back resets the list's scroll). */
typedef struct {
    bool newest;      /* at the bottom: the newest message and the way to write */
    long long id;     /* else the message at the top of the view (0: the heading above them all) */
    int off_permille; /* how far into it, in 1/1000 of its height (px into the heading when id is 0) */
} thread_place;

/* the stretch of the thread read from the store; owned here, freed by thread_free */
static struct {
    struct msg *m; /* oldest first */
    int n, cap;
    bool open;      /* read (the thread is on the screens' stack), with the draft */
    bool older;     /* the store may hold messages older than the stretch */
    long long from; /* the oldest row read: the next older stretch starts below it (0: none read) */
    fit_key key;    /* the fit heights are measured for now, and its number */
    unsigned fit;
    int head_h;         /* the heading, introduction and notes above the first message, px */
    unsigned frame;     /* a->frames at the last update: a gap means another screen was drawn between */
    thread_place place; /* as of the last frame of this screen */
    bool read_failed;   /* a message did not open: said once in the log */
} thr;
static int unread;
static char *msg_draft; /* the message draft (NULL: none) */

int messages_unread(void) { return unread; }
int messages_in_thread(void) { return thr.open ? thr.n : 0; }

static void free_msg(struct msg *m) {
    free(m->body);
    free(m->when);
    free(m->state);
    free(m->client_id);
}

static void thread_free(void) {
    for (int i = 0; i < thr.n; i++)
        free_msg(&thr.m[i]);
    free(thr.m);
    memset(&thr, 0, sizeof thr);
    free(msg_draft);
    msg_draft = NULL;
}

/* A stretch being read: the messages in the store's order (newest first when paging back), into a new array. */
typedef struct {
    struct msg *m;
    int n, cap;
} batch;

static void add_msg(void *ctx, const store_message *sm) {
    batch *b = ctx;
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 64;
        struct msg *nm = realloc(b->m, (size_t)cap * sizeof *nm);
        if (!nm) return;
        b->m = nm;
        b->cap = cap;
    }
    struct msg m = {.id = sm->id,
                    .body = strdup(sm->body),
                    .when = strdup(sm->written_at),
                    .state = strdup(sm->state),
                    .client_id = sm->client_id ? strdup(sm->client_id) : NULL,
                    .from_patient = sm->from_patient,
                    .server_id = sm->server_id};
    if (!m.body || !m.when || !m.state || (sm->client_id && !m.client_id)) {
        free_msg(&m);
        return;
    }
    m.refused = m.from_patient && strcmp(m.state, "attention") == 0;
    b->m[b->n++] = m;
}

static void read_failed(app *a) {
    if (!thr.read_failed) app_log("some messages could not be read: %s", store_last_error(a->st)); /* names the row */
    thr.read_failed = true;
}

/* The next MS_MESSAGES_STRETCH older messages, put in front of the stretch; how many were put there. */
static int read_older(app *a) {
    batch b = {0};
    bool all = true;
    long long before = thr.from;
    int rows = store_messages_before(a->st, &before, MS_MESSAGES_STRETCH, &all, add_msg, &b);
    if (rows < 0 || !all) read_failed(a);
    if (rows < 0) { /* the store cannot say: stop asking for this visit */
        thr.older = false;
        free(b.m);
        return 0;
    }
    thr.older = rows == MS_MESSAGES_STRETCH;
    thr.from = before;
    if (b.n == 0) {
        free(b.m);
        return 0;
    }
    struct msg *nm = realloc(thr.m, (size_t)(thr.n + b.n) * sizeof *nm);
    if (!nm) {
        for (int i = 0; i < b.n; i++)
            free_msg(&b.m[i]);
        free(b.m);
        thr.older = false;
        return 0;
    }
    thr.m = nm;
    thr.cap = thr.n + b.n;
    memmove(thr.m + b.n, thr.m, (size_t)thr.n * sizeof *thr.m);
    for (int i = 0; i < b.n; i++) /* newest first from the store: oldest first here */
        thr.m[i] = b.m[b.n - 1 - i];
    thr.n += b.n;
    free(b.m);
    return b.n;
}

/* The stretch read again (a message came, one was sent, read or refused): the same rows and any newer. A message
 * that is as it was keeps its measured height. */
static void reread(app *a) {
    if (!thr.from) { /* nothing read yet (or an empty thread): the newest stretch */
        read_older(a);
        return;
    }
    batch b = {0};
    if (!store_messages_from(a->st, thr.from, add_msg, &b)) {
        read_failed(a);
        if (b.n < thr.n) { /* the store could not answer (busy, out of memory): what is on screen stays */
            for (int i = 0; i < b.n; i++)
                free_msg(&b.m[i]);
            free(b.m);
            return;
        }
    }
    for (int i = 0, j = 0; i < b.n; i++) {
        struct msg *m = &b.m[i];
        while (j < thr.n && thr.m[j].id < m->id)
            j++;
        const struct msg *o = j < thr.n ? &thr.m[j] : NULL;
        if (o && o->id == m->id) {
            m->h = o->h; /* what it took on screen until now: where the place is found before it is measured again */
            if (strcmp(o->state, m->state) == 0 &&
                (o->client_id ? m->client_id && strcmp(o->client_id, m->client_id) == 0 : !m->client_id))
                m->fit = o->fit;
        }
    }
    for (int i = 0; i < thr.n; i++)
        free_msg(&thr.m[i]);
    free(thr.m);
    thr.m = b.m;
    thr.n = b.n;
    thr.cap = b.cap;
}

static bool thread_on_stack(const app *a) {
    for (int i = 0; i < a->depth; i++)
        if (a->stack[i] == SCREEN_MESSAGES) return true;
    return false;
}

void messages_load(app *a) {
    /* home's «Meldinger · 2 ny»: the therapist's messages newer than the last one the patient had on screen,
     * counted from the store's index; no message is opened for it */
    char seen[32];
    long long last_seen = store_get_setting(a->st, "messages.seen", seen, sizeof seen) ? atoll(seen) : 0;
    int n = store_messages_unread(a->st, last_seen);
    unread = n > 0 ? n : 0;
    if (!thread_on_stack(a)) { /* not shown, nor under another screen: nothing of it is kept */
        if (thr.open) thread_free();
        return;
    }
    bool was_open = thr.open;
    thr.open = true;
    free(msg_draft);
    msg_draft = store_draft_get(a->st, "message", NULL);
    /* on the newest as it came: still on the newest after it (a reply arrives, the patient's own goes out) */
    if (was_open && a->screen == SCREEN_MESSAGES && thr.frame != 0 && thr.frame == a->frames &&
        a->scroll_list >= a->max_scroll)
        a->scroll_list = TO_NEWEST;
    reread(a);
}

/* When a message was written, as a person says it: «i dag kl. 20:17», «i går kl. 09:02», «3. nov. kl. 14:30».
 * iso is UTC ("2026-11-22T19:17:00Z"); shown in the tablet's local time. */
static void format_when(app *a, const char *iso, char *buf, size_t cap) {
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6) {
        snprintf(buf, cap, "%s", iso ? iso : "");
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm), now = time(NULL);
    struct tm lt, ln;
    localtime_r(&t, &lt);
    localtime_r(&now, &ln);
    char hm[8], day[8], month[16] = "";
    strftime(hm, sizeof hm, "%H:%M", &lt);
    time_t yesterday = now - 24 * 3600;
    struct tm ly;
    localtime_r(&yesterday, &ly);
    const char *args[3] = {hm, NULL, NULL};
    if (lt.tm_year == ln.tm_year && lt.tm_yday == ln.tm_yday) {
        i18n_format(buf, cap, app_tr(a, "time.today"), 1, args);
    } else if (lt.tm_year == ly.tm_year && lt.tm_yday == ly.tm_yday) {
        i18n_format(buf, cap, app_tr(a, "time.yesterday"), 1, args);
    } else {
        /* the month's short name is the tm_mon-th of "jan.|feb.|…" */
        const char *m = app_tr(a, "time.months");
        for (int i = 0; i < lt.tm_mon && m; i++) {
            m = strchr(m, '|');
            if (m) m++;
        }
        if (m) snprintf(month, sizeof month, "%.*s", (int)strcspn(m, "|"), m);
        snprintf(day, sizeof day, "%d", lt.tm_mday);
        const char *dargs[3] = {day, month, hm};
        i18n_format(buf, cap, app_tr(a, "time.date"), 3, dargs);
    }
}

/* The patient's own message box under the newest message: the draft, if any, and the way to write. Drawn when
 * draw, else only measured; returns its height. */
static int compose(app *a, int x, int y, int colw, bool draw) {
    const theme *th = a->th;
    int y0 = y;
    if (msg_draft && msg_draft[0]) {
        int pad = app_px(a, 14), sp = ui_font(app_ui(a), DP_SMALL + 1), bp = pages_read_px(a, DP_BODY);
        /* the first words of it, on a few lines: enough to recognise it */
        char d[240];
        size_t n = strlen(msg_draft), cut = n < 200 ? n : 200;
        while (cut < n && cut > 0 && ((unsigned char)msg_draft[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(d, msg_draft, cut);
        for (size_t i = 0; i < cut; i++)
            if (d[i] == '\n') d[i] = ' ';
        snprintf(d + cut, sizeof d - cut, "%s", cut < n ? "…" : "");
        int hh = ui_text_height(app_ui(a), app_tr(a, "msg.draft"), REN_BOLD, sp, colw - 2 * pad);
        int bh = ui_text_height(app_ui(a), d, REN_REGULAR, bp, colw - 2 * pad);
        int h = pad + hh + app_px(a, 6) + bh + pad;
        int gap = app_px(a, 10), bw = (colw - gap) / 2;
        int h1 = ui_button_height(app_ui(a), app_tr(a, "msg.continue"), bw, app_px(a, DP_BUTTON));
        int h2 = ui_button_height(app_ui(a), app_tr(a, "msg.send_draft"), bw, app_px(a, DP_BUTTON));
        int rh = h1 > h2 ? h1 : h2;
        if (!draw) return h + app_px(a, 10) + rh;
        ren_fill_round(a->rn, x, y, colw, h, app_px(a, 12), th->ink[INK_CALLOUT_BG]);
        ren_frame_round(a->rn, x, y, colw, h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
        ui_text(app_ui(a), app_tr(a, "msg.draft"), REN_BOLD, sp, th->ink[INK_MUTED], x + pad, y + pad, colw - 2 * pad,
                ROLE_STATUS);
        ui_text(app_ui(a), d, REN_REGULAR, bp, th->ink[INK_TEXT], x + pad, y + pad + hh + app_px(a, 6), colw - 2 * pad,
                ROLE_FIELD);
        y += h + app_px(a, 10);
        ui_button(app_ui(a), x, y, bw, rh, app_tr(a, "msg.continue"), BTN_SECONDARY, ACT_WRITE, 0);
        ui_button(app_ui(a), x + bw + gap, y, bw, rh, app_tr(a, "msg.send_draft"), BTN_PRIMARY, ACT_SEND, 0);
        y += rh;
    } else if (!draw) {
        y += ui_button_height(app_ui(a), app_tr(a, "msg.write"), colw, app_px(a, DP_BUTTON_MAIN));
    } else {
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "msg.write"), BTN_PRIMARY, ACT_WRITE, 0);
    }
    return y - y0;
}

/* The heading, the introduction and the demonstration's note above the messages (and «Ingen meldinger ennå» when
 * there are none); drawn at (x, y) when draw, else only measured. Returns its height with the gap under it. */
static int thread_head(app *a, int x, int y, int colw, bool draw) {
    const theme *th = a->th;
    ui_ctx *u = app_ui(a);
    /* at the patient's reading size, as the messages under it (to 400 %: it stopped at the interface's 200 %) */
    int y0 = y, body = pages_read_px(a, DP_BODY);
    y += chrome_heading(a, app_tr(a, "msg.title"), DP_H1, x, y, colw, draw);
    y += app_px(a, 8);
    y += draw ? ui_text(u, app_tr(a, "msg.intro"), REN_REGULAR, body, th->ink[INK_MUTED], x, y, colw, ROLE_TEXT)
              : ui_text_height(u, app_tr(a, "msg.intro"), REN_REGULAR, body, colw);
    y += app_px(a, 16);
    if (!a->sync) { /* the demonstration: nothing written here goes to anyone */
        y += draw ? ui_text(u, app_tr(a, "msg.demo"), REN_BOLD, body, th->ink[INK_TEXT], x, y, colw, ROLE_CALLOUT)
                  : ui_text_height(u, app_tr(a, "msg.demo"), REN_BOLD, body, colw);
        y += app_px(a, 16);
    }
    if (thr.n == 0 && !thr.older) {
        y += draw ? ui_text(u, app_tr(a, "msg.none"), REN_ITALIC, body, th->ink[INK_TEXT], x, y, colw, ROLE_TEXT)
                  : ui_text_height(u, app_tr(a, "msg.none"), REN_ITALIC, body, colw);
        y += app_px(a, 20);
    }
    return y - y0;
}

static fit_key fit_now(app *a) {
    fit_key k;
    memset(&k, 0, sizeof k);
    ui_ctx *u = app_ui(a);
    k.colw = chrome_column(a);
    k.sp = ui_font(u, DP_SMALL + 1);
    k.bp = pages_read_px(a, DP_BODY);
    k.bf = ui_font(u, DP_BODY);
    k.pad = app_px(a, 14);
    k.gap = app_px(a, 6);
    k.btn = app_px(a, DP_BUTTON_SMALL);
    k.tr = a->tr;
    k.hyph = u->hyph;
    time_t now = time(NULL);
    struct tm lt;
    localtime_r(&now, &lt);
    k.day = lt.tm_year * 400 + lt.tm_yday;
    k.revoked = a->sync_status.enrolled && a->sync_status.result == SYNC_AUTH;
    k.memory_only = a->memory_only;
    return k;
}

/* A message's box: its width and place in the column (the therapist's on the left, the patient's on the right),
 * and its head: who, when and what became of it. */
static void msg_box(app *a, const struct msg *m, int x, int colw, int *bx, int *bw, char *head, size_t cap) {
    /* the patient's to the right, the therapist's to the left, each an eighth of the column in; where the reading
     * size leaves the column under 8 em (a phone at 300-400 %) the indent gives way to 8 dp, so a line holds two
     * words, not one (a message read one word a line; the sides still told apart by the box's colour and its head) */
    int indent = pages_read_px(a, DP_BODY) * 8 > colw ? app_px(a, 8) : colw / 8;
    *bx = m->from_patient ? x + indent : x;
    *bw = colw - indent;
    char when[64];
    format_when(a, m->when, when, sizeof when);
    /* a message waiting to go says why it is waiting when nothing will send it: a revoked tablet, a store that
     * lives in memory only */
    bool revoked = a->sync_status.enrolled && a->sync_status.result == SYNC_AUTH;
    const char *state_key = !m->from_patient                ? NULL
                            : strcmp(m->state, "read") == 0 ? "msg.state_read"
                            : strcmp(m->state, "sent") == 0 ? "msg.state_sent"
                            : m->refused                    ? "msg.state_attention"
                            : a->memory_only                ? "msg.state_memory"
                            : revoked                       ? "msg.state_revoked"
                                                            : "msg.state_saved";
    snprintf(head, cap, "%s · %s%s%s", app_tr(a, m->from_patient ? "msg.you" : "msg.therapist"), when,
             state_key ? " · " : "", state_key ? app_tr(a, state_key) : "");
}

/* Lays a message out at (x, y): drawn when draw (then its elements go into the frame's description), else only
 * measured. Returns its box's height. The patient's own words at the patient's reading size; the therapist's too. */
static int msg_layout(app *a, const struct msg *m, int x, int y, int colw, bool draw) {
    const theme *th = a->th;
    ui_ctx *u = app_ui(a);
    int bx, bw;
    char head[400];
    msg_box(a, m, x, colw, &bx, &bw, head, sizeof head);
    int pad = app_px(a, 14), sp = ui_font(u, DP_SMALL + 1), bp = pages_read_px(a, DP_BODY);
    int hh = ui_text_height(u, head, REN_BOLD, sp, bw - 2 * pad);
    int tb = ui_text_height(u, m->body, REN_REGULAR, bp, bw - 2 * pad);
    int btn_h = m->refused ? ui_button_height(u, app_tr(a, "msg.resend"), bw - 2 * pad, app_px(a, DP_BUTTON_SMALL)) : 0;
    int h = pad + hh + app_px(a, 6) + tb + pad + (m->refused ? btn_h + pad : 0);
    if (!draw) return h;
    ren_fill_round(a->rn, bx, y, bw, h, app_px(a, 12), th->ink[m->from_patient ? INK_CALLOUT_BG : INK_CARD_BG]);
    ren_frame_round(a->rn, bx, y, bw, h, app_px(a, 12), app_px(a, m->refused ? 4 : 2),
                    th->ink[m->refused ? INK_ALERT : INK_CARD_BORDER]);
    ui_text(u, head, REN_BOLD, sp, th->ink[INK_MUTED], bx + pad, y + pad, bw - 2 * pad, ROLE_STATUS);
    ui_text(u, m->body, REN_REGULAR, bp, th->ink[INK_TEXT], bx + pad, y + pad + hh + app_px(a, 6), bw - 2 * pad,
            ROLE_TEXT);
    if (m->refused)
        ui_button(u, bx + pad, y + pad + hh + app_px(a, 6) + tb + pad, bw - 2 * pad, btn_h, app_tr(a, "msg.resend"),
                  BTN_PRIMARY, ACT_RESEND, (int)m->id);
    return h;
}

/* The kept height of message i (measured in update); one laid out afresh should update not have run. */
static int msg_height(app *a, int i) {
    return thr.m[i].fit == thr.fit ? thr.m[i].h : msg_layout(a, &thr.m[i], 0, 0, thr.key.colw, false);
}

/* Measures the messages in from..to not yet measured for this fit; true when a height changed. */
static bool measure(app *a, int from, int to) {
    bool changed = false;
    for (int i = from; i < to; i++)
        if (thr.m[i].fit != thr.fit) {
            int h = msg_layout(a, &thr.m[i], 0, 0, thr.key.colw, false);
            changed |= h != thr.m[i].h;
            thr.m[i].h = h;
            thr.m[i].fit = thr.fit;
        }
    return changed;
}

/* The place at scroll (list px): the message at the top of the view, or the newest when at the end. */
static thread_place place_at(app *a, int scroll, bool at_end) {
    thread_place p = {.newest = at_end};
    if (at_end) return p;
    int y = thr.head_h, gap = app_px(a, 12);
    if (scroll < y) {
        p.off_permille = scroll; /* in the heading: px */
        return p;
    }
    for (int i = 0; i < thr.n; i++) {
        int h = thr.m[i].h + gap;
        if (scroll < y + h) {
            p.id = thr.m[i].id;
            p.off_permille = (int)((long long)(scroll - y) * 1000 / (h > 0 ? h : 1));
            return p;
        }
        y += h;
    }
    p.newest = true; /* below the last message: the way to write */
    return p;
}

/* The list scroll that shows place p (heights measured). */
static int scroll_of(app *a, thread_place p) {
    if (p.newest) return TO_NEWEST;
    if (!p.id) return p.off_permille < thr.head_h ? p.off_permille : thr.head_h;
    int y = thr.head_h, gap = app_px(a, 12);
    for (int i = 0; i < thr.n; i++) {
        int h = thr.m[i].h + gap;
        if (thr.m[i].id >= p.id) return thr.m[i].id == p.id ? y + (int)((long long)h * p.off_permille / 1000) : y;
        y += h;
    }
    return TO_NEWEST;
}

/* Before each frame: the stretch read (the thread may be shown under the editor a restart reopened), the heights
 * measured for the fit of this frame, the place kept through a relayout or a visit elsewhere, and older messages
 * read in front while the view comes within a screen of the first one read, the scroll moved down by as much so
 * that what is on screen stays there. */
static void messages_update(app *a) {
    if (!thr.open) messages_load(a);
    bool was_here = thr.frame != 0 && thr.frame == a->frames; /* the frame before this one was this screen's */
    fit_key k = fit_now(a);
    bool refit = memcmp(&k, &thr.key, sizeof k) != 0;
    /* the scroll the patient has is the place, in the heights of the frame before (a message read again since, its
     * state changed, still has the height it was drawn with) */
    if (was_here) thr.place = place_at(a, a->scroll_list, a->scroll_list >= a->max_scroll);
    if (refit) {
        thr.key = k;
        if (++thr.fit == 0) thr.fit = 1; /* 0 is "never measured" */
    }
    bool moved = measure(a, 0, thr.n); /* all after a refit; else what came or changed since */
    thr.head_h = thread_head(a, 0, 0, k.colw, false);
    if ((!was_here || refit || moved) && a->scroll_list < TO_NEWEST) a->scroll_list = scroll_of(a, thr.place);
    for (;;) {
        int gap = app_px(a, 12), above;
        if (!thr.older) break;
        if (a->scroll_list >= TO_NEWEST) { /* opening at the newest: a screen of messages above the view */
            above = 0;
            for (int i = 0; i < thr.n && above < 2 * a->h; i++)
                above += thr.m[i].h + gap;
            if (above >= 2 * a->h) break;
        } else if (a->scroll_list >= thr.head_h + a->h) {
            break;
        }
        int got = read_older(a);
        if (got == 0) break;
        measure(a, 0, got);
        thr.head_h = thread_head(a, 0, 0, k.colw, false); /* «Ingen meldinger» may have gone */
        int added = 0;
        for (int i = 0; i < got; i++)
            added += thr.m[i].h + gap;
        if (a->scroll_list < TO_NEWEST) a->scroll_list += added;
    }
    /* the newest with the way to write under it, unless that is taller than the list: then the newest from its
     * start (its head says who wrote it and when; the rest is read by scrolling down, as on any page) */
    if (a->scroll_list >= TO_NEWEST && thr.n) {
        int gap = app_px(a, 12), y = thr.head_h;
        for (int i = 0; i < thr.n - 1; i++)
            y += thr.m[i].h + gap;
        int room = a->h - chrome_list_bar_height(a, app_tr(a, "msg.button"), true) - 2 * app_px(a, 20);
        if (thr.m[thr.n - 1].h + gap + app_px(a, 8) + compose(a, 0, 0, k.colw, false) > room) a->scroll_list = y;
    }
    thr.frame = a->frames + 1;
}

static void draw_messages(app *a) {
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "msg.button"), true, &top, &x, &colw); /* where am I: «Meldinger» */
    y += thread_head(a, x, y, colw, true);
    int gap = app_px(a, 12);
    for (int i = 0; i < thr.n; i++) {
        const struct msg *m = &thr.m[i];
        int h = msg_height(a, i);
        if (y + h > top && y < a->h) { /* only what shows is laid out */
            msg_layout(a, m, x, y, colw, true);
        } else if (m->refused) { /* not drawn, but in the focus order (the list's clip keeps it out of the description) */
            int bx, bw, pad = app_px(a, 14);
            char head[400];
            msg_box(a, m, x, colw, &bx, &bw, head, sizeof head);
            int btn_h = ui_button_height(app_ui(a), app_tr(a, "msg.resend"), bw - 2 * pad, app_px(a, DP_BUTTON_SMALL));
            view_add(&a->view, ROLE_BUTTON, app_tr(a, "msg.resend"), bx + pad, y + h - pad - btn_h, bw - 2 * pad, btn_h,
                     ACT_RESEND, (int)m->id);
        }
        y += h + gap;
    }
    if (thr.n) y += app_px(a, 8);
    y += compose(a, x, y, colw, true);
    chrome_end_list(a, y); /* "show the newest" scrolls past the end: app_draw brings it back to where it is */
}

/* A message the server refused, queued again under a new id. It is named by its row (the button's argument),
 * which stays its own when older messages are read in front of it. */
static void resend(app *a, int row) {
    int i = 0;
    while (i < thr.n && (int)thr.m[i].id != row)
        i++;
    if (i == thr.n || !thr.m[i].client_id) return;
    char id[33];
    if (sync_resend_message(a->st, thr.m[i].client_id, thr.m[i].body, thr.m[i].when, id)) {
        messages_load(a);
        if (a->sync) syncer_now(a->sync);
        app_show_toast(a, app_tr(a, "write.sent_soon"), 5000);
    } else {
        app_log("cannot queue the message again: %s", store_last_error(a->st));
    }
    a->dirty = true;
}

/* The thread is on screen: what the therapist sent is seen (the newest reply, from the store's index). */
static void mark_seen(app *a) {
    long long newest = store_messages_newest_reply(a->st);
    char v[32], was[32];
    snprintf(v, sizeof v, "%lld", newest);
    if (!store_get_setting(a->st, "messages.seen", was, sizeof was) || strcmp(was, v) != 0)
        store_set_setting(a->st, "messages.seen", v);
    unread = 0;
}

static bool messages_action(app *a, app_action act, int arg) {
    switch (act) {
    case ACT_MESSAGES: /* new messages came while the thread is open */
        messages_load(a);
        mark_seen(a);
        return true;
    case ACT_WRITE:
        editor_open_message(a);
        app_save_place(a);
        return true;
    case ACT_RESEND: resend(a, arg); return true;
    case ACT_SEND: editor_send(a); return true; /* «Send utkastet» */
    default: return false;
    }
}

/* Opened from home: the newest stretch of the thread, shown at its end (the newest message and the way to write,
 * an empty thread's too), everything in it seen. */
void messages_open(app *a) {
    thread_free();
    if (a->screen != SCREEN_MESSAGES) nav_push(a, SCREEN_MESSAGES);
    messages_load(a);
    mark_seen(a);
    thr.place = (thread_place){.newest = true};
    a->scroll_list = TO_NEWEST;
}

static bool messages_saves_place(const app *a) {
    (void)a;
    return true;
}

static void messages_close(app *a) {
    (void)a;
    thread_free();
}

const screen_ops screen_messages = {
    .name = "messages",
    .update = messages_update,
    .draw = draw_messages,
    .action = messages_action,
    .saves_place = messages_saves_place,
    .close = messages_close,
};
