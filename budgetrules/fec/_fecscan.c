/* The FEC block scanner: one pass over a block of whole lines of a FEC (article A47 A-1 of the LPF).
 *
 * Called by budgetrules/fec.py (process), which turns what it returns into totals, problems and the entries
 * cut by a block boundary. Everything here is plain C99 on bytes; the GIL is released while a block is
 * scanned, so two threads scan two blocks at once.
 *
 * scan(buf, start, end, sep, sens, check_utf8) reads buf[start:end] (whole lines; the last may lack its
 * newline) and returns the tuple
 *
 *   (rows, lines, blank, bad_utf8, multibyte, overflow, agg, bad, runs)
 *
 *   rows       lines that are not blank (the lines checked)
 *   lines      lines, blank ones included
 *   bad_utf8   offset of the first byte that does not start a well-formed UTF-8 character (-1: none;
 *              only when check_utf8): no overlong forms, no surrogates, nothing above U+10FFFF
 *   multibyte  offset of the first well-formed UTF-8 sequence of two bytes or more (-1: none)
 *   overflow   True when an int64 sum of the block could overflow: then agg is empty and every entry is
 *              in runs, whose sums Python redoes with its own integers
 *   agg        [(acc_start, acc_end, year, cents, rows, first_line)]: sums per (account, year) of the lines
 *              of the entries that balance inside the block and are neither its first nor its last entry
 *   bad        [(line, start, end, flags, fields, code1, code2)]: the malformed lines (flags below)
 *   runs       [(key0_start, key0_end, key1_start, key1_end, first_line, cents, tainted, good_rows,
 *               [(acc_start, acc_end, year, cents, line)])]: the first entry, the last one, and every
 *              entry between them that does not balance or holds a malformed line (every entry when
 *              overflow; cents is then None); the list holds the well-formed lines only.
 *
 * Line numbers count from 0 in the block; offsets are into buf. An entry is a run of consecutive lines
 * with the same JournalCode and EcritureNum. Amounts: an optional '-', at most 15 digits, an optional
 * decimal comma with one or two decimals; read into int64 cents (a line always fits).
 *
 * The grammar is the one of fec.amount_cents (Python), which the tests compare with this scanner.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define F_COLUMNS 1
#define F_DATE 2
#define F_ACCOUNT 4
#define F_KEY 8
#define F_AMOUNT1 16
#define F_AMOUNT2 32
#define MAX_INT_DIGITS 15

typedef struct {
    int32_t line, start, end, nfields, year, acc_s, acc_e;
    int32_t key_s[2], key_e[2];
    int64_t net;
    uint16_t flags;
    uint8_t code1, code2;
} Row;

typedef struct {
    int32_t row;    /* a line of the group: its account and year */
    int32_t count;  /* lines summed */
    int32_t first;  /* line number of the first of them */
    uint64_t hash;
    int64_t sum;
} Group;

typedef struct {
    Row *rows;
    Py_ssize_t cap, n, lines, blank, bad_utf8, multibyte;
    int32_t *run_start; /* runs + 1 entries */
    int64_t *run_sum;
    uint8_t *run_bad;
    Py_ssize_t runs;
    int overflow;
    Group *groups;
    Py_ssize_t ngroups;
    int nomem;
    int changed; /* more lines than newlines counted: the buffer was written to during the scan */
} Scan;

static const int DAYS[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int is_blank(const uint8_t *buf, Py_ssize_t s, Py_ssize_t e) {
    for (Py_ssize_t k = s; k < e; k++) {
        uint8_t c = buf[k];
        if (c != 32 && c != 9 && c != 13 && c != 11 && c != 12) return 0;
    }
    return 1;
}

/* One amount field buf[fs:fe]: returns its code (0 read, 1 not a number, 2 not one or two decimals,
 * 3 more than 15 digits before the comma) and sets *cents. "" is 0. */
static int parse_amount(const uint8_t *buf, Py_ssize_t fs, Py_ssize_t fe, int64_t *cents) {
    int64_t value = 0;
    int whole = 0, frac = -1, negative = 0, code = 0;
    for (Py_ssize_t k = fs; k < fe; k++) {
        uint8_t c = buf[k];
        if (c >= '0' && c <= '9') {
            if (frac >= 0) frac++;
            else whole++;
            if (whole <= MAX_INT_DIGITS && frac <= 2) value = value * 10 + (c - '0');
        } else if (c == ',' && frac < 0) {
            frac = 0;
        } else if (c == '-' && k == fs) {
            negative = 1;
        } else {
            code = 1;
        }
    }
    if (code == 0 && fe > fs) {
        if (whole == 0) code = 1;
        else if (frac == 0 || frac > 2) code = 2;
        else if (whole > MAX_INT_DIGITS) code = 3;
    }
    if (code) return code;
    value *= frac < 0 ? 100 : frac == 1 ? 10 : 1;
    *cents = negative ? -value : value;
    return 0;
}

/* The fields of one line that is not blank: fills *r. seps[i] is the offset of the (i+1)th separator. */
static void check_line(const uint8_t *buf, Py_ssize_t ls, Py_ssize_t le, const Py_ssize_t *seps, int nf,
                       int sens, Row *r) {
    r->nfields = nf;
    r->key_s[0] = (int32_t)ls;
    r->key_e[0] = (int32_t)(nf > 1 ? seps[0] : le);
    r->key_s[1] = (int32_t)(nf > 2 ? seps[1] + 1 : ls);
    r->key_e[1] = (int32_t)(nf > 3 ? seps[2] : (nf == 3 ? le : ls));
    if (nf != 18) {
        r->flags = F_COLUMNS;
        return;
    }
    int flag = 0;
    if (r->key_e[0] == r->key_s[0] || r->key_e[1] == r->key_s[1]) flag |= F_KEY;
    /* EcritureDate (field 3): AAAAMMJJ, 1900 to 2100 */
    Py_ssize_t ds = seps[2] + 1, de = seps[3];
    int good = de - ds == 8;
    int value = 0;
    for (Py_ssize_t k = ds; good && k < de; k++) {
        int d = buf[k] - '0';
        if (d < 0 || d > 9) good = 0;
        value = value * 10 + d;
    }
    if (good) {
        int y = value / 10000, m = value / 100 % 100, d = value % 100, dim = 0;
        if (m >= 1 && m <= 12) {
            dim = DAYS[m];
            if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) dim = 29;
        }
        good = y >= 1900 && y <= 2100 && d >= 1 && d <= dim;
        if (good) r->year = y;
    }
    if (!good) flag |= F_DATE;
    /* CompteNum (field 4): its first character is its class, 1 to 8 */
    r->acc_s = (int32_t)(seps[3] + 1);
    r->acc_e = (int32_t)seps[4];
    if (r->acc_e == r->acc_s || buf[r->acc_s] < '1' || buf[r->acc_s] > '8') flag |= F_ACCOUNT;
    /* Debit and Credit (fields 11 and 12), or Montant and Sens */
    int64_t cents = 0, amount = 0;
    int code = parse_amount(buf, seps[10] + 1, seps[11], &amount);
    if (code) {
        r->code1 = (uint8_t)code;
        flag |= F_AMOUNT1;
    } else {
        cents = amount;
    }
    Py_ssize_t fs = seps[11] + 1, fe = seps[12];
    if (sens) {
        Py_ssize_t len = fe - fs;
        uint8_t c0 = len > 0 ? buf[fs] : 0, c1 = len > 1 ? buf[fs + 1] : 0;
        if ((len == 1 && (c0 == 'D' || c0 == 'd' || c0 == '1')) || (len == 2 && c0 == '+' && c1 == '1')) {
            /* debit */
        } else if ((len == 1 && (c0 == 'C' || c0 == 'c')) || (len == 2 && c0 == '-' && c1 == '1')) {
            cents = -cents;
        } else {
            r->code2 = 4;
            flag |= F_AMOUNT2;
        }
    } else {
        code = parse_amount(buf, fs, fe, &amount);
        if (code) {
            r->code2 = (uint8_t)code;
            flag |= F_AMOUNT2;
        } else {
            cents -= amount;
        }
    }
    r->net = flag ? 0 : cents;
    r->flags = (uint16_t)flag;
}

/* The length of the well-formed UTF-8 character at buf[i] (a byte >= 0x80), or 0 when it is not one:
 * no overlong form, no surrogate, nothing above U+10FFFF (the Unicode standard's table 3-7). Kept out of
 * the byte loop, so that the loop stays small. */
#if defined(__GNUC__)
__attribute__((noinline))
#elif defined(_MSC_VER)
__declspec(noinline)
#endif
static int utf8_length(const uint8_t *buf, Py_ssize_t i, Py_ssize_t end) {
    uint8_t c = buf[i];
    int len = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    uint8_t lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80; /* the second byte's range */
    uint8_t hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (len == 0 || i + len > end || buf[i + 1] < lo || buf[i + 1] > hi) return 0;
    for (int k = 2; k < len; k++)
        if ((buf[i + k] & 0xC0) != 0x80) return 0;
    return len;
}

/* The offset of the first byte at or after i that the loop must look at (an end of line, the separator,
 * a byte >= 0x80), or end. Eight bytes at a time: in a 64-bit word w, the classic "has a zero byte"
 * test on w ^ '\n' and w ^ sep, or'ed with the high bits, sets the high bit of every such byte; bits
 * above the first one may be wrong (a borrow), so only the lowest one is used. */
static Py_ssize_t next_special(const uint8_t *buf, Py_ssize_t i, Py_ssize_t end, uint8_t sep) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const uint64_t nl = ones * '\n', sp = ones * sep;
    const union { uint16_t u; uint8_t b[2]; } probe = {1};
    if (probe.b[0] == 1) { /* little-endian: the lowest set bit is the first byte */
        for (; i + 8 <= end; i += 8) {
            uint64_t w;
            memcpy(&w, buf + i, 8);
            uint64_t a = w ^ nl, b = w ^ sp;
            uint64_t m = (((a - ones) & ~a) | ((b - ones) & ~b) | w) & highs;
            if (m) {
#if defined(__GNUC__)
                return i + (__builtin_ctzll(m) >> 3);
#else
                int k = 0;
                while (!(m & 0x80)) {
                    m >>= 8;
                    k++;
                }
                return i + k;
#endif
            }
        }
    }
    for (; i < end; i++) {
        uint8_t c = buf[i];
        if (c == '\n' || c == sep || c >= 128) break;
    }
    return i;
}

/* The lines of buf[start:end]: separators, blank lines, UTF-8, then each line's fields. */
static void scan_lines(const uint8_t *buf, Py_ssize_t start, Py_ssize_t end, uint8_t sep, int sens,
                       int check_utf8, Scan *s) {
    Py_ssize_t seps[19] = {0};
    Py_ssize_t i = start, n = 0, line = 0;
    while (i < end) {
        Py_ssize_t ls = i;
        int nsep = 0;
        for (;;) {
            i = next_special(buf, i, end, sep);
            if (i >= end || buf[i] == '\n') break;
            if (buf[i] == sep) {
                if (nsep < 19) seps[nsep] = i;
                nsep++;
            } else if (check_utf8) { /* a byte >= 0x80 */
                int len = utf8_length(buf, i, end);
                if (len) {
                    if (s->multibyte < 0) s->multibyte = i;
                    i += len - 1;
                } else if (s->bad_utf8 < 0) {
                    s->bad_utf8 = i;
                }
            }
            i++;
        }
        Py_ssize_t le = i;
        i++;
        if ((nsep != 17 || le - ls < 40) && is_blank(buf, ls, le)) {
            s->blank++;
            line++;
            continue;
        }
        if (n >= s->cap) {
            s->changed = 1;
            break;
        }
        Row *r = &s->rows[n]; /* zeroed by calloc */
        r->line = (int32_t)line;
        r->start = (int32_t)ls;
        r->end = (int32_t)(le > ls && buf[le - 1] == '\r' ? le - 1 : le);
        check_line(buf, ls, le, seps, nsep + 1, sens, r);
        n++;
        line++;
    }
    s->n = n;
    s->lines = line;
}

static int same_key(const uint8_t *buf, const Row *a, const Row *b) {
    for (int k = 0; k < 2; k++) {
        int32_t len = a->key_e[k] - a->key_s[k];
        if (len != b->key_e[k] - b->key_s[k]) return 0;
        if (memcmp(buf + a->key_s[k], buf + b->key_s[k], (size_t)len) != 0) return 0;
    }
    return 1;
}

/* Entries: runs of consecutive lines with the same key, their sums, and whether int64 may overflow. */
static int find_runs(const uint8_t *buf, Scan *s) {
    Py_ssize_t n = s->n;
    s->run_start = calloc((size_t)(n + 1), sizeof(int32_t));
    s->run_sum = calloc((size_t)(n + 1), sizeof(int64_t));
    s->run_bad = calloc((size_t)(n + 1), 1);
    if (!s->run_start || !s->run_sum || !s->run_bad) return -1;
    Py_ssize_t runs = 0;
    uint64_t biggest = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        if (r == 0 || !same_key(buf, &s->rows[r], &s->rows[r - 1])) s->run_start[runs++] = (int32_t)r;
        if (s->rows[r].flags) s->run_bad[runs - 1] = 1;
        int64_t v = s->rows[r].net;
        uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        if (a > biggest) biggest = a;
    }
    s->run_start[runs] = (int32_t)n;
    s->runs = runs;
    s->overflow = n > 0 && biggest >= ((uint64_t)1 << 62) / (uint64_t)n;
    if (!s->overflow)
        for (Py_ssize_t r = 0; r < runs; r++)
            for (int32_t j = s->run_start[r]; j < s->run_start[r + 1]; j++) s->run_sum[r] += s->rows[j].net;
    return 0;
}

/* Sums per (account, year) of the lines of the entries that balance inside the block, in an
 * open-addressing hash table (FNV-1a of the account and the year). */
static int aggregate(const uint8_t *buf, Scan *s) {
    size_t size = 1024;
    int32_t *slot = malloc(sizeof(int32_t) * size);
    s->groups = calloc((size_t)(s->n + 1), sizeof(Group));
    if (!slot || !s->groups) {
        free(slot);
        return -1;
    }
    memset(slot, 0xff, sizeof(int32_t) * size);
    Py_ssize_t groups = 0;
    for (Py_ssize_t r = 1; r < s->runs - 1; r++) {
        if (s->run_sum[r] != 0 || s->run_bad[r]) continue;
        for (int32_t j = s->run_start[r]; j < s->run_start[r + 1]; j++) {
            const Row *row = &s->rows[j];
            uint64_t h = 14695981039346656037ULL;
            for (int32_t k = row->acc_s; k < row->acc_e; k++) h = (h ^ buf[k]) * 1099511628211ULL;
            h = (h ^ (uint64_t)row->year) * 1099511628211ULL;
            if ((size_t)(2 * groups) >= size) {  /* grow the table, placing the groups again */
                size *= 2;
                int32_t *bigger = malloc(sizeof(int32_t) * size);
                if (!bigger) {
                    free(slot);
                    return -1;
                }
                free(slot);
                slot = bigger;
                memset(slot, 0xff, sizeof(int32_t) * size);
                for (Py_ssize_t g = 0; g < groups; g++) {
                    size_t at = s->groups[g].hash & (size - 1);
                    while (slot[at] >= 0) at = (at + 1) & (size - 1);
                    slot[at] = (int32_t)g;
                }
            }
            size_t at = h & (size - 1);
            for (;;) {
                int32_t g = slot[at];
                if (g < 0) {
                    slot[at] = (int32_t)groups;
                    Group *grp = &s->groups[groups++];
                    grp->row = j;
                    grp->count = 1;
                    grp->first = row->line;
                    grp->hash = h;
                    grp->sum = row->net;
                    break;
                }
                Group *grp = &s->groups[g];
                if (grp->hash == h) {
                    const Row *rep = &s->rows[grp->row];
                    int32_t len = row->acc_e - row->acc_s;
                    if (rep->year == row->year && rep->acc_e - rep->acc_s == len &&
                        memcmp(buf + rep->acc_s, buf + row->acc_s, (size_t)len) == 0) {
                        grp->sum += row->net;
                        grp->count++;
                        break;
                    }
                }
                at = (at + 1) & (size - 1);
            }
        }
    }
    free(slot);
    s->ngroups = groups;
    return 0;
}

static void scan_free(Scan *s) {
    free(s->rows);
    free(s->run_start);
    free(s->run_sum);
    free(s->run_bad);
    free(s->groups);
}

/* ------------------------------------------------------------------------------ Python objects */

static PyObject *run_object(const Scan *s, Py_ssize_t r) {
    int32_t a = s->run_start[r], b = s->run_start[r + 1];
    const Row *first = &s->rows[a];
    PyObject *lines = PyList_New(0);
    if (!lines) return NULL;
    Py_ssize_t good = 0;
    for (int32_t j = a; j < b; j++) {
        const Row *row = &s->rows[j];
        if (row->flags) continue;
        good++;
        PyObject *t = Py_BuildValue("(iiiLi)", row->acc_s, row->acc_e, row->year, (long long)row->net, row->line);
        if (!t || PyList_Append(lines, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(lines);
            return NULL;
        }
        Py_DECREF(t);
    }
    PyObject *cents;
    if (s->overflow) {
        cents = Py_None;
        Py_INCREF(cents);
    } else {
        cents = PyLong_FromLongLong(s->run_sum[r]);
        if (!cents) {
            Py_DECREF(lines);
            return NULL;
        }
    }
    return Py_BuildValue("(iiiiiNOnN)", first->key_s[0], first->key_e[0], first->key_s[1], first->key_e[1],
                         first->line, cents, s->run_bad[r] ? Py_True : Py_False, good, lines);
}

static PyObject *result_object(const Scan *s) {
    PyObject *agg = PyList_New(s->ngroups), *bad = PyList_New(0), *runs = PyList_New(0);
    if (!agg || !bad || !runs) goto fail;
    for (Py_ssize_t g = 0; g < s->ngroups; g++) {
        const Group *grp = &s->groups[g];
        const Row *row = &s->rows[grp->row];
        PyObject *t = Py_BuildValue("(iiiLii)", row->acc_s, row->acc_e, row->year, (long long)grp->sum,
                                    grp->count, grp->first);
        if (!t) goto fail;
        PyList_SET_ITEM(agg, g, t);
    }
    for (Py_ssize_t j = 0; j < s->n; j++) {
        const Row *row = &s->rows[j];
        if (!row->flags) continue;
        PyObject *t = Py_BuildValue("(iiiiiii)", row->line, row->start, row->end, row->flags, row->nfields,
                                    row->code1, row->code2);
        if (!t || PyList_Append(bad, t) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        Py_DECREF(t);
    }
    for (Py_ssize_t r = 0; r < s->runs; r++) {
        int inner = r > 0 && r < s->runs - 1;
        if (inner && !s->overflow && s->run_sum[r] == 0 && !s->run_bad[r]) continue;
        PyObject *t = run_object(s, r);
        if (!t || PyList_Append(runs, t) < 0) {
            Py_XDECREF(t);
            goto fail;
        }
        Py_DECREF(t);
    }
    return Py_BuildValue("(nnnnnONNN)", s->n, s->lines, s->blank, s->bad_utf8, s->multibyte,
                         s->overflow ? Py_True : Py_False, agg, bad, runs);
fail:
    Py_XDECREF(agg);
    Py_XDECREF(bad);
    Py_XDECREF(runs);
    return NULL;
}

static PyObject *scan(PyObject *self, PyObject *args) {
    Py_buffer view;
    Py_ssize_t start, end;
    int sep, sens, check_utf8;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*nnipp", &view, &start, &end, &sep, &sens, &check_utf8)) return NULL;
    if (start < 0 || end < start || end > view.len || end >= INT32_MAX || sep < 1 || sep > 127) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "scan: bad block bounds or separator");
        return NULL;
    }
    const uint8_t *buf = view.buf;
    Scan s;
    memset(&s, 0, sizeof s);
    s.bad_utf8 = s.multibyte = -1;
    Py_BEGIN_ALLOW_THREADS
    /* lines <= newlines + 1: size the rows once */
    s.cap = 1;
    for (const uint8_t *p = buf + start, *stop = buf + end; (p = memchr(p, '\n', (size_t)(stop - p))) != NULL; p++)
        s.cap++;
    s.rows = calloc((size_t)s.cap, sizeof(Row)); /* calloc: the size cannot wrap around */
    if (!s.rows) s.nomem = 1;
    else {
        scan_lines(buf, start, end, (uint8_t)sep, sens, check_utf8, &s);
        if (!s.changed && (find_runs(buf, &s) < 0 || (!s.overflow && aggregate(buf, &s) < 0))) s.nomem = 1;
    }
    Py_END_ALLOW_THREADS
    PyObject *result;
    if (s.nomem) result = PyErr_NoMemory();
    else if (s.changed) {
        PyErr_SetString(PyExc_RuntimeError, "scan: the buffer was written to while it was scanned");
        result = NULL;
    } else result = result_object(&s);
    scan_free(&s);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(buf, start, end, sep, sens, check_utf8) -> (rows, lines, blank, bad_utf8, multibyte, "
     "overflow, agg, bad, runs): check and sum the FEC lines of buf[start:end] (see _fecscan.c)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_fecscan", .m_doc = "The FEC block scanner (C).", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC PyInit__fecscan(void) {
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyModule_AddIntConstant(m, "F_COLUMNS", F_COLUMNS) < 0 || PyModule_AddIntConstant(m, "F_DATE", F_DATE) < 0 ||
        PyModule_AddIntConstant(m, "F_ACCOUNT", F_ACCOUNT) < 0 || PyModule_AddIntConstant(m, "F_KEY", F_KEY) < 0 ||
        PyModule_AddIntConstant(m, "F_AMOUNT1", F_AMOUNT1) < 0 || PyModule_AddIntConstant(m, "F_AMOUNT2", F_AMOUNT2) < 0 ||
        PyModule_AddIntConstant(m, "MAX_INT_DIGITS", MAX_INT_DIGITS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
