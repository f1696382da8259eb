/* a11y.c — loads the screen-reader bridge when one is wanted and feeds it each frame; see a11y.h.
 * The module is found as the network module is (sync_http.c): --a11y-module, then beside the program, then the
 * package's libdir/meistring, never from the working directory or the environment. Its two requests (do what a
 * tap on an element does; move the keyboard's focus to it) arrive as an SDL user event and are done here only if
 * the element is on the screen now, so a screen reader acting on a frame that has just gone does nothing. A third,
 * an edit of the editor's field (AtkEditableText), is done as the arrow keys, Backspace and typed text the editor
 * already takes, handed to it directly (not through the focus ring's keys); of a keypad's code, as its keys. */
#include "a11y.h"

#include <dbus/dbus.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "a11y_module.h"
#include "keynav.h"
#include "meistring/module.h"
#include "screens.h"

#define A11Y_MODULE_FILE "meistring-a11y.so"

_Static_assert((int)A11Y_HEADING == (int)ROLE_HEADING && (int)A11Y_TEXT == (int)ROLE_TEXT &&
                   (int)A11Y_BUTTON == (int)ROLE_BUTTON && (int)A11Y_IMAGE == (int)ROLE_IMAGE &&
                   (int)A11Y_FIELD == (int)ROLE_FIELD && (int)A11Y_CALLOUT == (int)ROLE_CALLOUT &&
                   (int)A11Y_STATUS == (int)ROLE_STATUS,
               "a11y_role follows view_role");
_Static_assert((int)A11Y_CHOICE_ONE == (int)VIEW_CHOICE_ONE && (int)A11Y_CHOICE_MANY == (int)VIEW_CHOICE_MANY &&
                   (int)A11Y_LIST_ITEM == (int)VIEW_LIST_ITEM && (int)A11Y_LIST_FIRST == (int)VIEW_LIST_FIRST &&
                   (int)A11Y_TABLE_CELL == (int)VIEW_TABLE_CELL && (int)A11Y_TABLE_FIRST == (int)VIEW_TABLE_FIRST,
               "a11y_choice, a11y_list and a11y_table follow the view's");

enum { REQ_ACTIVATE = 1, REQ_FOCUS = 2, REQ_EDIT = 3 };

/* An edit asked for by the screen reader, on its way to the client's loop (freed there). */
typedef struct {
    int start, end;
    char text[];
} edit_req;

static const a11y_module_ops *ops; /* NULL: no bridge */
static Uint32 req_event;            /* SDL's user event type for the module's requests */
static a11y_elem *elems;            /* the frame's copy handed over (grown, kept) */
static int *levels;                 /* the frame's outline (view_outline), as long as elems */
static size_t elems_cap;

static bool env_on(const char *name) {
    const char *v = getenv(name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* libdbus's functions, from the copy SDL has already mapped (SDL2 links it): asking the session bus costs no
 * library more. Its header gives the types only; nothing links libdbus for this. */
#define DBUS_FNS(X)                                                                                                 \
    X(dbus_bus_get_private) X(dbus_connection_set_exit_on_disconnect) X(dbus_message_new_method_call)                \
    X(dbus_message_set_auto_start) X(dbus_message_append_args) X(dbus_connection_send_with_reply_and_block)          \
    X(dbus_message_iter_init) X(dbus_message_iter_get_arg_type) X(dbus_message_iter_recurse)                         \
    X(dbus_message_iter_get_basic) X(dbus_message_unref) X(dbus_connection_close) X(dbus_connection_unref)
#define DBUS_FIELD(f) __typeof__(f) *f;
#define DBUS_LOAD(f) ok = ok && (sym = dlsym(lib, #f)) && (memcpy(&d.f, &sym, sizeof sym), true);
struct dbus_fns {
    DBUS_FNS(DBUS_FIELD)
};

/* One boolean of the accessibility bus's org.a11y.Status, as Qt asks it. */
static bool status_get(DBusConnection *c, const char *prop, const struct dbus_fns *d) {
    const char *iface = "org.a11y.Status";
    DBusMessage *m = d->dbus_message_new_method_call("org.a11y.Bus", "/org/a11y/bus",
                                                     "org.freedesktop.DBus.Properties", "Get");
    if (!m) return false;
    d->dbus_message_set_auto_start(m, FALSE); /* never start the accessibility bus just to ask */
    dbus_bool_t on = FALSE;
    if (d->dbus_message_append_args(m, DBUS_TYPE_STRING, &iface, DBUS_TYPE_STRING, &prop, DBUS_TYPE_INVALID)) {
        DBusMessage *r = d->dbus_connection_send_with_reply_and_block(c, m, MS_A11Y_STATUS_TIMEOUT_MS, NULL);
        DBusMessageIter it, v;
        if (r && d->dbus_message_iter_init(r, &it) && d->dbus_message_iter_get_arg_type(&it) == DBUS_TYPE_VARIANT) {
            d->dbus_message_iter_recurse(&it, &v);
            if (d->dbus_message_iter_get_arg_type(&v) == DBUS_TYPE_BOOLEAN) d->dbus_message_iter_get_basic(&v, &on);
        }
        if (r) d->dbus_message_unref(r);
    }
    d->dbus_message_unref(m);
    return on;
}

/* Whether the desktop's screen reader runs: Orca sets ScreenReaderEnabled (and IsEnabled) on the accessibility
 * bus when it starts. Asked only when a session bus is there to ask (never autolaunched), on a private
 * connection closed at once. */
static bool screen_reader_running(void) {
    const char *rt = getenv("XDG_RUNTIME_DIR");
    char path[PATH_MAX];
    bool bus = getenv("DBUS_SESSION_BUS_ADDRESS") != NULL;
    if (!bus && rt && snprintf(path, sizeof path, "%s/bus", rt) < (int)sizeof path) bus = access(path, F_OK) == 0;
    if (!bus) return false;
    void *lib = dlopen("libdbus-1.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return false;
    struct dbus_fns d;
    void *sym;
    bool ok = true;
    DBUS_FNS(DBUS_LOAD)
    bool on = false;
    DBusConnection *c = ok ? d.dbus_bus_get_private(DBUS_BUS_SESSION, NULL) : NULL;
    if (c) {
        d.dbus_connection_set_exit_on_disconnect(c, FALSE);
        on = status_get(c, "ScreenReaderEnabled", &d) || status_get(c, "IsEnabled", &d);
        d.dbus_connection_close(c);
        d.dbus_connection_unref(c);
    }
    dlclose(lib); /* SDL's reference keeps it mapped; where SDL had none, it goes again */
    return on;
}

bool a11y_wanted(int flag, bool kiosk, bool kiosk_config, bool headless) {
    if (flag >= 0) return flag == 1;
    if (kiosk) return kiosk_config; /* a visitor's desktop is not the clinic's: only its configuration says */
    if (env_on("GNOME_ACCESSIBILITY") || env_on("QT_LINUX_ACCESSIBILITY_ALWAYS_ON")) return true;
    return !headless && screen_reader_running(); /* headless runs (tests, the bench) read only what they are told */
}

static void post(int what, int action, int arg) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = req_event;
    e.user.code = what;
    e.user.data1 = (void *)(intptr_t)action;
    e.user.data2 = (void *)(intptr_t)arg;
    SDL_PushEvent(&e); /* thread-safe; the client's loop wakes for it */
}

static void host_activate(void *ctx, int action, int arg) {
    (void)ctx;
    post(REQ_ACTIVATE, action, arg);
}

static void host_focus(void *ctx, int action, int arg) {
    (void)ctx;
    post(REQ_FOCUS, action, arg);
}

static void host_edit(void *ctx, int start, int end, const char *text) {
    (void)ctx;
    size_t n = strlen(text);
    edit_req *r = malloc(sizeof *r + n + 1);
    if (!r) return;
    r->start = start;
    r->end = end;
    memcpy(r->text, text, n + 1);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = req_event;
    e.user.code = REQ_EDIT;
    e.user.data1 = r;
    if (SDL_PushEvent(&e) != 1) free(r);
}

/* Found as the network module is (module.h): --a11y-module, beside the program, the installed directory. */
static void *open_module(const char *path, char *tried, size_t cap) {
    return module_open(path, A11Y_MODULE_FILE, tried, cap);
}

bool a11y_start(app *a, const char *module_path) {
    (void)a;
    char tried[PATH_MAX];
    void *h = open_module(module_path, tried, sizeof tried);
    if (!h) {
        const char *e = dlerror();
        app_log("a11y: the screen-reader module could not be loaded: %s (is meistring-a11y installed?)", e ? e : tried);
        return false;
    }
    /* ISO C has no cast from void * to a function pointer; POSIX makes this copy safe (as core's dlfn_get) */
    const a11y_module_ops *(*get)(void) = NULL;
    void *sym = dlsym(h, "meistring_a11y_v1");
    if (sym) memcpy(&get, &sym, sizeof sym);
    const a11y_module_ops *o = get ? get() : NULL;
    if (!o || o->abi != A11Y_ABI || o->size != sizeof *o) {
        app_log("a11y: %s is not this version's screen-reader module", tried);
        dlclose(h);
        return false;
    }
    req_event = SDL_RegisterEvents(1);
    if (req_event == (Uint32)-1) return false;
    a11y_host host = {.ctx = NULL, .activate = host_activate, .focus = host_focus, .edit = host_edit};
    const char *why = o->start(&host, "Meistring");
    if (why[0]) {
        app_log("a11y: %s", why);
        return false; /* the module stays mapped: GLib's types cannot be unloaded */
    }
    ops = o;
    return true;
}

/* The window's name: the screen's first heading, as a document's title is its first heading; where the screen has
 * none (a phone's editor puts its title in the top bar, as a button that says it whole), that title. */
static const char *title_of(const view *v) {
    for (size_t i = 0; i < v->n; i++)
        if (v->e[i].role == ROLE_HEADING) return v->e[i].text;
    for (size_t i = 0; i < v->n; i++)
        if (v->e[i].action == ACT_SHOW_TITLE || v->e[i].action == ACT_WRITE_TITLE) return v->e[i].text;
    return "Meistring";
}

/* Characters (code points) in the first bytes of s: AT-SPI counts offsets in characters, the editor in bytes. */
static int chars_in(const char *s, size_t bytes) {
    int n = 0;
    for (size_t i = 0; i < bytes && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* A chosen answer's label ends in « – valgt», which read-aloud says; a screen reader says its checked state, so
 * its name is the label without it. Returns the bytes of text that name it, or -1: all. */
static int name_len(app *a, const view_elem *e) {
    if (e->choice == VIEW_CHOICE_NONE || !e->chosen) return -1;
    const char *keys[] = {"ex.chosen", "aids.chosen"};
    size_t n = strlen(e->text);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char tail[96];
        snprintf(tail, sizeof tail, " – %s", app_tr(a, keys[k]));
        size_t t = strlen(tail);
        if (n > t && strcmp(e->text + n - t, tail) == 0) return (int)(n - t);
    }
    return -1;
}

/* A screen whose field is a code its keypad types (chrome_pin_pad): the enrolment's, a PIN's, the staff PIN's. */
static bool keypad_screen(const app *a) {
    return a->screen == SCREEN_ENROL || a->screen == SCREEN_LOCK || a->screen == SCREEN_PIN ||
           a->screen == SCREEN_STAFF;
}

void a11y_frame(app *a) {
    if (!ops) return;
    const view *v = &a->view;
    editor_info ei = {0};
    if (a->screen == SCREEN_WRITE) editor_info_get(&ei); /* the field's caret and selection */
    if (v->n > elems_cap) {
        size_t cap = v->n * 2;
        a11y_elem *grown = realloc(elems, cap * sizeof *grown);
        if (!grown) return; /* out of memory: the screen reader keeps the last frame */
        elems = grown;
        int *lv = realloc(levels, cap * sizeof *lv);
        if (!lv) return;
        levels = lv;
        elems_cap = cap;
    }
    /* a field is an entry only where keys write into it: the editor's (below), a keypad's code; elsewhere it is a
     * form's question or a draft shown (words to read) */
    bool keypad_code = keypad_screen(a);
    /* every heading's level, also where the screen gave none (its title, a form's rows): from the frame's outline */
    if (v->n) view_outline(v, levels);
    for (size_t i = 0; i < v->n; i++) {
        const view_elem *e = &v->e[i];
        elems[i] = (a11y_elem){.role = (a11y_role)e->role,
                               .text = e->text,
                               .x = e->x,
                               .y = e->y,
                               .w = e->w,
                               .h = e->h,
                               .action = e->action,
                               .arg = e->arg,
                               .clipped = e->clipped,
                               .name_len = name_len(a, e),
                               .level = levels[i],
                               .choice = (a11y_choice)e->choice,
                               .chosen = e->chosen,
                               .list = (a11y_list)e->list,
                               .table = (a11y_table)e->table,
                               .row = e->row,
                               .col = e->col,
                               .table_cols = e->table_cols,
                               .caret = -1,
                               .anchor = -1};
        if (e->role == ROLE_FIELD && ei.text && strcmp(e->text, ei.text) == 0) {
            elems[i].caret = chars_in(ei.text, ei.caret);
            elems[i].anchor = chars_in(ei.text, ei.anchor);
            elems[i].entry = true;
        }
        if (e->role == ROLE_FIELD && keypad_code) elems[i].entry = true; /* the code the keypad types (chrome.c) */
    }
    a11y_snapshot f = {.screen = app_screen_name(a->screen), .title = title_of(v), .lang = a->opt.lang ? a->opt.lang : "nb",
                    .message = a->toast, .win_w = a->w, .win_h = a->h, .e = elems, .n = v->n,
                    .focus = keynav_focus_elem(a), .bar_bottom = v->bar_bottom};
    /* in the editor, keys go to its field unless the focus ring is on another control: the field has the focus
     * (a screen reader follows its caret only there) */
    for (size_t i = 0; f.focus < 0 && i < v->n; i++)
        if (elems[i].caret >= 0) f.focus = (int)i;
    if (a->win) SDL_GetWindowPosition(a->win, &f.win_x, &f.win_y);
    ops->publish(&f);
}

/* A key's Linux evdev code by SDL's scancode (a USB HID usage): the kernel's fixed table (drivers/hid/hid-input.c's
 * hid_keyboard[]) for the keys of a pc105 keyboard, as SDL2's src/events/scancodes_linux.h has it reversed. X's
 * keycode is this + 8 with the evdev driver and in Xvfb, and Orca matches its commands by it: it computes each
 * binding's keycode from its keysym with the X server's keymap (keybindings.py getKeycode). The same table on any
 * X display, Wayland or none, so nothing is asked of SDL's window system; 0: not a key of that keyboard. */
static const unsigned char evdev_of[SDL_NUM_SCANCODES] = {
    [SDL_SCANCODE_ESCAPE] = 1, [SDL_SCANCODE_1] = 2, [SDL_SCANCODE_2] = 3, [SDL_SCANCODE_3] = 4,
    [SDL_SCANCODE_4] = 5, [SDL_SCANCODE_5] = 6, [SDL_SCANCODE_6] = 7, [SDL_SCANCODE_7] = 8,
    [SDL_SCANCODE_8] = 9, [SDL_SCANCODE_9] = 10, [SDL_SCANCODE_0] = 11, [SDL_SCANCODE_MINUS] = 12,
    [SDL_SCANCODE_EQUALS] = 13, [SDL_SCANCODE_BACKSPACE] = 14, [SDL_SCANCODE_TAB] = 15, [SDL_SCANCODE_Q] = 16,
    [SDL_SCANCODE_W] = 17, [SDL_SCANCODE_E] = 18, [SDL_SCANCODE_R] = 19, [SDL_SCANCODE_T] = 20,
    [SDL_SCANCODE_Y] = 21, [SDL_SCANCODE_U] = 22, [SDL_SCANCODE_I] = 23, [SDL_SCANCODE_O] = 24,
    [SDL_SCANCODE_P] = 25, [SDL_SCANCODE_LEFTBRACKET] = 26, [SDL_SCANCODE_RIGHTBRACKET] = 27,
    [SDL_SCANCODE_RETURN] = 28, [SDL_SCANCODE_LCTRL] = 29, [SDL_SCANCODE_A] = 30, [SDL_SCANCODE_S] = 31,
    [SDL_SCANCODE_D] = 32, [SDL_SCANCODE_F] = 33, [SDL_SCANCODE_G] = 34, [SDL_SCANCODE_H] = 35,
    [SDL_SCANCODE_J] = 36, [SDL_SCANCODE_K] = 37, [SDL_SCANCODE_L] = 38, [SDL_SCANCODE_SEMICOLON] = 39,
    [SDL_SCANCODE_APOSTROPHE] = 40, [SDL_SCANCODE_GRAVE] = 41, [SDL_SCANCODE_LSHIFT] = 42,
    [SDL_SCANCODE_BACKSLASH] = 43, [SDL_SCANCODE_Z] = 44, [SDL_SCANCODE_X] = 45, [SDL_SCANCODE_C] = 46,
    [SDL_SCANCODE_V] = 47, [SDL_SCANCODE_B] = 48, [SDL_SCANCODE_N] = 49, [SDL_SCANCODE_M] = 50,
    [SDL_SCANCODE_COMMA] = 51, [SDL_SCANCODE_PERIOD] = 52, [SDL_SCANCODE_SLASH] = 53, [SDL_SCANCODE_RSHIFT] = 54,
    [SDL_SCANCODE_KP_MULTIPLY] = 55, [SDL_SCANCODE_LALT] = 56, [SDL_SCANCODE_SPACE] = 57,
    [SDL_SCANCODE_CAPSLOCK] = 58, [SDL_SCANCODE_F1] = 59, [SDL_SCANCODE_F2] = 60, [SDL_SCANCODE_F3] = 61,
    [SDL_SCANCODE_F4] = 62, [SDL_SCANCODE_F5] = 63, [SDL_SCANCODE_F6] = 64, [SDL_SCANCODE_F7] = 65,
    [SDL_SCANCODE_F8] = 66, [SDL_SCANCODE_F9] = 67, [SDL_SCANCODE_F10] = 68, [SDL_SCANCODE_NUMLOCKCLEAR] = 69,
    [SDL_SCANCODE_SCROLLLOCK] = 70, [SDL_SCANCODE_KP_7] = 71, [SDL_SCANCODE_KP_8] = 72, [SDL_SCANCODE_KP_9] = 73,
    [SDL_SCANCODE_KP_MINUS] = 74, [SDL_SCANCODE_KP_4] = 75, [SDL_SCANCODE_KP_5] = 76, [SDL_SCANCODE_KP_6] = 77,
    [SDL_SCANCODE_KP_PLUS] = 78, [SDL_SCANCODE_KP_1] = 79, [SDL_SCANCODE_KP_2] = 80, [SDL_SCANCODE_KP_3] = 81,
    [SDL_SCANCODE_KP_0] = 82, [SDL_SCANCODE_KP_PERIOD] = 83, [SDL_SCANCODE_NONUSBACKSLASH] = 86,
    [SDL_SCANCODE_F11] = 87, [SDL_SCANCODE_F12] = 88, [SDL_SCANCODE_KP_ENTER] = 96, [SDL_SCANCODE_RCTRL] = 97,
    [SDL_SCANCODE_KP_DIVIDE] = 98, [SDL_SCANCODE_PRINTSCREEN] = 99, [SDL_SCANCODE_RALT] = 100,
    [SDL_SCANCODE_HOME] = 102, [SDL_SCANCODE_UP] = 103, [SDL_SCANCODE_PAGEUP] = 104, [SDL_SCANCODE_LEFT] = 105,
    [SDL_SCANCODE_RIGHT] = 106, [SDL_SCANCODE_END] = 107, [SDL_SCANCODE_DOWN] = 108,
    [SDL_SCANCODE_PAGEDOWN] = 109, [SDL_SCANCODE_INSERT] = 110, [SDL_SCANCODE_DELETE] = 111,
    [SDL_SCANCODE_PAUSE] = 119, [SDL_SCANCODE_LGUI] = 125, [SDL_SCANCODE_RGUI] = 126,
    [SDL_SCANCODE_APPLICATION] = 127,
};

/* The keypad's keys, as X names them (Num Lock off: the keys that move; on: the digits, which type them). */
static const struct {
    SDL_Keycode sdl;
    unsigned sym, num_sym; /* num_sym: with Num Lock, 0: the same */
    const char *name, *num_name;
} keypad[] = {
    {SDLK_KP_7, 0xff95, 0xffb7, "KP_Home", "7"},       {SDLK_KP_8, 0xff97, 0xffb8, "KP_Up", "8"},
    {SDLK_KP_9, 0xff9a, 0xffb9, "KP_Page_Up", "9"},    {SDLK_KP_4, 0xff96, 0xffb4, "KP_Left", "4"},
    {SDLK_KP_5, 0xff9d, 0xffb5, "KP_Begin", "5"},      {SDLK_KP_6, 0xff98, 0xffb6, "KP_Right", "6"},
    {SDLK_KP_1, 0xff9c, 0xffb1, "KP_End", "1"},        {SDLK_KP_2, 0xff99, 0xffb2, "KP_Down", "2"},
    {SDLK_KP_3, 0xff9b, 0xffb3, "KP_Page_Down", "3"},  {SDLK_KP_0, 0xff9e, 0xffb0, "KP_Insert", "0"},
    {SDLK_KP_PERIOD, 0xff9f, 0xffae, "KP_Delete", "."}, {SDLK_KP_PLUS, 0xffab, 0, "KP_Add", NULL},
    {SDLK_KP_MINUS, 0xffad, 0, "KP_Subtract", NULL},   {SDLK_KP_MULTIPLY, 0xffaa, 0, "KP_Multiply", NULL},
    {SDLK_KP_DIVIDE, 0xffaf, 0, "KP_Divide", NULL},    {SDLK_KP_ENTER, 0xff8d, 0, "KP_Enter", NULL},
};

/* A key's X keysym and, for one that types nothing, the name GTK gives it (a screen reader says it); a keypad
 * digit with Num Lock: the digit it types. */
static unsigned keysym_of(SDL_Keycode k, bool upper, bool numlock, const char **name) {
    static const struct {
        SDL_Keycode sdl;
        unsigned sym;
        const char *name;
    } special[] = {
        {SDLK_RETURN, 0xff0d, "Return"},  {SDLK_TAB, 0xff09, "Tab"},
        {SDLK_BACKSPACE, 0xff08, "BackSpace"}, {SDLK_ESCAPE, 0xff1b, "Escape"}, {SDLK_DELETE, 0xffff, "Delete"},
        {SDLK_INSERT, 0xff63, "Insert"},  {SDLK_HOME, 0xff50, "Home"},        {SDLK_END, 0xff57, "End"},
        {SDLK_LEFT, 0xff51, "Left"},      {SDLK_UP, 0xff52, "Up"},            {SDLK_RIGHT, 0xff53, "Right"},
        {SDLK_DOWN, 0xff54, "Down"},      {SDLK_PAGEUP, 0xff55, "Prior"},     {SDLK_PAGEDOWN, 0xff56, "Next"},
        {SDLK_LSHIFT, 0xffe1, "Shift_L"}, {SDLK_RSHIFT, 0xffe2, "Shift_R"},   {SDLK_LCTRL, 0xffe3, "Control_L"},
        {SDLK_RCTRL, 0xffe4, "Control_R"}, {SDLK_CAPSLOCK, 0xffe5, "Caps_Lock"}, {SDLK_LALT, 0xffe9, "Alt_L"},
        {SDLK_RALT, 0xfe03, "ISO_Level3_Shift"}, {SDLK_LGUI, 0xffeb, "Super_L"}, {SDLK_RGUI, 0xffec, "Super_R"},
    };
    *name = NULL;
    for (size_t i = 0; i < sizeof keypad / sizeof keypad[0]; i++)
        if (keypad[i].sdl == k) {
            bool num = numlock && keypad[i].num_sym;
            *name = num ? keypad[i].num_name : keypad[i].name;
            return num ? keypad[i].num_sym : keypad[i].sym;
        }
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (special[i].sdl == k) {
            *name = special[i].name;
            return special[i].sym;
        }
    if (k >= SDLK_F1 && k <= SDLK_F12) { /* named, as GTK names them: F1 is «Hjelp nå» (it was given as a character,
                                             * two bytes of no UTF-8, and D-Bus aborted the client under Orca) */
        static const char *const fkey[] = {"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12"};
        *name = fkey[k - SDLK_F1];
        return 0xffbe + (unsigned)(k - SDLK_F1);
    }
    /* printable ASCII and Latin-1 (æ ø å): the keysym is the character, capital with Shift */
    if ((k >= 0x20 && k < 0x7f) || (k >= 0xa0 && k <= 0xff)) {
        if (upper && ((k >= 'a' && k <= 'z') || (k >= 0xe0 && k <= 0xfe && k != 0xf7))) k -= 0x20;
        return (unsigned)k;
    }
    return 0;
}

static bool text_taken; /* the screen reader took the last key pressed: the text it types (SDL_TEXTINPUT) goes too */

bool a11y_key(app *a, const SDL_Event *e) {
    if (!ops) return false;
    if (e->type == SDL_TEXTINPUT) {
        bool twin = text_taken;
        text_taken = false;
        return twin;
    }
    if (e->type != SDL_KEYDOWN && e->type != SDL_KEYUP) return false;
    /* a key's text comes between its press and its release: after either, text is an input method's or the next
     * key's, never the taken key's (it stayed taken until the next press, and «hei» from an input method after
     * Orca's KP_Enter was lost) */
    text_taken = false;
    const char *name;
    SDL_Keymod mod = (SDL_Keymod)e->key.keysym.mod;
    SDL_Keycode key = e->key.keysym.sym;
    bool upper = ((mod & KMOD_SHIFT) != 0) != ((mod & KMOD_CAPS) != 0);
    unsigned sym = keysym_of(key, upper, (mod & KMOD_NUM) != 0, &name);
    if (!sym) return false;
    /* a PIN typed on the lock, the PIN or the staff screen is not told: a screen reader would echo its digits
     * aloud (the keys that move and select still are). The keypad's digits type it too (chrome.c), Num Lock on or
     * off: there they are not told either, so no screen reader command takes them */
    bool secret = a->screen == SCREEN_LOCK || a->screen == SCREEN_PIN || a->screen == SCREEN_STAFF;
    bool pad_digit = (key >= SDLK_KP_1 && key <= SDLK_KP_0) || key == SDLK_KP_PERIOD;
    if (secret && (!name || pad_digit)) return false;
    char text[8] = "";
    if (!name) { /* the character, in UTF-8: keysym_of gives a name to every key above Latin-1 */
        if (sym > 0xff) return false;
        if (sym < 0x80) {
            text[0] = (char)sym;
        } else {
            text[0] = (char)(0xc0 | (sym >> 6));
            text[1] = (char)(0x80 | (sym & 0x3f));
        }
    }
    SDL_Scancode sc = e->key.keysym.scancode;
    unsigned evdev = (unsigned)sc < SDL_NUM_SCANCODES ? evdev_of[sc] : 0;
    a11y_keystroke k = {.press = e->type == SDL_KEYDOWN,
                  .keysym = sym,
                  .keycode = evdev ? evdev + 8 : 0,
                  .state = ((mod & KMOD_SHIFT) ? 1u : 0u) | ((mod & KMOD_CAPS) ? 2u : 0u) |
                           ((mod & KMOD_CTRL) ? 4u : 0u) | ((mod & KMOD_ALT) ? 8u : 0u) |
                           /* AT-SPI's Num Lock bit: without it Orca took the keypad's digits for its flat review,
                            * and a phone number typed on the keypad was lost (its text went with the key) */
                           ((mod & KMOD_NUM) ? 1u << 14 : 0u),
                  .text = name ? name : text,
                  .time_ms = e->key.timestamp};
    /* the screen reader hears it first; a key it takes (its command) is not the client's, as in a GTK app */
    bool taken = ops->key(&k, MS_A11Y_KEY_WAIT_MS);
    if (taken && e->type == SDL_KEYDOWN && !name) text_taken = true; /* a named key (KP_Enter, F1) types nothing */
    return taken;
}

/* The element the request names, if it is on screen now. */
static bool on_screen(const app *a, int action, int arg) {
    for (size_t i = 0; i < a->view.n; i++)
        if (a->view.e[i].action == action && a->view.e[i].arg == arg) return true;
    return false;
}

/* A key pressed for the editor, as its own key handler takes it (not the focus ring's: a ring on a key of the
 * on-screen keyboard would take the arrows). */
static void editor_press(app *a, SDL_Keycode k, Uint16 mod) {
    const screen_ops *ed = screen_get(SCREEN_WRITE);
    if (ed->key) ed->key(a, k, mod);
}

/* The caret, in characters; *anchor: the selection's other end (the caret's own offset: none); *len: the text's. */
static int editor_caret(int *anchor, int *len) {
    editor_info ei;
    editor_info_get(&ei);
    *anchor = chars_in(ei.text, ei.anchor);
    *len = chars_in(ei.text, ei.len);
    return chars_in(ei.text, ei.caret);
}

/* The caret to character to, with no selection, by the editor's keys; false where it cannot get there. Each key
 * saves the draft, so the fewest: from the text's start or end (Home, End) where that is nearer, a word at a time
 * while far, then a character at a time (the editor's own steps: a letter with a combining accent is one). A
 * selection goes first (an arrow puts the caret at the selection's end it points to). */
static bool editor_caret_to(app *a, int to) {
    int anchor, len, at = editor_caret(&anchor, &len);
    if (to < 0 || to > len) return false;
    if (to < abs(at - to) && to <= len - to)
        editor_press(a, SDLK_HOME, 0);
    else if (len - to < abs(at - to))
        editor_press(a, SDLK_END, 0);
    at = editor_caret(&anchor, &len);
    while (abs(at - to) > MS_A11Y_EDIT_WORD_STEPS) {
        int was = at;
        editor_press(a, at < to ? SDLK_RIGHT : SDLK_LEFT, KMOD_CTRL);
        at = editor_caret(&anchor, &len);
        if (at == was || (was < to) != (at < to)) break; /* stuck, or past it: the rest a character at a time */
    }
    for (int steps = abs(at - to) + 2; steps > 0 && (at != to || anchor != at); steps--) {
        bool right = at != to ? at < to : anchor < at;
        editor_press(a, right ? SDLK_RIGHT : SDLK_LEFT, 0);
        at = editor_caret(&anchor, &len);
    }
    return at == to && anchor == at;
}

/* The screen reader's edit (a11y_host.edit): [start, end) deleted by Backspace from its end, then the text typed. */
static void editor_edit(app *a, const edit_req *r) {
    if (a->screen != SCREEN_WRITE || r->start < 0 || r->end < r->start) return;
    if (!editor_caret_to(a, r->end)) return;
    int anchor, len;
    for (int n = r->end - r->start; n > 0 && editor_caret(&anchor, &len) > r->start; n--)
        editor_press(a, SDLK_BACKSPACE, 0);
    const screen_ops *ed = screen_get(SCREEN_WRITE);
    const char *t = r->text;
    size_t left = strlen(t);
    while (left > 0 && ed->text) { /* in pieces of at most SDL's text event, cut between characters, as typed */
        char piece[SDL_TEXTINPUTEVENT_TEXT_SIZE];
        size_t cut = left < sizeof piece - 1 ? left : sizeof piece - 1;
        while (cut < left && cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(piece, t, cut);
        piece[cut] = '\0';
        ed->text(a, piece);
        t += cut;
        left -= cut;
    }
}

/* The screen reader's edit in a keypad's code (a braille display's or dictation's, in the entry a11y_frame marks):
 * typed on the pad as a keyboard's keys are (the screen's own key handler: the pad's action with the digit, the
 * focus ring put away), a deletion as «Slett» once a character, then the text's digits in order (anything else is
 * no key of the pad). The pad types at its end only, so where the edit says it goes does not count. It went to the
 * editor alone and did nothing here. Nothing of it is logged or said: a PIN's field says how many digits it has. */
static void pad_edit(app *a, const edit_req *r) {
    const screen_ops *s = screen_get(a->screen);
    bool field = false;
    for (size_t i = 0; i < a->view.n && !field; i++)
        field = a->view.e[i].role == ROLE_FIELD;
    if (!s->key || !field || r->start < 0 || r->end < r->start) return;
    for (int n = r->end - r->start; n > 0; n--)
        s->key(a, SDLK_BACKSPACE, 0);
    for (const char *t = r->text; *t; t++)
        if (*t >= '0' && *t <= '9') s->key(a, (SDL_Keycode)(SDLK_0 + (*t - '0')), 0);
}

bool a11y_event(app *a, const SDL_Event *e) {
    if (!ops || e->type != req_event) return false;
    if (e->user.code == REQ_EDIT) {
        edit_req *r = e->user.data1;
        if (keypad_screen(a)) {
            pad_edit(a, r);
            sodium_memzero(r->text, strlen(r->text)); /* a PIN's digits are not left in freed memory */
        } else {
            editor_edit(a, r);
        }
        free(e->user.data1);
        a->dirty = true;
        return true;
    }
    int action = (int)(intptr_t)e->user.data1, arg = (int)(intptr_t)e->user.data2;
    if (action == ACT_NONE || !on_screen(a, action, arg)) return true;
    if (e->user.code == REQ_ACTIVATE) {
        app_do(a, (app_action)action, arg);
    } else {
        keynav_focus_on(a, action, arg);
    }
    a->dirty = true;
    return true;
}

void a11y_stop(void) {
    if (ops) ops->stop();
    ops = NULL;
    free(elems);
    elems = NULL;
    free(levels);
    levels = NULL;
    elems_cap = 0;
}
