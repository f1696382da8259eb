/* a11y_atk.c — the screen-reader bridge, built as meistring-a11y.so: each frame the client draws, as ATK objects
 * that Debian's atk-bridge puts on the AT-SPI bus, so Orca can walk, read and operate every screen.
 *
 * The client draws its own screens; the view (ui/view.h) is already a description of each frame. The client hands
 * a copy of it over after every frame (publish), and this module's own thread, running its own GLib main context,
 * turns it into an application (root) → a frame (the window, named by the screen's title) → one object per
 * element, answers the screen reader's questions from that copy, and signals what changed (children, the
 * keyboard's focus, a new message) by comparing one copy with the next. The client's loop never runs GLib: it
 * keeps sleeping until an SDL event, and a screen reader's «click» or «focus» comes to it as one (a11y_host).
 * Loaded only when a screen reader is in use (src/app/a11y.c), so GLib, ATK and D-Bus are otherwise never mapped.
 * Prefix a11y_ (and Ms* for the GObject types, as GObject names types). */
#include "a11y_module.h"

#include <atk-bridge.h>
#include <atk/atk.h>
#include <glib-object.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

/* ---- a frame, copied ------------------------------------------------------------------------------------- */

typedef struct {
    char *screen, *title, *lang, *message;
    int win_x, win_y, win_w, win_h;
    a11y_elem *e; /* texts owned */
    size_t n;
    int focus; /* the element with the focus: the ring's, else the screen reader's place (reading_place) */
    int bar_bottom;
} snap;

/* Every text the screen reader gets passes here, and is made valid UTF-8 on the way (a bad byte becomes U+FFFD):
 * D-Bus aborts the whole process on a string that is not (a function key's text did it to F1, issue 13), so one
 * slip in any screen's text must not end a blind patient's session. valid says whether it was already. */
static char *dup_or_empty(const char *s, bool *valid) {
    if (!s) s = "";
    bool ok = g_utf8_validate(s, -1, NULL);
    if (valid) *valid = ok;
    return ok ? g_strdup(s) : g_utf8_make_valid(s, -1);
}

static snap *snap_copy(const a11y_snapshot *f) {
    snap *s = g_new0(snap, 1);
    s->screen = dup_or_empty(f->screen, NULL);
    s->title = dup_or_empty(f->title, NULL);
    s->lang = dup_or_empty(f->lang, NULL);
    s->message = dup_or_empty(f->message, NULL);
    s->win_x = f->win_x;
    s->win_y = f->win_y;
    s->win_w = f->win_w;
    s->win_h = f->win_h;
    s->n = f->n;
    s->e = g_new0(a11y_elem, f->n ? f->n : 1);
    for (size_t i = 0; i < f->n; i++) {
        s->e[i] = f->e[i];
        bool valid;
        s->e[i].text = dup_or_empty(f->e[i].text, &valid);
        if (!valid) s->e[i].name_len = -1; /* its bytes moved: named by the whole */
    }
    s->focus = f->focus >= 0 && (size_t)f->focus < f->n ? f->focus : -1;
    s->bar_bottom = f->bar_bottom;
    return s;
}

static void snap_free(snap *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n; i++)
        g_free((char *)s->e[i].text);
    g_free(s->e);
    g_free(s->screen);
    g_free(s->title);
    g_free(s->lang);
    g_free(s->message);
    g_free(s);
}

/* ---- the module's state ----------------------------------------------------------------------------------- */

static struct {
    a11y_host host;
    char app_name[64];
    GMainContext *ctx; /* the module thread's own: the client's loop never iterates it */
    GMainLoop *loop;
    GThread *thread;
    GMutex lock; /* guards pending, queued and failed, and a key's answer (key_copy) */
    GCond key_done; /* a key's listeners have answered (or the bridge failed): the client's thread waits on it */
    int keys_out;   /* keys given to the module's thread and not yet answered */
    snap *pending; /* the newest frame published, not yet taken by the module thread */
    bool queued;   /* an idle source is on ctx to take it */
    bool failed; /* the bridge could not start: frames are no longer copied */
    /* the module thread's alone */
    snap *cur;
    AtkObject *root, *window;
    GPtrArray *kids;   /* MsElem, one per cur->e (a reference each) */
    GPtrArray *top;    /* the window's children: the MsElem of kids in no group, and the lists and tables (a reference
                        * each) */
    GPtrArray *groups; /* every list, table, row and cell of the tree, in the order they were made (a reference each) */
    GHashTable *hooks; /* emission hook id → signal id (the bridge's global listeners) */
    GHashTable *key_listeners; /* id → key_listener (the bridge's, which tell the registry and so Orca) */
    guint next_key_id;
} br;

/* ---- the objects ------------------------------------------------------------------------------------------ */

/* One element of the frame. Its copy of the element is its own: the screen reader may hold on to it after the
 * frame has gone (it then says it is defunct). */
typedef struct {
    AtkObject parent;
    a11y_elem e; /* text owned */
    int index;   /* in the frame (cur->e, kids) */
    int pos;     /* in its parent: the window, or the list it is an item of */
    int level;   /* a heading's: as the screen gives it, else 1 for the screen's first and 2 for the rest */
    bool message; /* the message line (a notification) */
    bool defunct;
} MsElem;
typedef struct {
    AtkObjectClass parent_class;
} MsElemClass;

typedef struct {
    AtkObject parent;
} MsWindow;
typedef struct {
    AtkObjectClass parent_class;
} MsWindowClass;

typedef struct {
    AtkObject parent;
} MsRoot;
typedef struct {
    AtkObjectClass parent_class;
} MsRootClass;

static GType ms_elem_get_type(void);
static GType ms_field_get_type(void);
static GType ms_group_get_type(void);
static GType ms_table_get_type(void);
static GType ms_cell_get_type(void);
static GType ms_window_get_type(void);
static GType ms_root_get_type(void);

/* The editor's field, or a code's on the lock: text to write (a11y_elem.entry). A form's question, in a table's cell
 * or above its answers, is a label: its role alone made every exercise's question an editable entry, which it is
 * not (its answers are the buttons under it). */
static bool is_entry(const a11y_elem *e) {
    return e->role == A11Y_FIELD && e->entry && e->table == A11Y_TABLE_NONE;
}

static const char *locale_of(const char *lang) {
    if (strcmp(lang, "nn") == 0) return "nn_NO";
    if (strcmp(lang, "en") == 0) return "en_GB";
    return "nb_NO";
}

/* -- the element -- */

static void elem_component_init(AtkComponentIface *iface);
static void elem_action_init(AtkActionIface *iface);
static void elem_text_init(AtkTextIface *iface);
static void elem_image_init(AtkImageIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsElem, ms_elem, ATK_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_COMPONENT, elem_component_init)
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_ACTION, elem_action_init)
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_TEXT, elem_text_init)
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_IMAGE, elem_image_init))

#define MS_ELEM(o) (G_TYPE_CHECK_INSTANCE_CAST((o), ms_elem_get_type(), MsElem))

static void ms_elem_init(MsElem *self) { (void)self; }

static void elem_finalize(GObject *o) {
    g_free((char *)MS_ELEM(o)->e.text);
    G_OBJECT_CLASS(ms_elem_parent_class)->finalize(o);
}

static gint elem_index_in_parent(AtkObject *o) { return MS_ELEM(o)->pos; }

static AtkStateSet *elem_ref_state_set(AtkObject *o) {
    MsElem *el = MS_ELEM(o);
    AtkStateSet *set = ATK_OBJECT_CLASS(ms_elem_parent_class)->ref_state_set(o);
    if (el->defunct) {
        atk_state_set_add_state(set, ATK_STATE_DEFUNCT);
        return set;
    }
    atk_state_set_add_state(set, ATK_STATE_VISIBLE);
    atk_state_set_add_state(set, ATK_STATE_SHOWING);
    atk_state_set_add_state(set, ATK_STATE_ENABLED);
    atk_state_set_add_state(set, ATK_STATE_SENSITIVE);
    if (el->e.action || is_entry(&el->e)) atk_state_set_add_state(set, ATK_STATE_FOCUSABLE);
    if (is_entry(&el->e)) {
        atk_state_set_add_state(set, ATK_STATE_EDITABLE);
        atk_state_set_add_state(set, ATK_STATE_MULTI_LINE);
    }
    if (el->e.role == A11Y_TEXT || el->e.role == A11Y_CALLOUT) atk_state_set_add_state(set, ATK_STATE_MULTI_LINE);
    if (el->e.choice != A11Y_CHOICE_NONE) {
        atk_state_set_add_state(set, ATK_STATE_CHECKABLE);
        if (el->e.chosen) atk_state_set_add_state(set, ATK_STATE_CHECKED);
    }
    if (br.cur && br.cur->focus == el->index && br.kids && el->index < (int)br.kids->len &&
        g_ptr_array_index(br.kids, el->index) == el)
        atk_state_set_add_state(set, ATK_STATE_FOCUSED);
    return set;
}

/* A radio button's group (ATK_RELATION_MEMBER_OF), so a screen reader can say «2 of 4»: the run of answers to
 * choose one of, next to each other in the frame, that a tap on sets through the same action (a scale's steps, a
 * questionnaire's answers, one option of «Lesehjelp»). */
static void relate(AtkRelationSet *set, AtkObject **targets, gint n, AtkRelationType type) {
    AtkRelation *r = atk_relation_new(targets, n, type);
    atk_relation_set_add(set, r);
    g_object_unref(r);
}

/* Wholly in the top bar (its buttons, its title, the demonstration's line and the message line under it): what a
 * screen reader's say all passes over, as it passes over a web page's navigation. */
static bool in_bar(const MsElem *el) { return br.cur && el->e.y + el->e.h <= br.cur->bar_bottom; }

/* Say all's way through the screen (ATK_RELATION_FLOWS_TO, and back: FLOWS_FROM): each element flows to the next
 * in reading order outside the top bar. Orca 43's say all reads the object it is on from its caret, then follows
 * FLOWS_TO from object to object, and nothing else: without it, it read only the element with the focus. */
static void relate_flow(AtkRelationSet *set, const MsElem *el) {
    for (guint k = (guint)el->index + 1; k < br.kids->len; k++)
        if (!in_bar(g_ptr_array_index(br.kids, k))) {
            relate(set, (AtkObject **)&g_ptr_array_index(br.kids, k), 1, ATK_RELATION_FLOWS_TO);
            break;
        }
    for (guint k = (guint)el->index; k-- > 0;)
        if (!in_bar(g_ptr_array_index(br.kids, k))) {
            relate(set, (AtkObject **)&g_ptr_array_index(br.kids, k), 1, ATK_RELATION_FLOWS_FROM);
            break;
        }
}

static AtkRelationSet *elem_ref_relation_set(AtkObject *o) {
    MsElem *el = MS_ELEM(o);
    AtkRelationSet *set = atk_relation_set_new();
    if (el->defunct || !br.kids || el->index >= (int)br.kids->len || g_ptr_array_index(br.kids, el->index) != el)
        return set;
    relate_flow(set, el);
    if (el->e.choice != A11Y_CHOICE_ONE) return set;
    guint a = (guint)el->index, b = a + 1;
    while (a > 0) {
        const MsElem *p = g_ptr_array_index(br.kids, a - 1);
        if (p->e.choice != A11Y_CHOICE_ONE || p->e.action != el->e.action) break;
        a--;
    }
    while (b < br.kids->len) {
        const MsElem *q = g_ptr_array_index(br.kids, b);
        if (q->e.choice != A11Y_CHOICE_ONE || q->e.action != el->e.action) break;
        b++;
    }
    AtkObject **group = g_new(AtkObject *, b - a);
    for (guint k = a; k < b; k++)
        group[k - a] = g_ptr_array_index(br.kids, k);
    relate(set, group, (gint)(b - a), ATK_RELATION_MEMBER_OF);
    g_free(group);
    return set;
}

static AtkAttributeSet *add_attr(AtkAttributeSet *set, const char *name, const char *value) {
    AtkAttribute *at = g_new(AtkAttribute, 1);
    at->name = g_strdup(name);
    at->value = g_strdup(value);
    return g_slist_prepend(set, at);
}

static AtkAttributeSet *elem_attributes(AtkObject *o) {
    MsElem *el = MS_ELEM(o);
    AtkAttributeSet *set = NULL;
    if (el->e.role == A11Y_HEADING) {
        char lv[8];
        snprintf(lv, sizeof lv, "%d", el->level);
        set = add_attr(set, "level", lv);
    }
    if (el->e.role == A11Y_STATUS) { /* a live region, as ARIA's role=status: read when it appears or changes */
        set = add_attr(set, "live", "polite");
        set = add_attr(set, "container-live", "polite");
        set = add_attr(set, "atomic", "true");
    }
    return set;
}

static const gchar *elem_locale(AtkObject *o) {
    (void)o;
    return br.cur ? locale_of(br.cur->lang) : "nb_NO";
}

static void ms_elem_class_init(MsElemClass *k) {
    G_OBJECT_CLASS(k)->finalize = elem_finalize;
    AtkObjectClass *ak = ATK_OBJECT_CLASS(k);
    ak->get_index_in_parent = elem_index_in_parent;
    ak->ref_state_set = elem_ref_state_set;
    ak->ref_relation_set = elem_ref_relation_set;
    ak->get_attributes = elem_attributes;
    ak->get_object_locale = elem_locale;
}

static AtkRole atk_role_of(const MsElem *el) {
    switch (el->e.role) {
    case A11Y_HEADING: return ATK_ROLE_HEADING;
    case A11Y_TEXT: return el->e.list != A11Y_LIST_NONE ? ATK_ROLE_LIST_ITEM : ATK_ROLE_PARAGRAPH;
    case A11Y_BUTTON:
        if (el->e.list != A11Y_LIST_NONE) return ATK_ROLE_LIST_ITEM;
        return el->e.choice == A11Y_CHOICE_ONE    ? ATK_ROLE_RADIO_BUTTON
               : el->e.choice == A11Y_CHOICE_MANY ? ATK_ROLE_CHECK_BOX
                                                  : ATK_ROLE_PUSH_BUTTON;
    case A11Y_IMAGE: return ATK_ROLE_IMAGE;
    case A11Y_FIELD: return is_entry(&el->e) ? ATK_ROLE_ENTRY : ATK_ROLE_LABEL;
    case A11Y_CALLOUT: return ATK_ROLE_SECTION;
    case A11Y_STATUS: return el->message ? ATK_ROLE_NOTIFICATION : ATK_ROLE_STATUSBAR;
    }
    return ATK_ROLE_UNKNOWN;
}

/* What names it: its words, less « – valgt» where its checked state says that (a11y_elem.name_len). */
static void set_name(MsElem *el) {
    const a11y_elem *e = &el->e;
    size_t n = strlen(e->text);
    char *name = g_strndup(e->text, e->name_len >= 0 && (size_t)e->name_len < n ? (gsize)e->name_len : n);
    atk_object_set_name(ATK_OBJECT(el), name);
    g_free(name);
}

static MsElem *elem_new(const a11y_elem *e, int index, int level, bool message, const char *label) {
    MsElem *el = g_object_new(is_entry(e) ? ms_field_get_type() : ms_elem_get_type(), NULL);
    el->e = *e;
    el->e.text = g_strdup(e->text);
    el->index = index;
    el->level = level;
    el->message = message;
    AtkObject *o = ATK_OBJECT(el);
    atk_object_set_role(o, atk_role_of(el));
    /* Headings, buttons and images are named by what they say; a paragraph's words are its text (AtkText) alone,
     * so a screen reader does not read them twice; a field is named by the heading above it (what it is for), or
     * the screen's title, its words being its value. */
    if (is_entry(e))
        atk_object_set_name(o, label ? label : "");
    else if (e->role != A11Y_TEXT && e->role != A11Y_CALLOUT)
        set_name(el);
    if (e->role == A11Y_IMAGE) atk_object_set_description(o, e->text);
    atk_object_set_parent(o, br.window);
    return el;
}

/* AtkComponent: where it is, in the window or on the screen; focus asked for by the screen reader. */
static void elem_get_extents(AtkComponent *c, gint *x, gint *y, gint *w, gint *h, AtkCoordType type) {
    MsElem *el = MS_ELEM(c);
    int ox = type == ATK_XY_SCREEN && br.cur ? br.cur->win_x : 0, oy = type == ATK_XY_SCREEN && br.cur ? br.cur->win_y : 0;
    if (x) *x = el->e.x + ox;
    if (y) *y = el->e.y + oy;
    if (w) *w = el->e.w;
    if (h) *h = el->e.h;
}

static gboolean elem_grab_focus(AtkComponent *c) {
    MsElem *el = MS_ELEM(c);
    if (el->defunct || !el->e.action) return FALSE;
    br.host.focus(br.host.ctx, el->e.action, el->e.arg);
    return TRUE;
}

static AtkLayer elem_layer(AtkComponent *c) {
    (void)c;
    return ATK_LAYER_WIDGET;
}

static void elem_component_init(AtkComponentIface *iface) {
    iface->get_extents = elem_get_extents;
    iface->grab_focus = elem_grab_focus;
    iface->get_layer = elem_layer;
}

/* AtkAction: «click» does what a tap on it does, in the client's loop. */
static gint elem_n_actions(AtkAction *a) { return MS_ELEM(a)->e.action ? 1 : 0; }

static gboolean elem_do_action(AtkAction *a, gint i) {
    MsElem *el = MS_ELEM(a);
    if (i != 0 || !el->e.action || el->defunct) return FALSE;
    br.host.activate(br.host.ctx, el->e.action, el->e.arg);
    return TRUE;
}

static const gchar *elem_action_name(AtkAction *a, gint i) {
    return i == 0 && MS_ELEM(a)->e.action ? "click" : NULL;
}

static void elem_action_init(AtkActionIface *iface) {
    iface->get_n_actions = elem_n_actions;
    iface->do_action = elem_do_action;
    iface->get_name = elem_action_name;
}

/* AtkText: the element's words by character offsets, so a screen reader can read them whole or by character,
 * word or line. The view has no line breaks: a line is the element's text. The editor's field has its caret and
 * selection (a11y_elem.caret, anchor); another element's caret is at its start. */
static gint elem_char_count(AtkText *t) { return (gint)g_utf8_strlen(MS_ELEM(t)->e.text, -1); }

static gchar *elem_get_text(AtkText *t, gint start, gint end) {
    const char *s = MS_ELEM(t)->e.text;
    glong n = g_utf8_strlen(s, -1);
    if (start < 0) start = 0;
    if (end < 0 || end > n) end = (gint)n;
    if (start > end) start = end;
    const char *p = g_utf8_offset_to_pointer(s, start), *q = g_utf8_offset_to_pointer(s, end);
    return g_strndup(p, (gsize)(q - p));
}

static gint elem_caret(AtkText *t) {
    const MsElem *el = MS_ELEM(t);
    if (!is_entry(&el->e)) return 0; /* words to read: from their start (where say all begins) */
    return el->e.caret >= 0 ? el->e.caret : elem_char_count(t);
}

static gunichar elem_char_at(AtkText *t, gint offset) {
    const char *s = MS_ELEM(t)->e.text;
    if (offset < 0 || offset >= elem_char_count(t)) return 0;
    return g_utf8_get_char(g_utf8_offset_to_pointer(s, offset));
}

static gchar *elem_string_at(AtkText *t, gint offset, AtkTextGranularity g, gint *start, gint *end) {
    const char *s = MS_ELEM(t)->e.text;
    gint n = elem_char_count(t);
    if (offset < 0) offset = 0;
    if (offset > n) offset = n;
    gint a = 0, b = n;
    if (g == ATK_TEXT_GRANULARITY_CHAR) {
        a = offset;
        b = offset < n ? offset + 1 : n;
    } else if (g == ATK_TEXT_GRANULARITY_WORD) {
        a = b = offset;
        while (a > 0 && !g_unichar_isspace(g_utf8_get_char(g_utf8_offset_to_pointer(s, a - 1))))
            a--;
        while (b < n && !g_unichar_isspace(g_utf8_get_char(g_utf8_offset_to_pointer(s, b))))
            b++;
    }
    *start = a;
    *end = b;
    return elem_get_text(t, a, b);
}

/* The same by the older call, which AT-SPI's GetTextAtOffset still makes (ATK gives nothing where it is missing):
 * Orca 43's flat review and say all read an element's lines with it, and found none. */
static gchar *elem_text_at(AtkText *t, gint offset, AtkTextBoundary b, gint *start, gint *end) {
    AtkTextGranularity g = b == ATK_TEXT_BOUNDARY_CHAR                                        ? ATK_TEXT_GRANULARITY_CHAR
                           : b == ATK_TEXT_BOUNDARY_WORD_START || b == ATK_TEXT_BOUNDARY_WORD_END ? ATK_TEXT_GRANULARITY_WORD
                                                                                              : ATK_TEXT_GRANULARITY_LINE;
    return elem_string_at(t, offset, g, start, end);
}

/* Where a range of the text is: the element's box (the view keeps no place of a character), which keeps Orca's
 * flat review putting each element on its line of the screen (it places words by these). */
static void elem_range_extents(AtkText *t, gint start, gint end, AtkCoordType type, AtkTextRectangle *r) {
    (void)start;
    (void)end;
    elem_get_extents(ATK_COMPONENT(t), &r->x, &r->y, &r->width, &r->height, type);
}

static gint elem_n_selections(AtkText *t) {
    const MsElem *el = MS_ELEM(t);
    return is_entry(&el->e) && el->e.caret >= 0 && el->e.anchor >= 0 && el->e.caret != el->e.anchor;
}

static gchar *elem_selection(AtkText *t, gint i, gint *start, gint *end) {
    const MsElem *el = MS_ELEM(t);
    *start = *end = 0;
    if (i != 0 || !elem_n_selections(t)) return NULL;
    *start = el->e.caret < el->e.anchor ? el->e.caret : el->e.anchor;
    *end = el->e.caret < el->e.anchor ? el->e.anchor : el->e.caret;
    return elem_get_text(t, *start, *end);
}

/* The screen reader moves the editor's caret (as the arrow keys would: a11y_host.edit). */
static gboolean elem_set_caret(AtkText *t, gint offset) {
    MsElem *el = MS_ELEM(t);
    if (el->defunct || !is_entry(&el->e) || offset < 0 || offset > elem_char_count(t)) return FALSE;
    br.host.edit(br.host.ctx, offset, offset, "");
    return TRUE;
}

static void elem_text_init(AtkTextIface *iface) {
    iface->get_text = elem_get_text;
    iface->get_character_count = elem_char_count;
    iface->get_caret_offset = elem_caret;
    iface->get_character_at_offset = elem_char_at;
    iface->get_string_at_offset = elem_string_at;
    iface->get_text_at_offset = elem_text_at;
    iface->get_range_extents = elem_range_extents;
    iface->get_n_selections = elem_n_selections;
    iface->get_selection = elem_selection;
    iface->set_caret_offset = elem_set_caret;
}

/* AtkImage: a picture's description is the content's alt text. */
static const gchar *elem_image_description(AtkImage *i) { return MS_ELEM(i)->e.text; }

static void elem_image_size(AtkImage *i, gint *w, gint *h) {
    if (w) *w = MS_ELEM(i)->e.w;
    if (h) *h = MS_ELEM(i)->e.h;
}

static void elem_image_position(AtkImage *i, gint *x, gint *y, AtkCoordType type) {
    elem_get_extents(ATK_COMPONENT(i), x, y, NULL, NULL, type);
}

static void elem_image_init(AtkImageIface *iface) {
    iface->get_image_description = elem_image_description;
    iface->get_image_size = elem_image_size;
    iface->get_image_position = elem_image_position;
}

/* -- the editor's field: an element whose text can be edited (AtkEditableText), as typed in the client -- */

typedef struct {
    MsElem parent;
} MsField;
typedef struct {
    MsElemClass parent_class;
} MsFieldClass;

static void field_editable_init(AtkEditableTextIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsField, ms_field, ms_elem_get_type(),
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_EDITABLE_TEXT, field_editable_init))

static void ms_field_init(MsField *self) { (void)self; }
static void ms_field_class_init(MsFieldClass *k) { (void)k; }

/* A braille display's or dictation's text, at position (characters): typed there, the caret after it. */
static void field_insert(AtkEditableText *t, const gchar *text, gint length, gint *position) {
    MsElem *el = MS_ELEM(t);
    if (el->defunct || !text || !position || *position < 0) return;
    gsize n = length < 0 ? strlen(text) : (gsize)length;
    if (!g_utf8_validate(text, (gssize)n, NULL)) return;
    char *copy = g_strndup(text, n);
    br.host.edit(br.host.ctx, *position, *position, copy);
    *position += (gint)g_utf8_strlen(copy, -1);
    memset(copy, 0, n); /* digits typed into a PIN field: no copy of them left in freed memory (a11y.c wipes its own) */
    g_free(copy);
}

static void field_delete(AtkEditableText *t, gint start, gint end) {
    MsElem *el = MS_ELEM(t);
    gint n = elem_char_count(ATK_TEXT(t));
    if (end < 0 || end > n) end = n;
    if (el->defunct || start < 0 || start >= end) return;
    br.host.edit(br.host.ctx, start, end, "");
}

static void field_editable_init(AtkEditableTextIface *iface) {
    iface->insert_text = field_insert;
    iface->delete_text = field_delete;
}

/* -- a group of the frame's elements: a list (a run of elements marked as its items: home's module cards, a
 * module's pages, a page's bulleted and numbered lists), so a screen reader says how many there are, which of them
 * one is, and can move past them; or a table (a form's rows), its rows and their cells (AtkTable, AtkTableCell),
 * so it says a cell's row and column and can move by them -- */

typedef enum { G_LIST, G_TABLE, G_ROW, G_CELL, G_KINDS } group_kind;

typedef struct {
    AtkObject parent;
    group_kind kind;
    GPtrArray *items; /* its children: MsElem borrowed from kids, or groups (held by br.groups) */
    int pos;          /* in its parent */
    int row, col;     /* a cell's (column 0: the row's header) */
    int rows, cols;   /* a table's */
    bool defunct;
} MsGroup;
typedef struct {
    AtkObjectClass parent_class;
} MsGroupClass;

static void group_component_init(AtkComponentIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsGroup, ms_group, ATK_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_COMPONENT, group_component_init))

#define MS_GROUP(o)    (G_TYPE_CHECK_INSTANCE_CAST((o), ms_group_get_type(), MsGroup))
#define IS_MS_GROUP(o) (G_TYPE_CHECK_INSTANCE_TYPE((o), ms_group_get_type()))

static void ms_group_init(MsGroup *self) { self->items = g_ptr_array_new(); }

static void group_finalize(GObject *o) {
    g_ptr_array_free(MS_GROUP(o)->items, TRUE);
    G_OBJECT_CLASS(ms_group_parent_class)->finalize(o);
}

static gint group_n_children(AtkObject *o) { return (gint)MS_GROUP(o)->items->len; }

static AtkObject *group_ref_child(AtkObject *o, gint i) {
    GPtrArray *items = MS_GROUP(o)->items;
    return i >= 0 && i < (gint)items->len ? g_object_ref(g_ptr_array_index(items, i)) : NULL;
}

static gint group_index_in_parent(AtkObject *o) { return MS_GROUP(o)->pos; }

static AtkStateSet *group_ref_state_set(AtkObject *o) {
    MsGroup *g = MS_GROUP(o);
    AtkStateSet *set = ATK_OBJECT_CLASS(ms_group_parent_class)->ref_state_set(o);
    if (g->defunct) {
        atk_state_set_add_state(set, ATK_STATE_DEFUNCT);
        return set;
    }
    const AtkStateType states[] = {ATK_STATE_VISIBLE, ATK_STATE_SHOWING, ATK_STATE_ENABLED, ATK_STATE_SENSITIVE};
    atk_state_set_add_states(set, (AtkStateType *)states, G_N_ELEMENTS(states));
    if (g->kind == G_LIST) atk_state_set_add_state(set, ATK_STATE_VERTICAL);
    return set;
}

static void ms_group_class_init(MsGroupClass *k) {
    G_OBJECT_CLASS(k)->finalize = group_finalize;
    AtkObjectClass *ak = ATK_OBJECT_CLASS(k);
    ak->get_n_children = group_n_children;
    ak->ref_child = group_ref_child;
    ak->get_index_in_parent = group_index_in_parent;
    ak->ref_state_set = group_ref_state_set;
    ak->get_object_locale = elem_locale;
}

/* Where it is: around its children. */
static void group_get_extents(AtkComponent *c, gint *x, gint *y, gint *w, gint *h, AtkCoordType type) {
    GPtrArray *items = MS_GROUP(c)->items;
    gint x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    for (guint i = 0; i < items->len; i++) {
        gint ix, iy, iw, ih;
        atk_component_get_extents(ATK_COMPONENT(g_ptr_array_index(items, i)), &ix, &iy, &iw, &ih, type);
        if (i == 0 || ix < x0) x0 = ix;
        if (i == 0 || iy < y0) y0 = iy;
        if (i == 0 || ix + iw > x1) x1 = ix + iw;
        if (i == 0 || iy + ih > y1) y1 = iy + ih;
    }
    if (x) *x = x0;
    if (y) *y = y0;
    if (w) *w = x1 - x0;
    if (h) *h = y1 - y0;
}

static void group_component_init(AtkComponentIface *iface) {
    iface->get_extents = group_get_extents;
    iface->get_layer = elem_layer;
}

/* - a table: its children are its rows, theirs the cells; AtkTable finds a cell by its row and column - */

typedef struct {
    MsGroup parent;
} MsTable;
typedef struct {
    MsGroupClass parent_class;
} MsTableClass;

static void table_iface_init(AtkTableIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsTable, ms_table, ms_group_get_type(), G_IMPLEMENT_INTERFACE(ATK_TYPE_TABLE, table_iface_init))

static void ms_table_init(MsTable *self) { (void)self; }
static void ms_table_class_init(MsTableClass *k) { (void)k; }

/* The cell at (row, col), or NULL (a row cut by the screen's edge has only some of its cells). */
static MsGroup *table_cell(AtkTable *t, gint row, gint col) {
    GPtrArray *rows = MS_GROUP(t)->items;
    if (row < 0 || row >= (gint)rows->len) return NULL;
    GPtrArray *cells = MS_GROUP(g_ptr_array_index(rows, row))->items;
    for (guint k = 0; k < cells->len; k++)
        if (MS_GROUP(g_ptr_array_index(cells, k))->col == col) return g_ptr_array_index(cells, k);
    return NULL;
}

static AtkObject *table_ref_at(AtkTable *t, gint row, gint col) {
    MsGroup *c = table_cell(t, row, col);
    return c ? g_object_ref(ATK_OBJECT(c)) : NULL;
}

static gint table_n_rows(AtkTable *t) { return MS_GROUP(t)->rows; }
static gint table_n_columns(AtkTable *t) { return MS_GROUP(t)->cols; }

/* A cell's index: its place in the table read row by row, every row as wide as the table */
static gint table_index_at(AtkTable *t, gint row, gint col) { return row * MS_GROUP(t)->cols + col; }
static gint table_row_at(AtkTable *t, gint index) { return MS_GROUP(t)->cols ? index / MS_GROUP(t)->cols : -1; }
static gint table_column_at(AtkTable *t, gint index) { return MS_GROUP(t)->cols ? index % MS_GROUP(t)->cols : -1; }

/* The words of the cell's first element: a row's header says which row («Rad 1»), a column's question heads it. */
static const gchar *cell_words(const MsGroup *c) {
    return c && c->items->len ? MS_ELEM(g_ptr_array_index(c->items, 0))->e.text : NULL;
}

static AtkObject *table_row_header(AtkTable *t, gint row) {
    MsGroup *c = table_cell(t, row, 0);
    return c ? ATK_OBJECT(c) : NULL;
}

static const gchar *table_row_description(AtkTable *t, gint row) { return cell_words(table_cell(t, row, 0)); }

static const gchar *table_column_description(AtkTable *t, gint col) {
    if (col <= 0) return NULL;
    for (gint r = 0; r < MS_GROUP(t)->rows; r++) {
        const MsGroup *c = table_cell(t, r, col);
        if (c && c->items->len && MS_ELEM(g_ptr_array_index(c->items, 0))->e.role == A11Y_FIELD) return cell_words(c);
    }
    return NULL;
}

static void table_iface_init(AtkTableIface *iface) {
    iface->ref_at = table_ref_at;
    iface->get_index_at = table_index_at;
    iface->get_row_at_index = table_row_at;
    iface->get_column_at_index = table_column_at;
    iface->get_n_rows = table_n_rows;
    iface->get_n_columns = table_n_columns;
    iface->get_row_header = table_row_header;
    iface->get_row_description = table_row_description;
    iface->get_column_description = table_column_description;
}

/* - a table's cell: where it is in the table (AtkTableCell) - */

typedef struct {
    MsGroup parent;
} MsCell;
typedef struct {
    MsGroupClass parent_class;
} MsCellClass;

static void cell_iface_init(AtkTableCellIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsCell, ms_cell, ms_group_get_type(),
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_TABLE_CELL, cell_iface_init))

static void ms_cell_init(MsCell *self) { (void)self; }
static void ms_cell_class_init(MsCellClass *k) { (void)k; }

static gboolean cell_position(AtkTableCell *c, gint *row, gint *col) {
    if (row) *row = MS_GROUP(c)->row;
    if (col) *col = MS_GROUP(c)->col;
    return TRUE;
}

static gint cell_span(AtkTableCell *c) {
    (void)c;
    return 1;
}

static gboolean cell_row_column_span(AtkTableCell *c, gint *row, gint *col, gint *row_span, gint *col_span) {
    cell_position(c, row, col);
    if (row_span) *row_span = 1;
    if (col_span) *col_span = 1;
    return TRUE;
}

/* the table: the cell's row's parent */
static AtkObject *cell_ref_table(AtkTableCell *c) {
    AtkObject *row = ATK_OBJECT(c)->accessible_parent;
    AtkObject *t = row ? row->accessible_parent : NULL;
    return t ? g_object_ref(t) : NULL;
}

static void cell_iface_init(AtkTableCellIface *iface) {
    iface->get_position = cell_position;
    iface->get_row_span = cell_span;
    iface->get_column_span = cell_span;
    iface->get_row_column_span = cell_row_column_span;
    iface->get_table = cell_ref_table; /* a row's header is the table's (AtkTable's get_row_header) */
}

/* -- the window: a frame whose children are the frame's elements -- */

static void window_component_init(AtkComponentIface *iface);

G_DEFINE_TYPE_WITH_CODE(MsWindow, ms_window, ATK_TYPE_OBJECT,
                        G_IMPLEMENT_INTERFACE(ATK_TYPE_COMPONENT, window_component_init))

static void ms_window_init(MsWindow *self) { (void)self; }

static gint window_n_children(AtkObject *o) {
    (void)o;
    return br.top ? (gint)br.top->len : 0;
}

static AtkObject *window_ref_child(AtkObject *o, gint i) {
    (void)o;
    if (!br.top || i < 0 || i >= (gint)br.top->len) return NULL;
    return g_object_ref(g_ptr_array_index(br.top, i));
}

static gint window_index_in_parent(AtkObject *o) {
    (void)o;
    return 0;
}

static AtkStateSet *window_ref_state_set(AtkObject *o) {
    AtkStateSet *set = ATK_OBJECT_CLASS(ms_window_parent_class)->ref_state_set(o);
    const AtkStateType states[] = {ATK_STATE_ACTIVE, ATK_STATE_VISIBLE, ATK_STATE_SHOWING, ATK_STATE_ENABLED,
                                   ATK_STATE_SENSITIVE, ATK_STATE_RESIZABLE};
    atk_state_set_add_states(set, (AtkStateType *)states, G_N_ELEMENTS(states));
    return set;
}

static void ms_window_class_init(MsWindowClass *k) {
    AtkObjectClass *ak = ATK_OBJECT_CLASS(k);
    ak->get_n_children = window_n_children;
    ak->ref_child = window_ref_child;
    ak->get_index_in_parent = window_index_in_parent;
    ak->ref_state_set = window_ref_state_set;
    ak->get_object_locale = elem_locale;
    /* the signals atk-bridge listens to as window:create, window:activate …, as GTK's windows have them */
    const char *names[] = {"create", "destroy", "activate", "deactivate"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        g_signal_new(names[i], G_TYPE_FROM_CLASS(k), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void window_get_extents(AtkComponent *c, gint *x, gint *y, gint *w, gint *h, AtkCoordType type) {
    (void)c;
    const snap *s = br.cur;
    if (x) *x = s && type == ATK_XY_SCREEN ? s->win_x : 0;
    if (y) *y = s && type == ATK_XY_SCREEN ? s->win_y : 0;
    if (w) *w = s ? s->win_w : 0;
    if (h) *h = s ? s->win_h : 0;
}

static AtkLayer window_layer(AtkComponent *c) {
    (void)c;
    return ATK_LAYER_WINDOW;
}

static void window_component_init(AtkComponentIface *iface) {
    iface->get_extents = window_get_extents;
    iface->get_layer = window_layer;
}

/* -- the application: the root the bridge registers -- */

G_DEFINE_TYPE(MsRoot, ms_root, ATK_TYPE_OBJECT)

static void ms_root_init(MsRoot *self) { (void)self; }

static gint root_n_children(AtkObject *o) {
    (void)o;
    return 1;
}

static AtkObject *root_ref_child(AtkObject *o, gint i) {
    (void)o;
    return i == 0 ? g_object_ref(br.window) : NULL;
}

static void ms_root_class_init(MsRootClass *k) {
    ATK_OBJECT_CLASS(k)->get_n_children = root_n_children;
    ATK_OBJECT_CLASS(k)->ref_child = root_ref_child;
    ATK_OBJECT_CLASS(k)->get_object_locale = elem_locale;
}

/* ---- AtkUtil: what a toolkit provides the bridge (as GTK's and Clutter's do) ------------------------------ */

static AtkObject *util_root(void) { return br.root; }
static const gchar *util_toolkit_name(void) { return "Meistring"; }
static const gchar *util_toolkit_version(void) { return "1"; }

/* The bridge asks for every event by name, "Gtk:AtkObject:state-change" or "window:activate": each becomes an
 * emission hook on that signal (ATK's own AtkUtil has none). An unknown one (ATK 2.46 has no "announcement") is
 * refused with 0, which the bridge expects. */
static guint util_add_listener(GSignalEmissionHook hook, const gchar *event_type) {
    gchar **part = g_strsplit(event_type, ":", 3);
    GType type = 0;
    const char *sig = NULL;
    if (part[0] && part[1] && strcmp(part[0], "window") == 0) {
        type = ms_window_get_type();
        sig = part[1];
    } else if (part[0] && part[1] && part[2]) {
        type = g_type_from_name(part[1]);
        sig = part[2];
    }
    guint id = 0;
    if (type) {
        /* a class's or an interface's signals exist once it has been made */
        if (G_TYPE_IS_INTERFACE(type))
            g_type_default_interface_unref(g_type_default_interface_ref(type));
        else if (G_TYPE_IS_CLASSED(type))
            g_type_class_unref(g_type_class_ref(type));
        guint signal = g_signal_lookup(sig, type);
        if (signal) {
            id = (guint)g_signal_add_emission_hook(signal, 0, hook, g_strdup(event_type), g_free);
            g_hash_table_insert(br.hooks, GUINT_TO_POINTER(id), GUINT_TO_POINTER(signal));
        }
    }
    g_strfreev(part);
    return id;
}

static void util_remove_listener(guint id) {
    gpointer signal = g_hash_table_lookup(br.hooks, GUINT_TO_POINTER(id));
    if (!signal) return;
    g_signal_remove_emission_hook(GPOINTER_TO_UINT(signal), id);
    g_hash_table_remove(br.hooks, GUINT_TO_POINTER(id));
}

/* Keys: the bridge asks to hear every key the app has, as GTK's snooper gives them; it tells the registry, which
 * tells a screen reader listening for keys and returns whether it took the key (Orca's commands: say all, flat
 * review). The client waits for that answer, a while (a11y_key_event), before acting on the key, as GTK does. */
typedef struct {
    AtkKeySnoopFunc fn;
    gpointer data;
} key_listener;

static guint util_add_key_listener(AtkKeySnoopFunc fn, gpointer data) {
    key_listener *l = g_new(key_listener, 1);
    l->fn = fn;
    l->data = data;
    guint id = ++br.next_key_id;
    g_hash_table_insert(br.key_listeners, GUINT_TO_POINTER(id), l);
    return id;
}

static void util_remove_key_listener(guint id) { g_hash_table_remove(br.key_listeners, GUINT_TO_POINTER(id)); }

/* A key on its way to the listeners, and their answer. Shared by the client's thread, which may stop waiting for
 * it, and the module's, which may deliver it late: the last of the two to let go frees it (refs, under br.lock). */
typedef struct {
    a11y_keystroke k;
    char text[32];
    int refs;
    bool done, consumed;
} key_copy;

static void key_copy_unref(gpointer p) {
    key_copy *c = p;
    g_mutex_lock(&br.lock);
    bool last = --c->refs == 0;
    g_mutex_unlock(&br.lock);
    if (last) g_free(c);
}

static gboolean deliver_key(gpointer p) {
    key_copy *c = p;
    AtkKeyEventStruct ev = {.type = c->k.press ? ATK_KEY_EVENT_PRESS : ATK_KEY_EVENT_RELEASE,
                            .state = c->k.state,
                            .keyval = c->k.keysym,
                            .length = (gint)strlen(c->text),
                            .string = c->text,
                            .keycode = c->k.keycode,
                            .timestamp = c->k.time_ms};
    /* the listeners copied first: while the bridge waits for the registry's answer (at-spi2-core's
     * send_and_allow_reentry, in a private context of its own, up to its 500 ms reply timeout) it answers the
     * screen reader's calls, and one of those may add or remove a listener */
    GArray *ls = g_array_new(FALSE, FALSE, sizeof(key_listener));
    GHashTableIter it;
    gpointer l;
    g_hash_table_iter_init(&it, br.key_listeners);
    while (g_hash_table_iter_next(&it, NULL, &l))
        g_array_append_val(ls, *(key_listener *)l);
    bool consumed = false;
    for (guint i = 0; i < ls->len; i++) {
        const key_listener *kl = &g_array_index(ls, key_listener, i);
        if (kl->fn(&ev, kl->data)) consumed = true;
    }
    g_array_free(ls, TRUE);
    g_mutex_lock(&br.lock);
    c->done = true;
    c->consumed = consumed;
    br.keys_out--;
    g_cond_broadcast(&br.key_done);
    g_mutex_unlock(&br.lock);
    return G_SOURCE_REMOVE;
}

/* ---- a new frame, compared with the last ------------------------------------------------------------------ */

/* The element i of the frame leaves kids; its object (defunct, it may live on in a screen reader's hands) is let go
 * once the tree has been said without it (restructure): gone takes kids' reference. */
static void kid_remove(guint i, GPtrArray *gone) {
    MsElem *el = g_ptr_array_index(br.kids, i);
    g_ptr_array_remove_index(br.kids, i);
    el->defunct = true;
    g_ptr_array_add(gone, el);
}

/* One parent's children, from was to now. */
typedef struct {
    AtkObject *parent;
    GPtrArray *was, *now;
} kin;

static bool holds(GPtrArray *a, gconstpointer p) { return g_ptr_array_find(a, p, NULL); }

/* Each child's parent and place in it, as now arranged. */
static void place(AtkObject *parent, GPtrArray *now) {
    for (guint k = 0; k < now->len; k++) {
        AtkObject *o = g_ptr_array_index(now, k);
        if (IS_MS_GROUP(o))
            MS_GROUP(o)->pos = (int)k;
        else
            MS_ELEM(o)->pos = (int)k;
        if (o->accessible_parent != parent) atk_object_set_parent(o, parent);
    }
}

/* The groups of the tree being arranged: the last frame's, to be kept in order of each kind (on the same screen),
 * and the new frame's. */
typedef struct {
    GPtrArray *old;      /* the last frame's groups, in the order they were made */
    guint next[G_KINDS]; /* per kind: where in old to look for the next one to keep */
    GPtrArray *now;      /* this frame's (a reference each) */
    GArray *changes;     /* kin, one per group of now, in order, then one per old group not kept */
    bool new_screen;
} arranging;

/* A group of kind under parent: the next of that kind the last frame had (on the same screen), else a new one.
 * ar->now holds it; its children are to be added to its items. */
static MsGroup *group_take(arranging *ar, group_kind kind, AtkObject *parent) {
    MsGroup *g = NULL;
    while (!ar->new_screen && !g && ar->next[kind] < ar->old->len) {
        MsGroup *o = g_ptr_array_index(ar->old, ar->next[kind]++);
        if (o->kind == kind) g = g_object_ref(o);
    }
    if (!g) {
        static const AtkRole roles[G_KINDS] = {ATK_ROLE_LIST, ATK_ROLE_TABLE, ATK_ROLE_TABLE_ROW, ATK_ROLE_TABLE_CELL};
        GType type = kind == G_TABLE ? ms_table_get_type() : kind == G_CELL ? ms_cell_get_type() : ms_group_get_type();
        g = g_object_new(type, NULL);
        g->kind = kind;
        atk_object_set_role(ATK_OBJECT(g), roles[kind]);
        atk_object_set_parent(ATK_OBJECT(g), parent);
    }
    kin c = {ATK_OBJECT(g), g->items, g_ptr_array_new()};
    g->items = c.now;
    g_array_append_val(ar->changes, c);
    g_ptr_array_add(ar->now, g);
    return g;
}

/* The table that starts at kids' element i: its rows, their cells, the cells' elements. Returns the index after it. */
static guint table_arrange(arranging *ar, guint i, GPtrArray *top) {
    MsGroup *t = group_take(ar, G_TABLE, br.window), *row = NULL, *cell = NULL;
    t->rows = 0;
    t->cols = MS_ELEM(g_ptr_array_index(br.kids, i))->e.table_cols;
    /* named by what heads it: the form's question or heading just before it */
    const MsElem *before = i > 0 ? g_ptr_array_index(br.kids, i - 1) : NULL;
    const char *name = before && (before->e.role == A11Y_FIELD || before->e.role == A11Y_HEADING) ? before->e.text : "";
    if (g_strcmp0(atk_object_get_name(ATK_OBJECT(t)), name) != 0) atk_object_set_name(ATK_OBJECT(t), name);
    guint j = i;
    for (; j < br.kids->len; j++) {
        MsElem *el = g_ptr_array_index(br.kids, j);
        if (el->e.table == A11Y_TABLE_NONE || (j > i && el->e.table == A11Y_TABLE_FIRST)) break;
        if (!row || el->e.row != row->row) {
            row = group_take(ar, G_ROW, ATK_OBJECT(t));
            row->row = el->e.row;
            g_ptr_array_add(t->items, row);
            t->rows++;
            cell = NULL;
        }
        if (!cell || el->e.col != cell->col) {
            cell = group_take(ar, G_CELL, ATK_OBJECT(row));
            cell->row = t->rows - 1;
            cell->col = el->e.col;
            AtkRole role = cell->col == 0 ? ATK_ROLE_ROW_HEADER : ATK_ROLE_TABLE_CELL;
            if (atk_object_get_role(ATK_OBJECT(cell)) != role) atk_object_set_role(ATK_OBJECT(cell), role);
            g_ptr_array_add(row->items, cell);
        }
        g_ptr_array_add(cell->items, el);
    }
    g_ptr_array_add(top, g_object_ref(t));
    return j;
}

/* The window's children and the groups' arranged from kids (a run of elements marked as list items is one list, of
 * table cells one table; on the same screen the old groups are kept, in order), then said: what left each parent as
 * removed (at its old place), what came as added (at its new place), once the whole new tree is in place. */
static void restructure(bool new_screen) {
    arranging ar = {.old = br.groups,
                    .now = g_ptr_array_new_with_free_func(g_object_unref),
                    .changes = g_array_new(FALSE, FALSE, sizeof(kin)),
                    .new_screen = new_screen};
    GPtrArray *top = g_ptr_array_new_with_free_func(g_object_unref);
    for (guint i = 0; i < br.kids->len;) {
        MsElem *el = g_ptr_array_index(br.kids, i);
        if (el->e.table != A11Y_TABLE_NONE) {
            i = table_arrange(&ar, i, top);
            continue;
        }
        if (el->e.list == A11Y_LIST_NONE) {
            g_ptr_array_add(top, g_object_ref(el));
            i++;
            continue;
        }
        guint j = i + 1;
        while (j < br.kids->len && MS_ELEM(g_ptr_array_index(br.kids, j))->e.list == A11Y_LIST_ITEM &&
               MS_ELEM(g_ptr_array_index(br.kids, j))->e.table == A11Y_TABLE_NONE)
            j++;
        MsGroup *l = group_take(&ar, G_LIST, br.window);
        for (guint k = i; k < j; k++)
            g_ptr_array_add(l->items, g_ptr_array_index(br.kids, k));
        g_ptr_array_add(top, g_object_ref(l));
        i = j;
    }
    guint used = ar.changes->len;
    for (guint k = 0; k < ar.old->len; k++) { /* groups no longer there: emptied, then gone */
        MsGroup *g = g_ptr_array_index(ar.old, k);
        if (holds(ar.now, g)) continue;
        kin c = {ATK_OBJECT(g), g->items, g_ptr_array_new()};
        g->items = c.now;
        g->defunct = true;
        g_array_append_val(ar.changes, c);
    }
    kin w = {br.window, br.top, top};
    br.top = top;
    br.groups = ar.now;
    place(br.window, top);
    for (guint k = 0; k < used; k++)
        place(g_array_index(ar.changes, kin, k).parent, g_array_index(ar.changes, kin, k).now);
    /* removed: the groups' children, the innermost first, then the window's; added: the window's, then the groups',
     * the outermost first */
    for (guint k = ar.changes->len + 1; k-- > 0;) {
        kin *c = k > 0 ? &g_array_index(ar.changes, kin, k - 1) : &w;
        for (guint m = c->was->len; m-- > 0;)
            if (!holds(c->now, g_ptr_array_index(c->was, m)))
                g_signal_emit_by_name(c->parent, "children-changed::remove", m, g_ptr_array_index(c->was, m));
    }
    for (guint k = 0; k <= ar.changes->len; k++) {
        kin *c = k == 0 ? &w : &g_array_index(ar.changes, kin, k - 1);
        for (guint m = 0; m < c->now->len; m++)
            if (!holds(c->was, g_ptr_array_index(c->now, m)))
                g_signal_emit_by_name(c->parent, "children-changed::add", m, g_ptr_array_index(c->now, m));
    }
    for (guint k = 0; k < ar.changes->len; k++) {
        kin *c = &g_array_index(ar.changes, kin, k);
        g_ptr_array_free(c->was, TRUE);
        if (MS_GROUP(c->parent)->defunct) atk_object_notify_state_change(c->parent, ATK_STATE_DEFUNCT, TRUE);
    }
    g_ptr_array_free(w.was, TRUE);
    g_ptr_array_free(ar.old, TRUE); /* the last frame's groups: one no longer there goes with it */
    g_array_free(ar.changes, TRUE);
}

static bool is_message(const snap *s, const a11y_elem *e) {
    return e->role == A11Y_STATUS && s->message[0] && e->text[0] && strstr(s->message, e->text) != NULL;
}

static bool had_status(const snap *old, const char *text) {
    if (!old) return false;
    for (size_t i = 0; i < old->n; i++)
        if (old->e[i].role == A11Y_STATUS && strcmp(old->e[i].text, text) == 0) return true;
    return false;
}

/* A message to be heard: shown (Orca speaks a notification that appears), its text inserted (a live region's
 * change; retext has said that already) and, where ATK has it, announced. */
static void announce(MsElem *el, bool inserted) {
    AtkObject *o = ATK_OBJECT(el);
    atk_object_notify_state_change(o, ATK_STATE_SHOWING, TRUE);
    if (!inserted) g_signal_emit_by_name(o, "text-changed::insert", 0, (gint)g_utf8_strlen(el->e.text, -1));
    if (g_signal_lookup("announcement", ATK_TYPE_OBJECT)) g_signal_emit_by_name(o, "announcement", el->e.text);
}

/* A new text for the element in its place (a field typed into, a status line's count): said as a change of the
 * text, not as an object replaced, so a screen reader stays where it is. In the editor's field only what was typed
 * or deleted is said changed (the text before and after it kept), as a toolkit's entry says it: a screen reader
 * echoes that, not the whole text again. The deletion is said while the old text is there to be asked for. */
static void retext(MsElem *el, const char *text) {
    AtkObject *o = ATK_OBJECT(el);
    const char *old = el->e.text;
    gint was = (gint)g_utf8_strlen(old, -1), now = (gint)g_utf8_strlen(text, -1), head = 0, tail = 0;
    if (el->e.role == A11Y_FIELD) {
        const char *p = old, *q = text;
        while (*p && *q && g_utf8_get_char(p) == g_utf8_get_char(q)) {
            p = g_utf8_next_char(p);
            q = g_utf8_next_char(q);
            head++;
        }
        const char *pe = old + strlen(old), *qe = text + strlen(text);
        while (head + tail < was && head + tail < now) {
            const char *pp = g_utf8_prev_char(pe), *qq = g_utf8_prev_char(qe);
            if (g_utf8_get_char(pp) != g_utf8_get_char(qq)) break;
            pe = pp;
            qe = qq;
            tail++;
        }
    }
    if (was - head - tail > 0) g_signal_emit_by_name(o, "text-changed::delete", head, was - head - tail);
    g_free((char *)el->e.text);
    el->e.text = g_strdup(text);
    if (now - head - tail > 0) g_signal_emit_by_name(o, "text-changed::insert", head, now - head - tail);
    if (el->e.role != A11Y_TEXT && el->e.role != A11Y_CALLOUT && !is_entry(&el->e)) set_name(el);
}

/* What the element is and where its caret is, brought to the next frame's e, said where it changed: a choice
 * checked or no longer, the editor's caret moved or its selection changed. */
static void restate(MsElem *el, const a11y_elem *e) {
    AtkObject *o = ATK_OBJECT(el);
    bool was_chosen = el->e.chosen,
         kind_changed = el->e.choice != e->choice || (el->e.list != A11Y_LIST_NONE) != (e->list != A11Y_LIST_NONE);
    int was_caret = el->e.caret, was_anchor = el->e.anchor;
    el->e.level = e->level;
    el->e.list = e->list;
    el->e.table = e->table;
    el->e.row = e->row;
    el->e.col = e->col;
    el->e.table_cols = e->table_cols;
    el->e.choice = e->choice;
    el->e.chosen = e->chosen;
    el->e.name_len = e->name_len;
    el->e.caret = e->caret;
    el->e.anchor = e->anchor;
    if (kind_changed) atk_object_set_role(o, atk_role_of(el));
    if (was_chosen != e->chosen) atk_object_notify_state_change(o, ATK_STATE_CHECKED, e->chosen);
    if (e->caret >= 0 && e->caret != was_caret) g_signal_emit_by_name(o, "text-caret-moved", e->caret);
    bool had_sel = was_caret != was_anchor, has_sel = e->caret != e->anchor;
    if ((had_sel || has_sel) && (was_caret != e->caret || was_anchor != e->anchor))
        g_signal_emit_by_name(o, "text-selection-changed");
}

/* The same control or text in the next frame: what it is and does (its words may have changed). */
static bool same_kind(const a11y_elem *p, const a11y_elem *q) {
    return p->role == q->role && p->action == q->action && p->arg == q->arg && is_entry(p) == is_entry(q);
}

/* The tree brought to frame s. On the same screen the objects of elements still there are kept (matched in order
 * by what they are and do) and only what came or went is added or removed, so a message line appearing or a key's
 * label changing leaves the field a screen reader is in where it was; another screen is a new tree. Returns the
 * index of the focused element's object in the old tree when that object is kept (-1 otherwise), so a focus that
 * did not move is not said again. */
static int kids_update(const snap *old, const snap *s, bool new_screen) {
    guint n_old = br.kids->len;
    int *match = g_new(int, s->n ? s->n : 1); /* new element i → its old object's index, or -1 */
    bool *kept = g_new0(bool, n_old ? n_old : 1);
    size_t j = 0;
    for (size_t i = 0; i < s->n; i++) {
        match[i] = -1;
        for (size_t k = j; !new_screen && k < n_old; k++) {
            if (!same_kind(&MS_ELEM(g_ptr_array_index(br.kids, k))->e, &s->e[i])) continue;
            match[i] = (int)k;
            kept[k] = true;
            j = k + 1;
            break;
        }
    }
    int old_focus = old && old->focus >= 0 && (guint)old->focus < n_old && kept[old->focus] ? old->focus : -1;
    int was_focus = -1;
    GPtrArray *gone = g_ptr_array_new(), *heralds = g_ptr_array_new();
    for (guint k = n_old; k-- > 0;)
        if (!kept[k]) kid_remove(k, gone);
    /* what is left is the kept objects, in the new order; the new ones go in between */
    bool first_heading = true;
    const char *heading = NULL;
    for (size_t i = 0; i < s->n; i++) {
        const a11y_elem *e = &s->e[i];
        int level = 0;
        if (e->role == A11Y_HEADING) { /* as the screen gives it; else the first is the screen's title */
            level = e->level > 0 ? e->level : first_heading ? 1 : 2;
            first_heading = false;
        }
        if (match[i] < 0) {
            MsElem *el = elem_new(e, (int)i, level, is_message(s, e), heading ? heading : s->title);
            g_ptr_array_insert(br.kids, (gint)i, el);
            bool fresh = el->message && (!old || strcmp(old->message, s->message) != 0);
            if (e->role == A11Y_STATUS && (fresh || (!new_screen && !had_status(old, e->text))))
                g_ptr_array_add(heralds, el); /* once it is in the tree */
        } else {
            MsElem *el = g_ptr_array_index(br.kids, i);
            if (match[i] == old_focus) was_focus = (int)i;
            el->index = (int)i;
            el->level = level;
            el->e.x = e->x;
            el->e.y = e->y;
            el->e.w = e->w;
            el->e.h = e->h;
            el->e.clipped = e->clipped;
            el->message = is_message(s, e);
            el->e.name_len = e->name_len; /* before retext names it */
            if (strcmp(el->e.text, e->text) != 0) {
                retext(el, e->text);
                if (e->role == A11Y_STATUS) announce(el, true); /* a status line that changed says its news */
            }
            restate(el, e);
        }
        if (e->role == A11Y_HEADING) heading = e->text;
    }
    restructure(new_screen);
    for (guint k = 0; k < heralds->len; k++)
        announce(g_ptr_array_index(heralds, k), false);
    for (guint k = 0; k < gone->len; k++) {
        atk_object_notify_state_change(g_ptr_array_index(gone, k), ATK_STATE_DEFUNCT, TRUE);
        g_object_unref(g_ptr_array_index(gone, k));
    }
    g_ptr_array_free(heralds, TRUE);
    g_ptr_array_free(gone, TRUE);
    g_free(match);
    g_free(kept);
    return was_focus;
}

/* Where a screen reader is on a screen with no focus shown (the ring hidden, «Hjelp nå» with no control in its
 * content): the screen's title (its first heading, as the window is named), else its first words under the top bar;
 * -1: none. Given the focused state, so Orca's place is there, not the window: its say all reads from the object it
 * is on and the window has no text, so it said the window's name and stopped. */
static int reading_place(const snap *s) {
    for (size_t i = 0; i < s->n; i++)
        if (s->e[i].role == A11Y_HEADING) return (int)i;
    for (size_t i = 0; i < s->n; i++) {
        const a11y_elem *e = &s->e[i];
        if ((e->role == A11Y_TEXT || e->role == A11Y_CALLOUT) && e->y + e->h > s->bar_bottom) return (int)i;
    }
    return -1;
}

static gboolean apply_pending(gpointer unused) {
    (void)unused;
    g_mutex_lock(&br.lock);
    snap *s = br.pending;
    br.pending = NULL;
    br.queued = false;
    g_mutex_unlock(&br.lock);
    if (!s) return G_SOURCE_REMOVE;
    snap *old = br.cur;
    bool new_screen = !old || strcmp(old->screen, s->screen) != 0;
    br.cur = s; /* before the signals: a screen reader asking back meanwhile is answered from the new frame */
    /* a screen with no focus shown and nothing to read (no heading, no words: reading_place): the window is
     * activated anew, as when one opens, so a screen reader's place (Orca's locus of focus) is the window, not an
     * element of the screen that went — from a gone element Orca's flat review and say all found nothing («Could not
     * find current location»). Deactivated before it is renamed, so its new name is said once, as the window's.
     * Where the screen has a reading place, that takes the focused state below and is said (the screen's title,
     * as the window is named): the window's name before it said the same words twice */
    bool reopen = new_screen && old && s->focus < 0 && reading_place(s) < 0;
    if (reopen) g_signal_emit_by_name(br.window, "deactivate");
    int was_focus = kids_update(old, s, new_screen);
    /* no ring: the screen reader stays where it was on the same screen (a control tapped, the ring hidden), else
     * it is put at the screen's reading place */
    if (s->focus < 0) s->focus = !new_screen && was_focus >= 0 ? was_focus : reading_place(s);
    if (!old || strcmp(old->title, s->title) != 0) atk_object_set_name(br.window, s->title);
    if (new_screen && old) g_signal_emit_by_name(br.window, "activate"); /* a screen reader says the new screen */
    if (was_focus != s->focus) {
        if (was_focus >= 0)
            atk_object_notify_state_change(g_ptr_array_index(br.kids, was_focus), ATK_STATE_FOCUSED, FALSE);
        if (s->focus >= 0)
            atk_object_notify_state_change(g_ptr_array_index(br.kids, s->focus), ATK_STATE_FOCUSED, TRUE);
    }
    snap_free(old);
    return G_SOURCE_REMOVE;
}

/* ---- the module's thread and interface -------------------------------------------------------------------- */

/* Said once, from the module's thread: the client goes on without a screen reader's bridge. */
static void failed(const char *why) {
    g_mutex_lock(&br.lock);
    br.failed = true;
    snap_free(br.pending);
    br.pending = NULL;
    g_cond_broadcast(&br.key_done); /* a key waited for: no answer will come */
    g_mutex_unlock(&br.lock);
    fprintf(stderr, "meistring: a11y: %s\n", why);
}

static gpointer bridge_thread(gpointer unused) {
    (void)unused;
    g_main_context_push_thread_default(br.ctx);
    AtkUtilClass *util = g_type_class_ref(ATK_TYPE_UTIL);
    util->get_root = util_root;
    util->get_toolkit_name = util_toolkit_name;
    util->get_toolkit_version = util_toolkit_version;
    util->add_global_event_listener = util_add_listener;
    util->remove_global_event_listener = util_remove_listener;
    util->add_key_event_listener = util_add_key_listener;
    util->remove_key_event_listener = util_remove_key_listener;
    br.hooks = g_hash_table_new(NULL, NULL);
    br.key_listeners = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    br.kids = g_ptr_array_new();
    br.top = g_ptr_array_new_with_free_func(g_object_unref);
    br.groups = g_ptr_array_new_with_free_func(g_object_unref);
    br.root = g_object_new(ms_root_get_type(), NULL);
    atk_object_set_role(br.root, ATK_ROLE_APPLICATION);
    atk_object_set_name(br.root, br.app_name);
    br.window = g_object_new(ms_window_get_type(), NULL);
    atk_object_set_role(br.window, ATK_ROLE_FRAME);
    atk_object_set_name(br.window, br.app_name);
    atk_object_set_parent(br.window, br.root);
    /* the bridge connects to the accessibility bus on the default context; it moves to ours at once, before
     * anything has run on either */
    if (atk_bridge_adaptor_init(NULL, NULL) != 0) {
        failed("atk-bridge could not start (no accessibility bus: is at-spi2-core installed and a session bus "
               "running?)");
        return NULL;
    }
    atk_bridge_set_event_context(br.ctx);
    apply_pending(NULL); /* the frames drawn meanwhile: the newest */
    g_signal_emit_by_name(br.window, "create");
    g_signal_emit_by_name(br.window, "activate");
    g_main_loop_run(br.loop);
    g_signal_emit_by_name(br.window, "deactivate");
    g_signal_emit_by_name(br.window, "destroy");
    /* no atk_bridge_adaptor_cleanup: in atk-bridge 2.46 it removes a source of ours from GLib's default context
     * (a GLib-CRITICAL), and the process is ending; the registry sees the app leave with its bus connection */
    g_main_context_pop_thread_default(br.ctx);
    return NULL;
}

/* The bridge's start (the accessibility bus found, the app registered: several round trips) is the thread's,
 * so the client's first frame does not wait for it; what fails there is said by the thread (failed). */
static const char *a11y_start(const a11y_host *host, const char *app_name) {
    if (br.thread) return "started already";
    br.host = *host;
    snprintf(br.app_name, sizeof br.app_name, "%s", app_name);
    g_mutex_init(&br.lock);
    g_cond_init(&br.key_done);
    br.ctx = g_main_context_new();
    br.loop = g_main_loop_new(br.ctx, FALSE);
    br.thread = g_thread_try_new("meistring-a11y", bridge_thread, NULL, NULL);
    return br.thread ? "" : "no thread for the bridge";
}

static void a11y_publish(const a11y_snapshot *f) {
    if (!br.thread) return;
    g_mutex_lock(&br.lock);
    bool dead = br.failed;
    g_mutex_unlock(&br.lock);
    if (dead) return;
    snap *s = snap_copy(f);
    g_mutex_lock(&br.lock);
    snap_free(br.pending); /* a frame the module had not taken yet: only the newest matters */
    br.pending = s;
    bool queue = !br.queued;
    br.queued = true;
    g_mutex_unlock(&br.lock);
    if (queue) {
        GSource *src = g_idle_source_new();
        g_source_set_callback(src, apply_pending, NULL, NULL);
        g_source_attach(src, br.ctx); /* wakes the module's thread; the client's goes on at once */
        g_source_unref(src);
    }
}

/* The key to the listeners on the module's thread; the caller waits for their answer, at most wait_ms (a screen
 * reader that hangs must not hold the client's keys: the key is then the client's, and is told all the same).
 * While an earlier key is still unanswered the screen reader is stuck: the keys after it are told without a wait,
 * so it costs the client one wait, not one a key. */
static bool a11y_key_event(const a11y_keystroke *k, int wait_ms) {
    if (!br.thread) return false;
    g_mutex_lock(&br.lock);
    bool dead = br.failed;
    g_mutex_unlock(&br.lock);
    if (dead) return false;
    key_copy *c = g_new0(key_copy, 1);
    c->k = *k;
    snprintf(c->text, sizeof c->text, "%s", k->text ? k->text : "");
    c->k.text = NULL;
    c->refs = 2; /* this caller's and the source's */
    g_mutex_lock(&br.lock);
    bool stuck = br.keys_out > 0;
    br.keys_out++;
    g_mutex_unlock(&br.lock);
    if (stuck) wait_ms = 0;
    GSource *src = g_idle_source_new();
    g_source_set_callback(src, deliver_key, c, key_copy_unref);
    g_source_attach(src, br.ctx);
    g_source_unref(src);
    gint64 until = g_get_monotonic_time() + (gint64)wait_ms * G_TIME_SPAN_MILLISECOND;
    g_mutex_lock(&br.lock);
    while (!c->done && !br.failed)
        if (!g_cond_wait_until(&br.key_done, &br.lock, until)) break;
    bool consumed = c->done && c->consumed;
    bool last = --c->refs == 0;
    g_mutex_unlock(&br.lock);
    if (last) g_free(c);
    return consumed;
}

static gboolean quit_loop(gpointer unused) {
    (void)unused;
    g_main_loop_quit(br.loop);
    return G_SOURCE_REMOVE;
}

static void a11y_stop(void) {
    if (!br.thread) return;
    GSource *src = g_idle_source_new();
    g_source_set_callback(src, quit_loop, NULL, NULL);
    g_source_attach(src, br.ctx);
    g_source_unref(src);
    g_thread_join(br.thread);
    br.thread = NULL;
}

__attribute__((visibility("default"))) const a11y_module_ops *meistring_a11y_v1(void) {
    static const a11y_module_ops ops = {
        .abi = A11Y_ABI, .size = sizeof ops, .start = a11y_start, .publish = a11y_publish, .key = a11y_key_event,
        .stop = a11y_stop};
    return &ops;
}
