#ifndef TAPIR_CNCURSESW_SHIM_H
#define TAPIR_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <sys/ioctl.h>
#include <ncursesw/curses.h>

/* Typed wrappers for ncurses macros and globals that Swift cannot import directly. */

static inline WINDOW *tapir_stdscr(void) { return stdscr; }
static inline int tapir_colors(void) { return COLORS; }
static inline int tapir_color_pairs(void) { return COLOR_PAIRS; }
static inline int tapir_lines(void) { return LINES; }
static inline int tapir_cols(void) { return COLS; }
static inline int tapir_err(void) { return ERR; }
static inline int tapir_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tapir_key_f(int n) { return KEY_F(n); }
static inline int tapir_key_resize(void) { return KEY_RESIZE; }
static inline int tapir_key_mouse(void) { return KEY_MOUSE; }

static inline attr_t tapir_a_normal(void) { return A_NORMAL; }
static inline attr_t tapir_a_bold(void) { return A_BOLD; }
static inline attr_t tapir_a_dim(void) { return A_DIM; }
static inline attr_t tapir_a_italic(void) { return A_ITALIC; }
static inline attr_t tapir_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tapir_a_reverse(void) { return A_REVERSE; }

static inline mmask_t tapir_mouse_events(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON3_PRESSED
         | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int tapir_mouse_button1_pressed(mmask_t m) { return (m & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int tapir_mouse_button1_released(mmask_t m) { return (m & BUTTON1_RELEASED) != 0; }
static inline int tapir_mouse_button3_pressed(mmask_t m) { return (m & BUTTON3_PRESSED) != 0; }
static inline int tapir_mouse_wheel_up(mmask_t m) { return (m & BUTTON4_PRESSED) != 0; }
static inline int tapir_mouse_wheel_down(mmask_t m) { return (m & BUTTON5_PRESSED) != 0; }

/* Builds a cchar_t from up to CCHARW_MAX wide characters (a spacing char plus combining
   marks) and draws it at (y, x). Returns ERR when ncurses rejects the combination. */
static inline int tapir_put_cell(WINDOW *win, int y, int x, const wchar_t *chars, int count,
                                 attr_t attrs, int pair) {
    wchar_t text[CCHARW_MAX + 1];
    int n = count < CCHARW_MAX ? count : CCHARW_MAX;
    for (int i = 0; i < n; i++) text[i] = chars[i];
    text[n] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)(pair > 32767 ? 0 : pair), &pair) == ERR) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

/* get_wch on stdscr: stores the character or key code; returns OK, KEY_CODE_YES or ERR. */
static inline int tapir_get_wch(wint_t *out) { return wget_wch(stdscr, out); }

/* True when the current locale's character set is UTF-8. */
static inline int tapir_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't')
        && (cs[2] == 'F' || cs[2] == 'f');
}

/* The terminal size of fd from TIOCGWINSZ; returns 0 on success. */
static inline int tapir_window_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

static inline int tapir_wcwidth(wchar_t c) { return wcwidth(c); }

static inline FILE *tapir_stdout(void) { return stdout; }
static inline FILE *tapir_stdin(void) { return stdin; }
#endif
