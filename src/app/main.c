/* main.c — command line of the Meistring client: parse options, then run the reader, a headless script,
 * or the content validator. Everything else lives in app.c and the rooms it starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>

#include "a11y.h"
#include "app.h"
#include "kiosk.h"
#include "readaloud.h"
#include "script.h"
#include "meistring/client_config.h"
#include "meistring/kiosk_config.h"
#include "meistring/sync.h"

static void usage(FILE *out) {
    fputs("Usage: meistring [OPTION]...\n"
          "Meistring: the tablet and kiosk client for guided internet CBT. With no options it shows the\n"
          "bundled demonstration programme fullscreen.\n"
          "\n"
          "  --window WxH        run in a window of W×H pixels instead of fullscreen\n"
          "  --headless WxH      run with no display at W×H pixels (needs --script)\n"
          "  --script FILE       run the steps in FILE (docs/harness.md), then exit\n"
          "  --content DIR       read the programme from DIR (docs/content-format.md) instead of the demo\n"
          "  --data-dir DIR      keep the reading place and settings in DIR\n"
          "                      (default: $XDG_DATA_HOME/meistring or ~/.local/share/meistring)\n"
          "  --key FILE          the device key that unlocks the patient's text in the data dir\n"
          "                      (default: device.key in the data dir; docs/encryption.md)\n"
          "  --lang nb|nn|en     language of the interface (default nb, bokmål)\n"
          "  --scale F           pixels per dp (default: from the screen size)\n"
          "  --assets DIR        where assets/ and fonts/ are (default: installed beside the\n"
          "                      program, else the source tree)\n"
          "  --validate DIR      check a content directory, print every problem, exit 0 when valid\n"
          "  --server URL        the clinic's sync server (https://…; http:// on loopback only)\n"
          "  --config FILE       the tablet's settings (server, pin, ca), read when no --server is given\n"
          "                      (default: " MS_CLIENT_DEFAULT_CONFIG ", if it exists; with --headless,\n"
          "                      only the one named)\n"
          "  --enrol CODE        enrol this tablet with the clinic's one-time code (needs a server)\n"
          "  --pin sha256//B64   accept only the server key with this SHA-256 (curl's public-key pin;\n"
          "                      several, a backup among them, separated by ';')\n"
          "  --ca FILE           trust the certificate authorities in FILE (PEM) instead of the system's\n"
          "  --sync-once         sync once with the server and exit (no screen)\n"
          "  --net-module FILE   the network module (meistring-net.so; by default next to this program, then\n"
          "                      in " MEISTRING_NET_MODULE_DIR "); loaded only when a server is configured\n"
          "  --kiosk             a waiting-room demonstration: everything in memory, nothing written to disk,\n"
          "                      reset when left alone, no way out but the staff PIN (docs/kiosk.md)\n"
          "  --kiosk-config FILE the kiosk's configuration (default " MS_KIOSK_DEFAULT_CONFIG "); the kiosk\n"
          "                      does not start without a valid one (docs/kiosk-config.md)\n"
          "  --kiosk-hash-pin    asks for a staff PIN twice and prints its pin_hash line for the kiosk's\n"
          "                      configuration (docs/kiosk-config.md)\n"
          "  --a11y              make every screen readable by a screen reader (Orca, over AT-SPI); on by\n"
          "                      itself when the desktop's screen reader runs (the accessibility bus says so,\n"
          "                      or GNOME_ACCESSIBILITY=1 or QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1; in the kiosk\n"
          "                      only its configuration's screen_reader = yes); needs at-spi2-core\n"
          "  --no-a11y           never, whatever the desktop says\n"
          "  --a11y-module FILE  the screen-reader module (meistring-a11y.so; by default next to this program,\n"
          "                      then in " MEISTRING_NET_MODULE_DIR "); loaded only with a screen reader\n"
          "  --stats             print frame and page-turn times at exit\n"
          "  --verbose           log start-up details\n"
          "  --version, --help\n",
          out);
}

/* --enrol CODE and --sync-once: the sync engine without a screen, for clinic staff scripts and tests. */
static int sync_command(const char *server, const char *pin, const char *ca, const char *data_dir,
                        const char *key_file, const char *code, bool once) {
    if (!server) {
        fprintf(stderr, "meistring: --enrol and --sync-once need a server: --server URL, or server in " MS_CLIENT_DEFAULT_CONFIG "\n");
        return 2;
    }
    /* the same places the client uses (paths.h): a new programme is written and validated under the data
     * directory's content.new before it replaces content */
    ms_paths paths;
    char err[600];
    if (paths_resolve(&paths, data_dir, key_file, err, sizeof err) != PATHS_OK ||
        paths_make_data_dir(&paths, err, sizeof err) != PATHS_OK) {
        fprintf(stderr, "meistring: %s\n", err);
        return 1;
    }
    store *st = store_open(paths.db, paths.key, err, sizeof err);
    if (!st) {
        fprintf(stderr, "meistring: %s\n", err);
        return 1;
    }
    if (store_locked(st)) { /* the token is sealed under the patient's PIN: only the app, unlocked, can sync */
        fprintf(stderr, "meistring: this tablet's data is locked under the patient's PIN; it syncs from the app "
                        "once unlocked\n");
        store_close(st);
        return 1;
    }
    sync_config cfg = {.server = server, .pin_sha256 = pin, .ca_file = ca, .content_dir = paths.content};
    sync_engine *s = sync_new(&cfg);
    sync_report rep;
    sync_result r = SYNC_OK;
    if (s && code) {
        r = sync_enrol(s, st, code, NULL, &rep);
        printf("enrol: %s%s%s\n", r == SYNC_OK ? "ok" : "failed", rep.msg[0] ? ": " : "", rep.msg);
    }
    if (s && once && r == SYNC_OK) {
        r = sync_once(s, st, &rep);
        printf("sync: %s, %d files, %d items, %d sent, %ld bytes in, %ld out%s%s\n", r == SYNC_OK ? "ok" : "failed",
               rep.blobs_fetched, rep.items, rep.messages_sent, rep.bytes_in, rep.bytes_out, rep.msg[0] ? ": " : "",
               rep.msg);
    }
    sync_free(s);
    store_close(st);
    return s && r == SYNC_OK ? 0 : 1;
}

/* Before anything else: the patient's text is decrypted in this process's memory, so no core dump may carry it
 * to the disk (RLIMIT_CORE 0 for cores written as files, not dumpable for cores piped to a handler, which also
 * keeps other processes of the same user from reading our memory through /proc or ptrace), and no TLS secret
 * may be written for a network capture to use (libcurl's OpenSSL honours SSLKEYLOGFILE when it initialises). */
static void harden_process(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) perror("meistring: setrlimit(RLIMIT_CORE)");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) perror("meistring: prctl(PR_SET_DUMPABLE)");
    unsetenv("SSLKEYLOGFILE");
    umask(077); /* the store, its WAL and the synced programme: the patient's alone, whatever the login's umask */
}

static bool parse_size(const char *s, int *w, int *h) {
    return s && sscanf(s, "%dx%d", w, h) == 2 && *w >= 200 && *h >= 200 && *w <= 8192 && *h <= 8192;
}

static void report(void *ctx, const char *where, const char *msg) {
    (void)ctx;
    printf("%s: %s\n", where, msg);
}

int main(int argc, char **argv) {
    harden_process();
    app_options opt = {.t_start = SDL_GetPerformanceCounter()};
    const char *validate = NULL, *server = NULL, *enrol = NULL, *pin = NULL, *ca = NULL, *kiosk_conf = NULL,
               *client_conf = NULL;
    bool sync_once_only = false;
    int a11y_flag = -1; /* --a11y 1, --no-a11y 0, neither -1 (a11y.h) */
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(o, "--window") == 0) {
            if (!parse_size(v, &opt.win_w, &opt.win_h)) goto bad_value;
        } else if (strcmp(o, "--headless") == 0) {
            if (!parse_size(v, &opt.win_w, &opt.win_h)) goto bad_value;
            opt.headless = true;
        } else if (strcmp(o, "--script") == 0 && v) {
            opt.script = v;
        } else if (strcmp(o, "--content") == 0 && v) {
            opt.content_dir = v;
        } else if (strcmp(o, "--data-dir") == 0 && v) {
            opt.data_dir = v;
        } else if (strcmp(o, "--key") == 0 && v) {
            opt.key_file = v;
        } else if (strcmp(o, "--lang") == 0 && v) {
            opt.lang = v;
        } else if (strcmp(o, "--assets") == 0 && v) {
            opt.assets_dir = v;
        } else if (strcmp(o, "--scale") == 0 && v) {
            opt.scale = atof(v);
            if (opt.scale < 0.5 || opt.scale > 6) goto bad_value;
        } else if (strcmp(o, "--validate") == 0 && v) {
            validate = v;
        } else if (strcmp(o, "--server") == 0 && v) {
            server = v;
        } else if (strcmp(o, "--enrol") == 0 && v) {
            enrol = v;
        } else if (strcmp(o, "--pin") == 0 && v) {
            pin = v;
        } else if (strcmp(o, "--ca") == 0 && v) {
            ca = v;
        } else if (strcmp(o, "--net-module") == 0 && v) {
            sync_set_net_module(v);
        } else if (strcmp(o, "--a11y-module") == 0 && v) {
            opt.a11y_module = v;
        } else if (strcmp(o, "--config") == 0 && v) {
            client_conf = v;
        } else if (strcmp(o, "--kiosk-config") == 0 && v) {
            kiosk_conf = v;
            opt.kiosk = true;
        } else {
            takes = false;
            if (strcmp(o, "--stats") == 0)
                opt.stats = true;
            else if (strcmp(o, "--kiosk-hash-pin") == 0)
                return kcfg_hash_pin_cli(stdin, stdout, stderr); /* before anything else reads stdin */
            else if (strcmp(o, "--kiosk") == 0)
                opt.kiosk = true;
            else if (strcmp(o, "--sync-once") == 0)
                sync_once_only = true;
            else if (strcmp(o, "--a11y") == 0)
                a11y_flag = 1;
            else if (strcmp(o, "--no-a11y") == 0)
                a11y_flag = 0;
            else if (strcmp(o, "--verbose") == 0)
                opt.verbose = true;
            else if (strcmp(o, "--version") == 0) {
                printf("meistring %s\n", MEISTRING_VERSION);
                return 0;
            } else if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
                usage(stdout);
                return 0;
            } else {
                fprintf(stderr, "meistring: unknown option %s\n\n", o);
                usage(stderr);
                return 2;
            }
        }
        if (takes) i++;
        continue;
    bad_value:
        fprintf(stderr, "meistring: %s needs a valid value (see --help)\n", o);
        return 2;
    }

    if (validate) {
        int problems = doc_validate_dir(validate, report, NULL);
        if (problems == 0) printf("%s: the programme is valid\n", validate);
        return problems == 0 ? 0 : 1;
    }
    if (opt.kiosk && (server || enrol || sync_once_only || opt.data_dir)) {
        fprintf(stderr, "meistring: --kiosk keeps nothing: it cannot be used with --server, --enrol, --sync-once "
                        "or --data-dir\n");
        return 2;
    }
    static kcfg kiosk; /* static: app_options points at it for the client's whole life */
    if (opt.kiosk) {
        /* the kiosk does not run unguarded: no valid configuration (with its staff PIN), no kiosk */
        char err[1200];
        if (!kcfg_load(kiosk_conf ? kiosk_conf : MS_KIOSK_DEFAULT_CONFIG, &kiosk, err, sizeof err)) {
            fprintf(stderr, "meistring: the kiosk will not start: %s\n", err);
            return 1;
        }
        opt.kiosk_cfg = &kiosk;
        if (!opt.lang) opt.lang = kiosk.language; /* --lang, when given, is for trying another language */
        if (!opt.content_dir && kiosk.programme[0]) opt.content_dir = kiosk.programme;
        kiosk_prepare(); /* before SDL starts: its signal handlers off, the kiosk's own on */
    }
    static ccfg tablet; /* static: opt points into it for the client's whole life */
    if (!opt.kiosk && !server && (client_conf || !opt.headless)) {
        /* a tablet prepared by IT names its clinic in /etc/meistring/client.conf; the command line comes first.
         * Headless runs (tests, the bench) read only a --config they name: a machine set up as a tablet must not
         * send the test suite to its clinic. */
        char err[1200];
        bool absent = false;
        const char *path = client_conf ? client_conf : MS_CLIENT_DEFAULT_CONFIG;
        if (ccfg_load(path, &tablet, &absent, err, sizeof err)) {
            server = tablet.server;
            if (!pin && tablet.pin[0]) pin = tablet.pin;
            if (!ca && tablet.ca[0]) ca = tablet.ca;
        } else if (!absent || client_conf) {
            fprintf(stderr, "meistring: will not start: %s\n", absent ? "the --config file does not exist" : err);
            return 1;
        }
    } else if (client_conf) {
        fprintf(stderr, "meistring: --config is the tablet's file: it is not read with --server or --kiosk\n");
        return 2;
    }
    if (enrol || sync_once_only) return sync_command(server, pin, ca, opt.data_dir, opt.key_file, enrol, sync_once_only);
    opt.a11y = a11y_wanted(a11y_flag, opt.kiosk, opt.kiosk && kiosk.screen_reader, opt.headless);
    opt.server = server;
    opt.pin = pin;
    opt.ca = ca;
    if (opt.headless && !opt.script) {
        fprintf(stderr, "meistring: --headless needs --script FILE\n");
        return 2;
    }

    app a;
    if (!app_init(&a, &opt)) {
        app_deinit(&a);
        return 1;
    }
    int status = opt.script ? script_run(&a, opt.script) : app_run(&a);
    if (opt.verbose || opt.stats) {
        fprintf(stderr, "meistring: first-frame-ms=%.1f frames=%u draw-mean-ms=%.2f draw-max-ms=%.2f\n",
                a.first_frame_ms, a.frames, a.frames ? a.draw_ms_total / a.frames : 0.0, a.draw_ms_max);
        /* whole programmes loaded, and modules opened by the clinic loaded on their own (issue 14: a message or a
         * read receipt loads nothing; an unlock loads the module it opened) */
        fprintf(stderr, "meistring: programme-loads=%u modules-opened-in-place=%u\n", a.programme_loads,
                a.modules_opened);
        /* the same moment on CLOCK_MONOTONIC: bench_launch (bench/launch.c) reads the clock just before exec, so
         * the difference counts the loading of the shared libraries too, which first-frame-ms (from main) leaves out */
        if (a.first_frame_done) fprintf(stderr, "meistring: first-frame-clock-monotonic-ns=%lld\n", a.first_frame_mono_ns);
        /* the page's words laid out before that frame, and in all: a saved place opens from part of its page */
        fprintf(stderr, "meistring: first-frame-words-laid-out=%lu words-laid-out=%lu\n", a.first_frame_words,
                a.words_laid_out);
        fprintf(stderr, "meistring: page-parts=%lu\n", a.page_parts);
        if (a.turns)
            fprintf(stderr, "meistring: page-turns=%u turn-mean-ms=%.2f turn-max-ms=%.2f\n", a.turns,
                    a.turn_ms_total / a.turns, a.turn_ms_max);
        if (a.keys)
            fprintf(stderr,
                    "meistring: keystrokes=%u key-to-screen-mean-ms=%.2f key-to-screen-max-ms=%.2f "
                    "draft-save-mean-ms=%.2f draft-save-max-ms=%.2f\n",
                    a.keys, a.key_ms_total / a.keys, a.key_ms_max, a.save_ms_total / a.keys, a.save_ms_max);
        for (int sc = 0; sc < SCREEN_COUNT; sc++) {
            const struct screen_figures *f = &a.screen_fig[sc];
            if (f->opens || f->frames)
                fprintf(stderr,
                        "meistring: screen=%s opens=%u open-mean-ms=%.2f open-max-ms=%.2f frames=%u frame-mean-ms=%.2f "
                        "frame-max-ms=%.2f\n",
                        app_screen_name((app_screen)sc), f->opens, f->opens ? f->open_ms_total / f->opens : 0.0,
                        f->open_ms_max, f->frames, f->frames ? f->frame_ms_total / f->frames : 0.0, f->frame_ms_max);
        }
        /* what the process wrote (Linux /proc/self/io): wchar is what was handed to write(), write_bytes what
         * reached the storage layer; the bench compares runs with and without typing */
        FILE *io = fopen("/proc/self/io", "r");
        char line[128];
        long long wchar = -1, wbytes = -1;
        while (io && fgets(line, sizeof line, io)) {
            sscanf(line, "wchar: %lld", &wchar);
            sscanf(line, "write_bytes: %lld", &wbytes);
        }
        if (io) fclose(io);
        fprintf(stderr, "meistring: io-wchar=%lld io-write-bytes=%lld\n", wchar, wbytes);
        if (readaloud_get()->first_audio_ms > 0) fprintf(stderr, "meistring: speech-first-audio-ms=%.1f\n", readaloud_get()->first_audio_ms);
        ren_stats rs = ren_get_stats(a.rn);
        fprintf(stderr, "meistring: text-cache entries=%zu pixels=%zu hits=%zu misses=%zu rasterised=%zu\n",
                rs.text_cache_entries, rs.text_cache_pixels, rs.text_hits, rs.text_misses, rs.rasterised);
        fprintf(stderr, "meistring: text-bytes=%zu font-opens=%zu font-resizes=%zu word-widths=%zu measuring-fonts=%zu\n",
                rs.text_cache_bytes, rs.font_opens, rs.font_resizes, rs.word_widths, rs.measuring_fonts);
        fprintf(stderr, "meistring: font-reads=%zu font-kept-bytes=%zu\n", rs.font_reads, rs.font_kept_bytes);
    }
    app_deinit(&a);
    if (opt.kiosk && kiosk_wants_restart()) {
        /* staff asked for a restart: the same command line, a new process image, nothing carried over */
        execv("/proc/self/exe", argv);
        perror("meistring: cannot restart the kiosk");
        return 1;
    }
    return status;
}
