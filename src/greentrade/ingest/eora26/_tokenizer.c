/*
 * greentrade.ingest.eora26._tokenizer: the fast path of the Eora26 matrix reader.
 *
 * One function, parse_rows(data, start, end, n_cols, is_last, row_out, col_out, val_out),
 * reads the tab-separated rows in data[start:end] (whole lines) and writes every non-zero
 * cell as (row, column, value) into the three output buffers (int32, int32, float64),
 * rows counted from 0 at `start`. It releases the GIL, so the reader runs it on several
 * chunks of one file in threads (greentrade/ingest/eora26/parse.py, _parse_native).
 *
 * It accepts only the plain form of the published files: cells that are decimal numbers
 * ([+-]digits[.digits][(e|E)[+-]digits], or .digits), separated by one tab, rows ending in
 * \n or \r\n, and (in the last chunk, is_last) blank lines at the very end. Anything else --
 * text, an empty cell, NaN, inf, a number out of range, a row of the wrong length -- is
 * reported by a status, never guessed at: the reader then takes its polars path, which
 * names the file, the row and the column of the fault (the error messages live there).
 *
 * Values are correctly rounded (the same double as Python's float(), polars and glibc's
 * strtod): a number with at most 19 significant digits whose integer mantissa M is at most
 * 2^53 and whose decimal exponent e lies in -22..22 is M * 10^e or M / 10^-e in one IEEE
 * operation on two exact doubles (Clinger's fast path); every other number goes through
 * strtod in the "C" locale. Zero cells (including -0) are skipped, as the reader stores
 * only non-zero cells.
 *
 * Returns (cells, rows, status, row, column): status 0 ok; 1 a cell that is not a plain
 * finite number (at row, column, 0-based within the chunk); 2 a row whose number of cells
 * is not n_cols (row, and the count found so far in column); 3 the output buffers are too
 * small.
 */
#define _GNU_SOURCE
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__) || defined(__APPLE__)
#define GT_HAVE_STRTOD_L 1
#ifdef __APPLE__
#include <xlocale.h>
#endif
static locale_t c_locale = (locale_t)0;
#endif

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define MAX_TOKEN 128

static int is_cell_end(char c) { return c == '\t' || c == '\n' || c == '\r'; }

/* Parse one cell starting at *pp (not past end). On success store the value, leave *pp on
 * the separator (or end) and return 0; return 1 if the cell is not a plain finite number. */
static int parse_cell(const char **pp, const char *end, double *out) {
    const char *p = *pp;
    const char *start = p;
    int negative = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        negative = (*p == '-');
        p++;
    }
    uint64_t mantissa = 0;
    int digits = 0;      /* significant digits in mantissa */
    int inexact = 0;     /* a digit did not fit into 19 significant digits */
    int any_digit = 0;
    long exponent = 0;   /* decimal exponent applied to mantissa */
    int in_fraction = 0;
    for (; p < end; p++) { /* integer part, then (after one '.') the fraction */
        if (*p == '.' && !in_fraction) {
            in_fraction = 1;
            continue;
        }
        unsigned d = (unsigned char)(*p - '0');
        if (d >= 10) break;
        any_digit = 1;
        if (digits < 19) {
            if (mantissa || d) { /* leading zeros are not significant */
                mantissa = mantissa * 10 + d;
                digits++;
            }
            if (in_fraction) exponent--;
        } else if (d || !in_fraction) { /* a 20th significant digit: strtod decides */
            inexact = 1;
        }
    }
    if (!any_digit) return 1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int exp_negative = 0;
        if (p < end && (*p == '-' || *p == '+')) {
            exp_negative = (*p == '-');
            p++;
        }
        if (!(p < end && (unsigned char)(*p - '0') < 10)) return 1;
        long value = 0;
        while (p < end && (unsigned char)(*p - '0') < 10) {
            if (value < 100000) value = value * 10 + (*p - '0');
            p++;
        }
        exponent += exp_negative ? -value : value;
    }
    if (p < end && !is_cell_end(*p)) return 1;
    *pp = p;
    if (mantissa == 0) { /* all digits zero (the skipped-zero digits do not make it inexact) */
        *out = 0.0;
        return 0;
    }
    if (!inexact && mantissa <= (UINT64_C(1) << 53) && exponent >= -22 && exponent <= 22) {
        double v = (double)mantissa; /* exact: mantissa <= 2^53 */
        v = exponent >= 0 ? v * POW10[exponent] : v / POW10[-exponent];
        *out = negative ? -v : v;
        return 0;
    }
    /* the rare long or extreme number: glibc's strtod rounds correctly */
    size_t length = (size_t)(p - start);
    if (length >= MAX_TOKEN) return 1; /* the polars path takes it */
    char buffer[MAX_TOKEN];
    memcpy(buffer, start, length);
    buffer[length] = '\0';
    char *stop = NULL;
#ifdef GT_HAVE_STRTOD_L
    double v = c_locale ? strtod_l(buffer, &stop, c_locale) : strtod(buffer, &stop);
#else
    double v = strtod(buffer, &stop);
#endif
    if (stop != buffer + length || !isfinite(v)) return 1;
    *out = v;
    return 0;
}

typedef struct {
    Py_ssize_t cells, rows;
    int status;
    Py_ssize_t row, col;
} result_t;

static result_t parse(const char *data, Py_ssize_t size, Py_ssize_t n_cols, int is_last, int32_t *row_out,
                      int32_t *col_out, double *val_out, Py_ssize_t capacity) {
    result_t r = {0, 0, 0, 0, 0};
    const char *p = data, *end = data + size;
    while (p < end) {
        if (*p == '\n' || *p == '\r') { /* a blank line: allowed only as trailing lines of the file */
            const char *q = p;
            while (q < end && (*q == '\n' || *q == '\r')) q++;
            if (q == end && is_last) break;
            r.status = 2;
            r.row = r.rows;
            r.col = 0;
            return r;
        }
        Py_ssize_t col = 0;
        for (;;) {
            double v;
            if (col >= n_cols) {
                r.status = 2;
                r.row = r.rows;
                r.col = col + 1;
                return r;
            }
            if (parse_cell(&p, end, &v)) {
                r.status = 1;
                r.row = r.rows;
                r.col = col;
                return r;
            }
            if (v != 0.0) {
                if (r.cells >= capacity) {
                    r.status = 3;
                    r.row = r.rows;
                    r.col = col;
                    return r;
                }
                row_out[r.cells] = (int32_t)r.rows;
                col_out[r.cells] = (int32_t)col;
                val_out[r.cells] = v;
                r.cells++;
            }
            col++;
            if (p == end) break;
            if (*p == '\t') {
                p++;
                continue;
            }
            if (*p == '\n') {
                p++;
                break;
            }
            /* '\r': only as part of \r\n */
            if (p + 1 < end && p[1] == '\n') {
                p += 2;
                break;
            }
            if (p + 1 == end) {
                p++;
                break;
            }
            r.status = 1;
            r.row = r.rows;
            r.col = col - 1;
            return r;
        }
        if (col != n_cols) {
            r.status = 2;
            r.row = r.rows;
            r.col = col;
            return r;
        }
        r.rows++;
        if (r.rows > INT32_MAX) {
            r.status = 2;
            r.row = r.rows;
            return r;
        }
    }
    return r;
}

static int check_output(Py_buffer *buffer, Py_ssize_t itemsize, const char *name) {
    if (buffer->itemsize != itemsize || !PyBuffer_IsContiguous(buffer, 'C')) {
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous writable buffer of %zd-byte items", name, itemsize);
        return 0;
    }
    return 1;
}

static PyObject *parse_rows(PyObject *self, PyObject *args) {
    Py_buffer data, rows, cols, values;
    Py_ssize_t start, stop, n_cols;
    int is_last;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*nnnpw*w*w*", &data, &start, &stop, &n_cols, &is_last, &rows, &cols, &values))
        return NULL;
    PyObject *answer = NULL;
    if (start < 0 || stop > data.len || start > stop) {
        PyErr_SetString(PyExc_ValueError, "start / end outside the data");
        goto done;
    }
    if (n_cols < 1 || n_cols > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "n_cols must lie in 1..2^31-1");
        goto done;
    }
    if (!check_output(&rows, 4, "row_out") || !check_output(&cols, 4, "col_out") ||
        !check_output(&values, 8, "val_out"))
        goto done;
    Py_ssize_t capacity = rows.len / 4;
    if (cols.len / 4 < capacity) capacity = cols.len / 4;
    if (values.len / 8 < capacity) capacity = values.len / 8;
    result_t r;
    Py_BEGIN_ALLOW_THREADS
    r = parse((const char *)data.buf + start, stop - start, n_cols, is_last, (int32_t *)rows.buf,
              (int32_t *)cols.buf, (double *)values.buf, capacity);
    Py_END_ALLOW_THREADS
    answer = Py_BuildValue("(nnini)", r.cells, r.rows, r.status, r.row, r.col);
done:
    PyBuffer_Release(&data);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&cols);
    PyBuffer_Release(&values);
    return answer;
}

static PyMethodDef methods[] = {
    {"parse_rows", parse_rows, METH_VARARGS,
     "parse_rows(data, start, end, n_cols, is_last, row_out, col_out, val_out) -> "
     "(cells, rows, status, row, column)\n\n"
     "Non-zero cells of the tab-separated rows in data[start:end]; see the module source."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT,
                                    "_tokenizer",
                                    "Fast path of the Eora26 matrix reader (greentrade.ingest.eora26).",
                                    -1,
                                    methods,
                                    NULL,
                                    NULL,
                                    NULL,
                                    NULL};

PyMODINIT_FUNC PyInit__tokenizer(void) {
#ifdef GT_HAVE_STRTOD_L
    if (!c_locale) c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
#endif
    return PyModule_Create(&module);
}
