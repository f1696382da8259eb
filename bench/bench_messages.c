/* bench_messages.c — fills a data directory with a thread of N messages through the real store, sealed as the
 * client seals them: the patient's (sent, read by the therapist, each with its outbox row) and the therapist's
 * replies in turn, of everyday lengths, two hours apart up to ten minutes ago, the newest two replies unread.
 * bench/messages.sh times the client on such threads; tests/ui/thread.sh walks one. Never a pass/fail.
 *   build/bench_messages DIR N [K]   (DIR is made; message k of N says "Melding k av N:" first; the patient's
 *                                     message K, odd, was refused by the server: «Send på nytt») */
#define _DEFAULT_SOURCE /* gmtime_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/paths.h"
#include "meistring/store.h"
#include "meistring/sync.h"

/* what the two write to each other, a sentence at a time: a message takes one to four of them */
static const char *const sentences[] = {
    "Jeg har gjort pusteøvelsen hver kveld denne uka.",
    "I går kjente jeg hjertet slå fort på bussen, men jeg ble sittende til min holdeplass.",
    "Det er fint å høre at du har prøvd øvelsen, selv om det var ubehagelig.",
    "Kroppens alarm er ikke farlig, selv når den føles sterk.",
    "Jeg vet ikke helt om jeg gjør tankeskjemaet riktig.",
    "Skriv gjerne ned hva du tenkte rett før angsten steg, så ser vi på det sammen neste uke.",
    "Søvnen har vært bedre etter at jeg sluttet med kaffe om ettermiddagen.",
    "Modul 3 er åpen for deg nå.",
    "Det gikk bedre enn jeg trodde på butikken i dag.",
    "Husk at små steg teller: du trenger ikke gjøre alt på en gang.",
};
#define N_SENTENCES (int)(sizeof sentences / sizeof sentences[0])

int main(int argc, char **argv) {
    if ((argc != 3 && argc != 4) || atoi(argv[2]) < 0) {
        fprintf(stderr, "usage: bench_messages DIR N [REFUSED]\n");
        return 2;
    }
    int n = atoi(argv[2]), refused = argc == 4 ? atoi(argv[3]) : 0;
    ms_paths p;
    char err[600];
    if (paths_resolve(&p, argv[1], NULL, err, sizeof err) != PATHS_OK ||
        paths_make_data_dir(&p, err, sizeof err) != PATHS_OK) {
        fprintf(stderr, "bench_messages: %s\n", err);
        return 1;
    }
    store *st = store_open(p.db, p.key, err, sizeof err);
    if (!st) {
        fprintf(stderr, "bench_messages: %s\n", err);
        return 1;
    }
    time_t now = time(NULL);
    long long server_id = 0, seen = 0;
    bool ok = store_begin(st);
    srand(14);
    for (int k = 1; ok && k <= n; k++) {
        char body[1200], when[32], id[33];
        int len = snprintf(body, sizeof body, "Melding %d av %d:", k, n);
        for (int s = 0, count = 1 + rand() % 4; s < count; s++)
            len += snprintf(body + len, sizeof body - (size_t)len, " %s", sentences[rand() % N_SENTENCES]);
        time_t t = now - 600 - (time_t)(n - k) * 7200;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (k % 2) { /* the patient's, long since delivered and read */
            char json[1400];
            sync_new_id(id);
            snprintf(json, sizeof json, "{\"body\":\"%s\",\"written_at\":\"%s\"}", body, when);
            bool no = k == refused;
            ok = store_message_add(st, id, 0, true, body, when, no ? "attention" : "read") &&
                 store_outbox_add(st, "message", id, json) &&
                 store_outbox_mark(st, id, no ? "attention" : "sent", no ? "refused" : NULL);
        } else {
            ok = store_message_add(st, NULL, ++server_id, false, body, when, "received");
            if (k <= n - 4) seen = server_id; /* the newest two replies are new to the patient */
        }
    }
    char v[32];
    snprintf(v, sizeof v, "%lld", seen);
    ok = ok && store_set_setting(st, "messages.seen", v);
    ok = store_finish(st, ok);
    if (!ok) fprintf(stderr, "bench_messages: %s\n", store_last_error(st));
    store_close(st);
    return ok ? 0 : 1;
}
