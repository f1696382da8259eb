/* messages.c — the thread with the therapist: the draft and the way to write, then every message with who
 * wrote it, when, and what became of it (saved, sent, read, refused). The thread is copied from the store when
 * it changes (messages_load); sending itself is the editor's (editor.c) and the sync engine's. */
#define _DEFAULT_SOURCE /* timegm */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "pages.h"
#include "screens.h"
#include "meistring/sync.h"

/* the thread as last read from the store; owned here, freed by messages_close */
static struct msg {
    char *body, *when, *state, *client_id;
    bool from_patient;
    long long server_id;
} *msgs;
static int n_msgs, unread;
static char *msg_draft; /* the message draft (NULL: none) */

int messages_unread(void) { return unread; }

static void add_msg(void *ctx, const store_message *m) {
    (void)ctx;
    struct msg *n = realloc(msgs, (size_t)(n_msgs + 1) * sizeof *n);
    if (!n) return;
    msgs = n;
    n[n_msgs++] = (struct msg){strdup(m->body),  strdup(m->written_at),
                                      strdup(m->state), m->client_id ? strdup(m->client_id) : NULL,
                                      m->from_patient,  m->server_id};
}

static void free_msgs(void) {
    for (int i = 0; i < n_msgs; i++) {
        free(msgs[i].body);
        free(msgs[i].when);
        free(msgs[i].state);
        free(msgs[i].client_id);
    }
    free(msgs);
    msgs = NULL;
    n_msgs = 0;
}

void messages_load(app *a) {
    free_msgs();
    free(msg_draft);
    msg_draft = store_draft_get(a->st, "message", NULL);
    if (!store_each_message(a->st, add_msg, NULL)) /* names the row, never its text */
        app_log("some messages could not be read: %s", store_last_error(a->st));
    /* unread: the therapist's messages newer than the last one the patient had on screen */
    char seen[32];
    long long last_seen = store_get_setting(a->st, "messages.seen", seen, sizeof seen) ? atoll(seen) : 0;
    unread = 0;
    for (int i = 0; i < n_msgs; i++)
        if (!msgs[i].from_patient && msgs[i].server_id > last_seen) unread++;
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

/* The patient's own message box at the top of the thread: the draft, if any, and the way to write. */
static int draw_compose(app *a, int x, int y, int colw) {
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
        ren_fill_round(a->rn, x, y, colw, h, app_px(a, 12), th->ink[INK_CALLOUT_BG]);
        ren_frame_round(a->rn, x, y, colw, h, app_px(a, 12), app_px(a, 2), th->ink[INK_CARD_BORDER]);
        ui_text(app_ui(a), app_tr(a, "msg.draft"), REN_BOLD, sp, th->ink[INK_MUTED], x + pad, y + pad, colw - 2 * pad,
                ROLE_STATUS);
        ui_text(app_ui(a), d, REN_REGULAR, bp, th->ink[INK_TEXT], x + pad, y + pad + hh + app_px(a, 6), colw - 2 * pad,
                ROLE_FIELD);
        y += h + app_px(a, 10);
        int gap = app_px(a, 10), bw = (colw - gap) / 2;
        int h1 = ui_button_height(app_ui(a), app_tr(a, "msg.continue"), bw, app_px(a, DP_BUTTON));
        int h2 = ui_button_height(app_ui(a), app_tr(a, "msg.send_draft"), bw, app_px(a, DP_BUTTON));
        int rh = h1 > h2 ? h1 : h2;
        ui_button(app_ui(a), x, y, bw, rh, app_tr(a, "msg.continue"), BTN_SECONDARY, ACT_WRITE, 0);
        ui_button(app_ui(a), x + bw + gap, y, bw, rh, app_tr(a, "msg.send_draft"), BTN_PRIMARY, ACT_SEND, 0);
        y += rh;
    } else {
        y += ui_button(app_ui(a), x, y, colw, app_px(a, DP_BUTTON_MAIN), app_tr(a, "msg.write"), BTN_PRIMARY, ACT_WRITE, 0);
    }
    return y - y0;
}

static void draw_messages(app *a) {
    const theme *th = a->th;
    int top, x, colw;
    int y = chrome_list_screen(a, app_tr(a, "msg.button"), true, &top, &x, &colw); /* where am I: «Meldinger» */
    y += ui_heading(app_ui(a), app_tr(a, "msg.title"), DP_H1, x, y, colw);
    y += app_px(a, 8);
    y +=
        ui_text(app_ui(a), app_tr(a, "msg.intro"), REN_REGULAR, ui_font(app_ui(a), DP_BODY), th->ink[INK_MUTED], x, y, colw, ROLE_TEXT);
    y += app_px(a, 16);
    if (!a->sync) { /* the demonstration: nothing written here goes to anyone */
        y += ui_text(app_ui(a), app_tr(a, "msg.demo"), REN_BOLD, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_CALLOUT);
        y += app_px(a, 16);
    }
    y += draw_compose(a, x, y, colw);
    y += app_px(a, 20);
    if (n_msgs == 0)
        y += ui_text(app_ui(a), app_tr(a, "msg.none"), REN_ITALIC, ui_font(app_ui(a), DP_BODY), th->ink[INK_TEXT], x, y, colw,
                     ROLE_TEXT);
    int pad = app_px(a, 14), indent = colw / 8;
    for (int i = 0; i < n_msgs; i++) {
        const struct msg *m = &msgs[i];
        /* the therapist's on the left, the patient's on the right, each with who, when and its state */
        int bx = m->from_patient ? x + indent : x, bw = colw - indent;
        char head[400], when[64];
        format_when(a, m->when, when, sizeof when);
        bool refused = m->from_patient && strcmp(m->state, "attention") == 0;
        /* a message waiting to go says why it is waiting when nothing will send it: a revoked tablet, a store
         * that lives in memory only */
        bool revoked = a->sync_status.enrolled && a->sync_status.result == SYNC_AUTH;
        const char *state_key = !m->from_patient                ? NULL
                                : strcmp(m->state, "read") == 0 ? "msg.state_read"
                                : strcmp(m->state, "sent") == 0 ? "msg.state_sent"
                                : refused                       ? "msg.state_attention"
                                : a->memory_only                ? "msg.state_memory"
                                : revoked                       ? "msg.state_revoked"
                                                                : "msg.state_saved";
        snprintf(head, sizeof head, "%s · %s%s%s", app_tr(a, m->from_patient ? "msg.you" : "msg.therapist"), when,
                 state_key ? " · " : "", state_key ? app_tr(a, state_key) : "");
        /* the patient's own words at the patient's reading size; the therapist's too */
        int sp = ui_font(app_ui(a), DP_SMALL + 1), bp = pages_read_px(a, DP_BODY);
        int hh = ui_text_height(app_ui(a), head, REN_BOLD, sp, bw - 2 * pad);
        int th_ = ui_text_height(app_ui(a), m->body, REN_REGULAR, bp, bw - 2 * pad);
        int btn_h = refused ? ui_button_height(app_ui(a), app_tr(a, "msg.resend"), bw - 2 * pad, app_px(a, DP_BUTTON_SMALL)) : 0;
        int h = pad + hh + app_px(a, 6) + th_ + pad + (refused ? btn_h + pad : 0);
        if (y + h > top && y < a->h) {
            ren_fill_round(a->rn, bx, y, bw, h, app_px(a, 12), th->ink[m->from_patient ? INK_CALLOUT_BG : INK_CARD_BG]);
            ren_frame_round(a->rn, bx, y, bw, h, app_px(a, 12), app_px(a, refused ? 4 : 2),
                            th->ink[refused ? INK_ALERT : INK_CARD_BORDER]);
            ui_text(app_ui(a), head, REN_BOLD, sp, th->ink[INK_MUTED], bx + pad, y + pad, bw - 2 * pad, ROLE_STATUS);
            ui_text(app_ui(a), m->body, REN_REGULAR, bp, th->ink[INK_TEXT], bx + pad, y + pad + hh + app_px(a, 6), bw - 2 * pad,
                    ROLE_TEXT);
            if (refused)
                ui_button(app_ui(a), bx + pad, y + pad + hh + app_px(a, 6) + th_ + pad, bw - 2 * pad, btn_h,
                          app_tr(a, "msg.resend"), BTN_PRIMARY, ACT_RESEND, i);
        } else if (refused) { /* not drawn, but in the focus order (the list's clip keeps it out of the description) */
            view_add(&a->view, ROLE_BUTTON, app_tr(a, "msg.resend"), bx + pad, y + pad + hh + app_px(a, 6) + th_ + pad,
                     bw - 2 * pad, btn_h, ACT_RESEND, i);
        }
        y += h + app_px(a, 12);
    }
    chrome_end_list(a, y); /* "show the newest" scrolls past the end: app_draw brings it back to where it is */
}

/* A message the server refused, queued again under a new id. */
static void resend(app *a, int i) {
    if (i < 0 || i >= n_msgs || !msgs[i].client_id) return;
    char id[33];
    if (sync_resend_message(a->st, msgs[i].client_id, msgs[i].body, msgs[i].when, id)) {
        messages_load(a);
        if (a->sync) syncer_now(a->sync);
        app_show_toast(a, app_tr(a, "write.sent_soon"), 5000);
    } else {
        app_log("cannot queue the message again: %s", store_last_error(a->st));
    }
    a->dirty = true;
}

/* The thread is on screen: what the therapist sent is seen. */
static void mark_seen(app *a) {
    long long newest = 0;
    for (int i = 0; i < n_msgs; i++)
        if (!msgs[i].from_patient && msgs[i].server_id > newest) newest = msgs[i].server_id;
    char v[32];
    snprintf(v, sizeof v, "%lld", newest);
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

/* Opened from home: the thread, from its top, everything in it seen. */
void messages_open(app *a) {
    messages_load(a);
    mark_seen(a);
    if (a->screen != SCREEN_MESSAGES) {
        nav_push(a, SCREEN_MESSAGES);
        a->scroll_list = 0;
    }
}

static bool messages_saves_place(const app *a) {
    (void)a;
    return true;
}

static void messages_close(app *a) {
    (void)a;
    free_msgs();
    free(msg_draft);
    msg_draft = NULL;
}

const screen_ops screen_messages = {
    .name = "messages",
    .draw = draw_messages,
    .action = messages_action,
    .saves_place = messages_saves_place,
    .close = messages_close,
};
