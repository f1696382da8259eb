/* script.c — the headless harness: runs a script of input steps against the real client (docs/harness.md).
 * Steps are turned into real SDL events and go through the same handlers a patient's touches do; after each
 * step the queue is drained and the screen redrawn, so `shot` and `describe` see what a person would.
 * `expect` steps make a script a test: a failed expectation is reported with its line and the script exits 1. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "app.h"
#include "readaloud.h"
#include "keyboard.h"
#include "keynav.h"
#include "kiosk.h"
#include "lock.h"
#include "chrome.h"
#include "meistring/edit.h"
#include "meistring/hyphen.h"
#include "meistring/image.h"
#include "pages.h"
#include "screens.h"
#include "script.h"
#include "meistring/color.h"
#include "meistring/utf8.h"

/* Handles what is queued, then one pass of the client's loop (timers, a frame if anything changed). */
static void pump(app *a) {
    SDL_Event e;
    while (SDL_PollEvent(&e))
        app_handle_event(a, &e);
    app_step(a);
    /* a page just opened showed its first screen from a part of it and queued the event the rest is laid out on
     * (app.c): the next command sees the page whole, as the patient does a moment later */
    if (a->layout_part && a->first_frame_done) {
        while (SDL_PollEvent(&e))
            app_handle_event(a, &e);
        app_step(a);
    }
}

static void push_mouse(Uint32 type, int x, int y, Uint8 button) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = button ? SDL_BUTTON_LMASK : 0;
    } else {
        e.button.button = button;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
    }
    SDL_PushEvent(&e);
}

/* Waits ms while the client runs its own loop: it sleeps until an event or the earliest deadline it names. */
static void wait_ms(app *a, Uint32 ms) {
    Uint32 end = SDL_GetTicks() + ms;
    while (!SDL_TICKS_PASSED(SDL_GetTicks(), end) && !a->quit) { /* SIGTERM to a kiosk ends the wait too */
        SDL_Event e;
        Sint32 left = (Sint32)(end - SDL_GetTicks());
        int due = app_next_deadline_ms(a);
        if (due >= 0 && left > due) left = due;
        if (SDL_WaitEventTimeout(&e, left > 0 ? left : 1)) app_handle_event(a, &e);
        app_step(a);
    }
    pump(a);
}

static bool screenshot(app *a, const char *path) {
    app_draw(a, false);
    image_pixels px = {.width = (uint32_t)a->w, .height = (uint32_t)a->h};
    px.rgba = malloc((size_t)a->w * (size_t)a->h * 4);
    if (!px.rgba) return false;
    bool ok = SDL_RenderReadPixels(a->sdl, NULL, SDL_PIXELFORMAT_RGBA32, px.rgba, a->w * 4) == 0 &&
              image_write_png(path, &px);
    image_pixels_free(&px);
    SDL_RenderPresent(a->sdl);
    return ok;
}

static bool role_from_name(const char *name, view_role *out) {
    for (int r = ROLE_HEADING; r <= ROLE_STATUS; r++) {
        if (strcmp(view_role_name((view_role)r), name) == 0) {
            *out = (view_role)r;
            return true;
        }
    }
    return false;
}

/* `expect screen NAME` or `expect ROLE TEXT` (an element of that role whose text contains TEXT);
 * `expect-not ROLE TEXT` for the opposite. */
static bool expect(app *a, const char *args, bool want, char *why, size_t cap) {
    char word[32];
    int n = 0;
    if (sscanf(args, "%31s %n", word, &n) != 1) {
        snprintf(why, cap, "expect needs a role or `screen`");
        return false;
    }
    const char *rest = args + n;
    if (strcmp(word, "screen") == 0) {
        bool is = strcmp(app_screen_name(a->screen), rest) == 0;
        if (is != want) snprintf(why, cap, "screen is %s", app_screen_name(a->screen));
        return is == want;
    }
    if (strcmp(word, "title") == 0) {
        /* the title whole (a heading), or shortened where a tap shows it whole (the bar's, the editor's) */
        bool found = false;
        for (size_t i = 0; i < a->view.n && !found; i++) {
            const view_elem *e = &a->view.e[i];
            bool one_tap = e->action == ACT_SHOW_TITLE || e->action == ACT_WRITE_TITLE || e->action == ACT_TOAST_WHOLE;
            found = (e->role == ROLE_HEADING || one_tap) && strstr(e->text, rest);
        }
        if (found != want)
            snprintf(why, cap, "title %s \"%s\" on screen %s", want ? "not found:" : "found:", rest,
                     app_screen_name(a->screen));
        return found == want;
    }
    view_role role;
    if (!role_from_name(word, &role)) {
        snprintf(why, cap, "unknown role %s", word);
        return false;
    }
    bool found = false;
    for (size_t i = 0; i < a->view.n && !found; i++)
        if (a->view.e[i].role == role && strstr(a->view.e[i].text, rest)) found = true;
    if (found != want)
        snprintf(why, cap, "%s %s \"%s\" on screen %s", word, want ? "not found:" : "found:", rest,
                 app_screen_name(a->screen));
    return found == want;
}

/* `check-title`: the screen's name is in sight where it stays (WCAG 2.4.2, issue 13): a heading, or a title
 * shortened where a tap shows it whole, in the top bar or over the screen's scrolling part — not only a heading in
 * the list, which scrolls away (the messages open at the newest) or is not there at all. A screen with no
 * scrolling part (the editor) may have it anywhere in the window. */
static bool check_title(app *a, char *why, size_t cap) {
    const view *v = &a->view;
    bool area = v->area_top >= 0 && v->area_bottom > v->area_top;
    int top = a->screen == SCREEN_PAGE ? a->content_top : area ? v->area_top : a->h;
    /* a screen with no Back (home, enrolment: where the tablet starts) opens at its top and is named by its first
     * heading while it is there; one the patient went into keeps its name in sight however far it scrolls */
    bool root = true;
    for (size_t i = 0; i < v->n; i++)
        if (v->e[i].action == ACT_BACK && v->e[i].y < (area ? v->area_top : a->h)) root = false;
    if (root && area && *screen_scroll(a) == 0) top = v->area_bottom;
    /* the reader on a phone, whose top bar has no room for the module's title: its bottom bar's status says which
     * module («Modul 2 · Side 3 av 5 · …»), and stays on every screen of the page */
    char module[64] = "";
    if (a->screen == SCREEN_PAGE)
        snprintf(module, sizeof module, "%s %d", app_tr(a, "home.module"), a->prog->modules[a->module].number);
    const view_elem *first = NULL;
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if (module[0] && e->y >= a->content_bottom && e->y + e->h <= a->h && strstr(e->text, module)) return true;
        bool named = e->role == ROLE_HEADING || e->action == ACT_SHOW_TITLE || e->action == ACT_WRITE_TITLE;
        if (!named) continue;
        if (!first) first = e;
        if (e->w > 0 && e->h > 0 && e->x >= 0 && e->y >= 0 && e->x + e->w <= a->w && e->y + e->h <= top) {
            /* named once: where the name has a line of its own under a phone's bar, a heading in sight that says it
             * again takes a phone's room for nothing (320 dp at 400 %: bars, line and banner were 245 of 640 px) */
            for (size_t j = 0; chrome_title_on_line() && j < v->n; j++) {
                const view_elem *d = &v->e[j];
                if (d != e && d->role == ROLE_HEADING && strcmp(d->text, e->text) == 0 && d->y >= top && d->y < a->h) {
                    snprintf(why, cap, "screen %s says its name twice: on the line under the bar and as the heading "
                             "\"%.60s\" at y %d", app_screen_name(a->screen), d->text, d->y);
                    return false;
                }
            }
            return true;
        }
    }
    if (first)
        snprintf(why, cap, "screen %s is not named where it stays: no title in the bar or over the list (its first "
                 "heading, \"%.60s\", is at y %d, in the part that scrolls from y %d)", app_screen_name(a->screen),
                 first->text, first->y, top);
    else
        snprintf(why, cap, "screen %s is not named: no heading and no title%s%s%s", app_screen_name(a->screen),
                 module[0] ? " (nor \"" : "", module, module[0] ? "\" in its bottom bar)" : "");
    return false;
}

/* The first element of role whose text contains needle, or NULL. */
static const view_elem *find_elem(app *a, const char *args, char *why, size_t cap) {
    char word[32];
    int n = 0;
    view_role role;
    if (sscanf(args, "%31s %n", word, &n) != 1 || !role_from_name(word, &role)) {
        snprintf(why, cap, "expected ROLE TEXT");
        return NULL;
    }
    /* an element that says exactly this first (the key "v" before "Stor bokstav"), then one that contains it */
    for (size_t i = 0; i < a->view.n; i++)
        if (a->view.e[i].role == role && strcmp(a->view.e[i].text, args + n) == 0) return &a->view.e[i];
    for (size_t i = 0; i < a->view.n; i++)
        if (a->view.e[i].role == role && strstr(a->view.e[i].text, args + n)) return &a->view.e[i];
    snprintf(why, cap, "no %s \"%s\" on screen %s", word, args + n, app_screen_name(a->screen));
    return NULL;
}

static int keylog_fd = -1; /* `keylog FILE`: tap-keys writes how many keys it has had handled, after each */

static void tap_at(app *a, int x, int y) {
    push_mouse(SDL_MOUSEMOTION, x, y, 0);
    push_mouse(SDL_MOUSEBUTTONDOWN, x, y, SDL_BUTTON_LEFT);
    push_mouse(SDL_MOUSEBUTTONUP, x, y, SDL_BUTTON_LEFT);
    pump(a);
}

/* A key's press as SDL delivers it (the caller sets repeat, or turns it into the release). */
static SDL_Event key_event(SDL_Keycode k, Uint16 mod) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(k);
    e.key.keysym.mod = mod;
    return e;
}

/* `type-keys TEXT`: TEXT as a hardware keyboard types it, a character at a time: the key's press, its text
 * (SDL_TEXTINPUT), the key's release, in SDL's order. The keycode is the character's own (SDL's keycodes are the
 * characters a layout's keys type: a letter's lower case with shift held for a capital, æ ø å as theirs); a
 * character no key of a plain layout types («, €) comes as its text alone, as an input method sends it. "\n" is
 * Return, which sends no text; no text is sent while text input is off, as SDL does. Unlike `type`, every character counts: a leading space too. */
static void type_keys(app *a, const char *text) {
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        SDL_Keycode k = SDLK_UNKNOWN;
        Uint16 mod = KMOD_NONE;
        char ch[8] = "";
        if (text[i] == '\\' && text[i + 1] == 'n') {
            k = SDLK_RETURN;
            i += 2;
        } else {
            size_t st = i;
            uint32_t c = utf8_next(text, n, &i);
            memcpy(ch, text + st, i - st < sizeof ch ? i - st : sizeof ch - 1);
            uint32_t lower = c;
            if ((c >= 'A' && c <= 'Z') || c == 0xC5 || c == 0xC6 || c == 0xD8) { /* A–Z, Å Æ Ø */
                lower = c + 0x20;
                mod = KMOD_LSHIFT;
            }
            if ((lower >= ' ' && lower < 0x7F) || lower == 0xE5 || lower == 0xE6 || lower == 0xF8)
                k = (SDL_Keycode)lower;
        }
        SDL_Event e = key_event(k, mod);
        if (k != SDLK_UNKNOWN) SDL_PushEvent(&e);
        if (ch[0] && SDL_IsTextInputActive()) { /* SDL sends text only while text input is on */
            SDL_Event te;
            memset(&te, 0, sizeof te);
            te.type = SDL_TEXTINPUT;
            memcpy(te.text.text, ch, strlen(ch));
            SDL_PushEvent(&te);
        }
        if (k != SDLK_UNKNOWN) {
            e.type = SDL_KEYUP;
            e.key.state = SDL_RELEASED;
            SDL_PushEvent(&e);
        }
        pump(a);
    }
}

/* A finger's tap as a touch screen gives it: the finger's own events, and SDL's mouse made from them in between. */
static void touch_at(app *a, int x, int y) {
    SDL_Event e;
    for (int i = 0; i < 4; i++) {
        memset(&e, 0, sizeof e);
        if (i == 0 || i == 2) {
            e.type = i == 0 ? SDL_FINGERDOWN : SDL_FINGERUP;
            e.tfinger.touchId = 1;
            e.tfinger.fingerId = 1;
            e.tfinger.x = (float)x / (float)a->w;
            e.tfinger.y = (float)y / (float)a->h;
            SDL_PushEvent(&e);
        } else {
            push_mouse(i == 1 ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP, x, y, SDL_BUTTON_LEFT);
        }
    }
    pump(a);
}

/* The on-screen key of this kind (and text, for KB_CHAR) on the keyboard as it is now drawn, or -1. */
static int find_key(kb_kind kind, const char *text) {
    const kb *kbd = editor_keyboard();
    for (int i = 0; i < kbd->n; i++)
        if (kbd->keys[i].kind == kind && (kind != KB_CHAR || strcmp(kbd->keys[i].text, text) == 0)) return i;
    return -1;
}

/* `tap-keys TEXT`: types TEXT by tapping the on-screen keys, as a patient would: switching to the symbols
 * layer or tapping shift when a character needs it. "\n" in TEXT is the new-line key. Every tap is a real
 * pointer event at the key's centre, so what is drawn is what is hit. */
static bool tap_keys(app *a, const char *text, char *why, size_t cap) {
    size_t n = strlen(text);
    const kb *kbd = editor_keyboard();
    for (size_t i = 0; i < n;) {
        if (a->screen != SCREEN_WRITE) {
            snprintf(why, cap, "tap-keys: no keyboard on screen %s", app_screen_name(a->screen));
            return false;
        }
        char ch[8] = "";
        kb_kind kind = KB_CHAR;
        if (text[i] == '\\' && text[i + 1] == 'n') {
            kind = KB_ENTER;
            i += 2;
        } else if (text[i] == ' ') {
            kind = KB_SPACE;
            i++;
        } else {
            size_t st = i;
            utf8_next(text, n, &i);
            snprintf(ch, sizeof ch, "%.*s", (int)(i - st), text + st);
        }
        int k = -1;
        for (int attempt = 0; attempt < 16 && k < 0; attempt++) {
            if (a->dirty) app_draw(a, true);
            k = find_key(kind, ch);
            if (k >= 0) break;
            /* not on this layer or in this case: shift (twice at most: once, caps lock, back to lower case, so a
             * lower-case letter at a sentence's start is reached too), then the other layer */
            int half = find_key(KB_HALF, ""), j = half >= 0 ? attempt / 2 : attempt;
            int sw = half >= 0 && attempt % 2 == 0 ? half /* a phone's keyboard: the other half first */
                     : j % 3 != 2 && !kbd->symbols ? find_key(KB_SHIFT, "")
                                                   : find_key(KB_LAYER, "");
            if (sw < 0) break;
            tap_at(a, kbd->keys[sw].x + kbd->keys[sw].w / 2, kbd->keys[sw].y + kbd->keys[sw].h / 2);
        }
        if (k < 0) {
            snprintf(why, cap, "tap-keys: no key types \"%s\"", kind == KB_CHAR ? ch : kind == KB_SPACE ? " " : "\\n");
            return false;
        }
        const kb_key *key = &kbd->keys[k];
        tap_at(a, key->x + key->w / 2, key->y + key->h / 2);
        if (keylog_fd >= 0) {
            /* the key has been handled (and its draft saved) when tap_at returns; a kill after this line is
             * written must find the key in the draft */
            char line[32];
            editor_info ei;
            editor_info_get(&ei);
            int len = snprintf(line, sizeof line, "%zu\n", utf8_count(ei.text, ei.len));
            if (write(keylog_fd, line, (size_t)len) != len) return false;
        }
    }
    return true;
}

static bool overlaps(const view_elem *p, const view_elem *q) {
    return p->x < q->x + q->w && q->x < p->x + p->w && p->y < q->y + q->h && q->y < p->y + p->h;
}

/* `tolerate KIND`: a defect known and not yet fixed that an older script must walk past (issue 13's checks found
 * them after those scripts were written). Each pass is said on standard error, so it is not forgotten. */
static bool tolerate_ellipsis, tolerate_cut, tolerate_words, tolerate_split;

/* Text a list draws as its marker (pagelayout.c's marker_for): a bullet, a dash, or a number and its point. Other
 * text no element describes (the screen under a dialog, which the dialog's element covers) is no marker: the
 * kiosk's «Er du fortsatt her?» over a page failed as «"Dette" … runs into "begynner"». */
static bool list_marker(const char *s) {
    if (strcmp(s, "\u2022") == 0 || strcmp(s, "\u2013") == 0) return true;
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= 3 && (s[n] == '\0' || (s[n] == '.' && s[n + 1] == '\0'));
}

static bool tolerated(bool kind, const char *why) {
    if (kind) fprintf(stderr, "meistring: tolerated (a known defect): %s\n", why);
    return kind;
}

/* Whether a character belongs to a word, for check-words: letters and digits, not spaces, punctuation or symbols
 * (the Latin-1 signs, general punctuation, «…», dashes). */
static bool word_char(uint32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return false;
    return !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F);
}

/* Letters of the word piece that ends s[0..len) (from its last non-letter), soft hyphens not counted. */
static int piece_before(const char *s, size_t len) {
    int n = 0;
    for (size_t i = len; i > 0;) {
        i = utf8_prev(s, i);
        size_t j = i;
        uint32_t cp = utf8_next(s, len, &j);
        if (cp == 0xAD) continue;
        if (!word_char(cp)) break;
        n++;
    }
    return n;
}

static int piece_after(const char *s) {
    int n = 0;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp == 0xAD) continue;
        if (!word_char(cp)) break;
        n++;
    }
    return n;
}

/* No word broken without a hyphen (a line that ends inside a word, not after a '-', '/' or dash of its own), and
 * no hyphenated piece shorter than the rule: at least HYPH_LEFT_MIN letters before the hyphen and
 * HYPH_RIGHT_MIN after it. Judged from the lines as laid out this frame (view_breaks). */
static bool check_words(app *a, char *why, size_t cap) {
    if (a->dirty) app_draw(a, true);
    const view *v = &a->view;
    for (size_t i = 0; i < v->nb; i++) {
        const char *t = view_break_text(v, &v->b[i]);
        const char *sep = strchr(t, '\x1f');
        if (!sep) continue;
        size_t blen = (size_t)(sep - t);
        const char *after = sep + 1;
        if (!v->b[i].hyphen) {
            size_t k = utf8_prev(t, blen);
            uint32_t last = blen ? utf8_next(t, blen, &k) : ' ';
            if (last == '-' || last == '/' || last == 0xAD || last == 0x2013 || last == 0x2014) continue;
            snprintf(why, cap, "\"%.*s|%s\" on screen %s: a word broken without a hyphen", (int)blen, t, after,
                     app_screen_name(a->screen));
            if (tolerated(tolerate_words, why)) continue;
            return false;
        }
        int nb = piece_before(t, blen), na = piece_after(after);
        if (nb < HYPH_LEFT_MIN || na < HYPH_RIGHT_MIN) {
            snprintf(why, cap,
                     "\"%.*s-|%s\" on screen %s: hyphenated %d + %d letters (the rule: at least %d before, %d after)",
                     (int)blen, t, after, app_screen_name(a->screen), nb, na, HYPH_LEFT_MIN, HYPH_RIGHT_MIN);
            if (tolerated(tolerate_words, why)) continue;
            return false;
        }
    }
    return true;
}

/* The smallest element whose bounds hold the point, or NULL. */
static const view_elem *elem_at(const view *v, int x, int y) {
    const view_elem *best = NULL;
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if (x >= e->x && x < e->x + e->w && y >= e->y && y < e->y + e->h &&
            (!best || (long)e->w * e->h < (long)best->w * best->h))
            best = e;
    }
    return best;
}

/* `{key}` in a step is the interface text of that key in the language the client runs in (up to its first
 * `{1}`, trimmed), as tests/golden/run.py fills it in: one script serves bokmål, nynorsk and English
 * (`--lang`). A brace that names no key is left as it is. */
static void fill_keys(const app *a, char *line, size_t cap) {
    char out[MS_SCRIPT_MAX_LINE];
    size_t o = 0;
    for (const char *c = line; *c && o + 1 < sizeof out;) {
        size_t k = *c == '{' ? strspn(c + 1, "abcdefghijklmnopqrstuvwxyz0123456789_.") : 0;
        char key[128];
        if (k > 0 && k < sizeof key && c[1 + k] == '}') {
            memcpy(key, c + 1, k);
            key[k] = '\0';
            if (i18n_has(a->tr, key)) {
                const char *v = app_tr(a, key), *end = strstr(v, "{1}");
                size_t n = end ? (size_t)(end - v) : strlen(v);
                while (n && v[n - 1] == ' ')
                    n--;
                if (o + n >= sizeof out) break;
                memcpy(out + o, v, n);
                o += n;
                c += k + 2;
                continue;
            }
        }
        out[o++] = *c++;
    }
    out[o] = '\0';
    snprintf(line, cap, "%s", out);
}

static bool ends_with_ellipsis(const char *s) {
    size_t n = strlen(s), e = strlen("…");
    return n >= e && strcmp(s + n - e, "…") == 0;
}

/* The text as drawn against the elements that describe it (the renderer's log of one fresh frame): no text cut
 * by the box it is drawn in, none spilling out of its element, none shortened with «…» when its element says
 * more. A text's box is its font's line box, whose top and bottom hold only accents and descenders:
 * MS_LAYOUT_CHECK_SLACK_PCT of its height may stick out. A clip that is the scrolling area may cut text
 * (scrolled half out of view). */
static bool check_text_fit(app *a, char *why, size_t cap) {
    if (a->dirty) app_draw(a, false); /* settled (a list clamped to its end), so the logged frame is drawn once */
    ren_log(a->rn, true);
    app_draw(a, false);
    ren_log(a->rn, false);
    SDL_RenderPresent(a->sdl);
    const ren_drawn *d;
    size_t n = ren_logged(a->rn, &d);
    const view *v = &a->view;
    for (size_t i = 0; i < n; i++) {
        int sv = d[i].h * MS_LAYOUT_CHECK_SLACK_PCT / 100 + 1, sh = 2;
        int x0 = d[i].x, y0 = d[i].y, x1 = d[i].x + d[i].w, y1 = d[i].y + d[i].h;
        int cx0 = 0, cy0 = 0, cx1 = a->w, cy1 = a->h;
        if (d[i].clip_on) {
            cx0 = d[i].clip.x;
            cy0 = d[i].clip.y;
            cx1 = d[i].clip.x + d[i].clip.w;
            cy1 = d[i].clip.y + d[i].clip.h;
        }
        /* what shows of it */
        int vx0 = x0 > cx0 ? x0 : cx0, vy0 = y0 > cy0 ? y0 : cy0, vx1 = x1 < cx1 ? x1 : cx1, vy1 = y1 < cy1 ? y1 : cy1;
        if (vx0 < 0) vx0 = 0;
        if (vy0 < 0) vy0 = 0;
        if (vx1 > a->w) vx1 = a->w;
        if (vy1 > a->h) vy1 = a->h;
        /* nothing shows, or only the empty top or bottom of its line box: an element with no room says so itself.
         * A line that shows while its text lies wholly beside the window or its box is cut all the same (a list's
         * number pushed past the screen's edge): the test below says so. */
        if (vy1 - vy0 <= sv) continue;
        if (vx1 <= vx0) vx0 = vx1 = x0 < cx0 ? cx0 : cx1;
        const view_elem *e = elem_at(v, (vx0 + vx1) / 2, (vy0 + vy1) / 2);
        /* cut at the top or bottom of a scrolling area: its element is described as cut too (view_clip) */
        bool scrolled =
            (e && e->clipped) || (!e && d[i].clip_on && cy0 <= a->content_top + 1 && cy1 >= a->content_bottom - 1);
        if (x0 < cx0 - sh || x1 > cx1 + sh || ((y0 < cy0 - sv || y1 > cy1 + sv) && !scrolled)) {
            snprintf(why, cap, "text \"%s\" at [%d %d %d %d] is cut by %s [%d %d %d %d]", d[i].text, x0, y0, d[i].w,
                     d[i].h, d[i].clip_on ? "its box" : "the window", cx0, cy0, cx1 - cx0, cy1 - cy0);
            if (tolerated(tolerate_cut, why)) continue;
            return false;
        }
        if (!e) {
            if (!list_marker(d[i].text)) continue;
            /* decoration (a list's number or bullet, a chevron) is described by no element, so the tests below
             * do not see it; it must not run into the text beside it on its line either (a marker wider than its
             * indent). Beside it: sharing more than half the height of the shorter of the two where they show (a
             * tall font's line boxes overlap the lines above and below by their accents and descenders) */
            for (size_t k = 0; k < n; k++) {
                const ren_drawn *o = &d[k];
                /* what shows of each: a line cut at a bar does not run into the bar's buttons */
                SDL_Rect me = {vx0, vy0, vx1 - vx0, vy1 - vy0}, them = {o->x, o->y, o->w, o->h};
                SDL_Rect win = {0, 0, a->w, a->h};
                if (k == i || (o->clip_on && !SDL_IntersectRect(&them, &o->clip, &them)) ||
                    !SDL_IntersectRect(&them, &win, &them))
                    continue;
                int top = me.y > them.y ? me.y : them.y;
                int bottom = me.y + me.h < them.y + them.h ? me.y + me.h : them.y + them.h;
                int shorter = me.h < them.h ? me.h : them.h;
                if (me.x + sh >= them.x + them.w || me.x + me.w - sh <= them.x || bottom - top <= sv ||
                    2 * (bottom - top) <= shorter || !elem_at(v, them.x + them.w / 2, them.y + them.h / 2))
                    continue;
                snprintf(why, cap, "\"%s\" at [%d %d %d %d], drawn for no element (a list's marker), runs into \"%s\"",
                         d[i].text, x0, y0, d[i].w, d[i].h, o->text);
                if (tolerated(tolerate_cut, why)) break;
                return false;
            }
            continue;
        }
        /* a chosen answer's tick (view_mark) over its own words: a label that wrapped ran under it (issue 13's
         * audit, ui_choice); a line's box may touch it by its accents and descenders */
        if (e->mw > 0 && vx0 + sh < e->mx + e->mw && vx1 - sh > e->mx && vy0 + sv < e->my + e->mh &&
            vy1 - sv > e->my) {
            snprintf(why, cap, "the tick at [%d %d %d %d] on %s \"%.50s\" covers its words \"%s\" at [%d %d %d %d]",
                     e->mx, e->my, e->mw, e->mh, view_role_name(e->role), e->text, d[i].text, x0, y0, d[i].w, d[i].h);
            return false;
        }
        /* (a toast, or a glossary explanation, covers what is drawn on purpose: the text under it is not its
         * text, and says so by not being part of it) */
        bool covered = false;
        for (size_t k = 0; k < v->n && !covered; k++) {
            const view_elem *o = &v->e[k];
            covered = o->role == ROLE_STATUS && !strstr(o->text, d[i].text) && vx0 < o->x + o->w && vx1 > o->x &&
                      vy0 < o->y + o->h && vy1 > o->y;
        }
        /* a dialog over the screen (the kiosk's «Er du fortsatt her?»): the text is an earlier element's, and e,
         * added after it, lies on top of it; or the screen under a dialog is not described at all (its taps go to
         * the dialog), and no element says the text */
        if (!covered && !strstr(e->text, d[i].text)) {
            bool owned = false;
            for (size_t k = 0; k < v->n && !covered; k++) {
                const view_elem *o = &v->e[k];
                /* said by o as a word of its own, or a word's start: «er» of a page under a dialog is not said by
                 * «Er du fortsatt her?» (its «her») */
                const char *at = o->text;
                while ((at = strstr(at, d[i].text)) && at != o->text && at[-1] != ' ')
                    at++;
                if (!at) continue;
                owned = true;
                covered = k < (size_t)(e - v->e) && vx0 < o->x + o->w && vx1 > o->x && vy0 < o->y + o->h && vy1 > o->y;
            }
            covered = covered || !owned;
        }
        /* an element described as cut (view_clip: the list's edge, what an explanation's box hides) has only its
         * visible part as bounds: its lines may run on under the cut */
        bool spills_v = !e->clipped && (vy0 < e->y - sv || vy1 > e->y + e->h + sv);
        if (!a->toast[0] && !covered && (vx0 < e->x - sh || vx1 > e->x + e->w + sh || spills_v)) {
            snprintf(why, cap, "text \"%s\" at [%d %d %d %d] does not fit its %s \"%.50s\" [%d %d %d %d]", d[i].text,
                     vx0, vy0, vx1 - vx0, vy1 - vy0, view_role_name(e->role), e->text, e->x, e->y, e->w, e->h);
            if (tolerated(tolerate_cut, why)) continue;
            return false;
        }
        /* shortened is fine where a tap shows the whole text (the bar's title, the editor's question) */
        bool whole_one_tap =
            e->action == ACT_SHOW_TITLE || e->action == ACT_WRITE_TITLE || e->action == ACT_TOAST_WHOLE;
        if (ends_with_ellipsis(d[i].text) && !ends_with_ellipsis(e->text) && !strstr(e->text, d[i].text) &&
            !whole_one_tap) {
            snprintf(why, cap, "\"%s\" is drawn for %s \"%.60s\": shortened with an ellipsis, no room for it",
                     d[i].text, view_role_name(e->role), e->text);
            if (tolerated(tolerate_ellipsis, why)) continue;
            return false;
        }
    }
    return true;
}

/* Whether a page's heading, drawn on n_lines lines, could not be set at the body's size at all, so the layout was
 * right to set it smaller (config.h, MS_LAYOUT_HEADING_MIN_BODY_PCT): as many lines of the body's line box are
 * taller than a screen of paged reading, or one of its words is wider than its column at the body's size with the
 * patient's spacing (it would be cut inside). Worked out here, not asked of the layout. */
/* Whether a word of text cannot be set in w at style st even at its hyphenation points, as the layout breaks a
 * word (layout.c, hyphenate_piece): from its front, the longest part that fits with its hyphen, at least
 * HYPH_LEFT_MIN letters at the word's front and HYPH_RIGHT_MIN in its middle («ne-» of «Ekspo-ne-rings-» is no
 * piece). Such a text ui_text sets smaller (fit_text); any other it sets at the size asked. */
static bool word_wider_than(app *a, const char *text, int st, int w) {
    int hy = ren_measure(a->rn, st, "-", 1);
    for (const char *word = text; *word;) {
        size_t n = strcspn(word, " "), from = 0;
        hyph_break br[64];
        int nb = n ? hyph_breaks(a->hyph, word, n, br, 64) : 0;
        while (from < n && ren_measure(a->rn, st, word + from, n - from) > w) {
            int k = nb - 1;
            while (k >= 0 && (br[k].end <= from || br[k].resume - from >= n - from ||
                              (int)utf8_count(word + from, br[k].end - from) < (from ? HYPH_RIGHT_MIN : HYPH_LEFT_MIN) ||
                              ren_measure(a->rn, st, word + from, br[k].end - from) + hy > w))
                k--;
            if (k < 0) return true;
            from = br[k].resume;
        }
        word += n;
        word += strspn(word, " ");
    }
    return false;
}

static bool heading_cannot_be_body_size(app *a, const view_elem *e, int n_lines, int body_line) {
    /* another screen's heading in its column (an exercise's title, «Eksponeringsdagbok» at 400 % on a 320 dp
     * phone: «nerings-» is wider than 288 px at the patient's size), laid out by ui_text at the body's size and
     * set smaller only where a word would not fit even at its hyphenation points */
    if (a->screen != SCREEN_PAGE) {
        int st = ren_style(a->rn, REN_BOLD, pages_read_px(a, DP_BODY));
        /* a phone number (digits in groups: «116 117» on «Hjelp nå») is never broken, and sits on a card: set
         * smaller where at the body's size it is wider than a card in the column (32 dp of padding) */
        if (e->text[0] && strspn(e->text, "0123456789 \xc2\xa0") == strlen(e->text) &&
            ren_measure(a->rn, st, e->text, strlen(e->text)) > chrome_column(a) - app_px(a, 32))
            return true;
        return word_wider_than(a, e->text, st, chrome_column(a));
    }
    if (a->page_room > 0 && n_lines * body_line > a->page_room) return true;
    int px = pages_read_px(a, DP_BODY), st = ren_style_family(a->rn, pages_family(a), REN_BOLD, px);
    int ls = px * a->set.letter_pct / 100;
    for (const char *w = e->text; *w;) {
        size_t n = strcspn(w, " ");
        if (n && ren_measure(a->rn, st, w, n) + (int)utf8_count(w, n) * ls > e->w) return true;
        w += n;
        w += strspn(w, " ");
    }
    return false;
}

/* No heading smaller than the body text it heads (issue 13): at 200–400 % with the widest spacing a page's heading
 * was set at 60–90 % of the body to fit a screen, and an exercise's title at the interface's capped size over
 * answers at the patient's. Judged on the frame check_text_fit logged, in the screen's content (the bars keep a
 * capped type of their own): every heading's line box against the body's — the line box most of the text on screen
 * is drawn in (a caption or a note in smaller type is not the body) — allowing MS_LAYOUT_CHECK_HEADING_SLACK_PCT
 * (a bold face's line box may be a pixel or two less than the regular's at the same size). A page's heading that
 * could not be set at the body's size at all is let through (heading_cannot_be_body_size). */
/* Whether text has a letter (ASCII, or æ ø å and the other Latin-1 letters: UTF-8 C3 80–BF but × and ÷): a PIN's
 * dashes, dots and digits have none. */
static bool has_letter(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') return true;
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF && p[1] != 0x97 && p[1] != 0xB7) return true;
    return false;
}

static bool check_heading_size(app *a, char *why, size_t cap) {
    const view *v = &a->view;
    int top = a->screen == SCREEN_PAGE ? a->content_top : v->area_top;
    int bottom = a->screen == SCREEN_PAGE ? a->content_bottom : v->area_bottom;
    if (top < 0 || bottom <= top) return true; /* no content area to judge (a screen of keys and a field) */
    /* «Lesehjelp»'s preview is the page at the patient's size under the interface's headings, which head settings,
     * not it */
    if (a->screen == SCREEN_AIDS) return true;
    const ren_drawn *d;
    size_t n = ren_logged(a->rn, &d);
    enum { SIZES = 32 };
    int size_h[SIZES], size_n[SIZES], sizes = 0;
    for (size_t i = 0; i < n; i++) {
        int cy = d[i].y + d[i].h / 2;
        if (cy < top || cy >= bottom || d[i].h <= 0) continue;
        const view_elem *e = elem_at(v, d[i].x + d[i].w / 2, cy);
        if (!e || (e->role != ROLE_TEXT && e->role != ROLE_FIELD)) continue; /* a field's label is a form's question */
        if (e->role == ROLE_FIELD && !has_letter(d[i].text)) continue; /* a pad's code in its own large type */
        int k = 0;
        while (k < sizes && size_h[k] != d[i].h)
            k++;
        if (k == sizes && sizes < SIZES) {
            size_h[sizes] = d[i].h;
            size_n[sizes++] = 0;
        }
        if (k < sizes) size_n[k]++;
    }
    int body = 0, most = 0;
    for (int k = 0; k < sizes; k++)
        if (size_n[k] > most || (size_n[k] == most && size_h[k] > body)) {
            most = size_n[k];
            body = size_h[k];
        }
    if (!body) return true;
    for (size_t i = 0; i < n; i++) {
        int cy = d[i].y + d[i].h / 2;
        if (cy < top || cy >= bottom || d[i].h <= 0 || d[i].h * 100 >= body * (100 - MS_LAYOUT_CHECK_HEADING_SLACK_PCT))
            continue;
        const view_elem *e = elem_at(v, d[i].x + d[i].w / 2, cy);
        if (!e || e->role != ROLE_HEADING || e->action || e->y < top - 1) continue;
        int lines = 0, last_y = -(1 << 30); /* the heading's lines: its pieces drawn at as many heights */
        for (size_t k = 0; k < n; k++)
            if (d[k].y != last_y && elem_at(v, d[k].x + d[k].w / 2, d[k].y + d[k].h / 2) == e) {
                lines++;
                last_y = d[k].y;
            }
        if (heading_cannot_be_body_size(a, e, lines, body)) continue;
        snprintf(why, cap, "heading \"%.60s\" is drawn on a line of %d px, smaller than the body text's %d px on this screen",
                 e->text, d[i].h, body);
        return false;
    }
    return true;
}

/* `expect-read-size DP ROLE TEXT`: that element's text is drawn at DP at the patient's reading size (pages_read_px:
 * to 400 %), not at the interface's (capped at 200 %; on a 360 dp phone 135 %): every piece of it on screen in a
 * fresh frame is in a line box at least as tall as that size's, less MS_LAYOUT_CHECK_HEADING_SLACK_PCT, or down to
 * MS_LAYOUT_SHRINK_MIN_PCT of it where a word of it is wider than the column even at its hyphenation points (ui_text
 * sets such a text smaller: «Behandleren» at 400 % on a 360 dp phone). Issue 13: a list screen's own text stopped at
 * the interface's cap. */
static bool expect_read_size(app *a, const char *args, char *why, size_t cap) {
    int dp = 0, n = 0;
    if (sscanf(args, "%d %n", &dp, &n) != 1 || dp <= 0) {
        snprintf(why, cap, "expected DP ROLE TEXT");
        return false;
    }
    if (a->dirty) app_draw(a, false);
    ren_log(a->rn, true);
    app_draw(a, false);
    ren_log(a->rn, false);
    SDL_RenderPresent(a->sdl);
    const view_elem *e = find_elem(a, args + n, why, cap);
    if (!e) return false;
    int px = pages_read_px(a, dp), want = ren_line_skip(a->rn, ren_style(a->rn, REN_REGULAR, px)), least = 1 << 30;
    const ren_drawn *d;
    size_t nd = ren_logged(a->rn, &d), pieces = 0;
    for (size_t i = 0; i < nd; i++)
        if (elem_at(&a->view, d[i].x + d[i].w / 2, d[i].y + d[i].h / 2) == e) {
            pieces++;
            if (d[i].h < least) least = d[i].h;
        }
    int pct = word_wider_than(a, e->text, ren_style(a->rn, REN_REGULAR, px), chrome_column(a)) ? MS_LAYOUT_SHRINK_MIN_PCT
                                                                                                 : 100;
    if (pieces && least * 100 >= want * (pct - MS_LAYOUT_CHECK_HEADING_SLACK_PCT)) return true;
    snprintf(why, cap, "%s \"%.50s\" is drawn in lines of %d px, not at the reading size (%d px text, lines of %d px)",
             view_role_name(e->role), e->text, pieces ? least : 0, px, want);
    return false;
}

/* A text of several words laid out one word a line, MS_LAYOUT_CHECK_WORD_LINES lines running, each a short word
 * (MS_LAYOUT_CHECK_SHORT_LETTERS letters at most, no hyphen): its box is too narrow for its own text, though every
 * word fits it (a message's box kept its indent at 400 % on a 360 dp phone and read «Hei,» «jeg» «har» «det»). Judged
 * on the frame check_text_fit logged: ui_text draws a line word by word, a hyphen as a piece of its own. Not yet on
 * the reader's pages: one indented block of module 1's page 3 reads «det» «som» «kan» at 400 % on a 360 dp phone
 * (the reader's room to fix; ui.every.page.360x640.400.* would fail on it). */
static bool check_word_lines(app *a, char *why, size_t cap) {
    if (a->screen == SCREEN_PAGE) return true;
    const view *v = &a->view;
    const ren_drawn *d;
    size_t n = ren_logged(a->rn, &d);
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        if ((e->role != ROLE_TEXT && e->role != ROLE_STATUS && e->role != ROLE_CALLOUT) || !strchr(e->text, ' '))
            continue;
        int run = 0, line_y = 1 << 30, pieces = 0;
        bool short_word = false;
        char said[3 * 24] = "";
        for (size_t k = 0; k <= n; k++) {
            bool mine = k < n && elem_at(v, d[k].x + d[k].w / 2, d[k].y + d[k].h / 2) == e;
            if (k < n && !mine) continue;
            if (k == n || d[k].y != line_y) { /* a line ends: was it one short word? */
                run = pieces == 1 && short_word ? run + 1 : 0;
                if (run >= MS_LAYOUT_CHECK_WORD_LINES) {
                    snprintf(why, cap, "%s \"%.50s\" is laid out one word a line (%s…): its box is too narrow for it",
                             view_role_name(e->role), e->text, said);
                    return false;
                }
                if (!run) said[0] = '\0';
                if (k == n) break;
                line_y = d[k].y;
                pieces = 0;
            }
            int letters = 0;
            for (size_t b = 0, len = strlen(d[k].text); b < len;)
                letters += word_char(utf8_next(d[k].text, len, &b));
            pieces++;
            short_word = letters > 0 && letters <= MS_LAYOUT_CHECK_SHORT_LETTERS && strcmp(d[k].text, "-") != 0;
            if (pieces == 1 && strlen(said) + strlen(d[k].text) + 6 < sizeof said)
                snprintf(said + strlen(said), sizeof said - strlen(said), "«%s» ", d[k].text);
        }
    }
    return true;
}

/* Every element inside the window with room to show (a width and height above 0), every tappable one at least
 * 48 dp in both directions and not partly off screen, no two elements overlapping, and every text drawn fitting
 * its element (check_text_fit): what a person sees must not be clipped, covered or too small to hit. */
static bool check_layout(app *a, char *why, size_t cap) {
    if (!check_text_fit(a, why, cap) || !check_heading_size(a, why, cap) || !check_word_lines(a, why, cap)) return false;
    const view *v = &a->view;
    if (v->n_flat) {
        const view_elem *e = &v->flat;
        snprintf(why, cap, "%s \"%.60s\" at [%d %d %d %d] has no room (%d such element%s)", view_role_name(e->role),
                 e->text, e->x, e->y, e->w, e->h, v->n_flat, v->n_flat == 1 ? "" : "s");
        return false;
    }
    /* a message or a glossary explanation cut by its own box (not by a scrolling area's edge) shows only part of
     * what it says, unless the screen has a way to its other lines (the explanation's «Mer av forklaringen»): at
     * 400 % on a phone two lines of «ond sirkel» showed, the rest could not be reached, and this passed */
    int area_top = a->screen == SCREEN_PAGE ? a->content_top : v->area_top;
    int area_bottom = a->screen == SCREEN_PAGE ? a->content_bottom : v->area_bottom;
    bool has_more = false;
    for (size_t i = 0; i < v->n; i++)
        has_more = has_more || v->e[i].action == ACT_TERM_MORE;
    for (size_t i = 0; i < v->n && !has_more; i++) {
        const view_elem *e = &v->e[i];
        bool at_edge = area_top >= 0 && (e->y <= area_top + 1 || e->y + e->h >= area_bottom - 1);
        if (e->role != ROLE_STATUS || !e->clipped || at_edge) continue;
        snprintf(why, cap, "status \"%.60s\" at [%d %d %d %d] is cut by its box, and nothing shows the rest", e->text,
                 e->x, e->y, e->w, e->h);
        return false;
    }
    int min_target = app_px(a, 48) - 1;
    for (size_t i = 0; i < a->view.n; i++) {
        const view_elem *e = &a->view.e[i];
        if (e->x < 0 || e->y < 0 || e->x + e->w > a->w || e->y + e->h > a->h || e->w <= 0 || e->h <= 0) {
            snprintf(why, cap, "%s \"%.60s\" at [%d %d %d %d] is outside the %dx%d window", view_role_name(e->role),
                     e->text, e->x, e->y, e->w, e->h, a->w, a->h);
            return false;
        }
        /* a target cut by the scrolling edge is still its full size where it is drawn whole */
        bool cut = e->y <= a->content_top + 1 || e->y + e->h >= a->content_bottom - 1;
        if (e->action && (e->w < min_target || (e->h < min_target && !cut))) {
            snprintf(why, cap, "button \"%.60s\" is %dx%d px, smaller than 48 dp", e->text, e->w, e->h);
            return false;
        }
        for (size_t k = i + 1; k < a->view.n; k++) {
            if (overlaps(e, &a->view.e[k])) {
                snprintf(why, cap, "%s \"%.50s\" overlaps %s \"%.50s\"", view_role_name(e->role), e->text,
                         view_role_name(a->view.e[k].role), a->view.e[k].text);
                return false;
            }
        }
    }
    /* paged reading turns whole lines: a heading or a button cut at a screen's edge is split across a turn */
    reader_state rs;
    reader_state_get(&rs);
    if (a->screen == SCREEN_PAGE && strcmp(a->set.mode, "paged") == 0 && rs.screens > 0) {
        for (size_t i = 0; i < v->n; i++) {
            const view_elem *e = &v->e[i];
            if (!e->clipped || (e->role != ROLE_HEADING && !e->action) || e->y < a->content_top - 1 ||
                e->y + e->h > a->content_bottom + 1)
                continue;
            /* cut at the edge of a message or an explanation over the page: that is what hides the rest of it */
            const view_elem *over = NULL;
            int near = app_px(a, MS_LAYOUT_CHECK_COVER_DP);
            for (size_t k = 0; k < v->n && !over; k++) {
                const view_elem *o = &v->e[k];
                bool beside = o->x < e->x + e->w && e->x < o->x + o->w;
                if (o->role == ROLE_STATUS && o != e && beside &&
                    (abs(o->y - (e->y + e->h)) <= near || abs(e->y - (o->y + o->h)) <= near))
                    over = o;
            }
            if (over)
                snprintf(why, cap, "%s \"%.60s\" at [%d %d %d %d] is partly covered by the status \"%.40s\" [%d %d %d %d]",
                         view_role_name(e->role), e->text, e->x, e->y, e->w, e->h, over->text, over->x, over->y, over->w,
                         over->h);
            else
                snprintf(why, cap, "%s \"%.60s\" at [%d %d %d %d] is split across a screen turn",
                         view_role_name(e->role), e->text, e->x, e->y, e->w, e->h);
            if (tolerated(tolerate_split, why)) continue;
            return false;
        }
        /* and every screen shows some of the page: a screen of nothing but the space between two paragraphs
         * (a phone on its side at 400 %) is a turn for nothing, and looks as if the page had ended */
        bool shows = false;
        for (size_t i = 0; i < v->n && !shows; i++) {
            const view_elem *e = &v->e[i];
            shows = e->h > 0 && e->y < a->content_bottom && e->y + e->h > a->content_top;
        }
        /* an image's caption is drawn, not described (the image's own words say it): the frame check_text_fit
         * logged has it */
        const ren_drawn *d;
        size_t nd = ren_logged(a->rn, &d);
        for (size_t i = 0; i < nd && !shows; i++) {
            int y0 = d[i].y, y1 = d[i].y + d[i].h, sv = d[i].h * MS_LAYOUT_CHECK_SLACK_PCT / 100 + 1;
            if (d[i].clip_on) {
                if (d[i].clip.y > y0) y0 = d[i].clip.y;
                if (d[i].clip.y + d[i].clip.h < y1) y1 = d[i].clip.y + d[i].clip.h;
            }
            if (y0 < a->content_top) y0 = a->content_top;
            if (y1 > a->content_bottom) y1 = a->content_bottom;
            shows = y1 - y0 > sv;
        }
        if (!shows) {
            snprintf(why, cap, "screen %d of %d shows nothing of the page, only the space between the bars",
                     rs.screen + 1, rs.screens);
            return false;
        }
    }
    /* a target cut by the window's edge (the view cuts its bounds to what shows; the focus order keeps them
     * whole): sideways always, up or down where the screen cannot scroll it into view — it does not scroll, or a
     * list is at its end already (enrolment's «Koble til» at 1280 × 800 and 400 %, wrapped taller than the pad's
     * row, was cut by the window's bottom with the list at its end: the list's extent had the row's height) */
    bool scrolls = a->max_scroll > 0 || a->screen == SCREEN_PAGE;
    bool list = a->screen != SCREEN_PAGE;
    for (size_t k = 0; k < v->nf; k++) {
        const view_focus *f = &v->f[k];
        if (f->elem >= 0 && !v->e[f->elem].clipped) continue;
        bool side = f->x < 0 || f->x + f->w > a->w, end = f->y < 0 || f->y + f->h > a->h;
        bool stuck = list && ((f->y + f->h > a->h && a->scroll_list >= a->max_scroll) || (f->y < 0 && a->scroll_list <= 0));
        if (side || (end && (!scrolls || stuck))) {
            snprintf(why, cap, "button \"%.60s\" at [%d %d %d %d] is %s off the %dx%d screen", view_focus_text(v, f),
                     f->x, f->y, f->w, f->h, f->elem >= 0 ? "partly" : "wholly", a->w, a->h);
            return false;
        }
    }
    return true;
}

/* What is described must also be drawn: every text element must hold pixels of real ink, at 7:1 or more
 * against the background at the element's top-left corner. Catches text that is laid out but not painted
 * (a lost font, a clip, a colour equal to its background). */
/* The editor's field shows whole lines only: the top and bottom rows of its text area hold no ink but the caret's.
 * A line scrolled out over the field reaching in with its descenders, or the next line's top under the last
 * one, is a shard of the patient's words (seen at 400 % on a phone when the lines were tighter than the font's). */
static bool check_field_edges(app *a, SDL_Surface *s, char *why, size_t cap) {
    editor_info ei;
    editor_info_get(&ei);
    if (ei.field_w <= 0 || ei.field_h <= 4 || ei.anchor != ei.caret) return true; /* a selection lights its rows */
    const Uint32 *px = s->pixels;
    int pitch = s->pitch / 4, rows[4] = {ei.field_y, ei.field_y + 1, ei.field_y + ei.field_h - 2,
                                          ei.field_y + ei.field_h - 1};
    int bx = ei.field_x - 1, by = ei.field_y + ei.field_h / 2; /* the field's padding: its background */
    if (bx < 0 || by < 0 || bx >= a->w || by >= a->h) return true;
    Uint32 bg = px[by * pitch + bx];
    for (int r = 0; r < 4; r++) {
        int y = rows[r];
        if (y < 0 || y >= a->h) continue;
        /* clear of the frame's rounded corners (10 dp), which curve into a tight field's text area */
        int corner = app_px(a, 12);
        for (int x = ei.field_x + corner; x < ei.field_x + ei.field_w - corner && x < a->w; x++) {
            if (abs(x - ei.field_x - ei.caret_px) <= app_px(a, 4)) continue; /* the caret stands a line tall */
            Uint32 p = px[y * pitch + x];
            double c = color_contrast((p & 0xFFFFFF) << 8 | 0xFF, (bg & 0xFFFFFF) << 8 | 0xFF);
            if (c > 1.5) {
                snprintf(why, cap, "the field shows part of a line: ink #%06X at (%d, %d), on the %s edge of its text "
                         "area [%d %d %d %d]", (unsigned)(p & 0xFFFFFF), x, y, r < 2 ? "top" : "bottom", ei.field_x,
                         ei.field_y, ei.field_w, ei.field_h);
                return false;
            }
        }
    }
    return true;
}

static bool check_ink(app *a, char *why, size_t cap) {
    app_draw(a, false);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || SDL_RenderReadPixels(a->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
        snprintf(why, cap, "cannot read the screen: %s", SDL_GetError());
        SDL_FreeSurface(s);
        return false;
    }
    bool ok = true;
    reader_state rs;
    reader_state_get(&rs);
    for (size_t i = 0; i < a->view.n && ok; i++) {
        const view_elem *e = &a->view.e[i];
        if (e->role != ROLE_TEXT && e->role != ROLE_HEADING && e->role != ROLE_CALLOUT) continue;
        /* a part cut by the scrolling edge may hold only the space between lines: judge it when a good part
         * of it shows (check-all-pages shows every part of a page in some screen) */
        if (e->w < 4 || !e->text[0]) continue;
        if (e->clipped && e->h < (a->content_bottom - a->content_top) / 3) continue;
        /* under the focus ruler's veil text is meant to recede: judge what the ruler leaves clear */
        if (rs.focus_top >= 0 && a->screen == SCREEN_PAGE && e->y >= a->content_top &&
            (e->y + e->h <= rs.focus_top || e->y >= rs.focus_bottom))
            continue;
        const Uint32 *px = s->pixels;
        int pitch = s->pitch / 4;
        /* the background is the commonest colour in the element (a corner may fall on a glyph) */
        Uint32 seen[16] = {0};
        int count[16] = {0}, kinds = 0;
        for (int y = e->y; y < e->y + e->h && y < a->h; y += 3)
            for (int x = e->x; x < e->x + e->w && x < a->w; x += 3) {
                Uint32 p = px[y * pitch + x];
                int k = 0;
                while (k < kinds && seen[k] != p)
                    k++;
                if (k == kinds && kinds < 16) seen[kinds++] = p;
                if (k < kinds) count[k]++;
            }
        Uint32 bg = seen[0];
        for (int k = 1; k < kinds; k++)
            if (count[k] > count[0]) {
                count[0] = count[k];
                bg = seen[k];
            }
        double best = 1.0;
        Uint32 best_px = bg;
        for (int y = e->y; y < e->y + e->h && y < a->h; y += 1)
            for (int x = e->x; x < e->x + e->w && x < a->w; x += 1) {
                Uint32 p = px[y * pitch + x];
                if (p == bg) continue;
                double r = color_contrast((p & 0xFFFFFF) << 8 | 0xFF, (bg & 0xFFFFFF) << 8 | 0xFF);
                if (r > best) {
                    best = r;
                    best_px = p;
                }
            }
        if (best < 7.0) {
            ok = false;
            snprintf(why, cap, "%s \"%.60s\" at [%d %d %d %d]: strongest ink #%06X on #%06X is %.1f:1 (needs 7:1)",
                     view_role_name(e->role), e->text, e->x, e->y, e->w, e->h, (unsigned)(best_px & 0xFFFFFF),
                     (unsigned)(bg & 0xFFFFFF), best);
        }
    }
    if (ok && a->screen == SCREEN_WRITE) ok = check_field_edges(a, s, why, cap);
    SDL_FreeSurface(s);
    SDL_RenderPresent(a->sdl);
    return ok;
}

/* The focus ring as drawn, read back from the screen: on at least three sides of the focused control, a band of
 * 3 px or more in the text's ink, which stands at 7:1 or more against the page (WCAG 2.4.13 asks 3:1 and 2 px). */
/* describe's extra members: obj (freed here) added as member `name` to the JSON object in set, whose last byte is
 * its closing brace, when it fits. */
static void set_member(char *set, size_t cap, const char *name, cJSON *obj) {
    char *j = cJSON_PrintUnformatted(obj);
    size_t used = strlen(set);
    if (j && used > 0 && used + strlen(name) + strlen(j) + 8 < cap)
        snprintf(set + used - 1, cap - used + 1, ", \"%s\": %s}", name, j);
    free(j);
    cJSON_Delete(obj);
}

/* {"text": …, "bounds": [x, y, w, h]}: what an element is and where (the focus, the element being said). */
static cJSON *text_box(const char *text, int x, int y, int w, int h) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", text);
    int b[4] = {x, y, w, h};
    cJSON_AddItemToObject(o, "bounds", cJSON_CreateIntArray(b, 4));
    return o;
}

static bool check_ring(app *a, const keynav_info *kf, char *why, size_t cap) {
    app_draw(a, false);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || SDL_RenderReadPixels(a->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
        snprintf(why, cap, "cannot read the screen: %s", SDL_GetError());
        SDL_FreeSurface(s);
        return false;
    }
    Uint32 ink = a->th->ink[INK_TEXT] >> 8;
    const Uint32 *px = s->pixels;
    int pitch = s->pitch / 4, reach = app_px(a, 16);
    /* from the middle of each side outwards: the longest run of the ring's ink */
    int sx[4] = {kf->x + kf->w / 2, kf->x + kf->w / 2, kf->x - 1, kf->x + kf->w};
    int sy[4] = {kf->y - 1, kf->y + kf->h, kf->y + kf->h / 2, kf->y + kf->h / 2};
    int dx[4] = {0, 0, -1, 1}, dy[4] = {-1, 1, 0, 0};
    int sides = 0, runs[4];
    for (int k = 0; k < 4; k++) {
        int best = 0, run = 0;
        for (int i = 0; i < reach; i++) {
            int x = sx[k] + dx[k] * i, y = sy[k] + dy[k] * i;
            if (x < 0 || y < 0 || x >= a->w || y >= a->h) break;
            run = (px[y * pitch + x] & 0xFFFFFF) == ink ? run + 1 : 0;
            if (run > best) best = run;
        }
        runs[k] = best;
        if (best >= 3) sides++;
    }
    double contrast = color_contrast(a->th->ink[INK_TEXT], a->th->ink[INK_BG]);
    SDL_FreeSurface(s);
    SDL_RenderPresent(a->sdl);
    if (sides >= 3 && contrast >= 7.0) return true;
    snprintf(why, cap, "the focus ring around \"%.60s\" is %d/%d/%d/%d px (top, bottom, left, right) at %.1f:1; needs 3 px on "
             "three sides at 7:1", kf->text ? kf->text : "", runs[0], runs[1], runs[2], runs[3], contrast);
    return false;
}

/* A scale's steps on the exercise screen (issue 13, deliverable 7: «scales keep one row, or two aligned rows, at
 * every size»): a field's scale (ACT_EX_VALUE on a scale field) and a table cell's number buttons (ACT_EX_CELL_NUM,
 * one group a cell) each on at most two rows, every button of the second in a column of the first (same x and
 * width). Judged on the focus order, which has every button whole, on screen or scrolled away. */
static bool check_scales(app *a, char *why, size_t cap) {
    const doc_block *b = exercise_block(a);
    if (!b) return true;
    const view *v = &a->view;
    for (size_t i = 0; i < v->nf; i++) {
        const view_focus *f = &v->f[i];
        int field = f->arg >> 12, key;
        if (f->action == ACT_EX_VALUE && field >= 0 && (size_t)field < b->n_fields &&
            b->fields[field].type == DOC_FIELD_SCALE)
            key = field;
        else if (f->action == ACT_EX_CELL_NUM)
            key = f->arg >> 8; /* the cell: field, row and column (exercise.c, cell_arg) */
        else
            continue;
        bool first = true; /* each scale once, from its first button */
        for (size_t k = 0; k < i && first; k++)
            first = !(v->f[k].action == f->action &&
                      (f->action == ACT_EX_VALUE ? v->f[k].arg >> 12 : v->f[k].arg >> 8) == key);
        if (!first) continue;
        int rows = 1, row2_y = 0;
        for (size_t k = i + 1; k < v->nf; k++) {
            const view_focus *o = &v->f[k];
            if (o->action != f->action || (f->action == ACT_EX_VALUE ? o->arg >> 12 : o->arg >> 8) != key) continue;
            if (o->y == f->y) continue;
            if (rows == 1 || o->y != row2_y) {
                rows++;
                row2_y = o->y;
            }
            bool aligned = false;
            for (size_t j = i; j < k && !aligned; j++)
                aligned = v->f[j].y == f->y && v->f[j].action == f->action && v->f[j].x == o->x && v->f[j].w == o->w;
            if (rows > 2 || !aligned) {
                snprintf(why, cap, "the scale of \"%.60s\" (from [%d %d %d %d]) %s: \"%s\" at [%d %d %d %d]",
                         view_focus_text(v, f), f->x, f->y, f->w, f->h,
                         rows > 2 ? "takes a third row" : "has a second row out of the first's columns",
                         view_focus_text(v, o), o->x, o->y, o->w, o->h);
                return false;
            }
        }
    }
    return true;
}

/* check-paging (issue 13): on a list screen, PageDown from the top to the end, then PageUp from the end to the top,
 * and every tappable element of the screen no taller than the list's view seen whole (inside the view, not cut by
 * its edges) on some screen each way. A step longer than the view skipped an answer: PHQ-9's first item at 640x360
 * and 400 % went 243 px in a view of 176, and «Ikke i det hele tatt» was never shown whole. */
static bool check_paging(app *a, char *why, size_t cap) {
    enum { MAX = 512 };
    static struct {
        int action, arg, h;
        char text[80];
        bool seen, bar; /* bar: drawn whole outside the list (the top bar's buttons) */
    } el[MAX];
    app_screen scr = a->screen;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        SDL_Keycode step = pass ? SDLK_PAGEUP : SDLK_PAGEDOWN;
        SDL_Event ke = key_event(pass ? SDLK_END : SDLK_HOME, KMOD_NONE);
        SDL_PushEvent(&ke);
        pump(a);
        int view_h = 1 << 30; /* the least the list's view was (a band below it comes and goes) */
        for (int i = 0; i < MS_SCRIPT_SEEK_MAX && a->screen == scr; i++) {
            if (a->dirty) app_draw(a, true);
            const view *v = &a->view;
            if (a->content_bottom - a->content_top < view_h) view_h = a->content_bottom - a->content_top;
            for (size_t k = 0; k < v->nf; k++) {
                const view_focus *f = &v->f[k];
                const char *t = view_focus_text(v, f);
                size_t j = 0;
                while (j < n && !(el[j].action == f->action && el[j].arg == f->arg && strncmp(el[j].text, t, 79) == 0))
                    j++;
                if (j == n) {
                    if (n == MAX) continue;
                    el[n].action = f->action;
                    el[n].arg = f->arg;
                    el[n].h = f->h;
                    snprintf(el[n].text, sizeof el[n].text, "%s", t);
                    el[n].bar = false;
                    el[n++].seen = false;
                }
                bool whole = f->elem >= 0 && !v->e[f->elem].clipped;
                if (whole && f->y >= a->content_top - 1 && f->y + f->h <= a->content_bottom + 1) el[j].seen = true;
                if (whole && (f->y + f->h <= a->content_top || f->y >= a->content_bottom)) el[j].bar = true;
            }
            int *sc = screen_scroll(a), before = *sc;
            if (pass ? before <= 0 : before >= a->max_scroll) break;
            ke = key_event(step, KMOD_NONE);
            SDL_PushEvent(&ke);
            pump(a);
            if (a->dirty) app_draw(a, true);
            if (*screen_scroll(a) == before) break; /* it went no further: judged below on what it showed */
        }
        if (a->screen != scr) {
            snprintf(why, cap, "%s left the screen", pass ? "PageUp" : "PageDown");
            return false;
        }
        for (size_t j = 0; j < n; j++)
            if (!el[j].seen && !el[j].bar && el[j].h <= view_h) {
                snprintf(why, cap, "%s never shows \"%.60s\" (%d px tall) whole in the list's view of %d px",
                         pass ? "PageUp from the end" : "PageDown from the top", el[j].text, el[j].h, view_h);
                return false;
            }
    }
    return true;
}

/* Every page of every module, scrolled through screen by screen, with check-layout, check-words, check-ink and
 * check-title on each screen (the last: a module's last page named no module on a phone, issue 13). The patient's
 * place and visited pages are left as they were: this looks, it does not read. */
static bool check_all_pages(app *a, char *why, size_t cap) {
    int depth = a->depth;
    int module = a->module, page = a->page, scroll = a->scroll_page;
    bool ok = true;
    int screens = 0;
    for (size_t m = 0; ok && m < a->prog->n_modules; m++) {
        for (size_t p = 0; ok && p < a->prog->modules[m].n_pages; p++) {
            nav_push(a, SCREEN_PAGE);
            a->module = (int)m;
            a->page = (int)p;
            a->scroll_page = 0;
            a->pending_block = -1;
            a->kept_block = -1;
            for (int guard = 0; ok && guard < 1000; guard++) {
                app_draw(a, true);
                screens++;
                char sub[400];
                ok = check_layout(a, sub, sizeof sub) && check_words(a, sub, sizeof sub) &&
                     check_ink(a, sub, sizeof sub) && check_title(a, sub, sizeof sub);
                if (!ok) {
                    /* leave the evidence for a person to look at */
                    screenshot(a, "check-all-pages-failed.png");
                    snprintf(why, cap, "page %s at scroll %d: %s (screen in check-all-pages-failed.png)",
                             a->prog->modules[m].pages[p].id, a->scroll_page, sub);
                    break;
                }
                reader_state rs;
                reader_state_get(&rs);
                if (strcmp(a->set.mode, "paged") == 0 && rs.screens > 0) {
                    if (!reader_next_screen(a)) break;
                    continue;
                }
                if (a->scroll_page >= a->max_scroll) break;
                int step = (a->content_bottom - a->content_top) * 9 / 10;
                a->scroll_page += step > 0 ? step : 1;
            }
        }
    }
    while (a->depth > depth)
        nav_pop(a);
    a->module = module;
    a->page = page;
    a->scroll_page = scroll;
    a->pending_block = -1;
    a->dirty = true;
    if (ok && a->opt.verbose) fprintf(stderr, "meistring: check-all-pages: %d screens fine\n", screens);
    return ok;
}

/* pin-auto PIN: the walk-throughs written before the lock (issue 12) go on as they were: whenever the lock screen,
 * or the PIN screen a new enrolment must pass, is on top before a step, PIN is typed (twice to choose it) and the
 * step runs once the tablet is open. The lock's own tests (tests/lifecycle/) do not use it. */
static char auto_pin[MS_PIN_MAX_DIGITS + 1];

static void auto_unlock(app *a) {
    if (!auto_pin[0]) return;
    for (int round = 0; round < 8 && !a->quit; round++) {
        if (a->dirty) app_draw(a, true);
        for (int w = 0; lock_get()->checking && w < 200; w++)
            wait_ms(a, 50);
        bool must = a->screen == SCREEN_PIN && lock_get()->must_choose;
        if (a->screen != SCREEN_LOCK && !must) return;
        for (const char *d = auto_pin; *d; d++)
            app_do(a, ACT_PIN, *d - '0');
        app_do(a, ACT_PIN, CHROME_KEY_OK);
        pump(a);
    }
}

int script_run(app *a, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "meistring: cannot open script %s\n", path);
        return 2;
    }
    app_draw(a, true);
    /* `first-frame FILE` anywhere in the script: the first frame described, as it was presented (a saved page's
     * first frame is drawn from part of the page; the pump below lays out the rest) */
    char first_frame[MS_SCRIPT_MAX_LINE] = "";
    {
        char l[MS_SCRIPT_MAX_LINE];
        while (!first_frame[0] && fgets(l, sizeof l, f)) {
            l[strcspn(l, "\r\n")] = '\0';
            if (strncmp(l, "first-frame ", 12) == 0) snprintf(first_frame, sizeof first_frame, "%s", l + 12);
        }
        rewind(f);
    }
    if (first_frame[0]) {
        char set[160];
        snprintf(set, sizeof set, "{\"start\": {\"words_before_first_frame\": %lu, \"words_laid_out\": %lu}}",
                 a->first_frame_words, a->words_laid_out);
        if (!view_write_json(&a->view, app_screen_name(a->screen), a->w, a->h, set, first_frame)) {
            fprintf(stderr, "%s: cannot write %s\n", path, first_frame);
            fclose(f);
            return 1;
        }
    }
    pump(a); /* as app_run: what the first frame left for after it (the rest of a page: app.c) */
    char line[MS_SCRIPT_MAX_LINE];
    int lineno = 0, status = 0;
    while (!a->quit && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        fill_keys(a, line, sizeof line);
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#') continue;
        char cmd[32];
        int n = 0;
        if (sscanf(s, "%31s %n", cmd, &n) != 1) continue;
        const char *args = s + n;
        int x1, y1, x2, y2, ms;
        bool ok = true;
        char why[512] = "";
        if (strcmp(cmd, "pin-auto") == 0) {
            snprintf(auto_pin, sizeof auto_pin, "%s", args);
            continue;
        }
        auto_unlock(a);
        if (strcmp(cmd, "tap") == 0 && sscanf(args, "%d %d", &x1, &y1) == 2) {
            tap_at(a, x1, y1);
        } else if (strcmp(cmd, "touch") == 0 && sscanf(args, "%d %d", &x1, &y1) == 2) {
            touch_at(a, x1, y1);
        } else if (strcmp(cmd, "tap-on") == 0) {
            if (a->dirty) app_draw(a, true);
            const view_elem *e = find_elem(a, args, why, sizeof why);
            if (!e) {
                ok = false;
            } else {
                tap_at(a, e->x + e->w / 2, e->y + e->h / 2);
            }
        } else if (strcmp(cmd, "resize") == 0 && sscanf(args, "%d %d", &x1, &y1) == 2 && x1 >= 200 && y1 >= 200) {
            /* a rotation or a window resize: SDL reports it as an event, handled like any other */
            SDL_SetWindowSize(a->win, x1, y1);
            SDL_Event e;
            memset(&e, 0, sizeof e);
            e.type = SDL_WINDOWEVENT;
            e.window.event = SDL_WINDOWEVENT_SIZE_CHANGED;
            e.window.data1 = x1;
            e.window.data2 = y1;
            e.window.windowID = SDL_GetWindowID(a->win);
            SDL_PushEvent(&e);
            pump(a);
        } else if (strcmp(cmd, "wait-speech") == 0) {
            /* wait-speech STATE MAXMS: let time pass until read-aloud is in STATE (or fail after MAXMS) */
            char state[16];
            if (sscanf(args, "%15s %d", state, &ms) != 2 || ms < 0) {
                ok = false;
                snprintf(why, sizeof why, "wait-speech needs STATE MAXMS");
            } else {
                Uint32 end = SDL_GetTicks() + (Uint32)ms;
                for (;;) {
                    const char *now = !readaloud_get()->on ? "off" : readaloud_get()->paused ? "paused" : "playing";
                    if (strcmp(now, state) == 0) break;
                    if (SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
                        ok = false;
                        snprintf(why, sizeof why, "read-aloud still %s after %d ms", now, ms);
                        break;
                    }
                    wait_ms(a, 50);
                }
            }
        } else if (strcmp(cmd, "wait-spoken") == 0 || strcmp(cmd, "expect-spoken") == 0) {
            /* wait-spoken MAXMS TEXT / expect-spoken TEXT: read-aloud is saying one of the screen's elements whose
             * text contains TEXT, lit where it shows (readaloud.h) */
            int used = 0;
            ms = 0;
            if (cmd[0] == 'w' && (sscanf(args, "%d %n", &ms, &used) != 1 || ms < 0)) {
                ok = false;
                snprintf(why, sizeof why, "wait-spoken needs MAXMS TEXT");
            } else {
                const char *want = args + used;
                Uint32 end = SDL_GetTicks() + (Uint32)ms;
                for (;;) {
                    if (a->dirty) app_draw(a, true);
                    int sx, sy, sw, sh;
                    const char *st = NULL;
                    bool lit = readaloud_lit(a, &sx, &sy, &sw, &sh, &st);
                    if (lit && strstr(st, want)) {
                        ok = sx >= 0 && sy >= 0 && sx + sw <= a->w && sy + sh <= a->h;
                        if (!ok) snprintf(why, sizeof why, "\"%s\" is said but not on screen", st);
                        /* the frame round it covers no other element's text (it reached over the editor's slim
                         * line); one that overlaps the element itself, or holds it or is in it, is not a neighbour */
                        int fx, fy, fw, fh, ft;
                        bool framed = readaloud_frame_box(a, &fx, &fy, &fw, &fh, &ft);
                        for (size_t i = 0; ok && framed && i < a->view.n; i++) {
                            const view_elem *e = &a->view.e[i];
                            bool touches = e->x < sx + sw && sx < e->x + e->w && e->y < sy + sh && sy < e->y + e->h;
                            bool covered = e->x < fx + fw && fx < e->x + e->w && e->y < fy + fh && fy < e->y + e->h;
                            if (e->w <= 0 || e->h <= 0 || touches || !covered) continue;
                            ok = false;
                            snprintf(why, sizeof why,
                                     "the frame round \"%.40s\" at [%d %d %d %d] covers %s \"%.40s\" at [%d %d %d %d]",
                                     st, fx, fy, fw, fh, view_role_name(e->role), e->text, e->x, e->y, e->w, e->h);
                        }
                        break;
                    }
                    if (SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
                        ok = false;
                        snprintf(why, sizeof why, "not saying \"%s\" (saying: %s) after %d ms", want,
                                 lit ? st : readaloud_get()->on ? "nothing lit" : "nothing", ms);
                        break;
                    }
                    wait_ms(a, 20);
                }
            }
        } else if (strcmp(cmd, "wait-said") == 0) {
            /* wait-said MAXMS TEXT: let time pass until read-aloud speaks a text that, as the voice is given it
             * (readaloud_said: phone numbers digit by digit, «1 1 3»), contains TEXT; fail after MAXMS */
            int used = 0;
            if (sscanf(args, "%d %n", &ms, &used) != 1 || ms < 0) {
                ok = false;
                snprintf(why, sizeof why, "wait-said needs MAXMS TEXT");
            } else {
                const char *want = args + used;
                char said[8192];
                Uint32 end = SDL_GetTicks() + (Uint32)ms;
                for (;;) {
                    if (a->dirty) app_draw(a, true);
                    bool on = readaloud_said(said, sizeof said);
                    if (on && strstr(said, want)) break;
                    if (SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
                        ok = false;
                        snprintf(why, sizeof why, "the voice was not given \"%s\" after %d ms (given: %.300s)", want, ms,
                                 on ? said : "nothing");
                        break;
                    }
                    wait_ms(a, 20);
                }
            }
        } else if (strcmp(cmd, "expect-voice") == 0) {
            /* expect-voice LANG: the voice read-aloud last spoke with, as espeak-ng was set ("nb", "en") */
            const char *v = readaloud_get()->voice;
            ok = strcmp(v, args) == 0;
            if (!ok) snprintf(why, sizeof why, "voice is \"%s\", not \"%s\"", v, args);
        } else if (strcmp(cmd, "wait-for") == 0) {
            /* wait-for MAXMS ROLE TEXT: let time pass until such an element is on screen (a PIN checked on its own
             * thread, a slow machine); fail after MAXMS */
            int used = 0;
            if (sscanf(args, "%d %n", &ms, &used) != 1 || ms < 0) {
                ok = false;
                snprintf(why, sizeof why, "wait-for needs MAXMS ROLE TEXT");
            } else {
                Uint32 end = SDL_GetTicks() + (Uint32)ms;
                for (;;) {
                    if (a->dirty) app_draw(a, true);
                    if (find_elem(a, args + used, why, sizeof why) || a->quit) break; /* SIGTERM is no failure */
                    if (SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
                        ok = false;
                        size_t l = strlen(why);
                        snprintf(why + l, sizeof why - l, " after %d ms", ms);
                        break;
                    }
                    wait_ms(a, 50);
                }
            }
        } else if (strcmp(cmd, "expect-hardened") == 0) {
            /* the process keeps its secrets in (docs/security.md): no core, not dumpable, no TLS key log */
            struct rlimit core;
            ok = getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_cur == 0 && core.rlim_max == 0 &&
                 prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 && !getenv("SSLKEYLOGFILE");
            if (!ok) snprintf(why, sizeof why, "the process may dump core or log TLS keys");
        } else if (strcmp(cmd, "wait-sync") == 0) {
            /* wait-sync PASSES MAXMS: let time pass until the sync thread has finished PASSES passes since start */
            int want;
            if (sscanf(args, "%d %d", &want, &ms) != 2 || ms < 0) {
                ok = false;
                snprintf(why, sizeof why, "wait-sync needs PASSES MAXMS");
            } else if (!a->sync) {
                ok = false;
                snprintf(why, sizeof why, "wait-sync: no sync thread (start with --server)");
            } else {
                Uint32 end = SDL_GetTicks() + (Uint32)ms;
                while (a->sync_status.passes < want || a->sync_status.syncing) {
                    if (SDL_TICKS_PASSED(SDL_GetTicks(), end)) {
                        ok = false;
                        snprintf(why, sizeof why, "%d sync passes after %d ms, not %d", a->sync_status.passes, ms,
                                 want);
                        break;
                    }
                    wait_ms(a, 50);
                }
            }
        } else if (strcmp(cmd, "expect-speech") == 0) {
            const char *now = !readaloud_get()->on ? "off" : readaloud_get()->paused ? "paused" : "playing";
            ok = strcmp(now, args) == 0;
            if (!ok) snprintf(why, sizeof why, "read-aloud is %s, not %s", now, args);
        } else if (strcmp(cmd, "expect-word") == 0) {
            /* a word is lit, it is a whole token of the text being read, and it is on screen */
            pagelayout *pl = pages_layout(a);
            ok = readaloud_get()->on && readaloud_get()->word && pl && readaloud_get()->len > 0;
            if (ok) {
                const char *t = pl_unit_text(pl, readaloud_get()->unit);
                size_t tl = strlen(t), e = readaloud_get()->start + readaloud_get()->len;
                ok = e <= tl && (readaloud_get()->start == 0 || t[readaloud_get()->start - 1] == ' ') && (e == tl || t[e] == ' ');
                int x, y, w, h;
                ok = ok && pl_unit_box(pl, readaloud_get()->unit, readaloud_get()->start, readaloud_get()->len, &x, &y, &w, &h) && y >= a->scroll_page &&
                     y < a->scroll_page + (a->content_bottom - a->content_top);
            }
            if (!ok) snprintf(why, sizeof why, "no spoken word is lit on screen");
        } else if (strcmp(cmd, "tab-to") == 0 && *args) {
            /* tab-to TEXT: press Tab, as a keyboard user does, until the focus is on a control saying TEXT (at most
             * 200 times); the control is then on screen with its ring */
            keynav_info kf;
            int presses = 0;
            bool exact = true; /* a control saying exactly TEXT first, round the whole order; then one containing it */
            char first[200] = "";
            for (;;) {
                if (a->dirty) app_draw(a, true);
                keynav_info_get(a, &kf);
                bool there = kf.shown && kf.text && (exact ? strcmp(kf.text, args) == 0 : strstr(kf.text, args) != NULL);
                if (there && presses == 0) { /* on it already: shown whole, as the Tab that reached it would have */
                    keynav_show_focus(a);
                    if (a->dirty) app_draw(a, true);
                    keynav_info_get(a, &kf);
                }
                if (there && kf.w > 0) break;
                if (kf.shown && kf.text) {
                    if (!first[0])
                        snprintf(first, sizeof first, "%s", kf.text);
                    else if (exact && strcmp(kf.text, first) == 0)
                        exact = false; /* round the whole order once */
                }
                if (presses++ == 400 || a->quit) break;
                SDL_Event e = key_event(SDLK_TAB, 0);
                SDL_PushEvent(&e);
                e.type = SDL_KEYUP;
                e.key.state = SDL_RELEASED;
                SDL_PushEvent(&e);
                pump(a);
            }
            ok = kf.shown && kf.text && strstr(kf.text, args) && kf.w > 0;
            if (!ok) snprintf(why, sizeof why, "no control saying \"%s\" in 400 presses of Tab", args);
        } else if (strcmp(cmd, "expect-focus") == 0) {
            /* expect-focus TEXT: the keyboard's focus ring is up, on screen, around a control saying TEXT */
            if (a->dirty) app_draw(a, true);
            keynav_info kf;
            keynav_info_get(a, &kf);
            ok = kf.shown && kf.text && strstr(kf.text, args) && kf.w > 0 && kf.h > 0;
            if (ok) ok = check_ring(a, &kf, why, sizeof why);
            else
                snprintf(why, sizeof why, "the focus is %s%s%s, not on \"%s\"", !kf.shown ? "not shown" : "on \"",
                         kf.shown && kf.text ? kf.text : "", kf.shown && kf.text ? (kf.w > 0 ? "\"" : "\" (off screen)") : "",
                         args);
        } else if (strcmp(cmd, "expect-field-lines") == 0 && sscanf(args, "%d", &ms) == 1) {
            /* the editor's field holds at least N lines of the patient's text (issue 13) */
            if (a->dirty) app_draw(a, true);
            editor_info ei;
            editor_info_get(&ei);
            /* and the last line's descenders, where the lines are tighter than the font's own (compact) */
            if (a->screen != SCREEN_WRITE || ei.line_h <= 0 || ei.field_h < ms * ei.line_h + ei.over) {
                ok = false;
                snprintf(why, sizeof why,
                         "expect-field-lines: the field is %d px, %d lines of %d px (text %d px, reading %d px)",
                         ei.field_h, ei.line_h > 0 ? ei.field_h / ei.line_h : 0, ei.line_h, ei.text_px, ei.read_px);
            }
        } else if (strcmp(cmd, "expect-field-lit") == 0 && *args) {
            /* expect-field-lit TEXT: read-aloud is saying a part of the editor's words holding TEXT, and the field
             * shows TEXT whole, inside the box lit round the part (it lit the whole field and showed the lines
             * round the caret: issue 13, deliverable 6) */
            if (a->dirty) app_draw(a, true);
            editor_info ei;
            editor_info_get(&ei);
            int lx, ly, lw, lh, tx, ty, tw, tht;
            const char *st = NULL;
            const char *q = a->screen == SCREEN_WRITE ? strstr(ei.text, args) : NULL;
            bool lit = readaloud_lit(a, &lx, &ly, &lw, &lh, &st) && strstr(st, args);
            bool whole = false;
            bool shown = q && editor_part_box(a, (size_t)(q - ei.text), strlen(args), &tx, &ty, &tw, &tht, &whole);
            ok = lit && shown && whole && tx >= lx && ty >= ly && tx + tw <= lx + lw && ty + tht <= ly + lh;
            char saying[64]; /* the sentence said, cut on a character boundary: %.60s cut «ø» in two */
            utf8_copy(saying, sizeof saying, st ? st : "nothing lit");
            if (!ok)
                snprintf(why, sizeof why, "expect-field-lit: \"%s\" %s (saying: %s)", args,
                         !q                 ? "is not in the editor's field"
                         : !lit             ? "is not being said"
                         : !shown || !whole ? "is not shown whole in the field"
                                            : "is outside the lit box",
                         saying);
        } else if (strcmp(cmd, "expect-caret") == 0 && (strcmp(args, "end") == 0 || strcmp(args, "shown") == 0)) {
            /* expect-caret end: the editor's caret is at its text's end; expect-caret shown: the caret's line shows
             * in the field (the field kept to a sentence read aloud while the patient typed out of sight) */
            if (a->dirty) app_draw(a, true);
            editor_info ei;
            editor_info_get(&ei);
            bool whole = false;
            int cx, cy, cw, ch;
            if (a->screen != SCREEN_WRITE) {
                ok = false;
                snprintf(why, sizeof why, "expect-caret: the editor is not open");
            } else if (args[0] == 'e') {
                ok = ei.caret == ei.len;
                if (!ok) snprintf(why, sizeof why, "expect-caret: the caret is at byte %zu of %zu", ei.caret, ei.len);
            } else {
                /* the character before the caret (the caret's line unless it follows a line break) */
                size_t at = ei.caret > 0 ? ei.caret - 1 : 0;
                ok = ei.len == 0 || (editor_part_box(a, at, 1, &cx, &cy, &cw, &ch, &whole) && whole);
                if (!ok) snprintf(why, sizeof why, "expect-caret: the caret's line (byte %zu) is out of the field's view",
                                  ei.caret);
            }
        } else if (strcmp(cmd, "expect-field-text-size") == 0) {
            /* the editor's field draws the patient's text at their reading size, not smaller (issue 13) */
            if (a->dirty) app_draw(a, true);
            editor_info ei;
            editor_info_get(&ei);
            if (a->screen != SCREEN_WRITE || ei.text_px != ei.read_px) {
                ok = false;
                snprintf(why, sizeof why, "expect-field-text-size: the field's text is %d px, the reading size %d px%s",
                         ei.text_px, ei.read_px, a->screen != SCREEN_WRITE ? " (the editor is not open)" : "");
            }
        } else if (strcmp(cmd, "expect-field-breaks") == 0 && sscanf(args, "%d", &ms) == 1) {
            /* the editor's last frame broke the patient's text into its lines at most N times: a long text at 400 %
             * under an error was broken twice a frame, once for a layout thrown away (issue 13) */
            if (a->dirty) app_draw(a, true);
            editor_info ei;
            editor_info_get(&ei);
            if (a->screen != SCREEN_WRITE || ei.field_breaks > ms) {
                ok = false;
                snprintf(why, sizeof why, "expect-field-breaks: the last frame broke the field's text %d times, not %d",
                         ei.field_breaks, ms);
            }
        } else if (strcmp(cmd, "expect-term-lines") == 0 && sscanf(args, "%d", &ms) == 1) {
            /* an open glossary explanation's box shows at least N of its lines, or all (issue 13: one at a time) */
            if (a->dirty) app_draw(a, true);
            reader_term_info ti;
            if (!reader_term_get(a, &ti) || ti.shown < (ms < ti.lines ? ms : ti.lines)) {
                ok = false;
                if (!reader_term_get(a, &ti)) snprintf(why, sizeof why, "expect-term-lines: no explanation shows");
                else
                    snprintf(why, sizeof why,
                             "expect-term-lines: its box (%d px) shows %d of its %d lines of %d px (text %d px)",
                             ti.box_h, ti.shown, ti.lines, ti.line_h, ti.px);
            }
        } else if (strcmp(cmd, "expect-term-text-size") == 0) {
            /* an open glossary explanation is at the patient's reading size, smaller only where it would not fit the
             * room at that size (issue 13: it had the bars' capped size) */
            if (a->dirty) app_draw(a, true);
            reader_term_info ti;
            if (!reader_term_get(a, &ti)) {
                ok = false;
                snprintf(why, sizeof why, "expect-term-text-size: no explanation shows");
            } else if (ti.px > ti.read_px || ti.px < ti.least_px || ti.fits_larger) {
                ok = false;
                snprintf(why, sizeof why,
                         "expect-term-text-size: its text is %d px (the reading size %d px, the bars' %d px)%s", ti.px,
                         ti.read_px, ti.least_px, ti.fits_larger ? ", where a larger size fits the room" : "");
            }
        } else if (strcmp(cmd, "expect-read-size") == 0) {
            ok = expect_read_size(a, args, why, sizeof why);
        } else if (strcmp(cmd, "expect-setting") == 0) {
            char name[32], value[64];
            if (sscanf(args, "%31s %63s", name, value) != 2) {
                ok = false;
                snprintf(why, sizeof why, "expect-setting needs NAME VALUE");
            } else {
                char now[64] = "";
                aids_get_setting(a, name, now, sizeof now);
                ok = strcmp(now, value) == 0;
                if (!ok) snprintf(why, sizeof why, "setting %s is \"%s\", not \"%s\"", name, now, value);
            }
        } else if (strcmp(cmd, "expect-room") == 0 && sscanf(args, "%d", &ms) == 1) {
            /* the reader's text area (between its bars) against the window's height, in per cent; on another screen
             * what is under its top bar, the name's line and the banner (issue 13: at 320 dp and 400 % they took a
             * third of a list screen's height) */
            if (a->dirty) app_draw(a, true);
            bool page = a->screen == SCREEN_PAGE;
            int room = page ? a->content_bottom - a->content_top : a->h - a->view.bar_bottom;
            ok = (page || a->view.bar_bottom > 0) && room * 100 >= ms * a->h;
            if (!ok)
                snprintf(why, sizeof why, "the %s is %d of %d px (%d %%), not %d %% or more",
                         page ? "text area" : "room under the bars", room, a->h, a->h > 0 ? room * 100 / a->h : 0, ms);
        } else if (strcmp(cmd, "set") == 0) {
            char name[32], value[64];
            if (sscanf(args, "%31s %63s", name, value) != 2 || !aids_set_setting(a, name, value)) {
                ok = false;
                snprintf(why, sizeof why, "cannot set \"%s\"", args);
            }
            pump(a);
        } else if (strcmp(cmd, "check-all-pages") == 0) {
            ok = check_all_pages(a, why, sizeof why);
        } else if (strcmp(cmd, "check-ink") == 0) {
            ok = check_ink(a, why, sizeof why);
        } else if (strcmp(cmd, "pinch") == 0 && sscanf(args, "%d %d %d %d", &x1, &y1, &x2, &y2) == 4) {
            /* pinch X Y FROM TO [MS]: two fingers about (X, Y), FROM px apart, moving to TO px apart */
            int from = x2, to = y2;
            ms = 400;
            sscanf(args, "%*d %*d %*d %*d %d", &ms);
            const int steps = 12;
            for (int i = 0; i <= steps + 1; i++) {
                int dist = i > steps ? to : from + (to - from) * i / steps;
                Uint32 type = i == 0 ? SDL_FINGERDOWN : i > steps ? SDL_FINGERUP : SDL_FINGERMOTION;
                for (int finger = 0; finger < 2; finger++) {
                    SDL_Event e;
                    memset(&e, 0, sizeof e);
                    e.type = type;
                    e.tfinger.touchId = 1;
                    e.tfinger.fingerId = finger + 1;
                    e.tfinger.x = (float)(x1 + (finger ? dist / 2 : -dist / 2)) / (float)a->w;
                    e.tfinger.y = (float)y1 / (float)a->h;
                    SDL_PushEvent(&e);
                }
                pump(a);
                if (i > 0 && i <= steps) SDL_Delay((Uint32)(ms / steps));
            }
        } else if (strcmp(cmd, "check-paging") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = check_paging(a, why, sizeof why);
        } else if (strcmp(cmd, "check-title") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = check_title(a, why, sizeof why);
        } else if (strcmp(cmd, "check-scales") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = check_scales(a, why, sizeof why);
        } else if (strcmp(cmd, "check-layout") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = check_layout(a, why, sizeof why);
        } else if (strcmp(cmd, "tolerate") == 0) {
            if (strcmp(args, "ellipsis") == 0) {
                tolerate_ellipsis = true;
            } else if (strcmp(args, "cut") == 0) {
                tolerate_cut = true;
            } else if (strcmp(args, "words") == 0) {
                tolerate_words = true;
            } else if (strcmp(args, "split") == 0) {
                tolerate_split = true;
            } else {
                ok = false;
                snprintf(why, sizeof why, "tolerate ellipsis, cut, split or words");
            }
        } else if (strcmp(cmd, "check-words") == 0) {
            ok = check_words(a, why, sizeof why);
        } else if (strcmp(cmd, "keylog") == 0 && *args) {
            keylog_fd = open(args, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (keylog_fd < 0) {
                ok = false;
                snprintf(why, sizeof why, "cannot open %s", args);
            }
        } else if (strcmp(cmd, "hold") == 0) {
            /* `hold X Y MS`: press at (X, Y), keep the finger there MS ms while the client runs, lift it */
            int hold = 0;
            if (sscanf(args, "%d %d %d", &x1, &y1, &hold) != 3 || hold < 0 || hold > 60000) {
                ok = false;
                snprintf(why, sizeof why, "hold X Y MS");
            } else {
                push_mouse(SDL_MOUSEMOTION, x1, y1, 0);
                push_mouse(SDL_MOUSEBUTTONDOWN, x1, y1, SDL_BUTTON_LEFT);
                pump(a);
                wait_ms(a, (Uint32)hold);
                push_mouse(SDL_MOUSEBUTTONUP, x1, y1, SDL_BUTTON_LEFT);
                pump(a);
            }
        } else if (strcmp(cmd, "hold-on") == 0) {
            /* `hold-on MS ROLE TEXT`: press on an element, keep the finger there MS ms, lift it */
            int hold = 0, used = 0;
            if (sscanf(args, "%d %n", &hold, &used) != 1 || hold < 0 || hold > 60000) {
                ok = false;
                snprintf(why, sizeof why, "hold-on MS ROLE TEXT");
            } else {
                if (a->dirty) app_draw(a, true);
                const view_elem *e = find_elem(a, args + used, why, sizeof why);
                if (!e) {
                    ok = false;
                } else {
                    x1 = e->x + e->w / 2;
                    y1 = e->y + e->h / 2;
                    push_mouse(SDL_MOUSEMOTION, x1, y1, 0);
                    push_mouse(SDL_MOUSEBUTTONDOWN, x1, y1, SDL_BUTTON_LEFT);
                    pump(a);
                    wait_ms(a, (Uint32)hold);
                    push_mouse(SDL_MOUSEBUTTONUP, x1, y1, SDL_BUTTON_LEFT);
                    pump(a);
                }
            }
        } else if (strcmp(cmd, "seek") == 0) {
            /* `seek ROLE TEXT`: PageDown until such an element is on screen (at most MS_SCRIPT_SEEK_MAX times, same
             * screen) */
            app_screen scr = a->screen;
            const view_elem *e = NULL;
            for (int i = 0; i < MS_SCRIPT_SEEK_MAX && a->screen == scr; i++) {
                if (a->dirty) app_draw(a, true);
                if ((e = find_elem(a, args, why, sizeof why)) != NULL) break;
                SDL_Event ke = key_event(SDLK_PAGEDOWN, KMOD_NONE);
                SDL_PushEvent(&ke);
                pump(a);
            }
            ok = e != NULL;
        } else if (strcmp(cmd, "type-keys") == 0) {
            /* the text after one space, kept whole: a leading space is typed too (the step's own parsing drops it) */
            type_keys(a, s + strlen("type-keys") + (s[strlen("type-keys")] ? 1 : 0));
        } else if (strcmp(cmd, "tap-keys") == 0) {
            ok = tap_keys(a, args, why, sizeof why);
        } else if (strcmp(cmd, "drag") == 0 && sscanf(args, "%d %d %d %d", &x1, &y1, &x2, &y2) == 4) {
            ms = 300;
            sscanf(args, "%*d %*d %*d %*d %d", &ms);
            if (ms < 0 || ms > 60000) ms = 300;
            const int steps = 12;
            push_mouse(SDL_MOUSEBUTTONDOWN, x1, y1, SDL_BUTTON_LEFT);
            pump(a);
            for (int i = 1; i <= steps; i++) {
                SDL_Delay((Uint32)(ms / steps));
                push_mouse(SDL_MOUSEMOTION, x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps, 1);
                pump(a);
            }
            push_mouse(SDL_MOUSEBUTTONUP, x2, y2, SDL_BUTTON_LEFT);
            pump(a);
        } else if (strcmp(cmd, "key-held") == 0) {
            /* `key-held SECONDS NAME`: a key pressed and held (something resting on the keyboard): its press, then
             * the key's own repeats, one for each second the client's clock is moved on (as `advance`), then up */
            int secs = 0, used = 0;
            SDL_Keycode k = SDLK_UNKNOWN;
            if (sscanf(args, "%d %n", &secs, &used) == 1 && secs >= 0 && secs <= 3600)
                k = SDL_GetKeyFromName(args + used);
            if (k == SDLK_UNKNOWN) {
                ok = false;
                snprintf(why, sizeof why, "key-held SECONDS NAME");
            } else {
                SDL_Event e = key_event(k, KMOD_NONE);
                for (int i = 0; i <= secs; i++) {
                    e.key.repeat = i > 0;
                    SDL_PushEvent(&e);
                    pump(a);
                    if (i < secs) {
                        a->clock_skew += 1000;
                        app_step(a);
                    }
                }
                e.type = SDL_KEYUP;
                e.key.state = SDL_RELEASED;
                e.key.repeat = 0;
                SDL_PushEvent(&e);
                pump(a);
            }
        } else if (strcmp(cmd, "key") == 0 && *args) {
            /* `key NAME`, with optional "ctrl+", "shift+" and "alt+" in front (key ctrl+Backspace) */
            Uint16 mod = KMOD_NONE;
            for (;;) {
                if (strncmp(args, "ctrl+", 5) == 0) {
                    mod |= KMOD_LCTRL;
                    args += 5;
                } else if (strncmp(args, "shift+", 6) == 0) {
                    mod |= KMOD_LSHIFT;
                    args += 6;
                } else if (strncmp(args, "alt+", 4) == 0) {
                    mod |= KMOD_LALT;
                    args += 4;
                } else if (strncmp(args, "num+", 4) == 0) {
                    mod |= KMOD_NUM;
                    args += 4;
                } else {
                    break;
                }
            }
            SDL_Keycode k = SDL_GetKeyFromName(args);
            if (k == SDLK_UNKNOWN) {
                ok = false;
                snprintf(why, sizeof why, "unknown key name \"%s\"", args);
            } else {
                SDL_Event e = key_event(k, mod);
                SDL_PushEvent(&e);
                if (k == SDLK_SPACE && !(mod & KMOD_CTRL) && SDL_IsTextInputActive()) {
                    /* as SDL delivers it: the space's text follows its press (a Space that selected a focused
                     * control must not type it, nor swallow the next letter typed) */
                    SDL_Event te;
                    memset(&te, 0, sizeof te);
                    te.type = SDL_TEXTINPUT;
                    te.text.text[0] = ' ';
                    SDL_PushEvent(&te);
                }
                if ((mod & KMOD_NUM) && k >= SDLK_KP_1 && k <= SDLK_KP_0 && SDL_IsTextInputActive()) {
                    SDL_Event te;
                    memset(&te, 0, sizeof te);
                    te.type = SDL_TEXTINPUT;
                    te.text.text[0] = k == SDLK_KP_0 ? '0' : (char)('1' + (k - SDLK_KP_1));
                    SDL_PushEvent(&te);
                }
                e.type = SDL_KEYUP;
                e.key.state = SDL_RELEASED;
                SDL_PushEvent(&e);
                pump(a);
            }
        } else if (strcmp(cmd, "type") == 0) {
            /* text input as SDL delivers it, in events of at most 31 bytes cut between characters (as SDL cuts an
             * input method's text); screens without a text field ignore it. One event silently dropped the rest */
            const char *t = args;
            size_t left = strlen(t);
            while (left > 0) {
                SDL_Event e;
                memset(&e, 0, sizeof e);
                e.type = SDL_TEXTINPUT;
                size_t cut = left < sizeof e.text.text - 1 ? left : sizeof e.text.text - 1;
                while (cut < left && cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80) cut--; /* not inside a character */
                memcpy(e.text.text, t, cut);
                SDL_PushEvent(&e);
                pump(a);
                t += cut;
                left -= cut;
            }
        } else if (strcmp(cmd, "wait") == 0 && sscanf(args, "%d", &ms) == 1 && ms >= 0) {
            wait_ms(a, (Uint32)ms);
        } else if (strcmp(cmd, "advance") == 0 && sscanf(args, "%d", &ms) == 1 && ms >= 0) {
            /* advance MS: the client's clock (app_ticks: the kiosk's idle time, the staff pad's waits) jumps MS
             * ms ahead at once, without waiting; its timers then run as if that time had passed */
            a->clock_skew += (Uint32)ms;
            app_step(a);
            pump(a);
        } else if (strcmp(cmd, "shot") == 0 && *args) {
            if (!screenshot(a, args)) {
                ok = false;
                snprintf(why, sizeof why, "cannot write %s: %s", args, SDL_GetError());
            }
        } else if (strcmp(cmd, "first-frame") == 0 && *args) {
            /* written before the first step (above) */
        } else if (strcmp(cmd, "describe") == 0 && *args) {
            if (a->dirty) app_draw(a, true);
            static char set[70000]; /* the writing member holds a whole message, escaped */
            reader_state rs;
            reader_state_get(&rs);
            char word[256] = "";
            if (readaloud_get()->word && readaloud_get()->on) {
                pagelayout *pl = pages_layout(a);
                const char *t = pl ? pl_unit_text(pl, readaloud_get()->unit) : "";
                if (readaloud_get()->start + readaloud_get()->len <= strlen(t))
                    snprintf(word, sizeof word, "%.*s", (int)readaloud_get()->len, t + readaloud_get()->start);
            }
            cJSON *w = cJSON_CreateString(word); /* escaped properly whatever the word holds */
            char *wj = cJSON_PrintUnformatted(w);
            snprintf(set, sizeof set,
                     "{\"settings\": {\"text_pct\": %d, \"interface_pct\": %d, \"theme\": \"%s\", \"font\": "
                     "\"%s\", \"line_pct\": %d, \"para_pct\": %d, \"letter_pct\": %d, \"word_pct\": %d, "
                     "\"mode\": \"%s\", \"wpm\": %d, \"speech_pct\": %d, \"focus\": %d}, "
                     "\"focus\": {\"lines\": %d, \"band\": [%d, %d]}, "
                     "\"speech\": {\"state\": \"%s\", \"unit\": %d, \"word\": %s}}",
                     a->set.text_pct, settings_chrome_pct(&a->set), a->set.theme, a->set.font, a->set.line_pct,
                     a->set.para_pct, a->set.letter_pct, a->set.word_pct, a->set.mode, a->set.wpm, a->set.speech_pct,
                     a->set.focus, a->set.focus, rs.focus_top, rs.focus_bottom,
                     !readaloud_get()->on   ? "off"
                     : readaloud_get()->paused ? "paused"
                                    : "playing",
                     readaloud_get()->word ? readaloud_get()->unit : -1, wj ? wj : "\"\"");
            free(wj);
            cJSON_Delete(w);
            if (a->opt.kiosk) {
                kiosk_info ki;
                kiosk_info_get(a, &ki);
                size_t used = strlen(set);
                if (used > 0 && used + 128 < sizeof set)
                    snprintf(set + used - 1, sizeof set - used + 1,
                             ", \"kiosk\": {\"warning\": %s, \"seconds_left\": %d, \"idle_ms\": %d, \"resets\": %u}}",
                             ki.warning ? "true" : "false", ki.seconds_left, ki.idle_ms, ki.resets);
            }
            if (first_frame[0]) {
                /* the start (issue 14): words laid out before the first frame was presented, and since */
                cJSON *started = cJSON_CreateObject();
                cJSON_AddNumberToObject(started, "words_before_first_frame", (double)a->first_frame_words);
                cJSON_AddNumberToObject(started, "words_laid_out", (double)a->words_laid_out);
                set_member(set, sizeof set, "start", started);
            }
            keynav_info kf;
            keynav_info_get(a, &kf);
            if (kf.shown) {
                /* the keyboard's focus, when its ring is up: what it is on and where */
                cJSON *fo = text_box(kf.text ? kf.text : "", kf.x, kf.y, kf.w, kf.h);
                cJSON_AddBoolToObject(fo, "scanning", kf.scanning);
                set_member(set, sizeof set, "keyfocus", fo);
            }
            int sx, sy, sw, sh;
            const char *st;
            if (readaloud_lit(a, &sx, &sy, &sw, &sh, &st)) {
                /* read-aloud saying one of the screen's elements: which, and where it is lit */
                cJSON *sb = text_box(st, sx, sy, sw, sh);
                cJSON_AddStringToObject(sb, "voice", readaloud_get()->voice);
                set_member(set, sizeof set, "speaking", sb);
            }
            if (a->screen == SCREEN_WRITE) {
                /* the editor: its text, caret and selection (bytes), keyboard state, and whether it is saved */
                editor_info ei;
                editor_info_get(&ei);
                cJSON *wr = cJSON_CreateObject();
                cJSON_AddStringToObject(wr, "key", ei.key);
                cJSON_AddStringToObject(wr, "text", ei.text);
                cJSON_AddNumberToObject(wr, "caret", (double)ei.caret);
                cJSON_AddNumberToObject(wr, "anchor", (double)ei.anchor);
                cJSON_AddStringToObject(wr, "shift", ei.shift);
                cJSON_AddStringToObject(wr, "layer", ei.symbols ? "symbols" : "letters");
                cJSON_AddBoolToObject(wr, "saved", ei.saved);
                set_member(set, sizeof set, "writing", wr);
            }
            if (!view_write_json(&a->view, app_screen_name(a->screen), a->w, a->h, set, args)) {
                ok = false;
                snprintf(why, sizeof why, "cannot write %s", args);
            }
        } else if (strcmp(cmd, "expect") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = expect(a, args, true, why, sizeof why);
        } else if (strcmp(cmd, "expect-whole") == 0) {
            /* expect-whole ROLE TEXT: such an element is on screen and none of it is cut off (by the bars, a band,
             * the edge of its list): a question beside its answers, a number to call in sight */
            if (a->dirty) app_draw(a, true);
            const view_elem *e = find_elem(a, args, why, sizeof why);
            ok = e && !e->clipped && e->w > 0 && e->h > 0;
            if (e && !ok) snprintf(why, sizeof why, "\"%s\" is on screen only in part", args);
        } else if (strcmp(cmd, "expect-not") == 0) {
            if (a->dirty) app_draw(a, true);
            ok = expect(a, args, false, why, sizeof why);
        } else if (strcmp(cmd, "die") == 0) {
            /* stop at once, as a flat battery or kill -9 would: nothing saved on the way out */
            fflush(NULL);
            _exit(0);
        } else if (strcmp(cmd, "quit") == 0) {
            a->quit = true;
        } else {
            ok = false;
            snprintf(why, sizeof why, "cannot read the step \"%s\"", s);
        }
        if (!ok) {
            fprintf(stderr, "%s:%d: %s\n", path, lineno, why);
            status = 1;
            break;
        }
    }
    fclose(f);
    app_save_place(a);
    return status;
}
