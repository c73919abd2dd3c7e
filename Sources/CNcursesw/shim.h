// C shim for ncursesw. Swift cannot see function-like macros, and Swift 6 rejects ncurses'
// mutable globals (stdscr, LINES, COLS, COLORS...) as not concurrency-safe, so both are wrapped
// in static inline functions here. Wide-character API enabled before including curses.h.
#ifndef AGORA_NCURSESW_SHIM_H
#define AGORA_NCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

// wcwidth is only declared under _XOPEN_SOURCE; declare it for sure.
extern int wcwidth(wchar_t c);

static inline WINDOW *agora_stdscr(void) { return stdscr; }
static inline WINDOW *agora_curscr(void) { return curscr; }
static inline int agora_lines(void) { return LINES; }
static inline int agora_cols(void) { return COLS; }
static inline int agora_colors(void) { return COLORS; }
static inline int agora_color_pairs(void) { return COLOR_PAIRS; }
static inline int agora_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int agora_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline int agora_getcury(WINDOW *w) { int y, x; getyx(w, y, x); (void)x; return y; }
static inline int agora_getcurx(WINDOW *w) { int y, x; getyx(w, y, x); (void)y; return x; }

static inline int agora_key_f(int n) { return KEY_F(n); }
static inline attr_t agora_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

static inline attr_t agora_a_normal(void) { return A_NORMAL; }
static inline attr_t agora_a_bold(void) { return A_BOLD; }
static inline attr_t agora_a_dim(void) { return A_DIM; }
static inline attr_t agora_a_underline(void) { return A_UNDERLINE; }
static inline attr_t agora_a_reverse(void) { return A_REVERSE; }
static inline attr_t agora_a_italic(void) { return A_ITALIC; }
static inline attr_t agora_a_standout(void) { return A_STANDOUT; }

static inline const cchar_t *agora_wacs_hline(void) { return WACS_HLINE; }
static inline const cchar_t *agora_wacs_vline(void) { return WACS_VLINE; }

/// Mouse reports on: the left button's press and the wheel (buttons 4 and 5), each at once (no click timing).
static inline void agora_mouse_on(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    wanted |= BUTTON5_PRESSED;
#endif
    mousemask(wanted, NULL);
    mouseinterval(0);
}

/// The mouse event ncurses holds after KEY_MOUSE: 1 the left button, 4 wheel up, 5 wheel down, 0 something else,
/// -1 none; the cell in *x, *y.
static inline int agora_mouse_event(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return -1;
    *x = e.x;
    *y = e.y;
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 4;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return 5;
#endif
    return 0;
}

/// The C library's idea of the current codeset ("UTF-8" when wide output will work).
static inline const char *agora_codeset(void) { return nl_langinfo(CODESET); }

static inline FILE *agora_stdout(void) { return stdout; }
static inline FILE *agora_stdin(void) { return stdin; }

#endif
