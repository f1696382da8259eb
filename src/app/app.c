/* app.c — start-up, the event loop, input gestures, navigation and the saved place; see app.h.
 * The loop blocks in SDL_WaitEvent and redraws only when an event changed something, so an idle client
 * uses no CPU. The place (screen, module, page, block and offset) is written to the store whenever it
 * settles — a page turn, the end of a scroll, leaving a screen — so a flat battery loses at most a scroll. */
#include "app.h"
#include "meistring/sync.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_msg(const char *fmt, ...) {
    /* the log names screens, ids and errors; never content or anything the patient wrote */
    va_list ap;
    va_start(ap, fmt);
    fputs("meistring: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const char *app_screen_name(app_screen s) {
    static const char *const names[] = {"home",     "module", "page",     "help",  "aids",  "enrol",
                                        "messages", "write",  "exercise", "quest", "scores"};
    return names[s];
}

const char *app_tr(const app *a, const char *key) { return i18n_get(a->tr, key); }

int app_px(const app *a, double dp) { return (int)(dp * a->dp + 0.5); }

double app_now_ms(const app *a) {
    (void)a;
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* mkdir -p for the data directory. */
static bool make_dirs(const char *path) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

static void default_data_dir(char *buf, size_t cap) {
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, cap, "%s/meistring", xdg);
    else if (home && home[0])
        snprintf(buf, cap, "%s/.local/share/meistring", home);
    else
        snprintf(buf, cap, "./meistring-data");
}

static void visited_cb(void *ctx, const char *page_id) {
    app *a = ctx;
    for (size_t m = 0; m < a->prog->n_modules; m++) {
        int p = doc_find_page(&a->prog->modules[m], page_id);
        if (p >= 0) a->visited[a->page_base[m] + p] = true;
    }
}

static bool load_visited(app *a) {
    int total = 0;
    a->page_base = calloc(a->prog->n_modules + 1, sizeof *a->page_base);
    if (!a->page_base) return false;
    for (size_t m = 0; m < a->prog->n_modules; m++) {
        a->page_base[m] = total;
        total += (int)a->prog->modules[m].n_pages;
    }
    a->page_base[a->prog->n_modules] = total;
    a->visited = calloc((size_t)total + 1, sizeof *a->visited);
    if (!a->visited) return false;
    if (!store_each_visited(a->st, a->prog->id, visited_cb, a))
        log_msg("could not read visited pages: %s", store_last_error(a->st));
    return true;
}

/* Restores the place saved by app_save_place: screen, module, page, and the anchor in the page. */
static void restore_place(app *a) {
    char scr[32], mod[96];
    a->screen = SCREEN_HOME;
    a->pending_block = -1;
    if (!store_get_setting(a->st, "place.screen", scr, sizeof scr)) return;
    store_get_setting(a->st, "place.module", mod, sizeof mod);
    const doc_module *m = doc_find_module(a->prog, mod);
    if (!m || !m->unlocked) return;
    a->module = (int)(m - a->prog->modules);
    if (strcmp(scr, "module") == 0) {
        a->screen = SCREEN_MODULE;
    } else if (strcmp(scr, "write") == 0) {
        /* the patient was writing when the tablet went off: back into the editor, the draft as it was */
        char key[96];
        if (store_get_setting(a->st, "place.write_key", key, sizeof key) && strcmp(key, "message") == 0) {
            app_load_messages(a);
            write_open(a, key, SCREEN_MESSAGES);
        }
    } else if (strcmp(scr, "page") == 0) {
        store_position pos;
        if (store_get_position(a->st, a->prog->id, m->id, &pos)) {
            int p = doc_find_page(m, pos.page);
            if (p >= 0) {
                a->screen = SCREEN_PAGE;
                a->page = p;
                a->pending_block = doc_find_block(&m->pages[p], pos.block);
                a->pending_permille = pos.offset_permille;
            }
        }
    }
}

/* The reading screen under any overlay (help over aids over the page): the place to remember. */
static app_screen base_screen(const app *a) {
    app_screen s = a->screen;
    if (s == SCREEN_HELP) s = a->help_return;
    if (s == SCREEN_AIDS) s = a->aids_return;
    /* an exercise, and the editor over one of its fields, belong to their page: that is the place to resume */
    if (s == SCREEN_EXERCISE || s == SCREEN_QUEST || (s == SCREEN_WRITE && a->write_return == SCREEN_EXERCISE))
        s = SCREEN_PAGE;
    if (s == SCREEN_SCORES) s = a->scores_return == SCREEN_PAGE ? SCREEN_PAGE : SCREEN_HOME;
    return s;
}

void app_save_place(app *a) {
    app_screen base = base_screen(a);
    const doc_module *m = &a->prog->modules[a->module];
    bool ok = store_set_setting(a->st, "place.screen", app_screen_name(base)) &&
              store_set_setting(a->st, "place.module", m->id) &&
              (base != SCREEN_WRITE || store_set_setting(a->st, "place.write_key", a->write_key));
    if (ok && base == SCREEN_PAGE) {
        store_position pos = {0};
        snprintf(pos.module, sizeof pos.module, "%s", m->id);
        snprintf(pos.page, sizeof pos.page, "%s", m->pages[a->page].id);
        int block = 0, permille = 0;
        pagelayout *pl = a->pending_block >= 0 ? NULL : screens_page_layout(a);
        if (pl) {
            pl_anchor(pl, a->scroll_page, &block, &permille);
        } else if (a->pending_block >= 0) {
            block = a->pending_block;
            permille = a->pending_permille;
        }
        if (block >= 0 && (size_t)block < m->pages[a->page].n_blocks)
            snprintf(pos.block, sizeof pos.block, "%s", m->pages[a->page].blocks[block].id);
        pos.offset_permille = permille;
        ok = store_set_position(a->st, a->prog->id, &pos);
    }
    if (!ok) log_msg("could not save the reading place: %s", store_last_error(a->st));
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

bool app_init(app *a, const app_options *opt) {
    memset(a, 0, sizeof *a);
    a->opt = *opt;
    a->t_start = opt->t_start ? opt->t_start : SDL_GetPerformanceCounter();
    a->pending_block = -1;
    a->kept_block = -1;
    a->bs_key = -1;
    a->focus_y = -1;
    a->focus_band_top = a->focus_band_bottom = -1;
    const char *root = opt->assets_dir ? opt->assets_dir : MEISTRING_SOURCE_ROOT;
    snprintf(a->assets, sizeof a->assets, "%s/assets", root);
    snprintf(a->fonts, sizeof a->fonts, "%s/fonts", root);
    if (opt->content_dir)
        snprintf(a->content, sizeof a->content, "%s", opt->content_dir);
    else
        snprintf(a->content, sizeof a->content, "%s/demo", a->assets);
    if (opt->data_dir)
        snprintf(a->data, sizeof a->data, "%s", opt->data_dir);
    else
        default_data_dir(a->data, sizeof a->data);
    if (opt->key_file)
        snprintf(a->keyfile, sizeof a->keyfile, "%s", opt->key_file);
    else
        snprintf(a->keyfile, sizeof a->keyfile, "%s/device.key", a->data);

    char err[512];
    const char *lang = opt->lang ? opt->lang : "nb";
    if (strcmp(lang, "nb") != 0 && strcmp(lang, "nn") != 0 && strcmp(lang, "en") != 0) {
        log_msg("unknown language \"%s\" (nb, nn or en)", lang);
        return false;
    }
    char path[640];
    snprintf(path, sizeof path, "%s/i18n/%s.txt", a->assets, lang);
    a->tr = i18n_load(path, err, sizeof err);
    if (!a->tr) {
        log_msg("cannot load UI strings: %s", err);
        return false;
    }
    /* A broken or full disk must not keep the patient from reading: fall back to a store in memory and say
     * on screen that the place will not be remembered. */
    if (opt->kiosk) {
        /* a kiosk: what one visitor writes must not outlive them, nor reach the disk at all */
        a->st = store_open(":memory:", NULL, err, sizeof err);
        if (!a->st) {
            log_msg("%s", err);
            return false;
        }
    } else if (make_dirs(a->data)) {
        snprintf(path, sizeof path, "%s/meistring.db", a->data);
        a->st = store_open(path, a->keyfile, err, sizeof err);
        if (!a->st) log_msg("%s (in %s)", err, a->data);
    } else {
        log_msg("cannot create the data directory %s: %s", a->data, strerror(errno));
    }
    if (!a->st) {
        a->memory_only = true;
        a->st = store_open(":memory:", NULL, err, sizeof err);
        if (!a->st) {
            log_msg("%s", err);
            return false;
        }
        log_msg("keeping the reading place in memory only: it will not survive a restart");
    }
    /* a tablet enrolled with a clinic reads what the clinic sent (synced into data/content); a server named
     * but not yet enrolled shows the enrolment screen over the demo */
    snprintf(a->synced_dir, sizeof a->synced_dir, "%s/content", a->data);
    char *token = store_sync_get(a->st, "token");
    char *server = opt->server ? strdup(opt->server) : store_sync_get(a->st, "server");
    snprintf(path, sizeof path, "%s/programme.json", a->synced_dir);
    struct stat sb;
    /* a store that cannot be opened (a full or broken disk) knows no token; the programme the clinic sent is
     * still on the disk and still the patient's: show it rather than the demonstration */
    bool synced_here = a->memory_only && !opt->kiosk && !opt->content_dir && stat(path, &sb) == 0;
    if (synced_here) snprintf(a->content, sizeof a->content, "%s", a->synced_dir);
    if (token && !opt->content_dir) {
        /* every programme put there passed the validator; if it has gone or been damaged since (a kill between
         * two renames, a careless hand), it is rebuilt from the verified files in the store */
        doc_error probe;
        if (stat(path, &sb) != 0 || doc_load_dir(a->synced_dir, &a->prog, &probe) != DOC_OK) {
            char merr[256];
            log_msg("the synced programme is missing or damaged; rebuilding it from the store");
            if (sync_materialize(a->st, a->synced_dir, merr, sizeof merr) != SYNC_OK) log_msg("%s", merr);
        }
        if (a->prog || stat(path, &sb) == 0) snprintf(a->content, sizeof a->content, "%s", a->synced_dir);
    }
    a->enrolling = server && !token && !synced_here; /* an unreadable store is not a new tablet */
    free(token);
    doc_error derr;
    if (!a->prog && doc_load_dir(a->content, &a->prog, &derr) != DOC_OK) {
        log_msg("cannot load the programme in %s: %s: %s", a->content, derr.where, derr.msg);
        return false;
    }
    if (a->prog->n_modules == 0) {
        log_msg("the programme has no modules");
        return false;
    }
    settings_load(&a->set, a->st);
    app_load_scores(a); /* whether home offers «Mine resultater» */
    /* hyphenation follows the content's language; without patterns, long words are split between letters */
    if (strcmp(a->prog->language, "en") != 0) {
        snprintf(path, sizeof path, "%s/hyph_%s_NO.dic", MEISTRING_HYPH_DIR, a->prog->language);
        a->hyph = hyph_open_lazy(path, err, sizeof err);
        if (!a->hyph) log_msg("no hyphenation: %s", err);
    }
    if (!load_visited(a)) {
        log_msg("out of memory");
        return false;
    }

    if (opt->headless) SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    /* Draw straight into the window's own framebuffer: otherwise SDL backs the window surface with a GL
     * texture, which pulls in the GL driver (Mesa's llvmpipe: ~60 MB of PSS) for nothing. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        log_msg("cannot start SDL video: %s", SDL_GetError());
        return false;
    }
    if (TTF_Init() != 0) {
        log_msg("cannot start SDL_ttf: %s", TTF_GetError());
        return false;
    }
    Uint32 flags = SDL_WINDOW_HIDDEN | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = opt->win_w, h = opt->win_h;
    if (w <= 0 || h <= 0) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        w = 800;
        h = 1280;
    } else if (!opt->headless) {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    a->win = SDL_CreateWindow("Meistring", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!a->win) {
        log_msg("cannot open a window: %s", SDL_GetError());
        return false;
    }
    /* software rendering: on tablets without a good GPU driver it costs ~11 MB less than GL (DESIGN §3) */
    a->sdl = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->sdl) {
        log_msg("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    SDL_GetRendererOutputSize(a->sdl, &a->w, &a->h);
    a->dp = opt->scale > 0 ? opt->scale : derive_scale(a->w, a->h);
    a->rn = ren_new(a->sdl, a->fonts, err, sizeof err);
    if (!a->rn) {
        log_msg("%s", err);
        return false;
    }
    a->th = theme_by_name(a->set.theme);
    view_init(&a->view);
    layout_para_init(&a->scratch);
    restore_place(a);
    if (server) {
        a->sync_event = SDL_RegisterEvents(1);
        snprintf(path, sizeof path, "%s/meistring.db", a->data);
        sync_config net = {.server = server, .pin_sha256 = opt->pin, .ca_file = opt->ca};
        if (a->sync_event != (Uint32)-1 && !a->memory_only)
            a->sync = syncer_start(&net, path, a->keyfile, a->synced_dir, a->sync_event);
        if (!a->sync) log_msg("cannot start syncing with the clinic");
        if (a->enrolling) a->screen = SCREEN_ENROL;
    }
    free(server);
    app_load_messages(a);
    a->dirty = true;
    if (opt->verbose) log_msg("window %dx%d px, %.2f px/dp, screen %s", a->w, a->h, a->dp, app_screen_name(a->screen));
    return true;
}

static void free_msgs(app *a);

void app_deinit(app *a) {
    syncer_stop(a->sync);
    free_msgs(a);
    free(a->msg_draft);
    ex_close(a);
    q_close(a);
    free(a->scores);
    edit_free(&a->ed);
    free(a->field_lines);
    speech_free(a->sp);
    free(a->line_tops);
    free(a->line_heights);
    screens_invalidate(a);
    free(a->screen_starts);
    pl_free(a->preview);
    layout_para_deinit(&a->scratch);
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
    i18n_free(a->tr);
    hyph_free(a->hyph);
}

/* ---- navigation ------------------------------------------------------------------------------------------ */

static void open_page(app *a, int page) {
    const doc_module *m = &a->prog->modules[a->module];
    if (page < 0 || (size_t)page >= m->n_pages) return;
    if (a->screen == SCREEN_PAGE && page != a->page) {
        a->turn_pending = true;
        a->turn_t0 = SDL_GetPerformanceCounter();
    }
    a->screen = SCREEN_PAGE;
    a->page = page;
    a->scroll_page = 0;
    a->pending_block = -1;
    a->kept_block = -1;
    int idx = a->page_base[a->module] + page;
    if (!a->visited[idx]) {
        if (store_mark_visited(a->st, a->prog->id, m->pages[page].id))
            a->visited[idx] = true;
        else
            log_msg("could not record a visited page: %s", store_last_error(a->st));
    }
    app_save_place(a);
}

/* Before anything that changes the page's layout (a resize, a new text size): remember the block at the top
 * and how far into it, so the next frame shows the same text. An anchor still waiting to be drawn wins. */
static void keep_place(app *a) {
    if (a->pending_block >= 0 || base_screen(a) != SCREEN_PAGE) return;
    if (a->kept_block >= 0 && a->scroll_page == a->kept_scroll) {
        a->pending_block = a->kept_block;
        a->pending_permille = a->kept_permille;
        return;
    }
    pagelayout *pl = screens_page_layout(a);
    if (pl) pl_anchor(pl, a->scroll_page, &a->pending_block, &a->pending_permille);
}

static void apply_settings(app *a) {
    a->th = theme_by_name(a->set.theme);
    if (!settings_save(&a->set, a->st)) log_msg("could not save the reading settings: %s", store_last_error(a->st));
}

/* The field of a settings struct by its name (the names describe and the harness use): a number or a word. */
static int *setting_number(settings *s, const char *name) {
    return strcmp(name, "text_pct") == 0     ? &s->text_pct
           : strcmp(name, "line_pct") == 0   ? &s->line_pct
           : strcmp(name, "para_pct") == 0   ? &s->para_pct
           : strcmp(name, "letter_pct") == 0 ? &s->letter_pct
           : strcmp(name, "word_pct") == 0   ? &s->word_pct
           : strcmp(name, "wpm") == 0        ? &s->wpm
           : strcmp(name, "speech_pct") == 0 ? &s->speech_pct
           : strcmp(name, "focus") == 0      ? &s->focus
                                             : NULL;
}

static char *setting_word(settings *s, const char *name, size_t *cap) {
    char *w = strcmp(name, "theme") == 0  ? s->theme
              : strcmp(name, "font") == 0 ? s->font
              : strcmp(name, "mode") == 0 ? s->mode
                                          : NULL;
    *cap = w == s->mode ? sizeof s->mode : sizeof s->theme;
    return w;
}

bool app_get_setting(app *a, const char *name, char *buf, size_t cap) {
    size_t wcap;
    int *number = setting_number(&a->set, name);
    char *word = setting_word(&a->set, name, &wcap);
    if (number)
        snprintf(buf, cap, "%d", *number);
    else if (word)
        snprintf(buf, cap, "%s", word);
    else
        return false;
    return true;
}

bool app_set_setting(app *a, const char *name, const char *value) {
    settings next = a->set;
    size_t wcap;
    int *number = setting_number(&next, name);
    char *word = setting_word(&next, name, &wcap);
    if (number)
        *number = atoi(value);
    else if (word)
        snprintf(word, wcap, "%s", value);
    else
        return false;
    /* validate through the store's rules: save, load back, and see that the value took */
    settings check;
    keep_place(a);
    a->set = next;
    apply_settings(a);
    settings_load(&check, a->st);
    a->set = check;
    a->th = theme_by_name(a->set.theme);
    screens_invalidate(a);
    a->dirty = true;
    return check.text_pct == next.text_pct && strcmp(check.theme, next.theme) == 0 &&
           strcmp(check.font, next.font) == 0 && strcmp(check.mode, next.mode) == 0 && check.wpm == next.wpm &&
           check.line_pct == next.line_pct && check.para_pct == next.para_pct && check.letter_pct == next.letter_pct &&
           check.word_pct == next.word_pct && check.speech_pct == next.speech_pct && check.focus == next.focus;
}

/* Paged reading, and the screens of the current page known from the last frame. */
static bool paged_here(const app *a) {
    return strcmp(a->set.mode, "paged") == 0 && a->n_screens > 0 && a->screens_for != NULL;
}

static void turn_screen(app *a, int idx) {
    if (idx < 0 || idx >= a->n_screens) return;
    a->turn_pending = true;
    a->turn_t0 = SDL_GetPerformanceCounter();
    a->scroll_page = a->screen_starts[idx];
    a->screen_idx = idx;
    a->pending_block = -1;
    a->kept_block = -1;
    a->dirty = true;
    app_save_place(a);
}

/* Moving on from a screen the patient has read: its words over the time it was shown teach the pace. */
static void learn_pace(app *a) {
    if (!paged_here(a) || a->screen_since == 0) return;
    const pagelayout *pl = a->screens_for;
    int y0 = a->screen_starts[a->screen_idx];
    int y1 = a->screen_idx + 1 < a->n_screens ? a->screen_starts[a->screen_idx + 1] : 1 << 30;
    double seconds = (SDL_GetTicks() - a->screen_since) / 1000.0;
    if (settings_learn_pace(&a->set, pl_words_between(pl, y0, y1), seconds)) apply_settings(a);
}

/* ---- read-aloud ------------------------------------------------------------------------------------------ */

/* Reads the current page aloud from unit `from` (its texts in reading order). */
/* Opens the read-aloud player on first use; false (and says why) when there is none. */
static bool speech_ready(app *a) {
    if (!a->sp) {
        char err[256];
        a->sp = speech_new("nb", err, sizeof err); /* the Norwegian voice reads nynorsk well enough too */
        if (!a->sp) {
            log_msg("read-aloud is off: %s", err);
            app_show_toast(a, app_tr(a, "speech.no_sound"), 5000);
            return false;
        }
        if (speech_silent(a->sp)) app_show_toast(a, app_tr(a, "speech.silent"), 5000);
    }
    return true;
}

/* Reads texts that are not a page (the scores as text): no word is lit on a page, and it ends where it ends. */
void app_speak_texts(app *a, const char *const *texts, int n) {
    if (n <= 0 || !speech_ready(a)) return;
    speech_play(a->sp, texts, n, 0, settings_speech_rate(a->set.speech_pct));
    a->speaking = true;
    a->sp_paused = false;
    a->sp_module = -1; /* not a page */
    a->sp_page = -1;
    a->sp_restart = false;
    a->hl_valid = false;
    a->dirty = true;
}

static void speak_from(app *a, int from) {
    pagelayout *pl = screens_page_layout(a);
    if (!pl || !speech_ready(a)) return;
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
static int first_unit_in_view(app *a) {
    pagelayout *pl = screens_page_layout(a);
    if (!pl) return 0;
    for (int u = 0; u < pl_unit_count(pl); u++) {
        int x, y, w, h;
        if (pl_unit_box(pl, u, 0, 1, &x, &y, &w, &h) && y + h > a->scroll_page) return u;
    }
    return 0;
}

static void speak_stop(app *a) {
    if (a->sp) speech_stop(a->sp);
    a->speaking = a->sp_paused = a->hl_valid = false;
    a->dirty = true;
}

/* Keeps the spoken word on screen: the screen that holds it (paged), or scrolled into the upper part. */
static void follow_word(app *a) {
    pagelayout *pl = screens_page_layout(a);
    int x, y, w, h;
    if (!pl || !pl_unit_box(pl, a->hl_unit, a->hl_start, a->hl_len, &x, &y, &w, &h)) return;
    if (strcmp(a->set.mode, "paged") == 0 && a->n_screens > 0 && a->screens_for == pl) {
        int idx = 0;
        while (idx + 1 < a->n_screens && a->screen_starts[idx + 1] <= y)
            idx++;
        if (idx != a->screen_idx) {
            a->screen_idx = idx;
            a->scroll_page = a->screen_starts[idx];
            app_save_place(a);
        }
        return;
    }
    int view_h = a->content_bottom - a->content_top - app_px(a, 40);
    if (y < a->scroll_page || y + h > a->scroll_page + view_h) {
        a->scroll_page = y - view_h / 3 > 0 ? y - view_h / 3 : 0;
        app_save_place(a);
    }
}

bool app_tick(app *a) {
    if (write_tick(a)) a->dirty = true;
    if (!a->speaking || !a->sp) return false;
    if (a->sp_restart && a->screen == SCREEN_PAGE && a->sp_module >= 0) {
        speak_from(a, first_unit_in_view(a));
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
            open_page(a, a->sp_page + 1);
            speak_from(a, 0);
        } else {
            speak_stop(a);
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
        follow_word(a);
        /* the focus ruler follows the voice */
        pagelayout *pl = screens_page_layout(a);
        int x, y, w, h;
        if (a->set.focus && pl && pl_unit_box(pl, a->hl_unit, a->hl_start, a->hl_len, &x, &y, &w, &h)) a->focus_y = y;
    }
    if (changed) a->dirty = true;
    return changed;
}

void app_show_toast(app *a, const char *msg, Uint32 ms) {
    snprintf(a->toast, sizeof a->toast, "%s", msg);
    a->toast_until = SDL_GetTicks() + ms;
}

void app_do(app *a, app_action act, int arg) {
    a->dirty = true;
    switch (act) {
    case ACT_NONE: break;
    case ACT_HELP:
        if (a->screen != SCREEN_HELP) {
            a->help_return = a->screen;
            a->screen = SCREEN_HELP;
            a->scroll_list = 0;
        }
        break;
    case ACT_AIDS:
        if (a->screen != SCREEN_AIDS && a->screen != SCREEN_HELP) {
            keep_place(a);
            a->aids_return = a->screen;
            a->screen = SCREEN_AIDS;
            a->scroll_list = 0;
        }
        break;
    case ACT_TEXT_BIGGER:
    case ACT_TEXT_SMALLER: {
        int pct = settings_text_step(a->set.text_pct, act == ACT_TEXT_BIGGER ? 1 : -1);
        if (pct != a->set.text_pct) {
            keep_place(a);
            a->set.text_pct = pct;
            screens_invalidate(a);
            apply_settings(a);
        }
        break;
    }
    case ACT_THEME:
        if (arg >= 0 && (size_t)arg < THEME_COUNT) {
            snprintf(a->set.theme, sizeof a->set.theme, "%s", THEMES[arg]->name);
            apply_settings(a);
        }
        break;
    case ACT_SPEAK:
        if (a->screen != SCREEN_PAGE) break;
        if (!a->speaking) {
            speak_from(a, first_unit_in_view(a));
        } else {
            a->sp_paused = !a->sp_paused;
            speech_pause(a->sp, a->sp_paused);
        }
        break;
    case ACT_SPEAK_STOP: speak_stop(a); break;
    case ACT_SPEAK_SLOWER:
    case ACT_SPEAK_FASTER: {
        int pct = settings_speech_step(a->set.speech_pct, act == ACT_SPEAK_FASTER ? 1 : -1);
        if (pct != a->set.speech_pct) {
            a->set.speech_pct = pct;
            apply_settings(a);
            /* the new speed from the word being spoken */
            if (a->speaking && !a->sp_paused && a->screen == SCREEN_PAGE)
                speak_from(a, a->hl_valid ? a->hl_unit : first_unit_in_view(a));
        }
        break;
    }
    case ACT_FOCUS:
        if (arg == 0 || arg == 1 || arg == 3 || arg == 5) {
            a->set.focus = arg;
            apply_settings(a);
        }
        break;
    case ACT_MESSAGES: {
        app_load_messages(a);
        long long newest = 0;
        for (int i = 0; i < a->n_msgs; i++)
            if (!a->msgs[i].from_patient && a->msgs[i].server_id > newest) newest = a->msgs[i].server_id;
        char v[32];
        snprintf(v, sizeof v, "%lld", newest);
        store_set_setting(a->st, "messages.seen", v);
        a->unread = 0;
        if (a->screen != SCREEN_MESSAGES) {
            a->screen = SCREEN_MESSAGES;
            a->scroll_list = 0;
        }
        break;
    }
    case ACT_SYNC_NOW:
        if (a->sync) syncer_now(a->sync);
        break;
    case ACT_WRITE:
        write_open(a, "message", SCREEN_MESSAGES);
        app_save_place(a);
        break;
    case ACT_KEY: write_key(a, arg); break; /* on release; a held backspace repeats (write_tick) */
    case ACT_SEND: write_send(a); break;
    case ACT_EXERCISE:
        if (a->screen == SCREEN_PAGE) {
            app_save_place(a);
            ex_open(a, arg);
        }
        break;
    case ACT_EX_VALUE: ex_value(a, arg >> 12, arg & 0xFFF); break;
    case ACT_EX_TEXT: ex_text(a, arg); break;
    case ACT_EX_DONE: ex_done(a); break;
    case ACT_EX_CELL: ex_cell(a, arg >> 16, (arg >> 8) & 0xFF, arg & 0xFF); break;
    case ACT_EX_TODAY: ex_cell_today(a, arg >> 16, (arg >> 8) & 0xFF, arg & 0xFF); break;
    case ACT_EX_ADD_ROW: ex_add_row(a, arg); break;
    case ACT_EX_CELL_NUM: ex_cell_step(a, arg); break;
    case ACT_QUEST:
        if (a->screen == SCREEN_PAGE) {
            app_save_place(a);
            q_open(a, arg);
        }
        break;
    case ACT_Q_OPTION: q_choose(a, arg); break;
    case ACT_Q_PREV: q_step(a, -1); break;
    case ACT_Q_NEXT: q_step(a, +1); break;
    case ACT_Q_SUBMIT: q_submit(a); break;
    case ACT_SPEAK_SCORES:
        if (a->speaking)
            speak_stop(a);
        else
            screens_speak_scores(a);
        break;
    case ACT_SCORES:
        app_load_scores(a);
        a->scores_return = a->screen;
        a->screen = SCREEN_SCORES;
        a->scroll_list = 0;
        break;
    case ACT_UNDO: write_undo(a); break;
    case ACT_RESEND: write_resend(a, arg); break;
    case ACT_DIGIT: {
        size_t n = strlen(a->code);
        if (arg >= 0 && arg <= 9 && n < 8) {
            a->code[n] = (char)('0' + arg);
            a->code[n + 1] = '\0';
        } else if (arg == 10 && n > 0) {
            a->code[n - 1] = '\0';
        } else if (arg == 11 && n == 8 && a->sync) {
            syncer_enrol(a->sync, a->code);
            app_show_toast(a, app_tr(a, "enrol.connecting"), 4000);
        }
        break;
    }
    case ACT_MODE:
        if (arg == 0 || arg == 1) {
            keep_place(a);
            snprintf(a->set.mode, sizeof a->set.mode, "%s", arg == 0 ? "paged" : "scroll");
            apply_settings(a);
        }
        break;
    case ACT_SPACING_LESS:
    case ACT_SPACING_MORE:
        if (arg >= 0 && arg < SPACING_COUNT) {
            int v = settings_spacing_step(&a->set, (settings_spacing)arg, act == ACT_SPACING_MORE ? 1 : -1);
            if (v != settings_spacing_get(&a->set, (settings_spacing)arg)) {
                keep_place(a);
                settings_spacing_set(&a->set, (settings_spacing)arg, v);
                screens_invalidate(a);
                apply_settings(a);
            }
        }
        break;
    case ACT_FONT: {
        static const char *const fonts[] = {"sans", "serif", "dyslexic"};
        if (arg >= 0 && arg < 3 && strcmp(a->set.font, fonts[arg]) != 0) {
            keep_place(a);
            snprintf(a->set.font, sizeof a->set.font, "%s", fonts[arg]);
            screens_invalidate(a);
            apply_settings(a);
        }
        break;
    }
    case ACT_BACK:
        if (a->screen == SCREEN_WRITE) {
            write_close(a);
            app_save_place(a);
        } else if (a->screen == SCREEN_EXERCISE) {
            ex_done(a); /* everything is saved already; leaving queues it for the therapist */
        } else if (a->screen == SCREEN_QUEST) {
            q_close(a); /* the answers so far are in their draft */
            a->screen = SCREEN_PAGE;
        } else if (a->screen == SCREEN_SCORES) {
            if (a->speaking && a->sp_module < 0) speak_stop(a); /* the scores were being read */
            a->screen = a->scores_return;
            a->scroll_list = 0;
        } else if (a->screen == SCREEN_AIDS) {
            a->screen = a->aids_return;
            a->scroll_list = 0;
        } else if (a->screen == SCREEN_HELP) {
            a->screen = a->help_return;
            a->scroll_list = 0;
        } else if (a->screen == SCREEN_PAGE) {
            app_save_place(a);
            speak_stop(a);
            a->screen = SCREEN_MODULE;
            a->scroll_list = 0;
        } else if (a->screen == SCREEN_MODULE || a->screen == SCREEN_MESSAGES) {
            a->screen = SCREEN_HOME;
            a->scroll_list = 0;
        }
        app_save_place(a);
        break;
    case ACT_HOME:
        if (a->screen == SCREEN_PAGE) app_save_place(a);
        a->screen = SCREEN_HOME;
        a->scroll_list = 0;
        app_save_place(a);
        break;
    case ACT_OPEN_MODULE:
        if (arg >= 0 && (size_t)arg < a->prog->n_modules && a->prog->modules[arg].unlocked) {
            a->module = arg;
            a->screen = SCREEN_MODULE;
            a->scroll_list = 0;
            app_save_place(a);
        }
        break;
    case ACT_LOCKED: {
        const doc_module *m = arg >= 0 && (size_t)arg < a->prog->n_modules ? &a->prog->modules[arg] : NULL;
        const doc_block *gate = m ? doc_module_gate(a->prog, m) : NULL;
        char msg[400];
        if (gate) {
            const char *args[1] = {gate->title};
            i18n_format(msg, sizeof msg, app_tr(a, "module.locked_after_toast"), 1, args);
        }
        app_show_toast(a, gate ? msg : app_tr(a, "module.locked_toast"), 4000);
        break;
    }
    case ACT_OPEN_PAGE: open_page(a, arg); break;
    case ACT_RESUME: {
        const doc_module *m = &a->prog->modules[a->module];
        store_position pos;
        int page = 0, block = -1, permille = 0;
        if (store_get_position(a->st, a->prog->id, m->id, &pos)) {
            int p = doc_find_page(m, pos.page);
            if (p >= 0) {
                page = p;
                block = doc_find_block(&m->pages[p], pos.block);
                permille = pos.offset_permille;
            }
        }
        open_page(a, page);
        a->pending_block = block;
        a->pending_permille = permille;
        break;
    }
    case ACT_PREV_PAGE:
        if (a->screen != SCREEN_PAGE) break;
        if (a->speaking && !a->sp_paused) a->sp_restart = true;
        if (paged_here(a) && a->screen_idx > 0) {
            turn_screen(a, a->screen_idx - 1);
        } else if (a->page > 0) {
            bool paged = paged_here(a);
            open_page(a, a->page - 1);
            a->to_last_screen = paged;
        }
        break;
    case ACT_NEXT_PAGE:
        if (a->screen != SCREEN_PAGE) break;
        if (a->speaking && !a->sp_paused) a->sp_restart = true;
        learn_pace(a);
        if (paged_here(a) && a->screen_idx + 1 < a->n_screens)
            turn_screen(a, a->screen_idx + 1);
        else if ((size_t)a->page + 1 < a->prog->modules[a->module].n_pages)
            open_page(a, a->page + 1);
        else if (paged_here(a))
            app_do(a, ACT_FINISH_MODULE, 0);
        break;
    case ACT_FINISH_MODULE:
        a->screen = SCREEN_MODULE;
        a->scroll_list = 0;
        app_save_place(a);
        app_show_toast(a, app_tr(a, "module.finished_toast"), 4000);
        break;
    }
}

/* ---- input ------------------------------------------------------------------------------------------------- */

static int *current_scroll(app *a) { return a->screen == SCREEN_PAGE ? &a->scroll_page : &a->scroll_list; }

static void scroll_by(app *a, int dy) {
    int *s = current_scroll(a);
    int v = *s + dy;
    if (v > a->max_scroll) v = a->max_scroll;
    if (v < 0) v = 0;
    if (v != *s) {
        *s = v;
        a->dirty = true;
    }
}

static void pointer_down(app *a, int x, int y, Uint32 t) {
    if (a->screen == SCREEN_WRITE) {
        if (write_pointer_down(a, x, y)) return; /* caret or selection in the field */
        const view_elem *k = view_hit(&a->view, x, y);
        if (k && k->action == ACT_KEY) write_key_down(a, k->arg);
    }
    a->down = true;
    a->dragging = false;
    a->down_x = a->last_x = x;
    a->down_y = a->last_y = y;
    a->down_t = t;
    a->scroll_at_down = *current_scroll(a);
    a->focus_drag = a->screen == SCREEN_PAGE && a->set.focus && a->focus_band_top >= 0 &&
                    y >= a->focus_band_top - app_px(a, 24) && y <= a->focus_band_bottom + app_px(a, 24);
}

static void pointer_move(app *a, int x, int y) {
    if (a->field_drag) {
        write_pointer_move(a, x, y);
        return;
    }
    if (!a->down) return;
    int slop = app_px(a, 10);
    if (!a->dragging && (abs(x - a->down_x) > slop || abs(y - a->down_y) > slop)) a->dragging = true;
    if (a->dragging && a->focus_drag) {
        /* the ruler follows the finger */
        a->focus_y = y - a->page_origin + a->scroll_page;
        a->dirty = true;
    } else if (a->dragging) {
        /* vertical drags scroll; horizontal ones are judged as a swipe on release */
        int dy = y - a->down_y, dx = x - a->down_x;
        if (abs(dy) >= abs(dx) / 2 && !(a->screen == SCREEN_PAGE && paged_here(a))) {
            int *s = current_scroll(a);
            int v = a->scroll_at_down - dy;
            if (v > a->max_scroll) v = a->max_scroll;
            if (v < 0) v = 0;
            if (v != *s) {
                *s = v;
                a->dirty = true;
            }
        }
    }
    a->last_x = x;
    a->last_y = y;
}

static void pointer_up(app *a, int x, int y, Uint32 t) {
    if (write_pointer_up(a, x, y)) {
        a->down = a->dragging = false;
        return;
    }
    if (!a->down) return;
    a->down = false;
    int dx = x - a->down_x, dy = y - a->down_y;
    if (a->dragging && a->focus_drag) {
        a->dragging = a->focus_drag = false;
        return;
    }
    if (a->dragging) {
        Uint32 dt = t - a->down_t;
        bool horizontal = abs(dx) > 2 * abs(dy);
        /* a swipe: far enough, or short but quick (a flick) */
        bool swipe = horizontal && (abs(dx) > a->w / 5 || (abs(dx) > app_px(a, 48) && dt < 300));
        bool vswipe = abs(dy) > 2 * abs(dx) && (abs(dy) > a->h / 5 || (abs(dy) > app_px(a, 48) && dt < 300));
        if (swipe && a->screen == SCREEN_PAGE) {
            *current_scroll(a) = a->scroll_at_down;
            app_do(a, dx < 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
        } else if (vswipe && a->screen == SCREEN_PAGE && paged_here(a)) {
            /* paged: pushing the page up shows the next screen, as scrolling would */
            app_do(a, dy < 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
        } else if (a->screen == SCREEN_PAGE) {
            app_save_place(a); /* the scroll has settled: remember it */
        }
        a->dragging = false;
        return;
    }
    const view_elem *e = view_hit(&a->view, x, y);
    if (e) {
        app_do(a, (app_action)e->action, e->arg);
        return;
    }
    /* while reading aloud, a tap on a text reads on from there */
    if (a->speaking && a->screen == SCREEN_PAGE && y > a->content_top && y < a->content_bottom) {
        pagelayout *pl = screens_page_layout(a);
        int u = pl ? pl_unit_at(pl, x - a->page_x, y - a->page_origin + a->scroll_page) : -1;
        if (u >= 0) {
            speak_from(a, u);
            return;
        }
    }
    /* a glossary term explains itself */
    if (a->screen == SCREEN_PAGE && y > a->content_top && y < a->content_bottom) {
        pagelayout *pl = screens_page_layout(a);
        const char *term, *expl;
        if (pl && pl_term_at(pl, x - a->page_x, y - a->page_origin + a->scroll_page, &term, &expl)) {
            char msg[sizeof a->toast];
            snprintf(msg, sizeof msg, "%s: %s", term, expl);
            app_show_toast(a, msg, 10000);
            a->dirty = true;
            return;
        }
    }
    /* a tap anywhere else puts a message away */
    if (a->toast[0]) {
        a->toast[0] = '\0';
        a->dirty = true;
        return;
    }
    /* tap zones: the outer sixth of the reading area turns the page, like a book; paged reading has big
     * zones, a third of the width on each side. With the focus ruler on, the zones are an eighth and a tap
     * anywhere else moves the ruler there. */
    if (a->screen == SCREEN_PAGE && y > a->content_top && y < a->content_bottom) {
        int zone = a->set.focus ? a->w / 8 : paged_here(a) ? a->w / 3 : a->w / 6;
        if (a->set.focus && x >= zone && x <= a->w - zone) {
            a->focus_y = y - a->page_origin + a->scroll_page;
            a->dirty = true;
            return;
        }
        if (x < zone)
            app_do(a, ACT_PREV_PAGE, 0);
        else if (x > a->w - zone)
            app_do(a, ACT_NEXT_PAGE, 0);
    }
}

/* Moves the focus ruler one line (dir ±1); at the edge of the screen it turns the screen (paged) or scrolls. */
static void focus_step(app *a, int dir) {
    pagelayout *pl = screens_page_layout(a);
    int n = pl ? screens_lines(a, pl) : 0;
    if (n == 0) return;
    int idx = 0;
    while (idx + 1 < n && a->line_tops[idx + 1] <= a->focus_y)
        idx++;
    int next = idx + dir;
    if (next < 0 || next >= n) {
        app_do(a, dir > 0 ? ACT_NEXT_PAGE : ACT_PREV_PAGE, 0);
        a->focus_y = -1;
        return;
    }
    int top = a->line_tops[next], bottom = top + a->line_heights[next];
    int view_h = a->content_bottom - a->content_top - app_px(a, 28);
    if (paged_here(a)) {
        int end = a->screen_idx + 1 < a->n_screens ? a->screen_starts[a->screen_idx + 1] : 1 << 30;
        if (top >= end || top < a->scroll_page) {
            turn_screen(a, a->screen_idx + (dir > 0 ? 1 : -1));
        }
    } else if (bottom > a->scroll_page + view_h) {
        a->scroll_page = bottom - view_h;
    } else if (top < a->scroll_page) {
        a->scroll_page = top;
    }
    a->focus_y = top;
    a->dirty = true;
}

static void key_down(app *a, SDL_Keycode k) {
    if (a->screen == SCREEN_ENROL) {
        if (k >= SDLK_0 && k <= SDLK_9)
            app_do(a, ACT_DIGIT, (int)(k - SDLK_0));
        else if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
            app_do(a, ACT_DIGIT, (int)(k - SDLK_KP_1) + 1);
        else if (k == SDLK_KP_0)
            app_do(a, ACT_DIGIT, 0);
        else if (k == SDLK_BACKSPACE)
            app_do(a, ACT_DIGIT, 10);
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
            app_do(a, ACT_DIGIT, 11);
        else if (k == SDLK_F1)
            app_do(a, ACT_HELP, 0);
        return;
    }
    if (a->screen == SCREEN_PAGE && a->set.focus && (k == SDLK_UP || k == SDLK_DOWN)) {
        focus_step(a, k == SDLK_DOWN ? 1 : -1);
        return;
    }
    if (a->screen == SCREEN_PAGE && paged_here(a)) {
        /* paged: every "onwards" key turns a screen */
        switch (k) {
        case SDLK_DOWN:
        case SDLK_PAGEDOWN:
        case SDLK_SPACE: app_do(a, ACT_NEXT_PAGE, 0); return;
        case SDLK_UP:
        case SDLK_PAGEUP: app_do(a, ACT_PREV_PAGE, 0); return;
        case SDLK_HOME: turn_screen(a, 0); return;
        case SDLK_END: turn_screen(a, a->n_screens - 1); return;
        default: break;
        }
    }
    int view_h = a->content_bottom - a->content_top;
    if (a->screen != SCREEN_PAGE || view_h <= 0) view_h = a->h * 3 / 4;
    switch (k) {
    case SDLK_LEFT: app_do(a, ACT_PREV_PAGE, 0); break;
    case SDLK_RIGHT: app_do(a, ACT_NEXT_PAGE, 0); break;
    case SDLK_UP: scroll_by(a, -view_h / 8); break;
    case SDLK_DOWN: scroll_by(a, view_h / 8); break;
    case SDLK_PAGEUP: scroll_by(a, -view_h * 9 / 10); break;
    case SDLK_PAGEDOWN:
    case SDLK_SPACE: scroll_by(a, view_h * 9 / 10); break;
    case SDLK_HOME: scroll_by(a, -1000000); break;
    case SDLK_END: scroll_by(a, 1000000); break;
    case SDLK_ESCAPE:
    case SDLK_AC_BACK:
    case SDLK_BACKSPACE: app_do(a, ACT_BACK, 0); break;
    case SDLK_F1: app_do(a, ACT_HELP, 0); break;
    case SDLK_PLUS:
    case SDLK_KP_PLUS:
    case SDLK_EQUALS: app_do(a, ACT_TEXT_BIGGER, 0); break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS: app_do(a, ACT_TEXT_SMALLER, 0); break;
    default: return;
    }
    if (a->screen == SCREEN_PAGE && k != SDLK_LEFT && k != SDLK_RIGHT) app_save_place(a);
}

static float finger_distance(const app *a) {
    float dx = a->finger_x[0] - a->finger_x[1], dy = a->finger_y[0] - a->finger_y[1];
    return SDL_sqrtf(dx * dx + dy * dy);
}

/* Two-finger pinch in the reader: spreading the fingers makes the text bigger, one step for every 20 % of
 * distance, pinching makes it smaller; the place on the page is kept as for any size change. */
static void finger_event(app *a, const SDL_TouchFingerEvent *f) {
    float x = f->x * (float)a->w, y = f->y * (float)a->h;
    int slot = -1;
    for (int i = 0; i < a->fingers; i++)
        if (a->finger_id[i] == f->fingerId) slot = i;
    if (f->type == SDL_FINGERDOWN) {
        if (slot < 0 && a->fingers < 2) slot = a->fingers++;
        if (slot < 0) return;
        a->finger_id[slot] = f->fingerId;
        a->finger_x[slot] = x;
        a->finger_y[slot] = y;
        if (a->fingers == 2 && a->screen == SCREEN_PAGE) {
            a->pinching = true;
            a->pinch_dist = finger_distance(a);
            a->down = a->dragging = false; /* the first finger's drag is not a swipe after all */
        }
    } else if (f->type == SDL_FINGERMOTION && slot >= 0) {
        a->finger_x[slot] = x;
        a->finger_y[slot] = y;
        if (a->pinching && a->fingers == 2 && a->pinch_dist > 1) {
            float d = finger_distance(a);
            if (d > a->pinch_dist * 1.2f) {
                app_do(a, ACT_TEXT_BIGGER, 0);
                a->pinch_dist = d;
            } else if (d < a->pinch_dist / 1.2f) {
                app_do(a, ACT_TEXT_SMALLER, 0);
                a->pinch_dist = d;
            }
        }
    } else if (f->type == SDL_FINGERUP && slot >= 0) {
        a->finger_id[slot] = a->finger_id[a->fingers - 1];
        a->finger_x[slot] = a->finger_x[a->fingers - 1];
        a->finger_y[slot] = a->finger_y[a->fingers - 1];
        a->fingers--;
        if (a->fingers == 0) a->pinching = false;
    }
}

static void add_msg(void *ctx, const store_message *m) {
    app *a = ctx;
    struct app_msg *n = realloc(a->msgs, (size_t)(a->n_msgs + 1) * sizeof *n);
    if (!n) return;
    a->msgs = n;
    n[a->n_msgs++] = (struct app_msg){strdup(m->body),  strdup(m->written_at),
                                      strdup(m->state), m->client_id ? strdup(m->client_id) : NULL,
                                      m->from_patient,  m->server_id};
}

static void free_msgs(app *a) {
    for (int i = 0; i < a->n_msgs; i++) {
        free(a->msgs[i].body);
        free(a->msgs[i].when);
        free(a->msgs[i].state);
        free(a->msgs[i].client_id);
    }
    free(a->msgs);
    a->msgs = NULL;
    a->n_msgs = 0;
}

void app_load_messages(app *a) {
    free_msgs(a);
    free(a->msg_draft);
    a->msg_draft = store_draft_get(a->st, "message", NULL);
    if (!store_each_message(a->st, add_msg, a)) /* names the row, never its text */
        log_msg("some messages could not be read: %s", store_last_error(a->st));
    /* unread: the therapist's messages newer than the last one the patient had on screen */
    char seen[32];
    long long last_seen = store_get_setting(a->st, "messages.seen", seen, sizeof seen) ? atoll(seen) : 0;
    a->unread = 0;
    for (int i = 0; i < a->n_msgs; i++)
        if (!a->msgs[i].from_patient && a->msgs[i].server_id > last_seen) a->unread++;
}

/* New content from the clinic: load it, keep the patient's place by ids (a module may have just opened). */
static void reload_programme(app *a) {
    doc_programme *np = NULL;
    doc_error derr;
    if (doc_load_dir(a->synced_dir, &np, &derr) != DOC_OK) {
        log_msg("the synced programme does not load: %s: %s", derr.where, derr.msg);
        return;
    }
    char mod[72] = "", page[72] = "";
    if (!a->enrolling && (size_t)a->module < a->prog->n_modules) {
        snprintf(mod, sizeof mod, "%s", a->prog->modules[a->module].id);
        if ((size_t)a->page < a->prog->modules[a->module].n_pages)
            snprintf(page, sizeof page, "%s", a->prog->modules[a->module].pages[a->page].id);
    }
    speak_stop(a);
    screens_invalidate(a);
    pl_free(a->preview);
    a->preview = NULL;
    doc_programme_free(a->prog);
    a->prog = np;
    snprintf(a->content, sizeof a->content, "%s", a->synced_dir);
    free(a->visited);
    free(a->page_base);
    a->visited = NULL;
    a->page_base = NULL;
    load_visited(a);
    const doc_module *m = mod[0] ? doc_find_module(np, mod) : NULL;
    int p = m ? doc_find_page(m, page) : -1;
    if (a->enrolling || !m || (a->screen == SCREEN_PAGE && p < 0)) {
        a->screen = SCREEN_HOME;
        a->module = a->page = 0;
    } else {
        a->module = (int)(m - np->modules);
        if (p >= 0) a->page = p;
    }
    a->enrolling = false;
    a->dirty = true;
}

void app_handle_event(app *a, const SDL_Event *e) {
    if (a->sync && e->type == a->sync_event) {
        a->sync_status = syncer_get_status(a->sync);
        app_load_messages(a);
        if (a->screen == SCREEN_MESSAGES) app_do(a, ACT_MESSAGES, 0); /* mark what just arrived as seen */
        if (e->user.code == SYNCER_CONTENT) {
            if (a->enrolling) a->toast[0] = '\0'; /* "connecting …" is done */
            reload_programme(a);
        }
        if (a->screen == SCREEN_ENROL && a->sync_status.enrol_failed) {
            app_show_toast(a, app_tr(a, "enrol.failed"), 6000);
            a->code[0] = '\0';
        }
        a->dirty = true;
        return;
    }
    /* while two fingers pinch, the mouse events SDL makes from the first finger mean nothing */
    if (a->pinching && (e->type == SDL_MOUSEMOTION || e->type == SDL_MOUSEBUTTONUP || e->type == SDL_MOUSEBUTTONDOWN) &&
        e->button.which == SDL_TOUCH_MOUSEID)
        return;
    switch (e->type) {
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: finger_event(a, &e->tfinger); break;
    case SDL_QUIT: a->quit = true; break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) pointer_down(a, e->button.x, e->button.y, e->button.timestamp);
        break;
    case SDL_MOUSEMOTION: pointer_move(a, e->motion.x, e->motion.y); break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT) pointer_up(a, e->button.x, e->button.y, e->button.timestamp);
        break;
    case SDL_MOUSEWHEEL: scroll_by(a, -e->wheel.y * app_px(a, 60)); break;
    case SDL_KEYDOWN:
        if (!write_keydown(a, e->key.keysym.sym, e->key.keysym.mod)) key_down(a, e->key.keysym.sym);
        break;
    case SDL_TEXTINPUT: write_text(a, e->text.text); break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            keep_place(a);
            SDL_GetRendererOutputSize(a->sdl, &a->w, &a->h);
            if (a->opt.scale <= 0) a->dp = derive_scale(a->w, a->h);
            screens_invalidate(a);
        }
        a->dirty = true;
        break;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET: a->dirty = true; break;
    default: break;
    }
}

void app_draw(app *a, bool present) {
    double t0 = app_now_ms(a);
    if (a->toast[0] && SDL_TICKS_PASSED(SDL_GetTicks(), a->toast_until)) a->toast[0] = '\0';
    view_reset(&a->view);
    uint32_t bg = a->th->ink[INK_BG];
    SDL_SetRenderDrawColor(a->sdl, (Uint8)(bg >> 24), (Uint8)(bg >> 16), (Uint8)(bg >> 8), 0xFF);
    SDL_RenderClear(a->sdl);
    a->dirty = false; /* before drawing: a screen that finds it must draw again (a scroll clamped) says so */
    screens_draw(a);
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
    if (!a->first_frame_done) {
        a->first_frame_done = true;
        a->first_frame_ms =
            (double)(SDL_GetPerformanceCounter() - a->t_start) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        SDL_ShowWindow(a->win); /* shown only once there is something to show */
    }
}

int app_run(app *a) {
    while (!a->quit) {
        if (a->dirty) app_draw(a, true);
        SDL_Event e;
        int got;
        int kb_ms = write_next_timer_ms(a);
        if (kb_ms >= 0) {
            /* a held backspace repeats: wake when it is due */
            got = SDL_WaitEventTimeout(&e, kb_ms > 0 ? kb_ms : 1);
            if (write_tick(a)) a->dirty = true;
        } else if (a->speaking && !a->sp_paused) {
            /* the only timer of the client: the spoken word moves about four times a second */
            got = SDL_WaitEventTimeout(&e, 40);
            app_tick(a);
        } else if (a->toast[0]) {
            Sint32 left = (Sint32)(a->toast_until - SDL_GetTicks());
            got = SDL_WaitEventTimeout(&e, left > 0 ? left : 1);
            if (!got && SDL_TICKS_PASSED(SDL_GetTicks(), a->toast_until)) a->dirty = true;
        } else {
            got = SDL_WaitEvent(&e);
        }
        if (got) {
            app_handle_event(a, &e);
            while (SDL_PollEvent(&e))
                app_handle_event(a, &e);
        }
    }
    app_save_place(a);
    return 0;
}
