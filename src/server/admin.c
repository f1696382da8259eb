/* admin.c — `meistring-server admin`: what a clinician does from the command line: create a patient and issue
 * enrolment codes, open a module, reply, read messages (which sends read receipts) and answers, revoke a device.
 * The seam: a separate command that runs alone against the database, with no HTTP and no content directory; it
 * shares with serve only db.c.
 */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meistring/config.h"
#include "meistring/utf8.h"

#include "server.h"

/* ---- admin: what a clinician does ------------------------------------------------------------------------ */

static sqlite3_int64 patient_id(const char *s) {
    /* by number or by name */
    sqlite3_stmt *st = prep("SELECT id FROM patient WHERE id=? OR name=?");
    sqlite3_int64 id = 0;
    sqlite3_bind_int64(st, 1, atoll(s));
    sqlite3_bind_text(st, 2, s, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!id) fprintf(stderr, "meistring-server: no patient %s\n", s);
    return id;
}

/* A fresh enrolment code for patient (0: a new patient called name): 8 digits from libsodium's uniform source,
 * valid for days days and from the current failure count on (code_base). Retried on the rare clash with a
 * live code. Prints it 4-4, as the tests and clinicians read it. */
static int issue_code(sqlite3_int64 patient, const char *name, int days) {
    char code[SRV_CODE_DIGITS + 1];
    for (int attempt = 0; attempt < 5; attempt++) {
        for (int k = 0; k < SRV_CODE_DIGITS; k++)
            code[k] = (char)('0' + randombytes_uniform(10));
        code[SRV_CODE_DIGITS] = '\0';
        sqlite3_stmt *st = patient ? prep("UPDATE patient SET code=?1, code_used=0, revoked=0,"
                                          " code_expires=CAST(strftime('%s','now') AS INTEGER)+?2,"
                                          " code_base=(SELECT n FROM counter WHERE name='enrol_failures') WHERE id=?3")
                                   : prep("INSERT INTO patient(code, code_expires, code_base, name)"
                                          " VALUES(?1, CAST(strftime('%s','now') AS INTEGER)+?2,"
                                          " (SELECT n FROM counter WHERE name='enrol_failures'), ?3)");
        if (!st) return 1;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)days * 86400);
        if (patient)
            sqlite3_bind_int64(st, 3, patient);
        else
            sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) {
            sqlite3_int64 id = patient ? patient : sqlite3_last_insert_rowid(db);
            printf("patient %lld %s: enrolment code %.4s %.4s\n", (long long)id, name, code, code + 4);
            printf("valid for %d days, until it is used\n", days);
            return 0;
        }
        if (rc != SQLITE_CONSTRAINT) break;
    }
    fprintf(stderr, "meistring-server: could not store a code: %s\n", sqlite3_errmsg(db));
    return 1;
}

/* A therapist's reply, stored whole or not at all: the text is checked (UTF-8, at most SRV_MAX_REPLY bytes,
 * which the client accepts) and the message and its event are one transaction. */
static int post_reply(sqlite3_int64 p, const char *text) {
    size_t len = strlen(text);
    if (len == 0 || len > SRV_MAX_REPLY || !utf8_valid(text, len)) {
        fprintf(stderr, "meistring-server: a reply is 1 to %d bytes of UTF-8 text; nothing was posted\n",
                SRV_MAX_REPLY);
        return 2;
    }
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_stmt *st = prep("INSERT INTO message(patient, from_patient, body, written_at) VALUES(?,0,?,?)");
    sqlite3_bind_int64(st, 1, p);
    sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    cJSON *d = cJSON_CreateObject();
    add_int(d, "id", sqlite3_last_insert_rowid(db));
    cJSON_AddStringToObject(d, "body", text);
    cJSON_AddStringToObject(d, "written_at", when);
    char *s = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (rc == SQLITE_DONE && s) add_event(p, "message", s);
    free(s);
    if (rc != SQLITE_DONE || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        fprintf(stderr, "meistring-server: the reply was not stored: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    printf("reply posted to patient %lld\n", (long long)p);
    return 0;
}

int admin(int argc, char **argv) {
    const char *dbp = NULL;
    int i = 0, days = SRV_CODE_DAYS;
    if (argc >= 2 && strcmp(argv[0], "--db") == 0) {
        dbp = argv[1];
        i = 2;
    }
    if (i + 1 < argc && strcmp(argv[i], "--code-days") == 0) {
        char *end = NULL;
        long v = strtol(argv[i + 1], &end, 10);
        if (!*argv[i + 1] || *end || v < 1 || v > SRV_CODE_MAX_DAYS) {
            fprintf(stderr, "meistring-server: --code-days wants 1 to %d\n", SRV_CODE_MAX_DAYS);
            return 2;
        }
        days = (int)v;
        i += 2;
    }
    if (!dbp || i >= argc) {
        fprintf(stderr, "meistring-server admin --db FILE [--code-days N] COMMAND ...\n");
        return 2;
    }
    if (!db_open(dbp)) return 1;
    const char *cmd = argv[i++];
    int left = argc - i;
    char **a = argv + i;
    if (strcmp(cmd, "create-patient") == 0 && left == 1) return issue_code(0, a[0], days);
    sqlite3_int64 p = left >= 1 ? patient_id(a[0]) : 0;
    if (!p) return 1;
    if (strcmp(cmd, "new-code") == 0 && left == 1) return issue_code(p, a[0], days);
    if (strcmp(cmd, "unlock") == 0 && left == 2) {
        unlock_module(p, a[1]);
        printf("module %s is open for patient %lld\n", a[1], (long long)p);
        return 0;
    }
    if (strcmp(cmd, "reply") == 0 && left == 2) return post_reply(p, a[1]);
    if (strcmp(cmd, "messages") == 0 && left == 1) {
        /* listing them is the therapist reading them: the patient's tablet gets a read receipt */
        sqlite3_stmt *st = prep("SELECT id, client_id, from_patient, written_at, body, read_at FROM message"
                                " WHERE patient=? ORDER BY id");
        sqlite3_bind_int64(st, 1, p);
        while (sqlite3_step(st) == SQLITE_ROW) {
            bool mine = sqlite3_column_int(st, 2);
            printf("%s %s %s\n", (const char *)sqlite3_column_text(st, 3),
                   mine ? "patient:" : "therapist:", (const char *)sqlite3_column_text(st, 4));
            if (mine && sqlite3_column_type(st, 5) == SQLITE_NULL) {
                cJSON *d = cJSON_CreateObject();
                cJSON_AddStringToObject(d, "client_id", (const char *)sqlite3_column_text(st, 1));
                char *s = cJSON_PrintUnformatted(d);
                add_event(p, "read", s);
                free(s);
                cJSON_Delete(d);
            }
        }
        sqlite3_finalize(st);
        st = prep(
            "UPDATE message SET read_at=strftime('%s','now') WHERE patient=? AND from_patient=1 AND read_at IS NULL");
        sqlite3_bind_int64(st, 1, p);
        sqlite3_step(st);
        sqlite3_finalize(st);
        return 0;
    }
    if (strcmp(cmd, "answers") == 0 && left == 1) {
        sqlite3_stmt *st = prep("SELECT client_id, body FROM answer WHERE patient=? ORDER BY id");
        sqlite3_bind_int64(st, 1, p);
        while (sqlite3_step(st) == SQLITE_ROW)
            printf("%s %s\n", (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
        return 0;
    }
    if (strcmp(cmd, "revoke") == 0 && left == 1) {
        sqlite3_stmt *st = prep("UPDATE patient SET revoked=1, token=NULL WHERE id=?");
        sqlite3_bind_int64(st, 1, p);
        sqlite3_step(st);
        sqlite3_finalize(st);
        printf("patient %lld's device is revoked\n", (long long)p);
        return 0;
    }
    fprintf(stderr, "meistring-server admin: unknown command or arguments: %s\n", cmd);
    return 2;
}
