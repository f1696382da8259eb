/* app.c — the client's start, its loop and its dispatch; see app.h.
 *
 * The loop waits for the earliest deadline any screen or service names (a held backspace, the spoken word, a
 * toast) and otherwise blocks in SDL_WaitEvent, so an idle client uses no CPU. Each event goes through the
 * guard (app_guard: where quit requests, kiosk rules and the lock stand), then to input (input.c) or to the
 * sync thread's news. A frame is drawn only when something changed: the screen's update step, then its draw.
 * The headless harness (script.c) drives this same loop through app_step and app_handle_event. */
#include "app.h"

#include <SDL2/SDL_ttf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "a11y.h"
#include "chrome.h"
#include "display.h"
#include "input.h"
#include "keynav.h"
#include "kiosk.h"
#include "lock.h"
#include "meistring/sync.h"
#include "pages.h"
#include "readaloud.h"
#include "screens.h"

void app_log(const char *fmt, ...) {
    /* the log names screens, ids and errors; never content or anything the patient wrote */
    va_list ap;
    va_start(ap, fmt);
    fputs("meistring: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const char *app_tr(const app *a, const char *key) { return i18n_get(a->tr, key); }

int app_px(const app *a, double dp) { return (int)(dp * a->dp + 0.5); }

Uint32 app_ticks(const app *a) { return SDL_GetTicks() + a->clock_skew; }

double app_now_ms(const app *a) {
    (void)a;
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

ui_ctx *app_ui(app *a) {
    int pct = settings_chrome_pct(&a->set);
    if (a->bars_pct > 0 && pct > a->bars_pct) pct = a->bars_pct;
    ui_ctx_frame(&a->ui, a->rn, a->th, &a->view, a->w, a->h, a->dp, pct);
    return &a->ui;
}

void app_show_toast(app *a, const char *msg, Uint32 ms) {
    if (app_error_shown(a)) return; /* an error is read until it is dealt with; a passing "saved" must not hide it */
    snprintf(a->toast, sizeof a->toast, "%s", msg);
    a->toast_error[0] = '\0';
    a->toast_whole = false;
    /* the client's clock, so the harness's `advance` shows a confirmation gone and an error still there */
    a->toast_until = app_ticks(a) + ms;
    a->toast_on = -1; /* the screen it is drawn over next: an action that goes on to another screen says it there */
    a->dirty = true;
}

void app_show_error(app *a, const char *key) {
    snprintf(a->toast, sizeof a->toast, "%s", app_tr(a, key));
    snprintf(a->toast_error, sizeof a->toast_error, "%s", key);
    a->dirty = true;
}

void app_clear_error(app *a, const char *key) {
    if (app_error_shown(a) && strcmp(a->toast_error, key) == 0) app_dismiss_toast(a);
}

/* The toast's text may be emptied directly (a screen's tap puts it away): only a text with its key is an error. */
bool app_error_shown(const app *a) { return a->toast[0] && a->toast_error[0]; }

void app_content_area(const app *a, int *top, int *bottom) {
    if (a->view.area_top >= 0) {
        *top = a->view.area_top;
        *bottom = a->view.area_bottom;
    } else if (a->screen == SCREEN_PAGE) {
        *top = a->content_top;
        *bottom = a->content_bottom > a->content_top ? a->content_bottom : a->h;
    } else { /* no list (the editor, enrolment): under its bar; content_top there is the last list screen's */
        *top = a->view.bar_bottom;
        *bottom = a->h;
    }
}

void app_focus(app *a, int action, int arg, const char *text) { keynav_focus(a, action, arg, text); }

void app_dismiss_toast(app *a) {
    if (!a->toast[0]) return;
    a->toast[0] = '\0';
    a->toast_error[0] = '\0';
    a->dirty = true;
}

/* A confirmation whose time is up, or whose screen the patient has left (it would move the next screen's content
 * when it fades: a page would be cut into screens again under the reader); an error never is. */
static bool toast_expired(const app *a) {
    if (!a->toast[0] || app_error_shown(a)) return false;
    return SDL_TICKS_PASSED(app_ticks(a), a->toast_until) || (a->toast_on >= 0 && a->toast_on != (int)a->screen);
}

static double derive_scale(int w, int h) {
    /* dp as on Android: ~160 per inch. Without a trustworthy DPI (offscreen, many kiosks), size the UI so
     * that the short side of the screen is about 600 dp, which reads well on 8–10" tablets. */
    int s = w < h ? w : h;
    double scale = s / 600.0;
    if (scale < 1.0) scale = 1.0;
    if (scale > 3.0) scale = 3.0;
    return scale;
}

/* Where assets/, fonts/ and hyph/ are when nothing says (--assets): an installed client finds them beside itself
 * (MEISTRING_INSTALL_DATA: the data directory relative to the binary's, "../share/meistring" for /usr/bin), a
 * client in its build tree in the source tree and the build tree. Checked by a file each needs, so a build tree
 * under /usr/local/bin never half-finds an old install. */
static void find_data(const app_options *opt, char *root, size_t rcap, char *hyph_out, size_t hcap) {
    snprintf(root, rcap, "%s", opt->assets_dir ? opt->assets_dir : MEISTRING_SOURCE_ROOT);
    snprintf(hyph_out, hcap, "%s", MEISTRING_HYPH_DIR);
    if (opt->assets_dir) return;
    char exe[400];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || (size_t)n >= sizeof exe - 1) return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return;
    *slash = '\0';
    char dir[512], probe[600];
    struct stat sb;
    snprintf(dir, sizeof dir, "%s/%s", exe, MEISTRING_INSTALL_DATA);
    snprintf(probe, sizeof probe, "%s/assets/i18n/nb.txt", dir);
    if (stat(probe, &sb) != 0) return;
    snprintf(root, rcap, "%s", dir);
    snprintf(hyph_out, hcap, "%s/hyph", dir);
}

static void remember_files(app *a, const struct app_file_id *dir_before);
static void forget_files(app *a);

bool app_init(app *a, const app_options *opt) {
    memset(a, 0, sizeof *a);
    a->opt = *opt;
    a->t_start = opt->t_start ? opt->t_start : SDL_GetPerformanceCounter();
    a->pending_block = -1;
    a->kept_block = -1;
    char root[512];
    find_data(opt, root, sizeof root, a->hyph_dir, sizeof a->hyph_dir);
    snprintf(a->assets, sizeof a->assets, "%s/assets", root);
    snprintf(a->fonts, sizeof a->fonts, "%s/fonts", root);
    if (opt->content_dir)
        snprintf(a->content, sizeof a->content, "%s", opt->content_dir);
    else
        snprintf(a->content, sizeof a->content, "%s/demo", a->assets);
    /* where the data is (paths.h); a kiosk keeps nothing on disk */
    char err[600];
    bool have_paths = false;
    if (!opt->kiosk) {
        have_paths = paths_resolve(&a->paths, opt->data_dir, opt->key_file, err, sizeof err) == PATHS_OK;
        if (!have_paths) app_log("%s", err);
    }
    const char *lang = opt->lang ? opt->lang : "nb";
    if (strcmp(lang, "nb") != 0 && strcmp(lang, "nn") != 0 && strcmp(lang, "en") != 0) {
        app_log("unknown language \"%s\" (nb, nn or en)", lang);
        return false;
    }
    char path[640];
    snprintf(path, sizeof path, "%s/i18n/%s.txt", a->assets, lang);
    a->tr = i18n_load(path, err, sizeof err);
    if (!a->tr) {
        app_log("cannot load UI strings: %s", err);
        return false;
    }
    /* a kiosk says some things otherwise: what a tablet keeps and sends, it forgets and sends nowhere (KEY.kiosk) */
    if (opt->kiosk) i18n_prefer(a->tr, ".kiosk");
    /* A broken or full disk must not keep the patient from reading: fall back to a store in memory and say
     * on screen that the place will not be remembered. */
    if (opt->kiosk) {
        /* a kiosk: what one visitor writes must not outlive them, nor reach the disk at all */
        a->st = store_open(":memory:", NULL, err, sizeof err);
        if (!a->st) {
            app_log("%s", err);
            return false;
        }
    } else if (have_paths && paths_make_data_dir(&a->paths, err, sizeof err) == PATHS_OK) {
        a->st = store_open(a->paths.db, a->paths.key, err, sizeof err);
        if (!a->st) app_log("%s (in %s)", err, a->paths.data);
    } else if (have_paths) {
        app_log("%s", err); /* it names the directory and the reason */
    }
    if (!a->st) {
        a->memory_only = true;
        a->st = store_open(":memory:", NULL, err, sizeof err);
        if (!a->st) {
            app_log("%s", err);
            return false;
        }
        app_log("keeping the reading place in memory only: it will not survive a restart");
    }
    /* a tablet enrolled with a clinic reads what the clinic sent (synced into data/content); a server named
     * but not yet enrolled shows the enrolment screen over the demo */
    char *token = store_sync_get(a->st, "token");
    /* a PIN store opens locked: its token and server are sealed until the PIN, but it is an enrolled tablet and
     * the clinic's programme (not sealed) stands behind the lock; the server is also kept unsealed for that */
    bool locked = store_locked(a->st);
    char *server = opt->server ? strdup(opt->server) : store_sync_get(a->st, "server");
    if (!server && !opt->kiosk) {
        char kept[512];
        if (store_get_setting(a->st, "clinic.server", kept, sizeof kept)) server = strdup(kept);
    }
    if (server) snprintf(a->server, sizeof a->server, "%s", server);
    if (have_paths) snprintf(path, sizeof path, "%s/programme.json", a->paths.content);
    struct stat sb;
    /* a store that cannot be opened (a full or broken disk) knows no token; the programme the clinic sent is
     * still on the disk and still the patient's: show it rather than the demonstration */
    bool synced_here = have_paths && a->memory_only && !opt->kiosk && !opt->content_dir && stat(path, &sb) == 0;
    if (synced_here) snprintf(a->content, sizeof a->content, "%s", a->paths.content);
    if ((token || locked) && have_paths && !opt->content_dir) {
        /* every programme put there passed the validator; if it has gone or been damaged since (a kill between
         * two renames, a careless hand), it is rebuilt from the verified files in the store */
        doc_error probe;
        if (stat(path, &sb) != 0 || doc_load_dir(a->paths.content, &a->prog, &probe) != DOC_OK) {
            char merr[256];
            app_log("the synced programme is missing or damaged; rebuilding it from the store");
            if (sync_materialize(a->st, a->paths.content, merr, sizeof merr) != SYNC_OK) app_log("%s", merr);
        }
        if (a->prog || stat(path, &sb) == 0) snprintf(a->content, sizeof a->content, "%s", a->paths.content);
    }
    a->enrolling = server && !token && !locked && !synced_here; /* an unreadable store is not a new tablet */
    free(token);
    doc_error derr;
    if (!a->prog && doc_load_dir(a->content, &a->prog, &derr) != DOC_OK) {
        app_log("cannot load the programme in %s: %s: %s", a->content, derr.where, derr.msg);
        return false;
    }
    a->programme_loads++;
    remember_files(a, NULL); /* before the sync thread starts: nothing can change the directory meanwhile */
    if (a->prog->n_modules == 0) {
        app_log("the programme has no modules");
        return false;
    }
    settings_load(&a->set, a->st);
    if (!locked) scores_load(a); /* whether home offers «Mine resultater» (sealed: after the PIN when locked) */
    /* hyphenation follows the content's language; without patterns, long words are split between letters */
    if (strcmp(a->prog->language, "en") != 0) {
        snprintf(path, sizeof path, "%s/hyph_%s_NO.dic", a->hyph_dir, a->prog->language);
        a->hyph = hyph_open_lazy(path, err, sizeof err);
        if (!a->hyph) app_log("no hyphenation: %s", err);
    }
    if (!nav_load_visited(a)) {
        app_log("out of memory");
        return false;
    }

    if (!display_open(opt, &a->win, &a->sdl, &a->w, &a->h)) return false;
    a->dp = opt->scale > 0 ? opt->scale : derive_scale(a->w, a->h);
    a->rn = ren_new(a->sdl, a->fonts, err, sizeof err);
    if (!a->rn) {
        app_log("%s", err);
        return false;
    }
    a->th = theme_by_name(a->set.theme);
    view_init(&a->view);
    ui_ctx_init(&a->ui);
    a->ui.hyph = a->hyph; /* wrapped screen text breaks long words where the patterns allow, as pages do */
    /* locked: the place is restored after the PIN (lock.c), when what it shows (a draft) can be read */
    if (locked)
        nav_reset(a, SCREEN_HOME);
    else
        nav_restore_place(a);
    /* locked: nothing syncs before the first unlock (the token is sealed); lock.c starts it then */
    if (server && !locked) {
        app_start_sync(a);
        if (!a->sync) app_log("cannot start syncing with the clinic");
    }
    if (server && a->enrolling) nav_reset(a, SCREEN_ENROL);
    free(server);
    if (!locked) messages_load(a);
    lock_start(a);
    lock_enforce(a);
    if (opt->kiosk) kiosk_start(a); /* the attract screen, the keyboard grabbed, the idle clock running */
    if (opt->a11y) a11y_start(a, opt->a11y_module); /* a screen reader is in use: the bridge (a11y.h) */
    a->dirty = true;
    if (opt->verbose) app_log("window %dx%d px, %.2f px/dp, screen %s", a->w, a->h, a->dp, app_screen_name(a->screen));
    return true;
}

void app_start_sync(app *a) {
    if (a->sync || !a->server[0] || a->memory_only || a->opt.kiosk) return;
    if (!a->sync_event) a->sync_event = SDL_RegisterEvents(1);
    if (a->sync_event == (Uint32)-1) return;
    unsigned char key[VAULT_KEY_BYTES];
    bool pin = store_has_pin(a->st) && store_data_key(a->st, key);
    sync_config net = {.server = a->server, .pin_sha256 = a->opt.pin, .ca_file = a->opt.ca};
    a->sync = syncer_start(&net, a->paths.db, a->paths.key, a->paths.content, pin ? key : NULL, a->sync_event);
    vault_wipe(key, sizeof key);
}

bool app_forget_person(app *a, store *fresh) {
    readaloud_close(a);
    SDL_StopTextInput();
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (screen_get((app_screen)s)->close) screen_get((app_screen)s)->close(a);
    input_reset();
    keynav_reset();
    store_close(a->st);
    a->st = fresh;
    if (!fresh) return true; /* a wipe: the files go next; the caller comes back with the new store */
    settings_load(&a->set, a->st);
    a->th = theme_by_name(a->set.theme);
    pages_invalidate(a);
    ren_forget_text(a->rn); /* the text cache holds what was drawn, the person's words among it */
    free(a->visited);
    free(a->page_base);
    a->visited = NULL;
    a->page_base = NULL;
    if (!nav_load_visited(a)) return false;
    a->module = a->page = 0;
    a->scroll_page = a->scroll_list = 0;
    a->pending_block = a->kept_block = -1;
    a->pending_permille = a->kept_permille = a->kept_scroll = 0;
    app_dismiss_toast(a);
    messages_load(a);
    scores_load(a);
    /* an input method or another program may have copied something: nothing is left to paste */
    if (SDL_HasClipboardText()) SDL_SetClipboardText("");
    a->dirty = true;
    return true;
}

void app_deinit(app *a) {
    a11y_stop();
    syncer_stop(a->sync);
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (screen_get((app_screen)s)->close) screen_get((app_screen)s)->close(a);
    readaloud_close(a);
    free(a->line_tops);
    free(a->line_heights);
    pages_invalidate(a);
    ui_ctx_deinit(&a->ui);
    view_deinit(&a->view);
    ren_free(a->rn);
    if (a->sdl) SDL_DestroyRenderer(a->sdl);
    if (a->win) SDL_DestroyWindow(a->win);
    if (TTF_WasInit()) TTF_Quit();
    SDL_Quit();
    store_close(a->st);
    free(a->visited);
    free(a->page_base);
    doc_programme_free(a->prog);
    forget_files(a);
    i18n_free(a->tr);
    hyph_free(a->hyph);
}

/* ---- dispatch ---------------------------------------------------------------------------------------------- */

/* Back: the screen's own way out, or the screen under it; the place is saved either way. */
static void back(app *a) {
    const screen_ops *ops = screen_get(a->screen);
    if (ops->back) {
        ops->back(a);
    } else if (a->depth > 1) {
        nav_pop(a);
        a->scroll_list = 0;
    }
    app_save_place(a);
}

void app_do(app *a, app_action act, int arg) {
    a->dirty = true;
    a->act_t0 = SDL_GetPerformanceCounter();
    if (lock_blocks(a, act)) return; /* locked: only the lock screen, help and staff */
    if (act == ACT_TOAST_CLOSE) {    /* chrome's, on every screen: before any screen's own actions */
        app_dismiss_toast(a);
        return;
    }
    const screen_ops *ops = screen_get(a->screen);
    if (ops->action && ops->action(a, act, arg)) return;
    if (aids_settings_action(a, act, arg) || readaloud_action(a, act, arg)) return;
    switch (act) {
    case ACT_BACK: back(a); break;
    case ACT_HELP:
        if (a->screen != SCREEN_HELP) {
            nav_push(a, SCREEN_HELP);
            a->scroll_list = 0;
        }
        break;
    case ACT_AIDS: aids_open(a); break;
    case ACT_HOME:
        if (a->screen == SCREEN_PAGE) app_save_place(a);
        nav_reset(a, SCREEN_HOME);
        a->scroll_list = 0;
        app_save_place(a);
        break;
    case ACT_MESSAGES: messages_open(a); break;
    case ACT_SCORES:
        scores_load(a);
        nav_push(a, SCREEN_SCORES);
        a->scroll_list = 0;
        break;
    case ACT_SYNC_NOW:
        if (a->sync) syncer_now(a->sync);
        break;
    case ACT_LOCK: lock_now(a, "asked"); break;
    case ACT_CHANGE_PIN: pin_open(a, PIN_CHANGE); break;
    /* asked for: said whole, not shortened to a line again */
    case ACT_SHOW_TITLE:
        chrome_show_title(a);
        a->toast_whole = true;
        break;
    case ACT_DEMO_ABOUT:
        app_show_toast(a, app_tr(a, "demo.banner"), MS_TOAST_TITLE_MS);
        a->toast_whole = true;
        break;
    case ACT_TOAST_WHOLE:
        if (!a->toast[0]) break;
        a->toast_whole = true;
        /* time to read it all, from the tap */
        if (!app_error_shown(a) && !SDL_TICKS_PASSED(a->toast_until, app_ticks(a) + MS_TOAST_TITLE_MS))
            a->toast_until = app_ticks(a) + MS_TOAST_TITLE_MS;
        a->dirty = true;
        break;
    default: break; /* another screen's action, from a frame that is gone: nothing to do */
    }
}

/* ---- the programme in use, and what a sync changes in it ---------------------------------------------------- */

/* A file's identity: the sync writes every changed file afresh into a new directory and links the unchanged ones
 * (sync_content.c), so a file of the programme with the same identity holds the same bytes. */
static bool file_id(const char *dir, const char *rel, struct app_file_id *out) {
    char path[1024];
    struct stat sb;
    if (rel)
        snprintf(path, sizeof path, "%s/%s", dir, rel);
    else
        snprintf(path, sizeof path, "%s", dir);
    if (stat(path, &sb) != 0) return false;
    *out = (struct app_file_id){(unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                                (unsigned long long)sb.st_size,
                                (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec};
    return true;
}

static bool same_id(const struct app_file_id *x, const struct app_file_id *y) {
    return x->dev == y->dev && x->ino == y->ino && x->size == y->size && x->mtime_ns == y->mtime_ns;
}

/* Takes the identities of the synced programme's files as they are now, for the programme just loaded from them.
 * dir_before: the directory's identity before the load; when the sync put another in place meanwhile (it renames a
 * new directory over the old), the identities are not taken and the next change loads the whole programme. */
static void forget_files(app *a) {
    free(a->file_ids);
    a->file_ids = NULL;
    a->n_file_ids = 0;
}

static void remember_files(app *a, const struct app_file_id *dir_before) {
    forget_files(a);
    struct app_file_id now;
    if (strcmp(a->content, a->paths.content) != 0 || !a->prog || !file_id(a->content, NULL, &now) ||
        (dir_before && !same_id(dir_before, &now)))
        return;
    size_t n = a->prog->n_modules + 1;
    a->file_ids = calloc(n, sizeof *a->file_ids);
    if (!a->file_ids) return;
    bool ok = file_id(a->content, "programme.json", &a->file_ids[0]);
    for (size_t m = 0; ok && m < a->prog->n_modules; m++)
        ok = file_id(a->content, a->prog->modules[m].file, &a->file_ids[1 + m]);
    if (ok) a->n_file_ids = n;
}

static bool same_str(const char *x, const char *y) { return x == y || (x && y && strcmp(x, y) == 0); }

/* The clinic opened modules and changed nothing else (an unlock, a questionnaire's opens_after): each is loaded
 * into the programme in use and marked open, and nothing else moves — the reader keeps its laid-out page and its
 * place, read-aloud goes on, the other modules are not read again (issue 14). False, with the programme as it
 * was, when the change is anything else (a module in use changed or closed, another programme): then the whole
 * programme is loaded again. */
static bool open_in_place(app *a) {
    const char *dir = a->paths.content;
    if (a->enrolling || !a->prog || a->n_file_ids != a->prog->n_modules + 1 || strcmp(a->content, dir) != 0)
        return false;
    struct app_file_id dir_before, id;
    if (!file_id(dir, NULL, &dir_before)) return false;
    char path[1024];
    snprintf(path, sizeof path, "%s/programme.json", dir);
    size_t len = 0;
    char *json = SDL_LoadFile(path, &len);
    doc_programme *np = NULL;
    doc_error derr;
    bool ok = json && doc_parse_programme(json, len, "programme.json", &np, &derr) == DOC_OK;
    SDL_free(json);
    const doc_programme *op = a->prog;
    ok = ok && same_str(np->id, op->id) && same_str(np->title, op->title) && same_str(np->language, op->language) &&
         np->demo == op->demo && same_str(np->description, op->description) &&
         same_str(np->clinic_name, op->clinic_name) && same_str(np->clinic_phone, op->clinic_phone) &&
         same_str(np->clinic_hours, op->clinic_hours) && np->n_modules == op->n_modules;
    size_t n = ok ? op->n_modules : 0;
    struct app_file_id *ids = ok ? calloc(n + 1, sizeof *ids) : NULL;
    bool *opening = ok ? calloc(n + 1, sizeof *opening) : NULL;
    ok = ok && ids && opening && file_id(dir, "programme.json", &ids[0]);
    int opened = 0;
    for (size_t m = 0; ok && m < n; m++) {
        const doc_module *was = &op->modules[m], *is = &np->modules[m];
        ok = same_str(was->id, is->id) && was->number == is->number && same_str(was->title, is->title) &&
             same_str(was->file, is->file) && same_str(was->opens_after, is->opens_after) &&
             file_id(dir, is->file, &ids[1 + m]);
        if (!ok || (same_id(&ids[1 + m], &a->file_ids[1 + m]) && was->unlocked == is->unlocked)) continue;
        /* only a locked module that opened; anything else may be on screen, and is loaded whole */
        ok = !was->unlocked && is->unlocked;
        opening[m] = ok;
        opened += ok;
    }
    doc_programme_free(np);
    /* load what opened; a module that does not load leaves the whole programme to be loaded again */
    for (size_t m = 0; ok && m < n; m++)
        if (opening[m] && doc_load_module(a->prog, m, dir, &derr) != DOC_OK) {
            app_log("the module in %s does not load: %s: %s", dir, derr.where, derr.msg);
            ok = false;
        }
    /* the sync put yet another programme in place meanwhile: what was read may be a mix, so load it whole */
    ok = ok && file_id(dir, NULL, &id) && same_id(&id, &dir_before);
    if (ok) {
        for (size_t m = 0; m < n; m++)
            if (opening[m]) a->prog->modules[m].unlocked = true;
        free(a->file_ids);
        a->file_ids = ids;
        ids = NULL;
        /* the modules' page counts changed: the pages read are counted again */
        free(a->visited);
        free(a->page_base);
        a->visited = NULL;
        a->page_base = NULL;
        nav_load_visited(a);
        a->modules_opened += (unsigned)opened;
        a->dirty = true;
    }
    free(ids);
    free(opening);
    return ok;
}

/* New content from the clinic: load it, keep the patient's place by ids (a module may have just opened). */
/* The programme in dir replaces the one shown; the screens drop what referred to the old one. NULL: it does not
 * load (the old one stays). */
static doc_programme *swap_programme(app *a, const char *dir) {
    doc_programme *np = NULL;
    doc_error derr;
    struct app_file_id dir_before;
    bool known = file_id(dir, NULL, &dir_before);
    if (doc_load_dir(dir, &np, &derr) != DOC_OK) {
        app_log("the programme in %s does not load: %s: %s", dir, derr.where, derr.msg);
        return NULL;
    }
    a->programme_loads++;
    readaloud_stop(a);
    pages_invalidate(a);
    for (int s = 0; s < SCREEN_COUNT; s++)
        if (screen_get((app_screen)s)->reload) screen_get((app_screen)s)->reload(a);
    doc_programme_free(a->prog);
    a->prog = np;
    snprintf(a->content, sizeof a->content, "%s", dir);
    free(a->visited);
    free(a->page_base);
    a->visited = NULL;
    a->page_base = NULL;
    nav_load_visited(a);
    if (known)
        remember_files(a, &dir_before);
    else
        forget_files(a);
    return np;
}

void app_show_demo(app *a) {
    char dir[600];
    if (a->opt.content_dir)
        snprintf(dir, sizeof dir, "%s", a->opt.content_dir);
    else
        snprintf(dir, sizeof dir, "%s/demo", a->assets);
    swap_programme(a, dir);
    a->module = a->page = 0;
}

void app_reload_programme(app *a) {
    if (store_locked(a->st)) return; /* behind the lock: the first unlock loads what came meanwhile */
    if (open_in_place(a)) return;
    char mod[72] = "", page[72] = "";
    if (!a->enrolling && (size_t)a->module < a->prog->n_modules) {
        snprintf(mod, sizeof mod, "%s", a->prog->modules[a->module].id);
        if ((size_t)a->page < a->prog->modules[a->module].n_pages)
            snprintf(page, sizeof page, "%s", a->prog->modules[a->module].pages[a->page].id);
    }
    doc_programme *np = swap_programme(a, a->paths.content);
    if (!np) return;
    const doc_module *m = mod[0] ? doc_find_module(np, mod) : NULL;
    int p = m ? doc_find_page(m, page) : -1;
    if (a->enrolling || !m || (a->screen == SCREEN_PAGE && p < 0)) {
        nav_reset(a, SCREEN_HOME);
        a->module = a->page = 0;
    } else {
        a->module = (int)(m - np->modules);
        if (p >= 0) a->page = p;
    }
    a->enrolling = false;
    a->dirty = true;
}

/* The guard: every event passes here first. Quit requests are decided in this one place, and so are the kiosk's
 * rules (kiosk.c) and, later, the lock. True: the event is dealt with. */
static bool app_guard(app *a, const SDL_Event *e) {
    if (a->opt.kiosk && kiosk_guard(a, e)) return true;
    if (lock_guard(a, e)) return true;
    if (e->type == SDL_QUIT) {
        a->quit = true;
        return true;
    }
    return false;
}

void app_handle_event(app *a, const SDL_Event *e) {
    if (a->layout_part) {
        /* the first frame showed part of the page: the whole page now, and its frame drawn (the status in full,
         * the screens cut from the top), before anything acts on what was shown (pages.h) */
        pages_part_done(a);
        app_draw(a, true);
    }
    if (a->part_event && e->type == a->part_event) {
        a->part_posted = false;
        return;
    }
    if (app_guard(a, e)) return;
    lock_enforce(a); /* an earlier event of this batch may have locked or popped: the lock screen first */
    if (a11y_event(a, e)) return; /* a screen reader pressed or focused an element of this frame */
    if (a11y_key(a, e)) return; /* a key the screen reader took for its own command (it hears every key first) */
    if (a->sync && e->type == a->sync_event) {
        a->sync_status = syncer_get_status(a->sync);
        messages_load(a);
        if (a->screen == SCREEN_MESSAGES) app_do(a, ACT_MESSAGES, 0); /* mark what just arrived as seen */
        if (e->user.code == SYNCER_CONTENT) {
            if (a->enrolling) app_dismiss_toast(a); /* "connecting …" is done */
            app_reload_programme(a);
        }
        if (a->screen == SCREEN_ENROL && a->sync_status.enrol_failed) {
            /* until the patient types again; the code stays, so one wrong digit is corrected, not eight typed again.
             * Only a refused code is blamed on the digits: no answer says to check the network (issue 13's audit:
             * «Sjekk sifrene» with the tablet off line sent the patient back to a right code). */
            app_show_error(a, enrol_error_key(a->sync_status.enrol_result));
        }
        lock_synced(a); /* returned by the clinic: wiped; just enrolled: a PIN next */
        a->dirty = true;
        return;
    }
    if (input_event(a, e)) return;
    switch (e->type) {
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            reader_keep_place(a);
            SDL_GetRendererOutputSize(a->sdl, &a->w, &a->h);
            if (a->opt.scale <= 0) a->dp = derive_scale(a->w, a->h);
            pages_invalidate(a);
        }
        a->dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET: a->dirty = true; break;
    default: break;
    }
}

/* The app's state with the frame's own outputs (the view, the widgets' context) blanked, for draw_is_pure. */
static void model_of(const app *a, app *out) {
    memcpy(out, a, sizeof *out);
    memset(&out->view, 0, sizeof out->view);
    memset(&out->ui, 0, sizeof out->ui);
}

/* The headless harness (every test and the golden walk) checks that a frame changed nothing in the model: a
 * draw that paginates, clamps or switches screens is a bug the next event would trip over. */
static void draw_is_pure(const app *a, const app *before) {
    app after;
    model_of(a, &after);
    if (memcmp(before, &after, sizeof after) == 0) return;
    const unsigned char *p = (const unsigned char *)before, *q = (const unsigned char *)&after;
    size_t at = 0;
    while (p[at] == q[at])
        at++;
    app_log("drawing the %s screen changed the model (the app struct at byte %zu)", app_screen_name(a->screen), at);
    abort();
}

/* One frame of the screen on top into the renderer and the view (the frame's description). */
static void frame(app *a, const screen_ops *ops) {
    static app before; /* static: the struct is large for a stack frame on a small tablet */
    if (a->opt.headless) model_of(a, &before);
    view_reset(&a->view);
    uint32_t bg = a->th->ink[INK_BG];
    SDL_SetRenderDrawColor(a->sdl, (Uint8)(bg >> 24), (Uint8)(bg >> 16), (Uint8)(bg >> 8), 0xFF);
    SDL_RenderClear(a->sdl);
    ops->draw(a);
    chrome_toast(a); /* the message line, the top bar's, over whatever a screen short of room drew on it */
    if (a->opt.kiosk) kiosk_draw(a); /* «Er du fortsatt her?» over everything */
    if (a->opt.headless) draw_is_pure(a, &before);
}

/* After a frame of a list screen: its scrolling area, from the frame's description, into the model (the reader
 * sets its own in its update). True when the list was scrolled past its end (the newest message asked for, a
 * turn that made it shorter): then the scroll is clamped and the frame must be drawn again before it is shown. */
static bool settle_list(app *a) {
    const view *v = &a->view;
    if (v->area_top < 0) return false;
    a->content_top = v->area_top;
    a->content_bottom = v->area_bottom;
    int room = v->area_bottom - v->area_top;
    a->max_scroll = v->area_extent > room ? v->area_extent - room : 0;
    if (a->scroll_list <= a->max_scroll) return false;
    a->scroll_list = a->max_scroll;
    return true;
}

void app_draw(app *a, bool present) {
    double t0 = app_now_ms(a);
    if (toast_expired(a)) app_dismiss_toast(a);
    a->dirty = false;
    lock_enforce(a); /* locked: the lock screen on top, whatever moved the screens since */
    const screen_ops *ops = screen_get(a->screen);
    if (ops->update) {
        app_screen was = a->screen;
        ops->update(a); /* layout, pagination, a restored place: the model settles before it is drawn */
        if (a->screen != was) { /* an exercise whose page went away gave way to the page */
            ops = screen_get(a->screen);
            if (ops->update) ops->update(a);
        }
    }
    if (a->toast[0] && a->toast_on < 0) a->toast_on = (int)a->screen; /* the screen the message is first seen on */
    frame(a, ops); /* drawing changes no model state (checked headless: draw_is_pure) */
    if (settle_list(a)) frame(a, ops);
    if (chrome_pad_reveal(a)) frame(a, ops); /* a pad screen opened, or typed on, with its pad out of sight */
    keynav_frame(a);    /* the keyboard's focus found again in this frame, its ring over it */
    readaloud_frame(a); /* the element being said, framed */
    a11y_frame(a);      /* the screen reader's copy of the frame, when one is in use */
    if (present) SDL_RenderPresent(a->sdl);
    double t1 = app_now_ms(a);
    a->frames++;
    a->draw_ms_total += t1 - t0;
    if (t1 - t0 > a->draw_ms_max) a->draw_ms_max = t1 - t0;
    if (a->key_pending && present) {
        double ms = (double)(SDL_GetPerformanceCounter() - a->key_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        a->keys++;
        a->key_ms_total += ms;
        if (ms > a->key_ms_max) a->key_ms_max = ms;
        a->key_pending = false;
    }
    if (a->turn_pending) {
        double ms = (double)(SDL_GetPerformanceCounter() - a->turn_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        a->turns++;
        a->turn_ms_total += ms;
        if (ms > a->turn_ms_max) a->turn_ms_max = ms;
        a->turn_pending = false;
    }
    if (present && a->first_frame_done) {
        double ms = t1 - t0;
        if (a->screen != a->fig_screen) { /* opened: from the action that did it (the store read with it) */
            ms = (double)(SDL_GetPerformanceCounter() - a->act_t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
            a->screen_fig[a->screen].opens++;
            a->screen_fig[a->screen].open_ms_total += ms;
            if (ms > a->screen_fig[a->screen].open_ms_max) a->screen_fig[a->screen].open_ms_max = ms;
        } else {
            a->screen_fig[a->screen].frames++;
            a->screen_fig[a->screen].frame_ms_total += ms;
            if (ms > a->screen_fig[a->screen].frame_ms_max) a->screen_fig[a->screen].frame_ms_max = ms;
        }
    }
    if (present) a->fig_screen = a->screen;
    if (!a->first_frame_done) {
        a->first_frame_done = true;
        a->first_frame_ms =
            (double)(SDL_GetPerformanceCounter() - a->t_start) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        a->first_frame_mono_ns = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
        SDL_ShowWindow(a->win); /* shown only once there is something to show */
        a->first_frame_words = a->words_laid_out;
    }
    if (a->layout_part && !a->part_posted) {
        /* the frame of a start or of a page just opened showed part of the page: the rest of it is laid out on the
         * next event, this one if nothing comes first */
        if (!a->part_event) a->part_event = SDL_RegisterEvents(1);
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = a->part_event;
        if (a->part_event == (Uint32)-1 || SDL_PushEvent(&e) != 1) {
            pages_part_done(a); /* no event: the next frame lays it out (pages_laid_out then has none) */
            a->part_event = 0;
        } else {
            a->part_posted = true;
        }
    }
}

int app_next_deadline_ms(app *a) {
    int ms = -1;
    const screen_ops *ops = screen_get(a->screen);
    if (ops->deadline_ms) ms = ops->deadline_ms(a); /* a held backspace repeats */
    if (readaloud_get()->on && !readaloud_get()->paused && (ms < 0 || ms > MS_SPEECH_TICK_MS))
        ms = MS_SPEECH_TICK_MS; /* the spoken word moves about four times a second */
    if (a->toast[0] && !app_error_shown(a)) {
        Sint32 left = (Sint32)(a->toast_until - app_ticks(a));
        if (left < 0) left = 0;
        if (ms < 0 || left < ms) ms = left;
    }
    if (a->opt.kiosk) {
        int k = kiosk_deadline_ms(a);
        if (ms < 0 || k < ms) ms = k;
    }
    int l = lock_deadline_ms(a);
    if (l >= 0 && (ms < 0 || l < ms)) ms = l;
    int s = keynav_deadline_ms(a); /* switch scanning's next step */
    if (s >= 0 && (ms < 0 || s < ms)) ms = s;
    return ms;
}

void app_step(app *a) {
    const screen_ops *ops = screen_get(a->screen);
    if (ops->tick && ops->tick(a)) a->dirty = true;
    if (readaloud_get()->on) readaloud_tick(a);
    if (toast_expired(a)) a->dirty = true;
    if (a->opt.kiosk && kiosk_tick(a)) a->dirty = true;
    if (lock_tick(a)) a->dirty = true;
    if (keynav_tick(a)) a->dirty = true;
    if (a->dirty && !a->quit) app_draw(a, true);
}

int app_run(app *a) {
    while (!a->quit) {
        app_step(a);
        if (a->quit) break;
        SDL_Event e;
        int ms = app_next_deadline_ms(a);
        int got = ms < 0 ? SDL_WaitEvent(&e) : SDL_WaitEventTimeout(&e, ms > 0 ? ms : 1);
        if (got) {
            app_handle_event(a, &e);
            while (SDL_PollEvent(&e))
                app_handle_event(a, &e);
        }
    }
    app_save_place(a);
    return 0;
}
