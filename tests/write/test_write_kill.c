/* test_write_kill.c — a flat battery while typing: the real client types a sentence on its on-screen keys
 * (tap-keys: a real tap on each drawn key) and is killed with SIGKILL at a random moment, ≥ 100 times. After
 * each kill (after a random number of handled keys, plus a random fraction of a keystroke) the draft in the
 * store must hold every key the client had handled before the kill (the script
 * logs each handled key, after its save, to a file: a logged key is an acknowledged one), nothing that was
 * not typed, and the database must pass integrity_check. MEISTRING_KILLS sets the count (default 100). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "meistring/store.h"
#include "meistring/utf8.h"

static const char TEXT[] = "Jeg øvde på å stå i kø i 5 min. Angsten gikk ned.";
#define EX_BLOCK "m2-p3-b16"         /* the demo's «Min trygghetsatferd» */
#define EX_FIELD "m2-trygghet-annet" /* its free-text field */

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "FAIL: %s\n", what);
    exit(1);
}

/* The place back at home, no draft: each round starts from the messages button. */
static void reset(const char *db, const char *key) {
    char err[256];
    store *s = store_open(db, key, err, sizeof err);
    if (!s) die(err);
    if (!store_draft_clear(s, "message") || !store_set_setting(s, "place.screen", "home") ||
        !store_answer_set(s, EX_BLOCK, "{}"))
        die("reset");
    store_close(s);
}

/* What the store holds of the typed text: the message draft, or the exercise field's answer (a JSON string in
 * the block's object; the sentence has no characters JSON escapes). malloc'd; NULL when nothing. */
static char *typed_in_store(store *s, bool exercise, size_t *caret) {
    *caret = 0;
    if (!exercise) return store_draft_get(s, "message", caret);
    char *j = store_answer_get(s, EX_BLOCK, NULL, NULL);
    const char *k = j ? strstr(j, "\"" EX_FIELD "\":\"") : NULL;
    char *v = NULL;
    if (k) {
        k += strlen("\"" EX_FIELD "\":\"");
        v = strndup(k, strcspn(k, "\""));
        *caret = strlen(v); /* an answer has no caret of its own: the editor opens at its end */
    }
    free(j);
    return v;
}

static pid_t start(const char *client, const char *dir, const char *script) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        execl(client, client, "--headless", "480x800", "--data-dir", dir, "--script", script, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* The last count the client logged, 0 when none. */
static long last_logged(const char *path) {
    FILE *f = fopen(path, "r");
    long n = 0, v;
    if (!f) return 0;
    while (fscanf(f, "%ld", &v) == 1)
        n = v;
    fclose(f);
    return n;
}

/* kills rounds of: start the client on script, kill it after a random number of handled keys, check the store.
 * Returns how many kills landed mid-sentence. */
static int rounds(const char *client, const char *dir, const char *db, const char *key, const char *script,
                  const char *keylog, int kills, bool exercise) {
    size_t text_chars = utf8_count(TEXT, strlen(TEXT));
    pid_t pid;
    int st;
    int mid_typing = 0;
    for (int i = 0; i < kills; i++) {
        reset(db, key);
        unlink(keylog);
        pid = start(client, dir, script);
        /* Wait until the client has handled a chosen number of keys, then a random few hundred microseconds
         * more: the kill lands between or inside keystrokes, wherever the machine's load puts them, and the
         * test does not depend on how fast this machine types (a loaded CI runner is slow). */
        long target = 1 + rand() % ((long)text_chars - 4);
        double deadline = now_s() + 30;
        while (last_logged(keylog) < target && waitpid(pid, &st, WNOHANG) == 0 && now_s() < deadline)
            usleep(200);
        usleep((useconds_t)(rand() % 1500));
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0); /* (or already reaped above, if it ended: then this returns -1) */
        long acked = last_logged(keylog);
        char err[256];
        store *s = store_open(db, key, err, sizeof err);
        if (!s) die(err);
        if (!store_integrity_ok(s)) die("integrity_check after a kill");
        size_t caret = 0;
        char *d = typed_in_store(s, exercise, &caret);
        size_t have = d ? utf8_count(d, strlen(d)) : 0;
        if (d && strncmp(d, TEXT, strlen(d)) != 0) {
            fprintf(stderr, "round %d: the draft is not what was typed\n", i);
            die("draft content");
        }
        if ((long)have < acked) {
            fprintf(stderr, "round %d: %ld keys acknowledged, the draft holds %zu\n", i, acked, have);
            die("a handled key was lost");
        }
        if (d && caret != strlen(d)) die("the caret was not saved with the text");
        if (acked > 0 && acked < (long)text_chars) mid_typing++;
        free(d);
        store_close(s);
    }
    return mid_typing;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_write_kill CLIENT WORKDIR\n");
        return 2;
    }
    const char *client = argv[1], *dir = argv[2];
    char cmd[1024], db[600], key[600], script[600], keylog[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0) die("workdir");
    snprintf(db, sizeof db, "%s/meistring.db", dir);
    snprintf(key, sizeof key, "%s/device.key", dir);
    snprintf(script, sizeof script, "%s/type.txt", dir);
    snprintf(keylog, sizeof keylog, "%s/keys.log", dir);
    FILE *f = fopen(script, "w");
    if (!f) die("script");
    fprintf(f,
            "tap-on button Meldinger\ntap-on button Skriv en melding\nexpect screen write\nkeylog %s\n"
            "tap-keys %s\nquit\n",
            keylog, TEXT);
    fclose(f);
    const char *env = getenv("MEISTRING_KILLS");
    int kills = env ? atoi(env) : 100;
    if (kills < 1 || kills > 5000) kills = 100;

    /* one whole run first: how long typing the sentence takes here (the kills fall inside it) */
    reset(db, key);
    unlink(keylog);
    double t0 = now_s(), first = -1;
    pid_t pid = start(client, dir, script);
    int st;
    while (waitpid(pid, &st, WNOHANG) == 0) { /* when the first key lands: start-up is not typing */
        struct stat sb;
        if (first < 0 && stat(keylog, &sb) == 0 && sb.st_size > 0) first = now_s() - t0;
        usleep(500);
    }
    double full = now_s() - t0;
    if (first < 0) first = 0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) die("the typing script failed when not killed");
    size_t text_chars = utf8_count(TEXT, strlen(TEXT));
    if (last_logged(keylog) != (long)text_chars) die("the whole run did not log every key");

    srand(7);
    int mid = rounds(client, dir, db, key, script, keylog, kills, false);
    printf("%d kills while typing a message (%d mid-sentence; a full sentence of %zu keys takes %.2f s after a "
           "start-up of %.2f s); every handled key was in the draft, integrity_check ok\n",
           kills, mid, text_chars, full - first, first);
    if (mid < kills * 3 / 4) die("too few kills landed mid-sentence");
    /* the same in an exercise's free-text field, where every keystroke goes into the answer itself */
    f = fopen(script, "w");
    if (!f) die("script");
    fprintf(f,
            "tap-on button Modul 2\nkey End\ntap-on button Trygghetsatferd og unngåelse\n"
            "seek button Fyll ut øvelsen\ntap-on button Fyll ut øvelsen\n"
            "seek button Skriv svaret: Gjør du andre ting\ntap-on button Skriv svaret: Gjør du andre ting\nexpect "
            "screen write\nkeylog %s\ntap-keys %s\nquit\n",
            keylog, TEXT);
    fclose(f);
    int ex_kills = kills / 4 > 10 ? kills / 4 : 10;
    mid = rounds(client, dir, db, key, script, keylog, ex_kills, true);
    printf("%d kills while typing an exercise answer (%d mid-sentence); every handled key was in the answer, "
           "integrity_check ok\n",
           ex_kills, mid);
    if (mid < ex_kills * 3 / 4) die("too few kills landed mid-sentence in the exercise");
    return 0;
}
