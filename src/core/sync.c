/* sync.c — the sync engine; see sync.h and docs/sync-protocol.md. This file holds the protocol's steps in their
 * order: enrolment, a pass (outbox, manifest, changes), and the queueing of what the patient writes. The seam:
 * how a request travels is sync_http.c's, and what a manifest's files become (blobs, the programme on disk) is
 * sync_content.c's, so a pass reads here as the protocol describes it.
 * Hostile-server rules, everywhere: responses are capped while they stream (the write callback counts),
 * JSON is parsed with a length and a nesting limit and every field's type is checked, redirects are refused,
 * TLS is verified (at least 1.2) except on loopback, and nothing half-fetched is ever marked present. */
#include "sync_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *sync_client_version(void) { return MEISTRING_VERSION; }

void sync_set_progress(sync_engine *s, void (*fn)(void *ctx, int done, int total), void *ctx) {
    s->progress = fn;
    s->progress_ctx = ctx;
}

void sync_sha256_hex(const unsigned char *data, size_t len, char out[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[64] = '\0';
}

void sync_new_id(char out[33]) {
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[32] = '\0';
}

/* Now, as the protocol writes times: "2026-11-22T19:17:00Z". */
static void iso_now(char out[32]) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The PUT body of a patient's message (docs/sync-protocol.md); malloc'd. */
static char *message_json(const char *text, const char *written_at) {
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "body", text) || !cJSON_AddStringToObject(o, "written_at", written_at)) {
        cJSON_Delete(o);
        return NULL;
    }
    char *j = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return j;
}

bool sync_queue_message(store *st, const char *text, const char *draft_key, char id_out[33]) {
    char when[32];
    iso_now(when);
    sync_new_id(id_out);
    char *json = message_json(text, when);
    if (!json || !store_begin(st)) {
        free(json);
        return false;
    }
    bool ok = store_message_add(st, id_out, 0, true, text, when, "saved") &&
              store_outbox_add(st, "message", id_out, json) && (!draft_key || store_draft_clear(st, draft_key));
    ok = store_finish(st, ok);
    free(json);
    return ok;
}

bool sync_queue_answer(store *st, const char *block, char id_out[33]) {
    int rev = 0, queued = 0;
    char *fields = store_answer_get(st, block, &rev, &queued);
    if (!fields) return false;
    if (rev <= queued) { /* this revision is already on its way (or there) */
        free(fields);
        id_out[0] = '\0';
        return true;
    }
    char when[32];
    iso_now(when);
    cJSON *o = cJSON_CreateObject(), *f = cJSON_Parse(fields);
    free(fields);
    char *json = NULL;
    if (o && cJSON_IsObject(f) && cJSON_AddStringToObject(o, "block", block) &&
        cJSON_AddNumberToObject(o, "rev", rev) && cJSON_AddStringToObject(o, "written_at", when)) {
        cJSON_AddItemToObject(o, "fields", f);
        f = NULL;
        json = cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(f);
    cJSON_Delete(o);
    if (!json || !store_begin(st)) {
        free(json);
        return false;
    }
    sync_new_id(id_out);
    bool ok = store_outbox_add(st, "answer", id_out, json) && store_answer_queued(st, block, rev);
    ok = store_finish(st, ok);
    free(json);
    return ok;
}

bool sync_submit_questionnaire(store *st, const char *block, const char *instrument, const char *answers_json,
                               int total, int max, const char *band, bool urgent, const char *draft_key,
                               char id_out[33]) {
    char when[32];
    iso_now(when);
    cJSON *answers = cJSON_Parse(answers_json);
    if (!cJSON_IsObject(answers)) {
        cJSON_Delete(answers);
        return false;
    }
    /* what the server gets: the answers as an exercise's fields, with the score beside them */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "block", block);
    cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(answers, true));
    cJSON_AddNumberToObject(o, "rev", 1);
    cJSON_AddStringToObject(o, "written_at", when);
    cJSON *q = cJSON_AddObjectToObject(o, "questionnaire");
    if (q) {
        cJSON_AddStringToObject(q, "instrument", instrument ? instrument : "");
        cJSON_AddNumberToObject(q, "total", total);
        cJSON_AddNumberToObject(q, "max", max);
        cJSON_AddStringToObject(q, "band", band ? band : "");
    }
    char *json = cJSON_PrintUnformatted(o);
    /* what the tablet keeps for the plot: the same, without the transport fields */
    cJSON_DeleteItemFromObject(o, "rev");
    cJSON_DeleteItemFromObject(o, "written_at");
    if (q && urgent) cJSON_AddTrueToObject(q, "urgent");
    char *mine = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    cJSON_Delete(answers);
    bool ok = json && mine && store_begin(st);
    if (ok) {
        sync_new_id(id_out);
        ok = store_finish(st, store_score_add(st, id_out, (long long)time(NULL), mine) &&
                                  store_outbox_add(st, "answer", id_out, json) &&
                                  (!draft_key || store_draft_clear(st, draft_key)));
    }
    free(json);
    free(mine);
    return ok;
}

bool sync_resend_message(store *st, const char *old_id, const char *text, const char *written_at, char id_out[33]) {
    char id[33];
    sync_new_id(id);
    char *json = message_json(text, written_at);
    bool ok = json && store_message_resend(st, old_id, id, json);
    free(json);
    if (ok) memcpy(id_out, id, sizeof id); /* id_out may be old_id's own buffer */
    return ok;
}

int sync_backoff_s(int failures, int retry_after_s, unsigned seed) {
    /* the guard only keeps the shift in range: 2^20 s is past any sensible cap */
    int base = failures <= 0 ? 0 : failures > 20 ? MS_SYNC_BACKOFF_MAX_S : 1 << failures;
    if (base > MS_SYNC_BACKOFF_MAX_S) base = MS_SYNC_BACKOFF_MAX_S;
    seed = seed * 1103515245u + 12345u;
    int jitter = base ? (int)((seed >> 8) % (unsigned)(base / 2 + 1)) - base / 4 : 0;
    int wait = base + jitter;
    return retry_after_s > wait ? retry_after_s : wait;
}

int sync_next_wait_s(sync_result r, const sync_report *rep, int failures, unsigned seed) {
    if (r == SYNC_OK) return MS_SYNC_PERIOD_S;
    int wait = sync_backoff_s(failures, rep->retry_after_s, seed);
    if (r == SYNC_OFFLINE && rep->unreachable && wait > MS_SYNC_PROBE_S) wait = MS_SYNC_PROBE_S + (int)(seed % 5);
    return wait;
}

/* ---- enrolment ------------------------------------------------------------------------------------------ */

/* The clinic's lock settings from an enrolment answer, kept unsealed (store.h: settings) and checked: an absent
 * or out-of-range value leaves the tablet's default (config.h) in force. */
static bool store_lock_settings(store *st, const cJSON *lock) {
    if (!cJSON_IsObject(lock)) return true;
    static const struct {
        const char *json, *setting;
        long long min, max;
    } nums[] = {{"after_s", "lock.after_s", 30, 3600},
                {"pin_digits", "lock.pin_digits", MS_PIN_MIN_DIGITS, MS_PIN_MAX_DIGITS},
                {"max_failures", "lock.max_failures", 6, 20}};
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof nums / sizeof nums[0]; i++) {
        long long v;
        char t[24];
        if (!get_int(cJSON_GetObjectItemCaseSensitive(lock, nums[i].json), (double)nums[i].min, (double)nums[i].max,
                     &v))
            continue;
        snprintf(t, sizeof t, "%lld", v);
        ok = store_set_setting(st, nums[i].setting, t);
    }
    const char *hash = get_str(lock, "staff_code_hash", MS_KIOSK_PIN_HASH_MAX - 1);
    if (ok && hash && strncmp(hash, "$argon2id$", 10) == 0) ok = store_set_setting(st, "lock.staff_code_hash", hash);
    return ok;
}

/* A one-time code to the server, without a token (enrolment, a forgotten PIN's reset code): POST
 * {"code", "wipe_receipt"?} to path, the answer's status checked and its JSON parsed (at most cap bytes). NULL
 * with *r set and rep->msg saying why when there is no object to read. */
static cJSON *post_code(sync_engine *s, const char *path, const char *what, const char *code, const char *receipt_json,
                        size_t cap, sync_result *r, sync_report *rep) {
    memset(rep, 0, sizeof *rep);
    s->stop = 0;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "code", code);
    cJSON *receipt = receipt_json ? cJSON_Parse(receipt_json) : NULL;
    if (cJSON_IsObject(receipt))
        cJSON_AddItemToObject(req, "wipe_receipt", receipt);
    else
        cJSON_Delete(receipt);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    buf b;
    headers hd;
    long status;
    *r = sync_http(s, "POST", path, NULL, body, NULL, 0, cap, &b, &hd, &status, rep);
    free(body);
    if (*r == SYNC_OK) *r = sync_status_result(status, &hd, what, rep);
    cJSON *j = *r == SYNC_OK ? sync_parse_json(&b, what, rep) : NULL;
    free(b.data);
    if (*r == SYNC_OK && !j) *r = SYNC_BAD_DATA;
    return j;
}

sync_result sync_enrol(sync_engine *s, store *st, const char *code, const char *receipt_json, sync_report *rep) {
    sync_result r;
    cJSON *j = post_code(s, "/v1/enrol", "enrol", code, receipt_json, MAX_JSON, &r, rep);
    if (r == SYNC_OK) {
        const char *token = get_str(j, "device_token", MS_SYNC_MAX_TOKEN);
        const cJSON *patient = cJSON_GetObjectItemCaseSensitive(j, "patient");
        const cJSON *clinic = cJSON_GetObjectItemCaseSensitive(j, "clinic");
        const char *name = cJSON_IsObject(patient) ? get_str(patient, "name", MS_SYNC_MAX_NAME) : NULL;
        if (!token || !name || (clinic && !cJSON_IsObject(clinic))) {
            snprintf(rep->msg, sizeof rep->msg, "enrol: the answer lacks a token or a patient");
            r = SYNC_BAD_DATA;
        } else if (!store_begin(st)) {
            r = SYNC_BAD_DATA;
        } else {
            bool ok = store_sync_set(st, "token", token) && store_sync_set(st, "patient_name", name) &&
                      store_lock_settings(st, cJSON_GetObjectItemCaseSensitive(j, "lock"));
            static const char *const keys[] = {"name", "phone", "hours"};
            for (int k = 0; ok && clinic && k < 3; k++) {
                const char *v = get_str(clinic, keys[k], MS_SYNC_MAX_NAME);
                char key[32];
                snprintf(key, sizeof key, "clinic_%s", keys[k]);
                if (v) ok = store_sync_set(st, key, v);
            }
            if (ok && store_commit(st))
                r = SYNC_OK;
            else {
                store_rollback(st);
                snprintf(rep->msg, sizeof rep->msg, "enrol: could not store the token");
                r = SYNC_BAD_DATA;
            }
        }
    }
    cJSON_Delete(j);
    return r;
}

/* ---- a pass ----------------------------------------------------------------------------------------------- */

static sync_result do_changes(sync_engine *s, store *st, const char *token, sync_report *rep, bool *unlocked) {
    for (int page = 0; page < CHANGES_PAGES; page++) {
        char *cur = store_sync_get(st, "cursor");
        char path[96];
        long long since = cur ? strtoll(cur, NULL, 10) : 0;
        free(cur);
        if (since < 0) since = 0;
        snprintf(path, sizeof path, "/v1/changes?since=%lld", since);
        buf b;
        headers hd;
        long status;
        sync_result r = sync_http(s, "GET", path, token, NULL, NULL, 0, MAX_JSON, &b, &hd, &status, rep);
        if (r == SYNC_OK) r = sync_status_result(status, &hd, "changes", rep);
        cJSON *j = r == SYNC_OK ? sync_parse_json(&b, "changes", rep) : NULL;
        free(b.data);
        if (r != SYNC_OK) return r;
        const cJSON *items = j ? cJSON_GetObjectItemCaseSensitive(j, "items") : NULL;
        long long next;
        if (!cJSON_IsArray(items) ||
            !get_int(cJSON_GetObjectItemCaseSensitive(j, "next"), 0, (double)MS_JSON_MAX_ID, &next)) {
            if (j) snprintf(rep->msg, sizeof rep->msg, "changes: missing, wrong-typed or out-of-range fields");
            cJSON_Delete(j);
            return SYNC_BAD_DATA;
        }
        int n = cJSON_GetArraySize(items);
        if (n == 0) {
            cJSON_Delete(j);
            return SYNC_OK;
        }
        /* the items and the new cursor in one transaction: a kill leaves both or neither */
        bool ok = store_begin(st);
        const cJSON *it;
        cJSON_ArrayForEach(it, items) {
            if (!ok) break;
            const char *type = get_str(it, "type", MS_SYNC_MAX_TYPE);
            if (!type) continue;
            if (strcmp(type, "message") == 0) {
                long long id;
                const char *body = get_str(it, "body", MS_SYNC_MAX_MESSAGE),
                           *when = get_str(it, "written_at", MS_WRITTEN_AT_MAX_BYTES);
                if (get_int(cJSON_GetObjectItemCaseSensitive(it, "id"), 1, (double)MS_JSON_MAX_ID, &id) && body &&
                    when) {
                    ok = store_message_add(st, NULL, id, false, body, when, "received");
                } else {
                    /* a message that cannot be stored whole is not skipped (it would be lost without a word):
                     * the page is refused, the cursor stays, and the screen says the server is misbehaving */
                    store_rollback(st);
                    cJSON_Delete(j);
                    snprintf(rep->msg, sizeof rep->msg, "changes: item %d is a message with a missing, wrong-typed or "
                             "out-of-range field", rep->items);
                    return SYNC_BAD_DATA;
                }
            } else if (strcmp(type, "read") == 0) {
                const char *cid = get_str(it, "client_id", MS_CLIENT_ID_MAX);
                if (cid) ok = store_message_state(st, cid, "read");
            } else if (strcmp(type, "unlock") == 0) {
                *unlocked = true;
            } else if (strcmp(type, "returned") == 0) {
                /* the clinic has taken the tablet back: it wipes itself once everything queued is sent */
                ok = store_sync_set(st, "returned", "1");
            }
            rep->items++;
        }
        char nx[32];
        snprintf(nx, sizeof nx, "%lld", next);
        ok = ok && store_sync_set(st, "cursor", nx);
        cJSON_Delete(j);
        if (!ok || !store_commit(st)) {
            store_rollback(st);
            snprintf(rep->msg, sizeof rep->msg, "changes: could not store them");
            return store_disk_full(st) ? SYNC_DISK_FULL : SYNC_OFFLINE;
        }
    }
    return SYNC_OK;
}

typedef struct {
    char kind[16], id[72];
    char *body;
} pending;

typedef struct {
    pending items[OUTBOX_PER_PASS];
    int n;
} pending_list;

static void collect(void *ctx, const char *kind, const char *id, const char *body) {
    pending_list *l = ctx;
    if (l->n == OUTBOX_PER_PASS) return;
    pending *p = &l->items[l->n++];
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->id, sizeof p->id, "%s", id);
    p->body = strdup(body);
}

static sync_result do_outbox(sync_engine *s, store *st, const char *token, sync_report *rep) {
    pending_list l = {.n = 0};
    store_outbox_pending(st, OUTBOX_PER_PASS, collect, &l);
    sync_result r = SYNC_OK;
    for (int i = 0; i < l.n && r == SYNC_OK; i++) {
        pending *p = &l.items[i];
        if (!p->body) continue;
        char path[128];
        bool msg = strcmp(p->kind, "message") == 0;
        snprintf(path, sizeof path, "/v1/%s/%s", msg ? "messages" : "answers", p->id);
        buf b;
        headers hd;
        long status;
        r = sync_http(s, "PUT", path, token, p->body, NULL, 0, MS_SYNC_MAX_ACK, &b, &hd, &status, rep);
        free(b.data);
        if (r != SYNC_OK) break; /* offline: the row stays pending, sent again with the same id */
        if (status == 200 || status == 201) {
            /* only a 2xx marks it sent (200: it arrived on an earlier try whose answer was lost) */
            store_outbox_mark(st, p->id, "sent", NULL);
            if (msg) store_message_state(st, p->id, "sent");
            rep->messages_sent++;
        } else if (status == 409 || status == 429 || status >= 500 || status == 401 || status == 403 ||
                   status == 426) {
            /* not about this message: the server is busy, the tablet was revoked, or the app is too old. The row
             * stays pending (the patient's words are kept and go when this is over) and the pass ends here */
            r = sync_status_result(status, &hd, "outbox", rep);
            if (status == 409) r = SYNC_SERVER_ERROR;
        } else {
            /* refused for good (422: the same id with another body, 400: malformed): kept for the patient */
            char err[64];
            snprintf(err, sizeof err, "HTTP %ld", status);
            store_outbox_mark(st, p->id, "attention", err);
            if (msg) store_message_state(st, p->id, "attention");
        }
    }
    for (int i = 0; i < l.n; i++)
        free(l.items[i].body);
    return r;
}

/* The recovery wrap (store_recovery_wrap) goes to the server once per enrolment, so a forgotten PIN can be
 * reset with the clinic's code. The server cannot open it: its key comes from this tablet's device key. */
static sync_result do_recovery(sync_engine *s, store *st, const char *token, sync_report *rep) {
    char *sent = store_sync_get(st, "recovery_sent");
    free(sent);
    if (sent) return SYNC_OK;
    size_t n = 0;
    unsigned char *w = store_recovery_wrap(st, &n);
    if (!w) return SYNC_OK; /* locked: the next pass after unlock sends it */
    char b64[256];
    bool fits = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) <= sizeof b64;
    if (fits) sodium_bin2base64(b64, sizeof b64, w, n, sodium_base64_VARIANT_ORIGINAL);
    free(w);
    if (!fits) return SYNC_OK;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "wrap", b64);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    buf b;
    headers hd;
    long status;
    sync_result r = sync_http(s, "PUT", "/v1/recovery", token, body, NULL, 0, MS_SYNC_MAX_ACK, &b, &hd, &status, rep);
    free(body);
    free(b.data);
    if (r != SYNC_OK) return r;
    if (status == 200 || status == 201) {
        store_sync_set(st, "recovery_sent", "1");
        return SYNC_OK;
    }
    if (status == 404 || status == 405 || status == 422) {
        /* a server without recovery, or one that keeps an older wrap: not a reason to stop syncing */
        snprintf(rep->msg, sizeof rep->msg, "recovery: HTTP %ld", status);
        return SYNC_OK;
    }
    return sync_status_result(status, &hd, "recovery", rep);
}

/* DELETE /v1/device: the server revokes the token. 204/200, and 401/403 (already forgotten), are all done. */
static sync_result forget_device(sync_engine *s, const char *token, sync_report *rep) {
    buf b;
    headers hd;
    long status;
    sync_result r = sync_http(s, "DELETE", "/v1/device", token, NULL, NULL, 0, MS_SYNC_MAX_ACK, &b, &hd, &status, rep);
    free(b.data);
    if (r != SYNC_OK) return r;
    if (status == 401 || status == 403 || (status >= 200 && status < 300)) return SYNC_OK;
    return sync_status_result(status, &hd, "device", rep);
}

sync_result sync_forget_token(sync_engine *s, const char *token, sync_report *rep) {
    memset(rep, 0, sizeof *rep);
    s->stop = 0;
    return token ? forget_device(s, token, rep) : SYNC_OK;
}

/* A recovery wrap is a sealed 32-byte key (VAULT_OVERHEAD + 32 = 73 bytes); anything much longer is not one */
#define RECOVERY_WRAP_MAX 300
#define RECOVERY_WRAP_MAX_B64 400

unsigned char *sync_recover(sync_engine *s, const char *code, size_t *len, sync_result *result, sync_report *rep) {
    *len = 0;
    sync_result r;
    cJSON *j = post_code(s, "/v1/recover", "recover", code, NULL, MS_SYNC_MAX_ACK, &r, rep);
    const char *w64 = j ? get_str(j, "wrap", RECOVERY_WRAP_MAX_B64) : NULL;
    unsigned char *out = NULL;
    if (w64) {
        out = malloc(RECOVERY_WRAP_MAX);
        size_t n = 0;
        if (out && sodium_base642bin(out, RECOVERY_WRAP_MAX, w64, strlen(w64), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0) {
            *len = n;
        } else {
            free(out);
            out = NULL;
        }
    }
    if (r == SYNC_OK && !out) {
        snprintf(rep->msg, sizeof rep->msg, "recover: the answer holds no recovery wrap");
        r = SYNC_BAD_DATA;
    }
    cJSON_Delete(j);
    *result = r;
    return out;
}

sync_result sync_once(sync_engine *s, store *st, sync_report *rep) {
    memset(rep, 0, sizeof *rep);
    s->stop = 0;
    char *token = store_sync_get(st, "token");
    if (!token) {
        snprintf(rep->msg, sizeof rep->msg, "not enrolled");
        return SYNC_AUTH;
    }
    /* the patient's own words first: they matter most and are the smallest */
    sync_result r = do_outbox(s, st, token, rep);
    bool unlocked = false;
    if (r == SYNC_OK) r = do_recovery(s, st, token, rep);
    if (r == SYNC_OK) r = sync_do_manifest(s, st, token, rep);
    if (r == SYNC_OK) r = do_changes(s, st, token, rep, &unlocked);
    if (r == SYNC_OK && unlocked) r = sync_do_manifest(s, st, token, rep); /* a module just opened */
    char *returned = r == SYNC_OK ? store_sync_get(st, "returned") : NULL;
    if (returned) {
        /* returned: what the changes just brought is stored; what the patient wrote since the outbox step
         * goes first (a second round), and only an empty queue lets the tablet go */
        r = do_outbox(s, st, token, rep);
        if (r == SYNC_OK && store_outbox_count(st, "pending") == 0) {
            r = forget_device(s, token, rep);
            if (r == SYNC_OK) {
                snprintf(rep->msg, sizeof rep->msg, "returned: the clinic took the tablet back; nothing is queued");
                r = SYNC_RETURNED;
            }
        }
        free(returned);
    }
    if (r == SYNC_OK) {
        /* when the tablet last heard from the clinic, for «sist oppdatert kl. …» after a restart. A pass that brought
         * nothing writes nothing (issue 14: no transaction and no fsync every 5 minutes on a tablet's flash), so the
         * time is stored when this pass wrote anyway, or when the stored one is over MS_SYNC_LAST_SYNCED_SAVE_S
         * old; the app's sync thread stores the latest when it stops (syncer.c) */
        long long now = (long long)time(NULL);
        char *stored = store_sync_get(st, "last_synced");
        long long then = stored ? atoll(stored) : 0;
        free(stored);
        bool wrote = rep->manifest_changed || rep->blobs_fetched || rep->items || rep->messages_sent;
        if (wrote || now - then >= MS_SYNC_LAST_SYNCED_SAVE_S || now < then) {
            char t[32];
            snprintf(t, sizeof t, "%lld", now);
            store_sync_set(st, "last_synced", t);
        }
    }
    free(token);
    return r;
}
